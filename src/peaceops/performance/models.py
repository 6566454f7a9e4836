"""Tables of mission performance: versioned results frameworks, indicators, values with history, assessments.

A results framework belongs to one mission and has a version; a mandate renewal starts a new version and
the old one stays readable. Its tree is ``objective -> outcome -> output`` (``perf_result``), indicators
hang on any node and carry the id of the objective they roll up to, so a scorecard (mission x A4P+
priority) is one join: value -> indicator -> objective tag -> framework element.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.store.base import Base, utcnow

LEVELS = ("objective", "outcome", "output")
KINDS = ("entered", "formula", "derived")
DIRECTIONS = ("higher", "lower")
FREQUENCIES = ("month", "quarter", "year")
AGGREGATIONS = ("last", "sum", "mean", "ratio")
STATUSES = ("draft", "submitted", "approved")
RATINGS = ("on_track", "at_risk", "off_track", "no_data")


class ResultsFramework(Base):
    """One version of a mission's results framework, valid from a date until the next version starts."""

    __tablename__ = "perf_framework"
    __table_args__ = (UniqueConstraint("mission_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    mandate: Mapped[str] = mapped_column(String(300), default="")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    template_code: Mapped[str | None] = mapped_column(String(64))
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    results: Mapped[list[Result]] = relationship(
        back_populates="framework", order_by="Result.position", cascade="all, delete-orphan"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="framework", order_by="Indicator.position", cascade="all, delete-orphan"
    )


class Result(Base):
    """A node of the results chain: an objective, an outcome under it, or an output under an outcome."""

    __tablename__ = "perf_result"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        CheckConstraint("level IN ('objective', 'outcome', 'output')", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("perf_framework.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("perf_result.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    mandate_task: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)

    framework: Mapped[ResultsFramework] = relationship(back_populates="results")
    parent: Mapped[Result | None] = relationship(remote_side=[id])
    tags: Mapped[list[ObjectiveTag]] = relationship(cascade="all, delete-orphan")


class ObjectiveTag(Base):
    """An objective serves an A4P+ priority, an A4P commitment area or a cross-cutting theme."""

    __tablename__ = "perf_objective_tag"
    __table_args__ = (UniqueConstraint("result_id", "element_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("perf_result.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("framework_element.id", ondelete="CASCADE"), index=True)


class Indicator(Base):
    """What is measured, how, and how it is obtained: entered by people, a formula, or derived from data."""

    __tablename__ = "perf_indicator"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        CheckConstraint("kind IN ('entered', 'formula', 'derived')", name="kind"),
        CheckConstraint("direction IN ('higher', 'lower')", name="direction"),
        CheckConstraint("frequency IN ('month', 'quarter', 'year')", name="frequency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("perf_framework.id", ondelete="CASCADE"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("perf_result.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("perf_result.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8))
    baseline: Mapped[float | None] = mapped_column(Float)
    baseline_period: Mapped[str | None] = mapped_column(String(7))
    frequency: Mapped[str] = mapped_column(String(8))
    disaggregations: Mapped[list[str]] = mapped_column(JSON, default=list)
    data_source: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(8))
    numerator: Mapped[str | None] = mapped_column(Text)
    denominator: Mapped[str | None] = mapped_column(Text)
    factor: Mapped[float] = mapped_column(Float, default=1.0)
    derivation: Mapped[str | None] = mapped_column(String(64))
    aggregation: Mapped[str] = mapped_column(String(8), default="last")
    not_above: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)

    framework: Mapped[ResultsFramework] = relationship(back_populates="indicators")


class IndicatorTarget(Base):
    """The value an indicator should reach in a period (optionally for one disaggregation)."""

    __tablename__ = "perf_target"
    __table_args__ = (UniqueConstraint("indicator_id", "period", "disaggregation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("perf_indicator.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    disaggregation: Mapped[str] = mapped_column(String(80), default="")
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300), default="")
    # How a default target was computed, in one line ("the mission's own rate over 2011-2013 ..."); the
    # scorecard's "why" quotes it. Empty for targets people set.
    rule: Mapped[str] = mapped_column(Text, default="", server_default="")
    set_by: Mapped[str] = mapped_column(String(80))
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class IndicatorValue(Base):
    """The current value of an indicator for one period and disaggregation ('' is the total)."""

    __tablename__ = "perf_value"
    __table_args__ = (UniqueConstraint("indicator_id", "period", "disaggregation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("perf_indicator.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    period_start: Mapped[date] = mapped_column(Date, index=True)
    period_end: Mapped[date] = mapped_column(Date)
    disaggregation: Mapped[str] = mapped_column(String(80), default="")
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    warning: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(80))
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=1)


class IndicatorValueHistory(Base):
    """A value that was replaced or cleared: who had entered it, when, from what source, and who replaced it."""

    __tablename__ = "perf_value_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("perf_indicator.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    disaggregation: Mapped[str] = mapped_column(String(80), default="")
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(80))
    entered_at: Mapped[datetime] = mapped_column(DateTime)
    revision: Mapped[int] = mapped_column(Integer)
    replaced_by: Mapped[str] = mapped_column(String(80))
    replaced_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Assessment(Base):
    """A mission's performance assessment for one period: ratings per objective, a narrative, a workflow."""

    __tablename__ = "perf_assessment"
    __table_args__ = (
        UniqueConstraint("mission_id", "period"),
        CheckConstraint("status IN ('draft', 'submitted', 'approved')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("perf_framework.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    narrative: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_by: Mapped[str | None] = mapped_column(String(80))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_by: Mapped[str | None] = mapped_column(String(80))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)

    ratings: Mapped[list[ObjectiveRating]] = relationship(cascade="all, delete-orphan")
    events: Mapped[list[AssessmentEvent]] = relationship(order_by="AssessmentEvent.id", cascade="all, delete-orphan")


class ObjectiveRating(Base):
    """One objective's rating in an assessment: the computed one, and an override with its written reason."""

    __tablename__ = "perf_rating"
    __table_args__ = (UniqueConstraint("assessment_id", "objective_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("perf_assessment.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("perf_result.id", ondelete="CASCADE"), index=True)
    computed: Mapped[str] = mapped_column(String(12))
    rating: Mapped[str] = mapped_column(String(12))
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_by: Mapped[str | None] = mapped_column(String(80))
    overridden_at: Mapped[datetime | None] = mapped_column(DateTime)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class AssessmentEvent(Base):
    """One step of the approval trail: created, submitted, returned, approved, reopened, overridden."""

    __tablename__ = "perf_assessment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("perf_assessment.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
