"""peace processes: parties, phases, linked agreements and UCDP conflicts, mediators, friends, debriefs

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 10:15:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHILDREN = ("process_phase", "process_party", "process_conflict", "process_agreement", "process_mediator")


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _child(table: str, *columns: Any, unique: tuple[str, ...] = ()) -> None:
    """A table that belongs to one process (deleted with it)."""
    extra: list[Any] = []
    if unique:
        extra.append(sa.UniqueConstraint(*unique, name=op.f(f"uq_{table}_{unique[0]}")))
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        *columns,
        _fk(table, "process_id", "peace_process"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        *extra,
    )


def upgrade() -> None:
    op.create_table(
        "peace_process",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("conflict", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=120), nullable=True),
        sa.Column("region", sa.String(length=120), nullable=True),
        sa.Column("tracks", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peace_process")),
        sa.UniqueConstraint("name", name=op.f("uq_peace_process_name")),
    )
    _index("peace_process", "country", "region")

    _child(
        "process_phase",
        sa.Column("phase", sa.String(length=24), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
    )
    _child(
        "process_party",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("armed_groups", sa.JSON(), nullable=False),
        unique=("process_id", "name"),
    )
    _child(
        "process_conflict",
        sa.Column("ucdp_conflict_id", sa.Integer(), nullable=False),
        unique=("process_id", "ucdp_conflict_id"),
    )
    _child(
        "process_agreement",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        _fk("process_agreement", "agreement_id", "agreement"),
        unique=("process_id", "agreement_id"),
    )
    _child(
        "process_mediator",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("mandate", sa.Text(), nullable=False),
        sa.Column("mandate_area", sa.String(length=200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("lead", sa.Boolean(), nullable=False),
        sa.Column("core_team", sa.Boolean(), nullable=False),
    )
    _child(
        "process_friend",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("circle", sa.String(length=16), nullable=False),
        unique=("process_id", "name"),
    )
    _child(
        "debrief",
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("what_worked", sa.Text(), nullable=False),
        sa.Column("tacit_understandings", sa.Text(), nullable=False),
        sa.Column("open_issues", sa.Text(), nullable=False),
        sa.Column("contacts", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    for table in (*CHILDREN, "process_friend", "debrief"):
        _index(table, "process_id")
    _index("process_conflict", "ucdp_conflict_id")
    _index("process_agreement", "agreement_id")
    _index("process_mediator", "mandate_area")


def downgrade() -> None:
    for table in ("debrief", "process_friend", *reversed(CHILDREN)):
        op.drop_table(table)
    op.drop_table("peace_process")
