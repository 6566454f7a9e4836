"""incidents: a mission's incident reports, taxonomy, actors, versions, workflow history, gazetteer

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASUALTIES = [f"{g}_{h}" for g in ("civilians", "peacekeepers", "armed") for h in ("killed", "injured", "abducted")]


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "incident_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("required_fields", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _fk("incident_category", "mission_id", "mission"),
        _fk("incident_category", "parent_id", "incident_category"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_category")),
        sa.UniqueConstraint("mission_id", "code", name=op.f("uq_incident_category_mission_id")),
    )
    _index("incident_category", "mission_id")

    op.create_table(
        "incident_actor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        _fk("incident_actor", "mission_id", "mission"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_actor")),
        sa.UniqueConstraint("mission_id", "name", name=op.f("uq_incident_actor_mission_id")),
    )
    _index("incident_actor", "mission_id")

    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("external_ref", sa.String(length=80), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("precision", sa.String(length=8), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("cell", sa.Integer(), nullable=False),
        sa.Column("place_name", sa.String(length=200), nullable=True),
        sa.Column("admin1", sa.String(length=120), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("subcategory_id", sa.Integer(), nullable=True),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in CASUALTIES],
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source_type", sa.String(length=40), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=False),
        sa.Column("credibility", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("compartment", sa.String(length=80), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reported_by", sa.String(length=80), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.Column("verified_by", sa.String(length=80), nullable=True),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("incident", "mission_id", "mission"),
        _fk("incident", "category_id", "incident_category", "RESTRICT"),
        _fk("incident", "subcategory_id", "incident_category", "SET NULL"),
        _fk("incident", "merged_into_id", "incident", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint("mission_id", "external_ref", name=op.f("uq_incident_mission_id")),
    )
    _index("incident", "mission_id", "category_id", "merged_into_id")
    # The map query: one mission's incidents by status and time, and a bounding box on coordinates.
    op.create_index("ix_incident_map", "incident", ["mission_id", "status", "occurred_at"], unique=False)
    op.create_index("ix_incident_lat_lon", "incident", ["latitude", "longitude"], unique=False)
    # A box is turned into the 0.5-degree PRIO-GRID cells it covers: a few index ranges instead of a scan.
    op.create_index("ix_incident_cell", "incident", ["mission_id", "cell", "occurred_at"], unique=False)

    op.create_table(
        "incident_actor_link",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        _fk("incident_actor_link", "incident_id", "incident"),
        _fk("incident_actor_link", "actor_id", "incident_actor"),
        sa.PrimaryKeyConstraint("incident_id", "actor_id", name=op.f("pk_incident_actor_link")),
    )

    op.create_table(
        "incident_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(length=80), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        _fk("incident_version", "incident_id", "incident"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_version")),
        sa.UniqueConstraint("incident_id", "version", name=op.f("uq_incident_version_incident_id")),
    )
    _index("incident_version", "incident_id")

    op.create_table(
        "incident_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _fk("incident_event", "incident_id", "incident"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_event")),
    )
    _index("incident_event", "incident_id")

    op.create_table(
        "gazetteer_place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("admin1", sa.String(length=120), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gazetteer_place")),
        sa.UniqueConstraint("country_iso3", "kind", "name", "admin1", name=op.f("uq_gazetteer_place_country_iso3")),
    )
    _index("gazetteer_place", "country_iso3")


def downgrade() -> None:
    for table in (
        "gazetteer_place",
        "incident_event",
        "incident_version",
        "incident_actor_link",
        "incident",
        "incident_actor",
        "incident_category",
    ):
        op.drop_table(table)
