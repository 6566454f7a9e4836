"""accountability: allegations of sexual exploitation and abuse, serious incidents against peacekeepers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "conduct_allegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("allegation_key", sa.String(length=40), nullable=False),
        sa.Column("mission_acronym", sa.String(length=32), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=True),
        sa.Column("reported_month", sa.Date(), nullable=False),
        sa.Column("incident_period", sa.String(length=80), nullable=True),
        sa.Column("incident_from", sa.Date(), nullable=True),
        sa.Column("incident_to", sa.Date(), nullable=True),
        sa.Column("personnel_category", sa.String(length=16), nullable=False),
        sa.Column("personnel", sa.JSON(), nullable=False),
        sa.Column("personnel_involved", sa.Integer(), nullable=True),
        sa.Column("nationality", sa.String(length=200), nullable=True),
        sa.Column("nationalities", sa.JSON(), nullable=False),
        sa.Column("victim_groups", sa.JSON(), nullable=False),
        sa.Column("child_victims", sa.Boolean(), nullable=False),
        sa.Column("allegation_category", sa.String(length=40), nullable=False),
        sa.Column("allegation_types", sa.JSON(), nullable=False),
        sa.Column("paternity_claim", sa.Boolean(), nullable=False),
        sa.Column("paternity_established", sa.String(length=12), nullable=False),
        sa.Column("nio_appointed", sa.String(length=24), nullable=False),
        sa.Column("investigation_entity", sa.String(length=60), nullable=False),
        sa.Column("investigation_status", sa.String(length=16), nullable=False),
        sa.Column("investigation_days", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("interim_actions", sa.JSON(), nullable=False),
        sa.Column("final_actions", sa.JSON(), nullable=False),
        sa.Column("criminal_referral", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"], ["mission.id"], name=op.f("fk_conduct_allegation_mission_id_mission"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conduct_allegation")),
        sa.UniqueConstraint("allegation_key", name=op.f("uq_conduct_allegation_allegation_key")),
    )
    _index("conduct_allegation", "mission_acronym", "mission_id", "reported_month", "personnel_category", "outcome")

    op.create_table(
        "safety_incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("incident_type", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("fatalities", sa.Integer(), nullable=False),
        sa.Column("injured", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("furthest_stage", sa.String(length=24), nullable=False),
        sa.Column("status_since", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"], ["mission.id"], name=op.f("fk_safety_incident_mission_id_mission"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_incident")),
    )
    _index("safety_incident", "mission_id", "occurred_on")

    op.create_table(
        "safety_incident_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["safety_incident.id"],
            name=op.f("fk_safety_incident_status_incident_id_safety_incident"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_incident_status")),
    )
    _index("safety_incident_status", "incident_id")


def downgrade() -> None:
    op.drop_table("safety_incident_status")
    op.drop_table("safety_incident")
    op.drop_table("conduct_allegation")
