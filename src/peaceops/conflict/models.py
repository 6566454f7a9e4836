"""Tables for what monitoring produces: event coverage, stored forecast runs and their values, and alerts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.framework.threat_tags import TagTable, ThreatTagMixin
from peaceops.store.base import Base, utcnow

ALERT_KINDS = ("early_entry", "escalation", "spillover")


ALERT_STATUSES = ("new", "acknowledged", "closed")


class ForecastRun(Base):
    """One training and forecast: reused whenever the same model sees the same data at the same cut-off."""

    __tablename__ = "forecast_run"
    __table_args__ = (UniqueConstraint("level", "cutoff", "horizon", "model_version", "data_version", "config_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(8))
    cutoff: Mapped[date] = mapped_column(Date)
    horizon: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str] = mapped_column(String(40))
    data_version: Mapped[str] = mapped_column(String(64))  # SHA-256 of the event store's files
    config_hash: Mapped[str] = mapped_column(String(64))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    units: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    scored_through: Mapped[date | None] = mapped_column(Date, default=None)  # the last forecast month observed
    scored_version: Mapped[str | None] = mapped_column(String(64), default=None)  # event store it was scored on

    values: Mapped[list[ForecastValue]] = relationship(back_populates="run", cascade="all, delete-orphan")


class ForecastValue(Base):
    """One unit, one month ahead: the quantiles, the mean and P(25 or more deaths).

    ``origin`` is the month the forecast starts from: the run's cut-off, or the month before it scored by
    the same models (what "rising" compares against).
    """

    __tablename__ = "forecast_value"

    run_id: Mapped[int] = mapped_column(ForeignKey("forecast_run.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[date] = mapped_column(Date, primary_key=True)
    step: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    country_gw: Mapped[int | None] = mapped_column(Integer, index=True)
    q05: Mapped[float] = mapped_column(Float)
    q10: Mapped[float] = mapped_column(Float)
    q25: Mapped[float] = mapped_column(Float)
    q50: Mapped[float] = mapped_column(Float)
    q75: Mapped[float] = mapped_column(Float)
    q90: Mapped[float] = mapped_column(Float)
    q95: Mapped[float] = mapped_column(Float)
    mean: Mapped[float] = mapped_column(Float)
    p25: Mapped[float] = mapped_column(Float)

    run: Mapped[ForecastRun] = relationship(back_populates="values")


class ForecastScore(Base):
    """How a stored run did once the months it forecast were observed: per model (peaceops, or a benchmark
    from the same cut-off on the same units), step and country, the mean scores and how many unit-months.

    ``country_gw`` 0 holds the units no country is known for. Means weighted by ``n`` combine rows.
    """

    __tablename__ = "forecast_score"

    run_id: Mapped[int] = mapped_column(ForeignKey("forecast_run.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(16), primary_key=True)
    step: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_gw: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    crps: Mapped[float] = mapped_column(Float)
    coverage_90: Mapped[float] = mapped_column(Float)
    brier_25: Mapped[float] = mapped_column(Float)


class AlertOutcome(Base):
    """One unit an alert rule applies to on one stored run, judged once the three months after the cut-off
    are observed: the rule's risk, whether every condition but the threshold held (``eligible``: rising, and
    for escalation more deaths expected), and whether a month of 25+ deaths came (``lead_months`` after the
    cut-off, the first). With the threshold left out, any threshold can be scored on the same rows: the
    rule as it is set now (``alerts.RULES``) and the thresholds it could have (``track_record.alert_record``).
    """

    __tablename__ = "alert_outcome"

    run_id: Mapped[int] = mapped_column(ForeignKey("forecast_run.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    eligible: Mapped[bool] = mapped_column(Boolean)
    risk: Mapped[float] = mapped_column(Float)
    happened: Mapped[bool] = mapped_column(Boolean)
    lead_months: Mapped[int | None] = mapped_column(Integer, default=None)


class ConflictAlert(Base):
    """An early-warning signal on one unit; one open alert per kind and unit, refreshed by later runs."""

    __tablename__ = "conflict_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(8))
    unit_id: Mapped[int] = mapped_column(Integer)
    country_gw: Mapped[int | None] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(ForeignKey("forecast_run.id", ondelete="CASCADE"), index=True)
    cutoff: Mapped[date] = mapped_column(Date)
    risk: Mapped[float] = mapped_column(Float)
    risk_before: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="new")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80), default="")


class ConflictAlertThreatArea(ThreatTagMixin, Base):
    """Which threat areas an alert is tagged with (decision 046); a refreshed alert keeps its tags."""

    __tablename__ = "conflict_alert_threat_area"

    alert_id: Mapped[int] = mapped_column(ForeignKey("conflict_alert.id", ondelete="CASCADE"), primary_key=True)


ALERT_TAGS = TagTable(ConflictAlertThreatArea, ConflictAlertThreatArea.alert_id)


class AlertAction(Base):
    """What was done about an alert: an instrument, who acted, when, which mission, process or envoy, and a note.

    An action in a compartment (a démarche that must not be known, say) is shown only to the compartment's
    holders, by every path; the audit log keeps its id and compartment, never its content.
    """

    __tablename__ = "alert_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("conflict_alert.id", ondelete="CASCADE"), index=True)
    instrument: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(200))
    taken_on: Mapped[date] = mapped_column(Date)
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id"), default=None)
    process_id: Mapped[int | None] = mapped_column(ForeignKey("peace_process.id"), default=None)
    envoy_id: Mapped[int | None] = mapped_column(ForeignKey("process_mediator.id"), default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    compartment: Mapped[str | None] = mapped_column(String(80), default=None, index=True)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
