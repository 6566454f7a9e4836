"""partnerships: environment reports, Member State pledges, cooperation frameworks, partner operations

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _stamp(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(f"{prefix}_by", sa.String(length=80), nullable=False),
        sa.Column(f"{prefix}_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "environment_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("energy_mwh", sa.Float(), nullable=True),
        sa.Column("renewable_mwh", sa.Float(), nullable=True),
        sa.Column("renewable_target", sa.Float(), nullable=True),
        sa.Column("water_m3", sa.Float(), nullable=True),
        sa.Column("water_target_m3", sa.Float(), nullable=True),
        sa.Column("wastewater_treated_share", sa.Float(), nullable=True),
        sa.Column("wastewater_target", sa.Float(), nullable=True),
        sa.Column("solid_waste_t", sa.Float(), nullable=True),
        sa.Column("solid_waste_target_t", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        *_stamp("updated"),
        _fk("environment_report", "mission_id", "mission"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_environment_report")),
        sa.UniqueConstraint("mission_id", "period_start", "period_end", name=op.f("uq_environment_report_mission_id")),
    )
    _index("environment_report", "mission_id")

    op.create_table(
        "pledge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("event", sa.String(length=160), nullable=False),
        sa.Column("pledged_on", sa.Date(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("pledge_type", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_since", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        *_stamp("created"),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("pledge", "area_id", "framework_element", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge")),
        sa.UniqueConstraint("country_iso3", "event", "pledge_type", "title", name=op.f("uq_pledge_country_iso3")),
    )
    _index("pledge", "country_iso3", "area_id")

    op.create_table(
        "pledge_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _fk("pledge_status", "pledge_id", "pledge"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_status")),
    )
    _index("pledge_status", "pledge_id")

    op.create_table(
        "cooperation_framework",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("partner", sa.String(length=120), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        *_stamp("created"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperation_framework")),
        sa.UniqueConstraint("code", name=op.f("uq_cooperation_framework_code")),
    )

    op.create_table(
        "cooperation_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamp("updated"),
        _fk("cooperation_milestone", "framework_id", "cooperation_framework"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperation_milestone")),
    )
    _index("cooperation_milestone", "framework_id", "due_on")

    op.create_table(
        "partner_operation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acronym", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("lead", sa.String(length=120), nullable=False),
        sa.Column("host_iso3", sa.String(length=3), nullable=True),
        sa.Column("mandate", sa.String(length=200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        *_stamp("created"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_operation")),
        sa.UniqueConstraint("acronym", name=op.f("uq_partner_operation_acronym")),
    )

    op.create_table(
        "support_arrangement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("basis", sa.String(length=200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        *_stamp("created"),
        _fk("support_arrangement", "operation_id", "partner_operation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_arrangement")),
    )
    _index("support_arrangement", "operation_id")


def downgrade() -> None:
    for table in (
        "support_arrangement",
        "partner_operation",
        "cooperation_milestone",
        "cooperation_framework",
        "pledge_status",
        "pledge",
        "environment_report",
    ):
        op.drop_table(table)
