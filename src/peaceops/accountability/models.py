"""Tables for accountability: allegations against personnel, and serious incidents against peacekeepers.

An allegation holds what the UN table of allegations publishes about the case and the people accused
(mission, category and country of the personnel, investigation, outcome, actions taken). Victims appear
only as counts by age group and whether a paternity claim was made: no name, no identifier, nothing
that could point to a person.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
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


# ---------------------------------------------------------------- environment, pledges, partnerships
# Environmental figures a mission reports for a period. A target "at least" is met when the figure reaches
# it (renewable share, wastewater treated); a target "at most" when the figure stays under it (water, waste).
ENVIRONMENT_METRICS: tuple[tuple[str, str, str, str], ...] = (
    ("renewable_share", "Energy from renewable sources", "share", "at_least"),
    ("water_m3", "Water used", "m³", "at_most"),
    ("wastewater_treated_share", "Wastewater treated", "share", "at_least"),
    ("solid_waste_t", "Solid waste generated", "tonnes", "at_most"),
)

PLEDGE_TYPES = ("troops", "police", "training", "equipment", "funding", "gender_parity")
PLEDGE_TYPE_LABELS = {
    "troops": "Troops",
    "police": "Police",
    "training": "Training",
    "equipment": "Equipment",
    "funding": "Funding",
    "gender_parity": "Gender parity",
}
# A pledge moves announced -> in progress -> delivered, or is withdrawn at any point.
PLEDGE_STAGES = ("announced", "in_progress", "delivered")
PLEDGE_STATUSES = (*PLEDGE_STAGES, "withdrawn")
PLEDGE_STATUS_LABELS = {
    "announced": "Announced",
    "in_progress": "In progress",
    "delivered": "Delivered",
    "withdrawn": "Withdrawn",
}

MILESTONE_STATUSES = ("planned", "in_progress", "done", "dropped")
MILESTONE_STATUS_LABELS = {"planned": "Planned", "in_progress": "In progress", "done": "Done", "dropped": "Dropped"}
OPERATION_KINDS = ("partner_led", "joint", "support_office")
OPERATION_KIND_LABELS = {
    "partner_led": "Partner-led operation",
    "joint": "Joint operation",
    "support_office": "Support office",
}
SUPPORT_KINDS = ("logistics", "financing", "planning", "training", "equipment", "medical", "other")


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


class Pledge(Base):
    """A Member State's pledge at an event, filed under the A4P / A4P+ area it advances."""

    __tablename__ = "pledge"
    __table_args__ = (UniqueConstraint("country_iso3", "event", "pledge_type", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(String(3), index=True)
    event: Mapped[str] = mapped_column(String(160))
    pledged_on: Mapped[date] = mapped_column(Date)
    area_id: Mapped[int] = mapped_column(ForeignKey("framework_element.id", ondelete="RESTRICT"), index=True)
    pledge_type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(16), default="announced")
    status_since: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    history: Mapped[list[PledgeStatusChange]] = relationship(
        back_populates="pledge", order_by="PledgeStatusChange.id", cascade="all, delete-orphan"
    )


class PledgeStatusChange(Base):
    """One step of a pledge's status, with the evidence or reason that came with it."""

    __tablename__ = "pledge_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    effective_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    pledge: Mapped[Pledge] = relationship(back_populates="history")


class CooperationFramework(Base):
    """A framework of cooperation with a partner organisation (e.g. the UN-AU Joint Framework)."""

    __tablename__ = "cooperation_framework"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    partner: Mapped[str] = mapped_column(String(120))
    signed_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    milestones: Mapped[list[CooperationMilestone]] = relationship(
        back_populates="framework",
        order_by="(CooperationMilestone.due_on, CooperationMilestone.id)",
        cascade="all, delete-orphan",
    )


class CooperationMilestone(Base):
    """A milestone of a cooperation framework: who owns it, when it is due, where it stands."""

    __tablename__ = "cooperation_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("cooperation_framework.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    completed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    framework: Mapped[CooperationFramework] = relationship(back_populates="milestones")


class PartnerOperation(Base):
    """A partner-led or joint operation, or a support office, held beside the UN missions."""

    __tablename__ = "partner_operation"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    lead: Mapped[str] = mapped_column(String(120))
    host_iso3: Mapped[str | None] = mapped_column(String(3))
    mandate: Mapped[str] = mapped_column(String(200), default="")
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    arrangements: Mapped[list[SupportArrangement]] = relationship(
        back_populates="operation", order_by="SupportArrangement.id", cascade="all, delete-orphan"
    )


class SupportArrangement(Base):
    """Support an operation receives: from whom (a UN mission, a support office, a partner), of what kind,
    on what basis (e.g. a Security Council resolution)."""

    __tablename__ = "support_arrangement"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("partner_operation.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(String(200), default="")
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    operation: Mapped[PartnerOperation] = relationship(back_populates="arrangements")
