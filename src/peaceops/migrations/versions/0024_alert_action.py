"""an alert gets actions: instrument, who acted, when, the mission, a note, an optional compartment: alert_action

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=24), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("compartment", sa.String(length=80), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["conflict_alert.id"],
            name=op.f("fk_alert_action_alert_id_conflict_alert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["mission_id"], ["mission.id"], name=op.f("fk_alert_action_mission_id_mission")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_action")),
    )
    with op.batch_alter_table("alert_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_action_alert_id"), ["alert_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_action_compartment"), ["compartment"], unique=False)


def downgrade() -> None:
    op.drop_table("alert_action")
