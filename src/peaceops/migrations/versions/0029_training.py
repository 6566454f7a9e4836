"""training: partners, courses, sessions, records per unit or person, and each mission's pre-deployment
requirements (decision 041)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_partner")),
        sa.UniqueConstraint("name", name=op.f("uq_training_partner_name")),
    )
    op.create_table(
        "training_course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("capability", sa.String(length=40), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["training_partner.id"], name=op.f("fk_training_course_partner_id_training_partner"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_course")),
        sa.UniqueConstraint("code", name=op.f("uq_training_course_code")),
    )  # fmt: skip
    op.create_index(op.f("ix_training_course_capability"), "training_course", ["capability"])
    op.create_table(
        "training_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"], ["training_course.id"], name=op.f("fk_training_session_course_id_training_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["training_partner.id"],
            name=op.f("fk_training_session_provider_id_training_partner"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_session")),
        sa.UniqueConstraint("course_id", "starts", "place", name=op.f("uq_training_session_course_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_training_session_course_id"), "training_session", ["course_id"])
    op.create_table(
        "training_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("unit", sa.String(length=120), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=True),
        sa.Column("completed", sa.Date(), nullable=False),
        sa.Column("trained", sa.Integer(), nullable=False),
        sa.Column("strength", sa.Integer(), nullable=True),
        sa.Column("certificate_expires", sa.Date(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"], ["training_course.id"], name=op.f("fk_training_record_course_id_training_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"], ["mission.id"], name=op.f("fk_training_record_mission_id_mission"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_training_record_expert_id_expert"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["training_session.id"], name=op.f("fk_training_record_session_id_training_session"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_record")),
        sa.UniqueConstraint(
            "course_id", "mission_id", "country_iso3", "unit", "person", "completed",
            name=op.f("uq_training_record_course_id"),
        ),
    )  # fmt: skip
    op.create_index(op.f("ix_training_record_course_id"), "training_record", ["course_id"])
    op.create_index(op.f("ix_training_record_mission_id"), "training_record", ["mission_id"])
    op.create_index(op.f("ix_training_record_completed"), "training_record", ["completed"])
    op.create_table(
        "training_requirement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("capability", sa.String(length=40), nullable=False),
        sa.Column("required_percent", sa.Float(), nullable=False),
        sa.Column("indicators", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"], ["mission.id"], name=op.f("fk_training_requirement_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_requirement")),
        sa.UniqueConstraint("mission_id", "capability", name=op.f("uq_training_requirement_mission_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_training_requirement_mission_id"), "training_requirement", ["mission_id"])


def downgrade() -> None:
    op.drop_table("training_requirement")
    op.drop_table("training_record")
    op.drop_table("training_session")
    op.drop_table("training_course")
    op.drop_table("training_partner")
