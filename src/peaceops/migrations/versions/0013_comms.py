"""comms: text items, author hashes, lexicon terms, narratives, reviews and response tasks

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 10:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
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


def upgrade() -> None:
    op.create_table(
        "comms_author",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_hash", sa.String(length=64), nullable=False),
        sa.Column("handle", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comms_author")),
        sa.UniqueConstraint("author_hash", name=op.f("uq_comms_author_author_hash")),
    )

    op.create_table(
        "comms_narrative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("harmful_share", sa.Float(), nullable=False),
        sa.Column("method", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comms_narrative")),
        sa.UniqueConstraint("key", name=op.f("uq_comms_narrative_key")),
    )

    op.create_table(
        "comms_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("language_method", sa.String(length=16), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("author_hash", sa.String(length=64), nullable=True),
        sa.Column("posted_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("text_key", sa.String(length=40), nullable=False),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("gold_label", sa.String(length=24), nullable=False),
        sa.Column("label", sa.String(length=24), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("probabilities", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(length=80), nullable=False),
        sa.Column("lexicon_hits", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("narrative_id", sa.Integer(), nullable=True),
        sa.Column("imported_by", sa.String(length=80), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        _fk("comms_item", "narrative_id", "comms_narrative", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comms_item")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_comms_item_source")),
    )
    _index("comms_item", "source", "language", "posted_at", "text_key", "duplicate_of", "status", "narrative_id")

    op.create_table(
        "comms_lexicon_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("term", sa.String(length=200), nullable=False),
        sa.Column("term_norm", sa.String(length=200), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("meaning", sa.Text(), nullable=False),
        sa.Column("why_harmful", sa.Text(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comms_lexicon_term")),
        sa.UniqueConstraint("country_iso3", "language", "term_norm", name=op.f("uq_comms_lexicon_term_country_iso3")),
    )

    op.create_table(
        "comms_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        _fk("comms_review", "item_id", "comms_item"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comms_review")),
    )
    _index("comms_review", "item_id")

    op.create_table(
        "comms_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("narrative_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=80), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("comms_task", "item_id", "comms_item"),
        _fk("comms_task", "narrative_id", "comms_narrative", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comms_task")),
    )
    _index("comms_task", "item_id", "narrative_id")


def downgrade() -> None:
    for table in ("comms_task", "comms_review", "comms_lexicon_term", "comms_item", "comms_narrative", "comms_author"):
        op.drop_table(table)
