"""support: services the UN provides to partner-led operations, agreed and delivered quantities per period,
the partner's requests, financing sources and the compliance milestones of resolution 2719 (decision 044)

Revision ID: 0032
Revises: 0033
Create Date: 2026-12-08 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _operation_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["operation_id"], ["partner_operation.id"], name=op.f(f"fk_{table}_operation_id_partner_operation"),
        ondelete="CASCADE",
    )  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "support_service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("provider", sa.String(length=120), nullable=False),
        sa.Column("provider_mission_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        _operation_fk("support_service"),
        sa.ForeignKeyConstraint(
            ["provider_mission_id"], ["mission.id"], name=op.f("fk_support_service_provider_mission_id_mission"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_service")),
        sa.UniqueConstraint("operation_id", "service", name=op.f("uq_support_service_operation_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_support_service_operation_id"), "support_service", ["operation_id"])
    op.create_table(
        "support_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("agreed", sa.Float(), nullable=True),
        sa.Column("delivered", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"], ["support_service.id"], name=op.f("fk_support_delivery_service_id_support_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_delivery")),
        sa.UniqueConstraint(
            "service_id", "period_start", "period_end", name=op.f("uq_support_delivery_service_id")
        ),
    )  # fmt: skip
    op.create_index(op.f("ix_support_delivery_service_id"), "support_delivery", ["service_id"])
    op.create_table(
        "support_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _operation_fk("support_request"),
        sa.ForeignKeyConstraint(
            ["service_id"], ["support_service.id"], name=op.f("fk_support_request_service_id_support_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_request")),
        sa.UniqueConstraint("operation_id", "reference", name=op.f("uq_support_request_operation_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_support_request_operation_id"), "support_request", ["operation_id"])
    op.create_index(op.f("ix_support_request_service_id"), "support_request", ["service_id"])
    op.create_table(
        "support_financing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("funder", sa.String(length=120), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("committed_usd", sa.Float(), nullable=True),
        sa.Column("received_usd", sa.Float(), nullable=True),
        _operation_fk("support_financing"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_financing")),
        sa.UniqueConstraint(
            "operation_id", "source", "funder", "period_start", "period_end",
            name=op.f("uq_support_financing_operation_id"),
        ),
    )  # fmt: skip
    op.create_index(op.f("ix_support_financing_operation_id"), "support_financing", ["operation_id"])
    op.create_table(
        "support_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _operation_fk("support_milestone"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_milestone")),
        sa.UniqueConstraint("operation_id", "title", name=op.f("uq_support_milestone_operation_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_support_milestone_operation_id"), "support_milestone", ["operation_id"])


def downgrade() -> None:
    op.drop_table("support_milestone")
    op.drop_table("support_financing")
    op.drop_table("support_request")
    op.drop_table("support_delivery")
    op.drop_table("support_service")
