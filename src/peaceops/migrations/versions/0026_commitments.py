"""implementation tracking: commitment, commitment_status, commitment_link; POL_PROVISIONS_DONE derived

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DERIVATION = "commitments_implemented_share"


def upgrade() -> None:
    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=80), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("due", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_commitment_agreement_id_agreement"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["process_id"], ["peace_process.id"], name=op.f("fk_commitment_process_id_peace_process"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
        sa.UniqueConstraint("agreement_id", "ref", name=op.f("uq_commitment_agreement_id")),
    )  # fmt: skip
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitment_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitment_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitment_process_id"), ["process_id"], unique=False)
    op.create_table(
        "commitment_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"], ["commitment.id"], name=op.f("fk_commitment_status_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_status")),
        sa.UniqueConstraint("commitment_id", "changed_on", "status", name=op.f("uq_commitment_status_commitment_id")),
    )  # fmt: skip
    with op.batch_alter_table("commitment_status", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_status_commitment_id"), ["commitment_id"], unique=False)
    op.create_table(
        "commitment_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"], ["commitment.id"], name=op.f("fk_commitment_link_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_link")),
        sa.UniqueConstraint("commitment_id", "kind", "target_id", name=op.f("uq_commitment_link_commitment_id")),
    )  # fmt: skip
    with op.batch_alter_table("commitment_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_link_commitment_id"), ["commitment_id"], unique=False)
    # Existing frameworks: the share of provisions implemented is now derived from the commitments.
    op.execute(
        sa.text(
            "UPDATE perf_indicator SET kind = 'derived', derivation = :derivation, aggregation = 'ratio', "
            "factor = 100.0 WHERE code = 'POL_PROVISIONS_DONE' AND kind = 'entered'"
        ).bindparams(derivation=DERIVATION)
    )


def downgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE perf_indicator SET kind = 'entered', derivation = NULL, aggregation = 'last', factor = 1.0 "
            "WHERE code = 'POL_PROVISIONS_DONE' AND derivation = :derivation"
        ).bindparams(derivation=DERIVATION)
    )
    op.drop_table("commitment_link")
    op.drop_table("commitment_status")
    op.drop_table("commitment")
