"""Training records: partners, courses, sessions, who was trained (units and persons), and each mission's
pre-deployment requirements.

Natural keys (the importers upsert on them, so a file imported twice changes nothing): a partner by name,
a course by code, a session by course, start date and place, a record by course, mission, contributing
country, unit, person and completion date, a requirement by mission and capability.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.store.base import Base


class TrainingPartner(Base):
    """Who trains: a Member State, a training centre or a partner organisation."""

    __tablename__ = "training_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # member_state | training_centre | partner_organisation
    country_iso3: Mapped[str | None] = mapped_column(String(3))


class TrainingCourse(Base):
    """A course, the capability it builds and the A4P+ priority or threat area it serves."""

    __tablename__ = "training_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    capability: Mapped[str] = mapped_column(String(40), index=True)
    area: Mapped[str] = mapped_column(String(40))  # an A4P+ priority code (A4P+.P3) or a threat area
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("training_partner.id", ondelete="SET NULL"))


class TrainingSession(Base):
    """One delivery of a course: dates, place and provider."""

    __tablename__ = "training_session"
    __table_args__ = (UniqueConstraint("course_id", "starts", "place"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id", ondelete="CASCADE"), index=True)
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("training_partner.id", ondelete="SET NULL"))


class TrainingRecord(Base):
    """People of a unit (``trained`` of ``strength``) or one person (an expert or envoy) who completed a course."""

    __tablename__ = "training_record"
    __table_args__ = (UniqueConstraint("course_id", "mission_id", "country_iso3", "unit", "person", "completed"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id", ondelete="CASCADE"), index=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    country_iso3: Mapped[str] = mapped_column(String(3), default="")  # "" for a person outside a contingent
    unit: Mapped[str] = mapped_column(String(120), default="")
    person: Mapped[str] = mapped_column(String(200), default="")
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert.id", ondelete="SET NULL"))
    completed: Mapped[date] = mapped_column(Date, index=True)
    trained: Mapped[int] = mapped_column(Integer)
    strength: Mapped[int | None] = mapped_column(Integer)  # the unit's strength when trained
    certificate_expires: Mapped[date | None] = mapped_column(Date)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("training_session.id", ondelete="SET NULL"))


class TrainingRequirement(Base):
    """The share of each contingent a mission requires trained on a capability before deployment."""

    __tablename__ = "training_requirement"
    __table_args__ = (UniqueConstraint("mission_id", "capability"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    capability: Mapped[str] = mapped_column(String(40))
    required_percent: Mapped[float] = mapped_column(Float)
    indicators: Mapped[str] = mapped_column(String(300), default="")  # indicator codes, ";"-separated
