"""runs are scored once their months are observed: forecast_score, forecast_run.scored_through, .scored_version

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("forecast_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scored_through", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("scored_version", sa.String(length=64), nullable=True))
    op.create_table(
        "forecast_score",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=16), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("country_gw", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("crps", sa.Float(), nullable=False),
        sa.Column("coverage_90", sa.Float(), nullable=False),
        sa.Column("brier_25", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["forecast_run.id"], name=op.f("fk_forecast_score_run_id_forecast_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "model", "step", "country_gw", name=op.f("pk_forecast_score")),
    )


def downgrade() -> None:
    op.drop_table("forecast_score")
    with op.batch_alter_table("forecast_run", schema=None) as batch_op:
        batch_op.drop_column("scored_version")
        batch_op.drop_column("scored_through")
