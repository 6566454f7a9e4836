"""Missions' environmental figures per period, with the targets that apply to it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.i18n import N_
from peaceops.store.base import Base, utcnow

# ---------------------------------------------------------------- environment, pledges, partnerships
# Environmental figures a mission reports for a period. A target "at least" is met when the figure reaches
# it (renewable share, wastewater treated); a target "at most" when the figure stays under it (water, waste).
ENVIRONMENT_METRICS: tuple[tuple[str, str, str, str], ...] = (
    ("renewable_share", N_("Energy from renewable sources"), "share", "at_least"),
    ("water_m3", N_("Water used"), "m³", "at_most"),
    ("wastewater_treated_share", N_("Wastewater treated"), "share", "at_least"),
    ("solid_waste_t", N_("Solid waste generated"), N_("tonnes"), "at_most"),
)


class EnvironmentReport(Base):
    """One mission's environmental figures for one period, with the targets that apply to that period."""

    __tablename__ = "environment_report"
    __table_args__ = (UniqueConstraint("mission_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    energy_mwh: Mapped[float | None] = mapped_column(Float)
    renewable_mwh: Mapped[float | None] = mapped_column(Float)
    renewable_target: Mapped[float | None] = mapped_column(Float)
    water_m3: Mapped[float | None] = mapped_column(Float)
    water_target_m3: Mapped[float | None] = mapped_column(Float)
    wastewater_treated_share: Mapped[float | None] = mapped_column(Float)
    wastewater_target: Mapped[float | None] = mapped_column(Float)
    solid_waste_t: Mapped[float | None] = mapped_column(Float)
    solid_waste_target_t: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200), default="")
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
