"""Tables for accountability: allegations against personnel, and serious incidents against peacekeepers.

An allegation holds what the UN table of allegations publishes about the case and the people accused
(mission, category and country of the personnel, investigation, outcome, actions taken). Victims appear
only as counts by age group and whether a paternity claim was made: no name, no identifier, nothing
that could point to a person.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.store.base import Base, utcnow

# Accountability for crimes against peacekeepers, in the order a case moves forward.
INCIDENT_STAGES = ("reported", "case_opened", "suspects_identified", "arrested", "tried", "convicted")
INCIDENT_STATUSES = (*INCIDENT_STAGES, "closed")
STATUS_LABELS = {
    "reported": "Reported, no case opened",
    "case_opened": "Case opened",
    "suspects_identified": "Suspects identified",
    "arrested": "Suspects arrested",
    "tried": "Tried",
    "convicted": "Convicted",
    "closed": "Closed without conviction",
}
INCIDENT_TYPES = (
    "Direct attack",
    "Ambush",
    "Improvised explosive device or mine",
    "Indirect fire",
    "Abduction",
    "Attack on a camp or base",
    "Other",
)


class Allegation(Base):
    """One allegation of sexual exploitation or abuse as the UN table of allegations reports it."""

    __tablename__ = "conduct_allegation"

    id: Mapped[int] = mapped_column(primary_key=True)
    allegation_key: Mapped[str] = mapped_column(String(40), unique=True)
    mission_acronym: Mapped[str] = mapped_column(String(32), index=True)
    # Null for missions outside the peacekeeping register (special political missions, support offices).
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id", ondelete="SET NULL"), index=True)
    reported_month: Mapped[date] = mapped_column(Date, index=True)
    incident_period: Mapped[str | None] = mapped_column(String(80))
    incident_from: Mapped[date | None] = mapped_column(Date)
    incident_to: Mapped[date | None] = mapped_column(Date)
    personnel_category: Mapped[str] = mapped_column(String(16), index=True)
    personnel: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    personnel_involved: Mapped[int | None] = mapped_column(Integer)
    nationality: Mapped[str | None] = mapped_column(String(200))
    nationalities: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    victim_groups: Mapped[dict[str, Any]] = mapped_column(JSON)
    child_victims: Mapped[bool] = mapped_column(Boolean)
    allegation_category: Mapped[str] = mapped_column(String(40))
    allegation_types: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    paternity_claim: Mapped[bool] = mapped_column(Boolean)
    paternity_established: Mapped[str] = mapped_column(String(12))
    nio_appointed: Mapped[str] = mapped_column(String(24))
    investigation_entity: Mapped[str] = mapped_column(String(60))
    investigation_status: Mapped[str] = mapped_column(String(16))
    investigation_days: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    interim_actions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    final_actions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    criminal_referral: Mapped[str] = mapped_column(String(12))


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
