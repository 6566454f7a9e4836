"""world_strength: uniformed personnel in all UN peacekeeping per month (import kind world-totals)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "world_strength",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("contributors", sa.Integer(), nullable=False),
        sa.Column("troops", sa.Integer(), nullable=False),
        sa.Column("police", sa.Integer(), nullable=False),
        sa.Column("observers", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_world_strength")),
        sa.UniqueConstraint("month", name=op.f("uq_world_strength_month")),
    )


def downgrade() -> None:
    op.drop_table("world_strength")
