"""Tables for missions, their monthly strength, contributions by country and gender, and fatalities."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.missions.models import Mission
from peaceops.store.base import Base, utcnow


class MissionStrength(Base):
    """Uniformed personnel deployed in one mission at the end of one month (IPI monthly totals)."""

    __tablename__ = "mission_strength"
    __table_args__ = (UniqueConstraint("mission_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date, index=True)
    troops: Mapped[int | None] = mapped_column(Integer)
    police: Mapped[int | None] = mapped_column(Integer)
    observers: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    contributors: Mapped[int | None] = mapped_column(Integer)

    mission: Mapped[Mission] = relationship()


class WorldStrength(Base):
    """Uniformed personnel in all UN peacekeeping at the end of one month (IPI global monthly summary)."""

    __tablename__ = "world_strength"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)
    contributors: Mapped[int] = mapped_column(Integer)
    troops: Mapped[int] = mapped_column(Integer)
    police: Mapped[int] = mapped_column(Integer)
    observers: Mapped[int] = mapped_column(Integer)  # experts on mission: military observers and staff officers
    total: Mapped[int] = mapped_column(Integer)


class Deployment(Base):
    """Personnel of one contributing country, of one type, in one mission, at the end of one month."""

    __tablename__ = "deployment"
    __table_args__ = (UniqueConstraint("mission_id", "month", "contributor_iso3", "personnel_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date, index=True)
    contributor_iso3: Mapped[str] = mapped_column(String(3), index=True)
    personnel_type: Mapped[str] = mapped_column(String(24))
    male: Mapped[int] = mapped_column(Integer)
    female: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)


class Fatality(Base):
    """One death of a person serving in a UN peace operation."""

    __tablename__ = "fatality"
    # The UN list repeats a casualty id for one person listed under two nationalities (UNMIK, 2003-2005):
    # each row is kept, numbered in the order the file lists them (decision 002).
    __table_args__ = (UniqueConstraint("casualty_id", "occurrence", name="uq_fatality_casualty_id_occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    casualty_id: Mapped[str] = mapped_column(String(40), index=True)
    occurrence: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    mission_acronym: Mapped[str] = mapped_column(String(32), index=True)
    # Null for missions outside the peacekeeping register (special political missions), as for allegations.
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    incident_date: Mapped[date] = mapped_column(Date, index=True)
    nationality: Mapped[str | None] = mapped_column(String(80))
    nationality_iso3: Mapped[str | None] = mapped_column(String(3))
    personnel_type: Mapped[str] = mapped_column(String(40))
    incident_type: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str | None] = mapped_column(String(1))
    source_updated: Mapped[date | None] = mapped_column(Date)


class ParityTarget(Base):
    """Share of women the Uniformed Gender Parity Strategy sets for one category in one year (editable)."""

    __tablename__ = "parity_target"
    __table_args__ = (UniqueConstraint("category", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    share: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
