"""the Blue Paper's remaining records (decision 042): PA-X process ids on peace processes, roster kinds with a
last review, partner accounts' organisation, and helpdesk requests' partner and peace process

Revision ID: 0030
Revises: 0034
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("peace_process", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pax_process_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_peace_process_pax_process_id"), ["pax_process_id"])
    with op.batch_alter_table("expert", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=24), nullable=False, server_default="technical"))
        batch_op.add_column(sa.Column("last_reviewed_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_expert_kind"), ["kind"], unique=False)
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation", sa.String(length=200), nullable=True))
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("process_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_help_request_partner"), ["partner"], unique=False)
        batch_op.create_index(batch_op.f("ix_help_request_process_id"), ["process_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_help_request_process_id_peace_process"),
            "peace_process",
            ["process_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_help_request_process_id_peace_process"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_help_request_process_id"))
        batch_op.drop_index(batch_op.f("ix_help_request_partner"))
        batch_op.drop_column("process_id")
        batch_op.drop_column("partner")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("organisation")
    with op.batch_alter_table("expert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_kind"))
        batch_op.drop_column("last_reviewed_on")
        batch_op.drop_column("kind")
    with op.batch_alter_table("peace_process", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_peace_process_pax_process_id"), type_="unique")
        batch_op.drop_column("pax_process_id")
