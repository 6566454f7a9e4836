"""Response shapes of the peace-process and debrief API (request bodies are the domain's documents)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class WarningOut(BaseModel):
    check: str = Field(description="The check's code, e.g. no-agreed-lead, large-group-of-friends.")
    message: str = Field(description="What in this process trips the check.")
    reason: str = Field(description="Why it matters, in the words of the IPI Blue Paper (2009).")


class PhaseOut(BaseModel):
    phase: str
    label: str
    started_on: str
    note: str
    recorded_by: str


class PartyOut(BaseModel):
    id: int
    name: str
    armed_groups: list[str]


class LinkedAgreementOut(BaseModel):
    id: int = Field(description="The agreement's row in the agreements memory (/agreements/{id}).")
    pax_id: int | None
    ucdp_paid: int | None
    title: str
    signed_on: str | None
    stage: str | None


class MediatorOut(BaseModel):
    id: int
    name: str
    organisation: str
    kind: str
    kind_label: str
    title: str
    mandate: str
    mandate_area: str
    started_on: str
    ended_on: str | None
    lead: bool
    core_team: bool
    active: bool


class FriendOut(BaseModel):
    id: int
    name: str
    circle: str


class ProcessOut(BaseModel):
    id: int
    name: str
    conflict: str
    country: str | None
    region: str | None
    tracks: list[str]
    description: str
    phase: str | None
    phase_label: str | None
    phase_since: str | None
    phases: list[PhaseOut]
    parties: list[PartyOut]
    ucdp_conflicts: list[int]
    agreements: list[LinkedAgreementOut]
    mediators: list[MediatorOut]
    friends: list[FriendOut]
    compartment: str = Field(description="The compartment that holds this process's debriefs.")
    compartment_holders: list[str]
    warnings: list[WarningOut] = Field(description="Coordination warnings, computed when the process is read.")
    created_by: str
    created_at: str
    updated_by: str
    updated_at: str


class ProcessRow(BaseModel):
    id: int
    name: str
    conflict: str
    country: str | None
    region: str | None
    tracks: list[str]
    phase: str | None
    phase_label: str | None
    phase_since: str | None
    active_mediators: int
    agreements: int
    warnings: list[str] = Field(description="Codes of the coordination warnings that hold today.")


class ProcessListOut(BaseModel):
    processes: list[ProcessRow]


class TimelineEventOut(BaseModel):
    date: str
    kind: str
    kind_label: str
    label: str
    detail: str
    url: str | None


class TimelineOut(BaseModel):
    process_id: int
    name: str
    events: list[TimelineEventOut]


class DebriefOut(BaseModel):
    id: int
    process_id: int
    process: str
    compartment: str
    author: str
    period_start: str
    period_end: str
    what_worked: str
    tacit_understandings: str
    open_issues: str
    contacts: str
    created_by: str
    created_at: str
    updated_by: str
    updated_at: str


class DebriefRow(BaseModel):
    id: int
    author: str
    period_start: str
    period_end: str
    updated_at: str


class DebriefListOut(BaseModel):
    process_id: int
    compartment: str
    debriefs: list[DebriefRow]


class SnippetOut(BaseModel):
    field: str
    label: str
    text: str


class DebriefHitOut(BaseModel):
    id: int
    process_id: int
    process: str
    author: str
    period_start: str
    period_end: str
    snippet: SnippetOut


class DebriefSearchOut(BaseModel):
    query: str
    terms: list[str]
    total: int = Field(description="Matching debriefs among those the reader may open (never the others).")
    results: list[DebriefHitOut]
    searchable_processes: list[int] | None = Field(description="Processes whose debriefs were searched (null: all).")
