"""The missions register: every UN peace operation and the other acronyms sources use for it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.store.base import Base


class Mission(Base):
    __tablename__ = "mission"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), default="peacekeeping")
    lead_department: Mapped[str | None] = mapped_column(String(16))
    host_iso3: Mapped[str | None] = mapped_column(String(3))
    region: Mapped[str | None] = mapped_column(String(64))
    hq_location: Mapped[str | None] = mapped_column(String(120))
    hq_longitude: Mapped[float | None] = mapped_column(Float)
    hq_latitude: Mapped[float | None] = mapped_column(Float)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    source_updated: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    @property
    def status(self) -> str:
        return "active" if self.active else "closed"


class MissionAlias(Base):
    """Another acronym a source uses for a mission (the French "ONUCI" for UNOCI), editable data."""

    __tablename__ = "mission_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(32), unique=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    note: Mapped[str | None] = mapped_column(String(200))
