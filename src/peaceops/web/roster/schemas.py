"""Request and response shapes of the expert roster and helpdesk API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class LanguageIO(BaseModel):
    code: str = Field(description="ISO 639-1 code, e.g. fr.", max_length=2)
    level: str = Field("fluent", description="native, fluent, working or basic.", max_length=16)


class WindowIO(BaseModel):
    from_: date = Field(alias="from")
    to: date

    model_config = {"populate_by_name": True}


class ExpertIn(BaseModel):
    name: str = Field(max_length=200)
    email: str = Field(max_length=200, description="Identifies the expert: imports and edits upsert on it.")
    affiliation: str = Field("", max_length=200)
    phone: str = Field("", max_length=60)
    clearance: str = Field("none", description="none, confidential or strictly_confidential.", max_length=32)
    expertise: list[str] = Field(description="Codes from the controlled list (GET /api/roster/terms).")
    languages: list[LanguageIO] = []
    regions: list[str] = Field([], description="ISO3 country codes or UN M49 sub-region names.")
    availability: list[WindowIO] = []
    notes: str = Field("", max_length=4000)


class ExpertOut(BaseModel):
    id: int
    name: str
    affiliation: str
    email: str | None = Field(description="Null for readers who may not see contact details.")
    phone: str | None
    notes: str | None
    clearance: str
    clearance_label: str
    expertise: list[str]
    expertise_labels: list[str]
    languages: list[LanguageIO]
    regions: list[str]
    region_labels: list[str]
    availability: list[WindowIO]
    updated_at: datetime

    model_config = {"populate_by_name": True}


class RosterOut(BaseModel):
    experts: list[ExpertOut]
    contacts_visible: bool


class RejectedRow(BaseModel):
    line: int
    email: str
    reason: str


class ImportOut(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: list[RejectedRow]
    run_id: int | None = Field(default=None, description="The import run: every line and reason at /api/imports/{id}.")


class GapRow(BaseModel):
    kind: str = Field(description="expertise, language or region.")
    code: str
    label: str
    on_roster: int
    available: int = Field(description="Experts with an availability window in the horizon.")
    gap: bool = Field(description="True when fewer than the threshold are available.")


class GapsOut(BaseModel):
    today: date
    until: date
    horizon_days: int
    threshold: int
    experts: int
    available: int
    expertise: list[GapRow]
    languages: list[GapRow]
    regions: list[GapRow]
    gaps: list[GapRow]


class RequestIn(BaseModel):
    title: str = Field(max_length=200)
    expertise: str = Field(max_length=40)
    languages: list[str] = []
    region: str = Field(max_length=60, description="An ISO3 country code or a UN M49 sub-region.")
    urgency: str = Field("routine", max_length=16, description="routine, priority or urgent.")
    needed_from: date
    needed_to: date
    clearance: str = Field("none", max_length=32)
    description: str = Field("", max_length=8000)
    context: str = Field("", max_length=300, description="The peace process or context, in free text.")


class MoveIn(BaseModel):
    to: str = Field(description="matched, deployed, closed, cancelled or open.", max_length=16)
    expert_id: int | None = Field(None, description="Required to match.")
    note: str = Field("", max_length=4000)


class CandidateOut(BaseModel):
    expert_id: int
    name: str
    score: float
    parts: dict[str, float]
    reasons: list[str]
    excluded: list[str]


class MatchesOut(BaseModel):
    weights: dict[str, float]
    ranked: list[CandidateOut]
    excluded: list[CandidateOut]
    without_expertise: int


class RequestRow(BaseModel):
    id: int
    title: str
    expertise: str
    expertise_label: str
    languages: list[str]
    region: str
    region_label: str
    urgency: str
    needed_from: date
    needed_to: date
    clearance: str
    description: str
    context: str
    status: str
    requested_by: str
    expert_id: int | None
    expert_name: str | None
    created_at: datetime
    matched_at: datetime | None
    deployed_at: datetime | None
    closed_at: datetime | None
    age_days: float
    hours_to_match: float | None
    hours_to_deploy: float | None
    hours_to_close: float | None


class EventOut(BaseModel):
    from_status: str | None
    to_status: str
    expert_id: int | None
    note: str
    actor: str
    at: datetime


class RequestDetailOut(RequestRow):
    events: list[EventOut]
    next: list[str]
    matches: MatchesOut | None


class MedianOut(BaseModel):
    median: float | None = Field(description="Median hours from filing.")
    count: int


class HelpdeskOut(BaseModel):
    requests: list[RequestRow]
    counts: dict[str, int]
    response_times: dict[str, MedianOut]
