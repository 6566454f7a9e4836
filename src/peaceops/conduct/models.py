"""An allegation of sexual exploitation or abuse as the UN table of allegations publishes it.

The case and the people accused (mission, category and country of the personnel, investigation, outcome,
actions taken). Victims appear only as counts by age group and whether a paternity claim was made: no
name, no identifier, nothing that could point to a person.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.store.base import Base


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
