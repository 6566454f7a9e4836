"""mission performance: results frameworks, indicators, values with history, assessments

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "perf_framework",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("mandate", sa.String(length=300), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("template_code", sa.String(length=64), nullable=True),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"], ["mission.id"], name=op.f("fk_perf_framework_mission_id_mission"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_framework")),
        sa.UniqueConstraint("mission_id", "version", name=op.f("uq_perf_framework_mission_id")),
    )
    _index("perf_framework", "mission_id")

    op.create_table(
        "perf_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("mandate_task", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("level IN ('objective', 'outcome', 'output')", name=op.f("ck_perf_result_level")),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["perf_framework.id"],
            name=op.f("fk_perf_result_framework_id_perf_framework"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["perf_result.id"], name=op.f("fk_perf_result_parent_id_perf_result"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_result")),
        sa.UniqueConstraint("framework_id", "code", name=op.f("uq_perf_result_framework_id")),
    )
    _index("perf_result", "framework_id")

    op.create_table(
        "perf_objective_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["framework_element.id"],
            name=op.f("fk_perf_objective_tag_element_id_framework_element"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["perf_result.id"],
            name=op.f("fk_perf_objective_tag_result_id_perf_result"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_objective_tag")),
        sa.UniqueConstraint("result_id", "element_id", name=op.f("uq_perf_objective_tag_result_id")),
    )
    _index("perf_objective_tag", "element_id", "result_id")

    op.create_table(
        "perf_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("baseline_period", sa.String(length=7), nullable=True),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("disaggregations", sa.JSON(), nullable=False),
        sa.Column("data_source", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("numerator", sa.Text(), nullable=True),
        sa.Column("denominator", sa.Text(), nullable=True),
        sa.Column("factor", sa.Float(), nullable=False),
        sa.Column("derivation", sa.String(length=64), nullable=True),
        sa.Column("aggregation", sa.String(length=8), nullable=False),
        sa.Column("not_above", sa.String(length=40), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("direction IN ('higher', 'lower')", name=op.f("ck_perf_indicator_direction")),
        sa.CheckConstraint("frequency IN ('month', 'quarter', 'year')", name=op.f("ck_perf_indicator_frequency")),
        sa.CheckConstraint("kind IN ('entered', 'formula', 'derived')", name=op.f("ck_perf_indicator_kind")),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["perf_framework.id"],
            name=op.f("fk_perf_indicator_framework_id_perf_framework"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["perf_result.id"],
            name=op.f("fk_perf_indicator_objective_id_perf_result"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["result_id"], ["perf_result.id"], name=op.f("fk_perf_indicator_result_id_perf_result"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_indicator")),
        sa.UniqueConstraint("framework_id", "code", name=op.f("uq_perf_indicator_framework_id")),
    )
    _index("perf_indicator", "framework_id", "objective_id", "result_id")

    op.create_table(
        "perf_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("disaggregation", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("set_by", sa.String(length=80), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["perf_indicator.id"],
            name=op.f("fk_perf_target_indicator_id_perf_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_target")),
        sa.UniqueConstraint("indicator_id", "period", "disaggregation", name=op.f("uq_perf_target_indicator_id")),
    )
    _index("perf_target", "indicator_id")

    op.create_table(
        "perf_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("disaggregation", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("warning", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.String(length=80), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["perf_indicator.id"],
            name=op.f("fk_perf_value_indicator_id_perf_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_value")),
        sa.UniqueConstraint("indicator_id", "period", "disaggregation", name=op.f("uq_perf_value_indicator_id")),
    )
    _index("perf_value", "indicator_id", "period", "period_start")

    op.create_table(
        "perf_value_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("disaggregation", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.String(length=80), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("replaced_by", sa.String(length=80), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["perf_indicator.id"],
            name=op.f("fk_perf_value_history_indicator_id_perf_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_value_history")),
    )
    _index("perf_value_history", "indicator_id")

    op.create_table(
        "perf_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_by", sa.String(length=80), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("approved_by", sa.String(length=80), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'approved')", name=op.f("ck_perf_assessment_status")),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["perf_framework.id"],
            name=op.f("fk_perf_assessment_framework_id_perf_framework"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"], ["mission.id"], name=op.f("fk_perf_assessment_mission_id_mission"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_assessment")),
        sa.UniqueConstraint("mission_id", "period", name=op.f("uq_perf_assessment_mission_id")),
    )
    _index("perf_assessment", "framework_id", "mission_id")

    op.create_table(
        "perf_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("computed", sa.String(length=12), nullable=False),
        sa.Column("rating", sa.String(length=12), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("overridden_by", sa.String(length=80), nullable=True),
        sa.Column("overridden_at", sa.DateTime(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["perf_assessment.id"],
            name=op.f("fk_perf_rating_assessment_id_perf_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["perf_result.id"],
            name=op.f("fk_perf_rating_objective_id_perf_result"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_rating")),
        sa.UniqueConstraint("assessment_id", "objective_id", name=op.f("uq_perf_rating_assessment_id")),
    )
    _index("perf_rating", "assessment_id", "objective_id")

    op.create_table(
        "perf_assessment_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["perf_assessment.id"],
            name=op.f("fk_perf_assessment_event_assessment_id_perf_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_assessment_event")),
    )
    _index("perf_assessment_event", "assessment_id")


def downgrade() -> None:
    for table in (
        "perf_assessment_event",
        "perf_rating",
        "perf_assessment",
        "perf_value_history",
        "perf_value",
        "perf_target",
        "perf_indicator",
        "perf_objective_tag",
        "perf_result",
        "perf_framework",
    ):
        op.drop_table(table)
