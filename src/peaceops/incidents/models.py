"""Tables for a mission's own incident reports: taxonomy, actors, incidents, their versions and workflow
history, and the gazetteer of admin areas and places built from the event store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.framework.threat_tags import TagTable, ThreatTagMixin
from peaceops.i18n import N_
from peaceops.store.base import Base, utcnow

STATUSES = ("draft", "submitted", "verified", "rejected", "published", "merged")
PRECISIONS = ("minute", "hour", "day", "week", "month")
SOURCE_TYPES = (
    "patrol",
    "community_alert_network",
    "local_authority",
    "humanitarian_partner",
    "media",
    "social_media",
    "host_state_security",
    "un_agency",
    "other",
)
RELIABILITY = {
    "A": N_("Completely reliable"),
    "B": N_("Usually reliable"),
    "C": N_("Fairly reliable"),
    "D": N_("Not usually reliable"),
    "E": N_("Unreliable"),
    "F": N_("Reliability cannot be judged"),
}
CREDIBILITY = {
    1: N_("Confirmed by other sources"),
    2: N_("Probably true"),
    3: N_("Possibly true"),
    4: N_("Doubtful"),
    5: N_("Improbable"),
    6: N_("Truth cannot be judged"),
}
GROUPS = ("civilians", "peacekeepers", "armed")
HARMS = ("killed", "injured", "abducted")
CASUALTY_FIELDS = tuple(f"{g}_{h}" for g in GROUPS for h in HARMS)
# What the pages call the codes above (kept in English, N_; a template shows ``_(NAMES[code])``).
NAMES: dict[str, str] = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "verified": N_("verified"),
    "rejected": N_("rejected"),
    "published": N_("published"),
    "merged": N_("merged"),
    "merged_in": N_("merged in"),
    "filed": N_("filed"),
    "edited": N_("edited"),
    "imported": N_("imported"),
    "reimported": N_("imported again"),
    "submit": N_("submit"),
    "verify": N_("verify"),
    "reject": N_("reject"),
    "publish": N_("publish"),
    "minute": N_("to the minute"),
    "hour": N_("to the hour"),
    "day": N_("to the day"),
    "week": N_("to the week"),
    "month": N_("to the month"),
    "patrol": N_("patrol"),
    "community_alert_network": N_("community alert network"),
    "local_authority": N_("local authority"),
    "humanitarian_partner": N_("humanitarian partner"),
    "media": N_("media"),
    "social_media": N_("social media"),
    "host_state_security": N_("host state security"),
    "un_agency": N_("UN agency"),
    "other": N_("other"),
    "civilians": N_("Civilians"),
    "peacekeepers": N_("Peacekeepers"),
    "armed": N_("Armed actors"),
    "killed": N_("Killed"),
    "injured": N_("Injured"),
    "abducted": N_("Abducted"),
}


class IncidentCategory(Base):
    """One category (parent_id empty) or subcategory of a mission's taxonomy; editable data."""

    __tablename__ = "incident_category"
    __table_args__ = (UniqueConstraint("mission_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("incident_category.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(120))
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    required_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class IncidentActor(Base):
    """A named actor (armed group, force, community) a mission's reports refer to."""

    __tablename__ = "incident_actor"
    __table_args__ = (UniqueConstraint("mission_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40), default="armed_group")


class Incident(Base):
    """One reported incident or event of a mission, with its grading and place in the workflow."""

    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("mission_id", "external_ref"),
        Index("ix_incident_map", "mission_id", "status", "occurred_at"),
        Index("ix_incident_lat_lon", "latitude", "longitude"),
        Index("ix_incident_cell", "mission_id", "cell", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"), index=True)
    external_ref: Mapped[str | None] = mapped_column(String(80))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    precision: Mapped[str] = mapped_column(String(8), default="hour")
    longitude: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float] = mapped_column(Float)
    cell: Mapped[int] = mapped_column(Integer)  # PRIO-GRID 0.5-degree cell: the map's bounding-box index
    place_name: Mapped[str | None] = mapped_column(String(200))
    admin1: Mapped[str | None] = mapped_column(String(120))
    category_id: Mapped[int] = mapped_column(ForeignKey("incident_category.id", ondelete="RESTRICT"), index=True)
    subcategory_id: Mapped[int | None] = mapped_column(ForeignKey("incident_category.id", ondelete="SET NULL"))
    civilians_killed: Mapped[int] = mapped_column(Integer, default=0)
    civilians_injured: Mapped[int] = mapped_column(Integer, default=0)
    civilians_abducted: Mapped[int] = mapped_column(Integer, default=0)
    peacekeepers_killed: Mapped[int] = mapped_column(Integer, default=0)
    peacekeepers_injured: Mapped[int] = mapped_column(Integer, default=0)
    peacekeepers_abducted: Mapped[int] = mapped_column(Integer, default=0)
    armed_killed: Mapped[int] = mapped_column(Integer, default=0)
    armed_injured: Mapped[int] = mapped_column(Integer, default=0)
    armed_abducted: Mapped[int] = mapped_column(Integer, default=0)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actors: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    source_type: Mapped[str] = mapped_column(String(40))
    reliability: Mapped[str] = mapped_column(String(1))
    credibility: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    compartment: Mapped[str | None] = mapped_column(String(80))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    reported_by: Mapped[str] = mapped_column(String(80))
    reported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    verified_by: Mapped[str | None] = mapped_column(String(80))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class IncidentActorLink(Base):
    """Which actors an incident names (for the actor filter)."""

    __tablename__ = "incident_actor_link"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("incident_actor.id", ondelete="CASCADE"), primary_key=True)


class IncidentThreatArea(ThreatTagMixin, Base):
    """Which threat areas an incident is tagged with (decision 046); read through ``INCIDENT_TAGS``."""

    __tablename__ = "incident_threat_area"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True)


INCIDENT_TAGS = TagTable(IncidentThreatArea, IncidentThreatArea.incident_id)


class IncidentVersion(Base):
    """The incident as it was before an edit made after verification (or a merge)."""

    __tablename__ = "incident_version"
    __table_args__ = (UniqueConstraint("incident_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(200))


class IncidentEvent(Base):
    """One step of an incident's history: filed, submitted, verified, rejected, published, edited, merged."""

    __tablename__ = "incident_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)


class GazetteerPlace(Base):
    """A named place or admin-1 area with coordinates, derived from the georeferenced events stored."""

    __tablename__ = "gazetteer_place"
    __table_args__ = (UniqueConstraint("country_iso3", "kind", "name", "admin1"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(String(3), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # "admin1" or "place"
    name: Mapped[str] = mapped_column(String(200))
    admin1: Mapped[str] = mapped_column(String(120), default="")
    longitude: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float] = mapped_column(Float)
    events: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(40))
