"""comms items say where they come from: training, held_out or monitored; training rows are never shown

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 18:10:00

Items loaded by earlier demos are marked: the TRAC 2024 training tweets (source
``demo:amharic-trac2024-train``) as ``training``, the other ``demo:`` sources (the labelled sets'
held-out rows) as ``held_out``; everything else stays ``monitored``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("comms_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provenance", sa.String(length=12), nullable=False, server_default="monitored"))
        batch_op.create_index(batch_op.f("ix_comms_item_provenance"), ["provenance"], unique=False)
    item = sa.table("comms_item", sa.column("source", sa.String), sa.column("provenance", sa.String))
    op.execute(item.update().where(item.c.source == "demo:amharic-trac2024-train").values(provenance="training"))
    op.execute(
        item.update()
        .where(item.c.source.like("demo:%"), item.c.source != "demo:amharic-trac2024-train")
        .values(provenance="held_out")
    )


def downgrade() -> None:
    with op.batch_alter_table("comms_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comms_item_provenance"))
        batch_op.drop_column("provenance")
