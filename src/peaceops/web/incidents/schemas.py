"""Request and response shapes of the incidents API (situational awareness)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from peaceops.framework.threat_areas import ThreatAreaCount


class ReportIn(BaseModel):
    """A report as the API takes it; the same checks as the form and the CSV import apply."""

    mission: str | None = Field(None, description="Mission acronym; a mission officer's own mission when left out.")
    occurred_at: str = Field(description="YYYY-MM-DD HH:MM (local time of the mission).")
    precision: str = Field("hour", description="minute, hour, day, week or month.")
    longitude: float | None = None
    latitude: float | None = None
    place: str | None = Field(None, description="A place or admin-1 area of the gazetteer, instead of coordinates.")
    category: str
    subcategory: str | None = None
    actors: list[str] = []
    casualties: dict[str, int] = Field({}, description="e.g. civilians_killed, peacekeepers_injured, armed_abducted.")
    extra: dict[str, Any] = Field({}, description="Fields the category requires, e.g. displaced.")
    description: str = ""
    source_type: str
    reliability: str = Field(description="Source reliability, A (completely reliable) to F (cannot be judged).")
    credibility: int = Field(description="Information credibility, 1 (confirmed) to 6 (cannot be judged).")
    external_ref: str | None = None
    threat_areas: list[str] = Field(
        [], description="Threat area codes: organised_crime, terrorism, climate_security, hybrid_threats, cyber."
    )
    submit: bool = Field(False, description="Submit for verification at once (else it stays a draft).")


class ReportEditIn(ReportIn):
    reason: str = Field("", description="Why it changed; required once the incident is verified.")


class ReportStepIn(BaseModel):
    note: str = Field("", description="A note; the reason, for a rejection.")


class ReportMergeIn(BaseModel):
    duplicate_id: int
    note: str = ""


class ReportCategoryIn(BaseModel):
    mission: str | None = None
    code: str
    label: str
    parent: str | None = None
    sensitive: bool = False
    required_fields: list[str] = []


class ReportRowOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: int
    mission: str
    occurred_at: str
    longitude: float
    latitude: float
    category: str | None
    status: str
    reliability: str
    credibility: int
    restricted: bool


class ReportsOut(BaseModel):
    incidents: list[ReportRowOut]
    threat_areas: list[ThreatAreaCount] = Field(
        description="Incidents per threat area among those the reader may see under the other filters."
    )


class ReportDetailOut(ReportRowOut):
    history: list[dict[str, Any]]
    versions: list[dict[str, Any]]
    merged_from: list[int]


class ReportMapOut(BaseModel):
    points: list[list[Any]] = Field(
        description="[id, longitude, latitude, category, status, day, place or admin-1 area or null], newest first."
    )
    truncated: bool
    countries: list[str] = Field(description="ISO3 codes of the host countries of the points' missions.")
    basemaps: list[str] = Field(description="URLs of those countries' admin-1 areas and places (TopoJSON).")


class ReportWeeklyOut(BaseModel):
    weeks: list[str] = Field(description="Mondays of the ISO weeks counted.")
    rows: list[dict[str, Any]]
    statuses: list[str]
    start: str = Field(description="First day counted (26 weeks back when no start is given).")
    cells: list[dict[str, Any]]


class ReportImportOut(BaseModel):
    mission: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected: list[dict[str, Any]] = Field(description="Each rejected row: line, external_ref and the reason.")
    missions: list[str] = Field(default_factory=list, description="The missions whose reports were stored.")
    run_id: int | None = Field(None, description="The import run; its rejected lines are at /api/imports/{run_id}.")
