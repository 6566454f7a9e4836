"""Support to partner-led operations (decision 044): the services the UN provides to an operation held in
``partnerships`` (``partner_operation``), the agreed level and the delivered quantity of each per period,
the partner's requests, the sources that finance the operation and the compliance and oversight milestones
of resolution 2719 (2023).

The operation itself is not copied here: every table points at ``partner_operation`` by id (the table is
the partnerships domain's; this package reads it through ``partnerships.cooperation``).

Natural keys (the importers upsert on them, so a file imported twice changes nothing): a service by
operation and service; a delivery by service and period; a request by operation and the partner's
reference; a financing line by operation, source, funder and period; a milestone by operation and title.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.store.base import Base

OPERATION_FK = "partner_operation.id"


class SupportService(Base):
    """A service the UN provides to a partner operation (rations, fuel, medical evacuation...), by whom."""

    __tablename__ = "support_service"
    __table_args__ = (UniqueConstraint("operation_id", "service"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey(OPERATION_FK, ondelete="CASCADE"), index=True)
    service: Mapped[str] = mapped_column(String(32))
    provider: Mapped[str] = mapped_column(String(120))  # a support office (UNSOS), a UN mission, a UN entity
    # Set when the provider is a UN mission of the register: its officers read the requests (decision 044).
    provider_mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id", ondelete="SET NULL"))
    unit: Mapped[str] = mapped_column(String(40))
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


class SupportDelivery(Base):
    """The level agreed for a service in a period and the quantity delivered, in the service's unit."""

    __tablename__ = "support_delivery"
    __table_args__ = (UniqueConstraint("service_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("support_service.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    agreed: Mapped[float | None] = mapped_column(Float)
    delivered: Mapped[float | None] = mapped_column(Float)


class SupportRequest(Base):
    """A request the partner operation made of the UN for a service: what, where, by when, what became of it."""

    __tablename__ = "support_request"
    __table_args__ = (UniqueConstraint("operation_id", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey(OPERATION_FK, ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(60))  # the partner's own number for the request
    service_id: Mapped[int] = mapped_column(ForeignKey("support_service.id", ondelete="CASCADE"), index=True)
    requested_on: Mapped[date] = mapped_column(Date)
    needed_by: Mapped[date | None] = mapped_column(Date)
    quantity: Mapped[float | None] = mapped_column(Float)
    location: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16))
    closed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class SupportFinancing(Base):
    """Money for the operation in a budget period from one source: committed and received, in US dollars."""

    __tablename__ = "support_financing"
    __table_args__ = (UniqueConstraint("operation_id", "source", "funder", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey(OPERATION_FK, ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    funder: Mapped[str] = mapped_column(String(120), default="")  # e.g. the European Peace Facility
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    committed_usd: Mapped[float | None] = mapped_column(Float)
    received_usd: Mapped[float | None] = mapped_column(Float)


class SupportMilestone(Base):
    """A compliance or oversight milestone of resolution 2719 for the operation: who owns it, when it is due,
    where it stands (overdue is computed at read time, never stored)."""

    __tablename__ = "support_milestone"
    __table_args__ = (UniqueConstraint("operation_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey(OPERATION_FK, ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    completed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
