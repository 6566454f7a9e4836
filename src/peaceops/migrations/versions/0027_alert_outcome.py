"""alert rules judged unit by unit (alert_outcome, replacing alert_score), so any threshold can be scored and each
alert has its own outcome; an alert action links a peace process and an envoy

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_outcome",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("happened", sa.Boolean(), nullable=False),
        sa.Column("lead_months", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["forecast_run.id"], name=op.f("fk_alert_outcome_run_id_forecast_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "kind", "unit_id", name=op.f("pk_alert_outcome")),
    )
    op.drop_table("alert_score")
    with op.batch_alter_table("alert_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("process_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("envoy_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_alert_action_process_id_peace_process"), "peace_process", ["process_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_alert_action_envoy_id_process_mediator"), "process_mediator", ["envoy_id"], ["id"]
        )
    run = sa.table("forecast_run", sa.column("scored_version", sa.String))
    op.execute(run.update().values(scored_version=None))  # judged again, unit by unit, at the next pass


def downgrade() -> None:
    with op.batch_alter_table("alert_action", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_alert_action_envoy_id_process_mediator"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_alert_action_process_id_peace_process"), type_="foreignkey")
        batch_op.drop_column("envoy_id")
        batch_op.drop_column("process_id")
    op.create_table(
        "alert_score",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("false_alarms", sa.Integer(), nullable=False),
        sa.Column("misses", sa.Integer(), nullable=False),
        sa.Column("lead_months", sa.Integer(), nullable=False),
        sa.Column("brier", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["forecast_run.id"], name=op.f("fk_alert_score_run_id_forecast_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "kind", name=op.f("pk_alert_score")),
    )
    op.drop_table("alert_outcome")
