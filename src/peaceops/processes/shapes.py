"""What the peace-process and debrief functions return: typed, frozen shapes that the pages, their JSON
twins (as the response models, see decision 019), the CSV export and the tests all read. Field order is the
JSON's key order. What a person gives (the documents of ``inputs.py`` and ``DebriefDoc``) is not here."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from peaceops.framework.threat_areas import ThreatAreaCount


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class CoordinationWarning(_Shape):
    """A coordination check that holds for a process today, computed when the process is read."""

    check: str = Field(description="The check's code, e.g. no-agreed-lead, large-group-of-friends.")
    message: str = Field(description="What in this process trips the check.")
    reason: str = Field(description="Why it matters, in the words of the IPI Blue Paper (2009).")


class PhaseEntry(_Shape):
    phase: str
    label: str
    started_on: str
    note: str
    recorded_by: str


class Party(_Shape):
    id: int
    name: str
    armed_groups: list[str]


class LinkedAgreement(_Shape):
    id: int = Field(description="The agreement's row in the agreements memory (/agreements/{id}).")
    pax_id: int | None
    ucdp_paid: int | None
    title: str
    signed_on: str | None
    stage: str | None = Field(description="The PA-X stage code (Cea, SubPar...).")
    stage_label: str | None = Field(description="The stage as the PA-X codebook names it.")


class Mediator(_Shape):
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


class Friend(_Shape):
    id: int
    name: str
    circle: str


class ProcessDetail(_Shape):
    """A process as pages and the API show it, with its coordination warnings computed now."""

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
    phases: list[PhaseEntry]
    parties: list[Party]
    ucdp_conflicts: list[int]
    agreements: list[LinkedAgreement]
    mediators: list[Mediator]
    friends: list[Friend]
    threat_areas: list[str] = Field(default_factory=list, description="Threat area codes the process is tagged with.")
    pax_process_id: int | None = Field(description="The PA-X peace process (PP) it was seeded from, if any.")
    compartment: str = Field(description="The compartment that holds this process's debriefs.")
    compartment_holders: list[str]
    warnings: list[CoordinationWarning] = Field(description="Coordination warnings, computed when the process is read.")
    created_by: str
    created_at: str
    updated_by: str
    updated_at: str


class ProcessRow(_Shape):
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
    threat_areas: list[str] = Field(default_factory=list, description="Threat area codes the process is tagged with.")


class ProcessList(_Shape):
    processes: list[ProcessRow]
    threat_areas: list[ThreatAreaCount] = Field(default_factory=list, description="Processes per threat area.")


class TimelineEvent(_Shape):
    date: str
    kind: str
    kind_label: str
    label: str
    detail: str
    url: str | None


class Timeline(_Shape):
    process_id: int
    name: str
    events: list[TimelineEvent]


class DebriefDetail(_Shape):
    """One debrief, for a holder of its compartment."""

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


class DebriefRow(_Shape):
    id: int
    author: str
    period_start: str
    period_end: str
    updated_at: str


class DebriefList(_Shape):
    process_id: int
    compartment: str
    debriefs: list[DebriefRow]


class DebriefSnippet(_Shape):
    field: str
    label: str
    text: str


class DebriefHit(_Shape):
    id: int
    process_id: int
    process: str
    author: str
    period_start: str
    period_end: str
    snippet: DebriefSnippet


class DebriefSearch(_Shape):
    query: str
    terms: list[str]
    total: int = Field(description="Matching debriefs among those the reader may open (never the others).")
    results: list[DebriefHit]
    searchable_processes: list[int] | None = Field(description="Processes whose debriefs were searched (null: all).")


class MandateScope(_Shape):
    """Where a mandate applies, as read from its mandate area (``processes.mandates``)."""

    kind: str = Field(description="subregion (UN M49), country (ISO 3166 alpha-3) or named (neither: a bare name).")
    code: str | None = Field(description="The M49 code or the ISO3 code; null for a bare name.")
    label: str
    subregion: str | None = Field(description="The M49 sub-region the place is or lies in.")


class MandateOverlap(_Shape):
    """Another envoy of the same body whose mandate overlaps, in place and in time."""

    mediator_id: int
    name: str
    title: str
    process_id: int
    process: str
    mandate_area: str
    relation: str = Field(description="same (the same place), within (inside this mandate's sub-region) or covers.")
    starts_on: str = Field(description="First day both mandates run.")
    ends_on: str | None = Field(description="Last day both run; null when neither has an end date.")


class EnvoyMandate(_Shape):
    mediator_id: int
    name: str
    title: str
    organisation: str
    kind: str
    kind_label: str
    process_id: int
    process: str
    mandate_area: str
    scope: MandateScope
    started_on: str
    ended_on: str | None
    active: bool
    lead: bool
    overlaps: list[MandateOverlap]


class OrganisationMandates(_Shape):
    organisation: str
    envoys: int
    overlapping: int = Field(description="Envoys of this body with at least one overlapping mandate.")
    mandates: list[EnvoyMandate]


class MandateReview(_Shape):
    """Every envoy in office or appointed, by mandating body, with the overlaps of their mandates (¶18, ¶33)."""

    today: str
    envoys: int
    overlaps: int = Field(description="Pairs of envoys whose mandates overlap.")
    organisations: list[OrganisationMandates]


class EngagedProcess(_Shape):
    """A process a party takes part in while it is in a peacemaking phase, with the mediators active in it."""

    process_id: int
    name: str
    phase: str
    phase_label: str
    mediators: list[str] = Field(description="Active mediators (not core team), as 'Name (Organisation)'.")
    lead: str | None = Field(description="The agreed lead, when exactly one active mediator is marked lead.")


class ForumShoppingParty(_Shape):
    """A party that can choose among mediators: several parallel processes, or several uncoordinated mediators."""

    party: str
    reasons: list[str] = Field(description="parallel-processes and/or uncoordinated-mediators.")
    message: str
    organisations: list[str] = Field(description="The mediating bodies the party faces, across its processes.")
    processes: list[EngagedProcess]


class ForumShopping(_Shape):
    today: str
    reason: str = Field(description="Why it matters, in the words of the IPI Blue Paper (2009).")
    parties: list[ForumShoppingParty]


class ProcessSeedReport(_Shape):
    """What seeding the registry from the PA-X process identifiers did (a second run adds nothing)."""

    pax_processes: int = Field(description="PA-X processes the agreements memory knows.")
    inserted: int
    updated: int = Field(description="Registry entries given PA-X agreements they did not link yet.")
    unchanged: int


class Assignment(_Shape):
    """A mediator's or core-team member's time on a process: what ends in an end-of-assignment debrief (¶35)."""

    process_id: int
    process: str
    name: str
    title: str
    organisation: str
    core_team: bool
    started_on: str
    ended_on: str | None


class FiledDebrief(_Shape):
    """That a debrief exists, for whom and for when, never what it says: for holders of its compartment only."""

    process_id: int
    author: str
    period_start: str
    period_end: str
