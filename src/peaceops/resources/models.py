"""Resources on mission timelines: milestones, requirements, orders, deliveries and budget lines.

Natural keys (the importers upsert on them, so a file imported twice changes nothing): a milestone by mission
and code, a requirement by mission and code, an order by mission and reference, a delivery by order, date and
delivery note, a budget line by mission, period and category. Every record belongs to one mission.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.store.base import Base


class ResourceMilestone(Base):
    """A date the mission plans around: a mandate renewal, a deployment, a drawdown step (imported by the mission)."""

    __tablename__ = "resource_milestone"
    __table_args__ = (UniqueConstraint("mission_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(24))  # mandate_renewal | deployment | drawdown | closure | other
    due: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")


class ResourceRequirement(Base):
    """What the mission needs, how many, where, by when and why; optionally what it serves (a mandate task,
    a result or indicator of the results framework, the area of a conflict alert, a threat area)."""

    __tablename__ = "resource_requirement"
    __table_args__ = (UniqueConstraint("mission_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    item: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # The conflict-alert unit of the place: "pgm" (a PRIO-GRID cell) or "cm" (a country, Gleditsch-Ward code).
    alert_level: Mapped[str] = mapped_column(String(8), default="")
    alert_unit_id: Mapped[int | None] = mapped_column(Integer)
    needed_by: Mapped[date | None] = mapped_column(Date)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("resource_milestone.id", ondelete="SET NULL"))
    why: Mapped[str] = mapped_column(Text, default="")
    mandate_task: Mapped[str] = mapped_column(Text, default="")
    result_code: Mapped[str] = mapped_column(String(32), default="")
    indicator_code: Mapped[str] = mapped_column(String(40), default="")
    threat_area: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | cancelled


class ResourceOrder(Base):
    """An order placed (or planned) against a requirement: supplier, quantity, dates and status."""

    __tablename__ = "resource_order"
    __table_args__ = (UniqueConstraint("mission_id", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("resource_requirement.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(60))
    supplier: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[float] = mapped_column(Float)
    ordered: Mapped[date | None] = mapped_column(Date)
    expected: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # planned | placed | in_transit | delivered | cancelled


class ResourceDelivery(Base):
    """Goods or a service received against an order: date, quantity, and whether they were accepted."""

    __tablename__ = "resource_delivery"
    __table_args__ = (UniqueConstraint("order_id", "delivered", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("resource_order.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(60), default="")  # the delivery note, if any
    delivered: Mapped[date] = mapped_column(Date, index=True)
    quantity: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="received")  # received | rejected
    place: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class ResourceBudget(Base):
    """One budget line of a mission for one period, in US dollars: approved, committed and spent; optionally
    the results-framework indicator counting the outputs it pays for (cost per output)."""

    __tablename__ = "resource_budget"
    __table_args__ = (UniqueConstraint("mission_id", "period", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(8))  # 2025/26 (a UN financial year), 2026, 2026-Q1, 2026-03
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(80))
    approved: Mapped[float] = mapped_column(Float)
    committed: Mapped[float] = mapped_column(Float)
    spent: Mapped[float] = mapped_column(Float)
    indicator_code: Mapped[str] = mapped_column(String(40), default="")
