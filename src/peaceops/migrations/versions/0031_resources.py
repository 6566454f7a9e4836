"""resources: milestones, requirements, orders, deliveries and budget lines of each mission (decision 043)

Revision ID: 0031
Revises: 0032
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _mission(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["mission_id"], ["mission.id"], name=op.f(f"fk_{table}_mission_id_mission"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "resource_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _mission("resource_milestone"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_milestone")),
        sa.UniqueConstraint("mission_id", "code", name=op.f("uq_resource_milestone_mission_id")),
    )
    op.create_index(op.f("ix_resource_milestone_mission_id"), "resource_milestone", ["mission_id"])
    op.create_table(
        "resource_requirement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("item", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("alert_level", sa.String(length=8), nullable=False),
        sa.Column("alert_unit_id", sa.Integer(), nullable=True),
        sa.Column("needed_by", sa.Date(), nullable=True),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("mandate_task", sa.Text(), nullable=False),
        sa.Column("result_code", sa.String(length=32), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("threat_area", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _mission("resource_requirement"),
        sa.ForeignKeyConstraint(
            ["milestone_id"], ["resource_milestone.id"],
            name=op.f("fk_resource_requirement_milestone_id_resource_milestone"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_requirement")),
        sa.UniqueConstraint("mission_id", "code", name=op.f("uq_resource_requirement_mission_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_resource_requirement_mission_id"), "resource_requirement", ["mission_id"])
    op.create_table(
        "resource_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("ordered", sa.Date(), nullable=True),
        sa.Column("expected", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        _mission("resource_order"),
        sa.ForeignKeyConstraint(
            ["requirement_id"], ["resource_requirement.id"],
            name=op.f("fk_resource_order_requirement_id_resource_requirement"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_order")),
        sa.UniqueConstraint("mission_id", "reference", name=op.f("uq_resource_order_mission_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_resource_order_mission_id"), "resource_order", ["mission_id"])
    op.create_index(op.f("ix_resource_order_requirement_id"), "resource_order", ["requirement_id"])
    op.create_table(
        "resource_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("delivered", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["resource_order.id"], name=op.f("fk_resource_delivery_order_id_resource_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_delivery")),
        sa.UniqueConstraint("order_id", "delivered", "reference", name=op.f("uq_resource_delivery_order_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_resource_delivery_order_id"), "resource_delivery", ["order_id"])
    op.create_index(op.f("ix_resource_delivery_delivered"), "resource_delivery", ["delivered"])
    op.create_table(
        "resource_budget",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("approved", sa.Float(), nullable=False),
        sa.Column("committed", sa.Float(), nullable=False),
        sa.Column("spent", sa.Float(), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        _mission("resource_budget"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_budget")),
        sa.UniqueConstraint("mission_id", "period", "category", name=op.f("uq_resource_budget_mission_id")),
    )
    op.create_index(op.f("ix_resource_budget_mission_id"), "resource_budget", ["mission_id"])


def downgrade() -> None:
    op.drop_table("resource_budget")
    op.drop_table("resource_delivery")
    op.drop_table("resource_order")
    op.drop_table("resource_requirement")
    op.drop_table("resource_milestone")
