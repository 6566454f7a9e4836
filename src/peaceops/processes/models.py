"""Tables of the peace-process registry: a process, its parties, phases, linked agreements and UCDP
conflicts, its mediators and envoys, its groups of friends, and the confidential debriefs of its staff.

Coordination warnings are not stored: they are computed from these rows whenever a process is read, so
they can never go stale (see ``coordination.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.framework.threat_tags import TagTable, ThreatTagMixin
from peaceops.i18n import N_
from peaceops.store.base import Base, utcnow

PHASES = ("prevention", "pre-negotiation", "negotiation", "implementation")
PHASE_LABELS = {
    "prevention": N_("Prevention"),
    "pre-negotiation": N_("Pre-negotiation"),
    "negotiation": N_("Negotiation"),
    "implementation": N_("Implementation"),
}
PEACEMAKING_PHASES = ("prevention", "pre-negotiation", "negotiation")
TRACKS = ("I", "II", "III")
TRACK_LABELS = {
    "I": N_("Track I (official, leaders of the parties)"),
    "II": N_("Track II (unofficial, influential non-officials)"),
    "III": N_("Track III (grassroots, communities)"),
}
MEDIATOR_KINDS = ("un", "regional", "state", "ngo")
MEDIATOR_KIND_LABELS = {"un": N_("UN"), "regional": N_("Regional organisation"), "state": N_("State"), "ngo": N_("NGO")}
CIRCLES = ("core", "supporting")


class PeaceProcess(Base):
    __tablename__ = "peace_process"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    conflict: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(120), index=True)
    region: Mapped[str | None] = mapped_column(String(120), index=True)
    tracks: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    # The PA-X peace process (``PP``) the registry entry was seeded from (``seeding.py``); None when entered.
    pax_process_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    phases: Mapped[list[ProcessPhase]] = relationship(
        order_by="(ProcessPhase.started_on, ProcessPhase.id)", cascade="all, delete-orphan", passive_deletes=True
    )
    parties: Mapped[list[ProcessParty]] = relationship(
        order_by="ProcessParty.id", cascade="all, delete-orphan", passive_deletes=True
    )
    conflicts: Mapped[list[ProcessConflict]] = relationship(
        order_by="ProcessConflict.ucdp_conflict_id", cascade="all, delete-orphan", passive_deletes=True
    )
    agreement_links: Mapped[list[ProcessAgreement]] = relationship(
        order_by="ProcessAgreement.id", cascade="all, delete-orphan", passive_deletes=True
    )
    mediators: Mapped[list[ProcessMediator]] = relationship(
        order_by="(ProcessMediator.started_on, ProcessMediator.id)", cascade="all, delete-orphan", passive_deletes=True
    )
    friends: Mapped[list[ProcessFriend]] = relationship(
        order_by="(ProcessFriend.circle, ProcessFriend.name)", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def compartment(self) -> str:
        """The compartment that holds this process's debriefs."""
        return f"process:{self.id}"


class ProcessPhase(Base):
    """One phase change: the process entered ``phase`` on ``started_on``; the latest one is the current phase."""

    __tablename__ = "process_phase"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("peace_process.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(24))
    started_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(80))


class ProcessParty(Base):
    """A conflict party (a government, a movement) with the armed groups that fight for it."""

    __tablename__ = "process_party"
    __table_args__ = (UniqueConstraint("process_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("peace_process.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    armed_groups: Mapped[list[str]] = mapped_column(JSON, default=list)


class ProcessConflict(Base):
    """A UCDP conflict (``conflict_id`` of the UCDP/PRIO Armed Conflict Dataset) the process addresses."""

    __tablename__ = "process_conflict"
    __table_args__ = (UniqueConstraint("process_id", "ucdp_conflict_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("peace_process.id", ondelete="CASCADE"), index=True)
    ucdp_conflict_id: Mapped[int] = mapped_column(Integer, index=True)


class ProcessThreatArea(ThreatTagMixin, Base):
    """Which threat areas a peace process is tagged with (decision 046)."""

    __tablename__ = "peace_process_threat_area"

    process_id: Mapped[int] = mapped_column(ForeignKey("peace_process.id", ondelete="CASCADE"), primary_key=True)


PROCESS_TAGS = TagTable(ProcessThreatArea, ProcessThreatArea.process_id)


class ProcessAgreement(Base):
    """A row of the agreements memory that belongs to this process."""

    __tablename__ = "process_agreement"
    __table_args__ = (UniqueConstraint("process_id", "agreement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("peace_process.id", ondelete="CASCADE"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)


class ProcessMediator(Base):
    """A mediator or envoy (or a member of their core team) with the mandate, dates and lead role.

    ``mandate_area`` is the conflict or region the mandate covers: two envoys of the same mandating body
    on the same area with overlapping dates is the overlap the Blue Paper asks to review.
    """

    __tablename__ = "process_mediator"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("peace_process.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200), default="")
    mandate: Mapped[str] = mapped_column(Text, default="")
    mandate_area: Mapped[str] = mapped_column(String(200), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    lead: Mapped[bool] = mapped_column(Boolean, default=False)
    core_team: Mapped[bool] = mapped_column(Boolean, default=False)

    def active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class ProcessFriend(Base):
    """A state or organisation in the process's group of friends, in the core or the supporting circle."""

    __tablename__ = "process_friend"
    __table_args__ = (UniqueConstraint("process_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("peace_process.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    circle: Mapped[str] = mapped_column(String(16))


class Debrief(Base):
    """An end-of-assignment report; always in the process's compartment (``process:<id>``)."""

    __tablename__ = "debrief"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("peace_process.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    what_worked: Mapped[str] = mapped_column(Text, default="")
    tacit_understandings: Mapped[str] = mapped_column(Text, default="")
    open_issues: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def fields(self) -> dict[str, Any]:
        return {
            "process_id": self.process_id,
            "author": self.author,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "what_worked": self.what_worked,
            "tacit_understandings": self.tacit_understandings,
            "open_issues": self.open_issues,
            "contacts": self.contacts,
        }
