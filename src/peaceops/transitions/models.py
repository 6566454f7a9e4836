"""Transition records: one plan per mission, its benchmarks, the tasks handed over to the UN country team or
the host government, the drawdown steps of uniformed personnel, and the bases the mission closes.

Natural keys (the importers upsert on them, so a file imported twice changes nothing): a plan by mission, a
benchmark and a task by plan and code, a drawdown step by plan, step and personnel category, a base by plan
and name. Every record below the plan belongs to the plan's mission (the access scope, decision 045).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.store.base import Base


class TransitionPlan(Base):
    """A mission's transition plan: what it is called, where its mandate comes from, when the mission leaves."""

    __tablename__ = "transition_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    adopted: Mapped[date | None] = mapped_column(Date)
    planned_exit: Mapped[date] = mapped_column(Date)
    resolution: Mapped[str] = mapped_column(String(120), default="")  # e.g. S/RES/2xxx (2024)
    phase: Mapped[str] = mapped_column(String(16), default="planning")  # vocabulary.PHASES


class TransitionBenchmark(Base):
    """A condition the transition is measured against, optionally read from a performance indicator."""

    __tablename__ = "transition_benchmark"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("transition_plan.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(400))
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="not_started")  # vocabulary.BENCHMARK_STATUSES
    achieved: Mapped[date | None] = mapped_column(Date)
    indicator: Mapped[str] = mapped_column(String(60), default="")  # a results-framework indicator code


class TransitionTask(Base):
    """A task the mission hands over: to whom (the UN country team, the host government), by when, how far."""

    __tablename__ = "transition_task"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("transition_plan.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(400))
    recipient: Mapped[str] = mapped_column(String(24))  # vocabulary.RECIPIENTS
    entity: Mapped[str] = mapped_column(String(200))  # who exactly: "UNDP", "Ministry of Justice"
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planned")  # vocabulary.TASK_STATUSES
    handed_over: Mapped[date | None] = mapped_column(Date)
    benchmark_id: Mapped[int | None] = mapped_column(ForeignKey("transition_benchmark.id", ondelete="SET NULL"))


class DrawdownStep(Base):
    """A planned ceiling of uniformed personnel from a date on, and what the mission reports it reached."""

    __tablename__ = "transition_drawdown"
    __table_args__ = (UniqueConstraint("plan_id", "step", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("transition_plan.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(12), default="total")  # vocabulary.CATEGORIES
    planned_date: Mapped[date] = mapped_column(Date)
    planned_ceiling: Mapped[int] = mapped_column(Integer)
    actual_date: Mapped[date | None] = mapped_column(Date)
    actual_strength: Mapped[int | None] = mapped_column(Integer)


class TransitionBase(Base):
    """A base or team site the mission closes, where it is (for the protection evidence around it) and who
    takes it over."""

    __tablename__ = "transition_base"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("transition_plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    country_iso3: Mapped[str] = mapped_column(String(3))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    planned_closure: Mapped[date] = mapped_column(Date)
    actual_closure: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # vocabulary.BASE_STATUSES
    handed_to: Mapped[str] = mapped_column(String(200), default="")
    personnel: Mapped[int | None] = mapped_column(Integer)  # deployed at the base before it closed
