"""event coverage, stored forecast runs, conflict alerts

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_coverage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("country_gw", sa.Integer(), nullable=False),
        sa.Column("first_month", sa.Date(), nullable=False),
        sa.Column("last_month", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_coverage")),
        sa.UniqueConstraint("source", "country_gw", name=op.f("uq_event_coverage_source")),
    )
    op.create_table(
        "forecast_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("cutoff", sa.Date(), nullable=False),
        sa.Column("horizon", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=40), nullable=False),
        sa.Column("data_version", sa.String(length=64), nullable=False),
        sa.Column("config_hash", sa.String(length=64), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_run")),
        sa.UniqueConstraint(
            "level",
            "cutoff",
            "horizon",
            "model_version",
            "data_version",
            "config_hash",
            name=op.f("uq_forecast_run_level"),
        ),
    )
    op.create_table(
        "forecast_value",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.Date(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("country_gw", sa.Integer(), nullable=True),
        *(sa.Column(name, sa.Float(), nullable=False) for name in ("q05", "q10", "q25", "q50", "q75", "q90", "q95")),
        sa.Column("mean", sa.Float(), nullable=False),
        sa.Column("p25", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["forecast_run.id"], name=op.f("fk_forecast_value_run_id_forecast_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "unit_id", "origin", "step", name=op.f("pk_forecast_value")),
    )
    op.create_index(op.f("ix_forecast_value_country_gw"), "forecast_value", ["country_gw"])
    op.create_table(
        "conflict_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("country_gw", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("cutoff", sa.Date(), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("risk_before", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["forecast_run.id"], name=op.f("fk_conflict_alert_run_id_forecast_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_alert")),
    )
    op.create_index(op.f("ix_conflict_alert_run_id"), "conflict_alert", ["run_id"])


def downgrade() -> None:
    op.drop_table("conflict_alert")
    op.drop_table("forecast_value")
    op.drop_table("forecast_run")
    op.drop_table("event_coverage")
