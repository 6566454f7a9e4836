"""Serious incidents against peacekeepers and the accountability of their perpetrators."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.i18n import N_
from peaceops.store.base import Base, utcnow

# Accountability for crimes against peacekeepers, in the order a case moves forward.
INCIDENT_STAGES = ("reported", "case_opened", "suspects_identified", "arrested", "tried", "convicted")


INCIDENT_STATUSES = (*INCIDENT_STAGES, "closed")


STATUS_LABELS = {
    "reported": N_("Reported, no case opened"),
    "case_opened": N_("Case opened"),
    "suspects_identified": N_("Suspects identified"),
    "arrested": N_("Suspects arrested"),
    "tried": N_("Tried"),
    "convicted": N_("Convicted"),
    "closed": N_("Closed without conviction"),
}


INCIDENT_TYPES = (  # stored in English, translated where shown
    N_("Direct attack"),
    N_("Ambush"),
    N_("Improvised explosive device or mine"),
    N_("Indirect fire"),
    N_("Abduction"),
    N_("Attack on a camp or base"),
    N_("Other"),
)


class SafetyIncident(Base):
    """A serious incident against peacekeepers and how far accountability for its perpetrators has come."""

    __tablename__ = "safety_incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    location: Mapped[str] = mapped_column(String(200))
    incident_type: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    fatalities: Mapped[int] = mapped_column(Integer, default=0)
    injured: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(24), default="reported")
    # The furthest stage ever reached; a closed case keeps the stage it had reached when it was closed.
    furthest_stage: Mapped[str] = mapped_column(String(24), default="reported")
    status_since: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    history: Mapped[list[IncidentStatusChange]] = relationship(
        back_populates="incident", order_by="IncidentStatusChange.id", cascade="all, delete-orphan"
    )


class IncidentStatusChange(Base):
    """One step of an incident's accountability status: from what, to what, effective when, recorded by whom."""

    __tablename__ = "safety_incident_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("safety_incident.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    effective_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    incident: Mapped[SafetyIncident] = relationship(back_populates="history")
