"""Member State pledges, cooperation frameworks with partner organisations, partner-led and joint operations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.i18n import N_
from peaceops.store.base import Base, utcnow

PLEDGE_TYPES = ("troops", "police", "training", "equipment", "funding", "gender_parity")


PLEDGE_TYPE_LABELS = {
    "troops": N_("Troops"),
    "police": N_("Police"),
    "training": N_("Training"),
    "equipment": N_("Equipment"),
    "funding": N_("Funding"),
    "gender_parity": N_("Gender parity"),
}


# A pledge moves announced -> in progress -> delivered, or is withdrawn at any point.
PLEDGE_STAGES = ("announced", "in_progress", "delivered")


PLEDGE_STATUSES = (*PLEDGE_STAGES, "withdrawn")


PLEDGE_STATUS_LABELS = {
    "announced": N_("Announced"),
    "in_progress": N_("In progress"),
    "delivered": N_("Delivered"),
    "withdrawn": N_("Withdrawn"),
}


MILESTONE_STATUSES = ("planned", "in_progress", "done", "dropped")


MILESTONE_STATUS_LABELS = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}


OPERATION_KINDS = ("partner_led", "joint", "support_office")


OPERATION_KIND_LABELS = {
    "partner_led": N_("Partner-led operation"),
    "joint": N_("Joint operation"),
    "support_office": N_("Support office"),
}


SUPPORT_KINDS = ("logistics", "financing", "planning", "training", "equipment", "medical", "other")
# The support kinds as pages show them (the stored value, translated).
SUPPORT_KIND_NAMES = (
    N_("logistics"),
    N_("financing"),
    N_("planning"),
    N_("training"),
    N_("equipment"),
    N_("medical"),
    N_("other"),
)


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
