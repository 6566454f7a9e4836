"""agreements memory: agreements, their countries, category codes and provisions, and the keyword index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 07:30:00

The keyword index depends on the database: FTS5 virtual tables on SQLite, a tsvector table with a GIN
index on PostgreSQL. Both are filled by the importers (peaceops.agreements.fulltext.rebuild_index).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS5_TOKENIZE = "porter unicode61 remove_diacritics 2"


def _child(name: str, *columns: sa.Column, unique: tuple[str, ...]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f(f"fk_{name}_agreement_id_agreement"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint(*unique, name=op.f(f"uq_{name}_agreement_id")),
    )
    op.create_index(op.f(f"ix_{name}_agreement_id"), name, ["agreement_id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "agreement_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("family", sa.String(length=80), nullable=False),
        sa.Column("scale", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_category")),
        sa.UniqueConstraint("code", name=op.f("uq_agreement_category_code")),
    )
    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pax_id", sa.Integer(), nullable=True),
        sa.Column("ucdp_paid", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("release", sa.String(length=16), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("region", sa.String(length=64), nullable=True),
        sa.Column("conflict", sa.Text(), nullable=True),
        sa.Column("conflict_type", sa.Text(), nullable=True),
        sa.Column("process_id", sa.Integer(), nullable=True),
        sa.Column("ucdp_conflict", sa.Text(), nullable=True),
        sa.Column("agreement_type", sa.String(length=32), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=True),
        sa.Column("stage_sub", sa.String(length=32), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("parties", sa.Text(), nullable=True),
        sa.Column("third_parties", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("ucdp_type", sa.String(length=16), nullable=True),
        sa.Column("ucdp_comment", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
        sa.UniqueConstraint("pax_id", name=op.f("uq_agreement_pax_id")),
    )
    op.create_index(op.f("ix_agreement_ucdp_paid"), "agreement", ["ucdp_paid"], unique=False)
    op.create_index(op.f("ix_agreement_signed_on"), "agreement", ["signed_on"], unique=False)
    op.create_index(op.f("ix_agreement_region"), "agreement", ["region"], unique=False)
    op.create_index(op.f("ix_agreement_stage"), "agreement", ["stage"], unique=False)

    _child(
        "agreement_country",
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=True),
        unique=("agreement_id", "iso3"),
    )
    op.create_index(op.f("ix_agreement_country_iso3"), "agreement_country", ["iso3"], unique=False)
    _child(
        "agreement_code",
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        unique=("agreement_id", "source", "code"),
    )
    op.create_index(op.f("ix_agreement_code_code"), "agreement_code", ["code"], unique=False)
    _child(
        "provision",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        unique=("agreement_id", "number"),
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE agreement_document ("
            "agreement_id integer NOT NULL, document tsvector NOT NULL, "
            "CONSTRAINT pk_agreement_document PRIMARY KEY (agreement_id), "
            "CONSTRAINT fk_agreement_document_agreement_id_agreement FOREIGN KEY (agreement_id) "
            "REFERENCES agreement (id) ON DELETE CASCADE)"
        )
        op.execute("CREATE INDEX ix_agreement_document_document ON agreement_document USING gin (document)")
    else:
        op.execute(
            f"CREATE VIRTUAL TABLE agreement_fts USING fts5(title, summary, provisions, tokenize='{FTS5_TOKENIZE}')"
        )
        op.execute(
            f"CREATE VIRTUAL TABLE provision_fts USING fts5(text, agreement_id UNINDEXED, tokenize='{FTS5_TOKENIZE}')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE agreement_document")
    else:
        op.execute("DROP TABLE provision_fts")
        op.execute("DROP TABLE agreement_fts")
    op.drop_table("provision")
    op.drop_table("agreement_code")
    op.drop_table("agreement_country")
    op.drop_table("agreement")
    op.drop_table("agreement_category")
