"""compartment grants: named users may read confidential records (debriefs, sensitive incidents)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 10:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "compartment_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("compartment", sa.String(length=80), nullable=False),
        sa.Column("granted_by", sa.String(length=80), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name="fk_compartment_grant_user_id_app_user", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_compartment_grant"),
        sa.UniqueConstraint("user_id", "compartment", name="uq_compartment_grant"),
    )
    op.create_index("ix_compartment_grant_user_id", "compartment_grant", ["user_id"])
    op.create_index("ix_compartment_grant_compartment", "compartment_grant", ["compartment"])


def downgrade() -> None:
    op.drop_index("ix_compartment_grant_compartment", table_name="compartment_grant")
    op.drop_index("ix_compartment_grant_user_id", table_name="compartment_grant")
    op.drop_table("compartment_grant")
