"""transitions: a plan per mission, benchmarks, tasks handed over, drawdown steps and bases closed
(decision 045)

Revision ID: 0033
Revises: 0035
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _plan_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["plan_id"], ["transition_plan.id"], name=op.f(f"fk_{table}_plan_id_transition_plan"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "transition_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("adopted", sa.Date(), nullable=True),
        sa.Column("planned_exit", sa.Date(), nullable=False),
        sa.Column("resolution", sa.String(length=120), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"], ["mission.id"], name=op.f("fk_transition_plan_mission_id_mission"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transition_plan")),
        sa.UniqueConstraint("mission_id", name=op.f("uq_transition_plan_mission_id")),
    )
    op.create_table(
        "transition_benchmark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("achieved", sa.Date(), nullable=True),
        sa.Column("indicator", sa.String(length=60), nullable=False),
        _plan_fk("transition_benchmark"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transition_benchmark")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_transition_benchmark_plan_id")),
    )
    op.create_index(op.f("ix_transition_benchmark_plan_id"), "transition_benchmark", ["plan_id"])
    op.create_table(
        "transition_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("recipient", sa.String(length=24), nullable=False),
        sa.Column("entity", sa.String(length=200), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("handed_over", sa.Date(), nullable=True),
        sa.Column("benchmark_id", sa.Integer(), nullable=True),
        _plan_fk("transition_task"),
        sa.ForeignKeyConstraint(
            ["benchmark_id"], ["transition_benchmark.id"],
            name=op.f("fk_transition_task_benchmark_id_transition_benchmark"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transition_task")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_transition_task_plan_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_transition_task_plan_id"), "transition_task", ["plan_id"])
    op.create_table(
        "transition_drawdown",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=80), nullable=False),
        sa.Column("category", sa.String(length=12), nullable=False),
        sa.Column("planned_date", sa.Date(), nullable=False),
        sa.Column("planned_ceiling", sa.Integer(), nullable=False),
        sa.Column("actual_date", sa.Date(), nullable=True),
        sa.Column("actual_strength", sa.Integer(), nullable=True),
        _plan_fk("transition_drawdown"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transition_drawdown")),
        sa.UniqueConstraint("plan_id", "step", "category", name=op.f("uq_transition_drawdown_plan_id")),
    )
    op.create_index(op.f("ix_transition_drawdown_plan_id"), "transition_drawdown", ["plan_id"])
    op.create_table(
        "transition_base",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("planned_closure", sa.Date(), nullable=False),
        sa.Column("actual_closure", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("handed_to", sa.String(length=200), nullable=False),
        sa.Column("personnel", sa.Integer(), nullable=True),
        _plan_fk("transition_base"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transition_base")),
        sa.UniqueConstraint("plan_id", "name", name=op.f("uq_transition_base_plan_id")),
    )
    op.create_index(op.f("ix_transition_base_plan_id"), "transition_base", ["plan_id"])


def downgrade() -> None:
    op.drop_table("transition_base")
    op.drop_table("transition_drawdown")
    op.drop_table("transition_task")
    op.drop_table("transition_benchmark")
    op.drop_table("transition_plan")
