"""comms items may belong to a mission (optional): pages and the API are scoped by it

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("comms_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mission_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_comms_item_mission_id"), ["mission_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_comms_item_mission_id_mission"), "mission", ["mission_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("comms_item", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_comms_item_mission_id_mission"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_comms_item_mission_id"))
        batch_op.drop_column("mission_id")
