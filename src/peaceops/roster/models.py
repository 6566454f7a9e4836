"""Tables of the expert roster and the mediation helpdesk: experts with their availability windows,
requests from mediators in the field, and each request's status history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.i18n import N_
from peaceops.store.base import Base, utcnow

REQUEST_STATUSES = ("open", "matched", "deployed", "closed", "cancelled")
# What a person reads for each status (pages translate them with _()).
REQUEST_STATUS_LABELS = {
    "open": N_("open"),
    "matched": N_("matched"),
    "deployed": N_("deployed"),
    "closed": N_("closed"),
    "cancelled": N_("cancelled"),
}
# Allowed moves; "cancelled" and "closed" are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("matched", "cancelled"),
    "matched": ("deployed", "open", "cancelled"),
    "deployed": ("closed",),
    "closed": (),
    "cancelled": (),
}


class Expert(Base):
    """One technical expert; ``email`` is the natural key CSV imports upsert on."""

    __tablename__ = "expert"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    clearance: Mapped[str] = mapped_column(String(32), default="none")
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"code": "fr", "level": "fluent"}]
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO3 codes and UN sub-region names
    notes: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(24), default="technical", server_default="technical", index=True)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)  # the roster entry was last checked and kept
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    windows: Mapped[list[ExpertAvailability]] = relationship(
        back_populates="expert", cascade="all, delete-orphan", order_by="ExpertAvailability.starts_on"
    )


class ExpertAvailability(Base):
    """A date range (both ends included) in which the expert can deploy."""

    __tablename__ = "expert_availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    expert: Mapped[Expert] = relationship(back_populates="windows")


class HelpRequest(Base):
    """A mediator's request for expert support; ``context`` names the process in free text."""

    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    expertise: Mapped[str] = mapped_column(String(40), index=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    region: Mapped[str] = mapped_column(String(60))
    urgency: Mapped[str] = mapped_column(String(16))
    needed_from: Mapped[date] = mapped_column(Date)
    needed_to: Mapped[date] = mapped_column(Date)
    clearance: Mapped[str] = mapped_column(String(32), default="none")
    description: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert.id", ondelete="SET NULL"), index=True)
    # The partner organisation (a regional organisation's mediation unit) whose account filed the request.
    partner: Mapped[str | None] = mapped_column(String(200), index=True)
    # The peace process the expert is deployed to, when the helpdesk links one: its end calls for a debrief.
    process_id: Mapped[int | None] = mapped_column(ForeignKey("peace_process.id", ondelete="SET NULL"), index=True)
    requested_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    matched_at: Mapped[datetime | None] = mapped_column(DateTime)
    deployed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)  # closed or cancelled

    expert: Mapped[Expert | None] = relationship()
    events: Mapped[list[HelpRequestEvent]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="HelpRequestEvent.id"
    )


class HelpRequestEvent(Base):
    """One status change of a request: who, when, from and to, and a note."""

    __tablename__ = "help_request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_request.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    expert_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[HelpRequest] = relationship(back_populates="events")
