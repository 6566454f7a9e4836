"""What the roster and helpdesk functions return: typed, frozen shapes that the pages, their JSON twins (as
the response models, see decision 019), the CSV exports and the tests all read. Field order is the JSON's
key order."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class ExpertLanguage(_Shape):
    code: str = Field(description="ISO 639-1 code, e.g. fr.")
    level: str = Field(description="native, fluent, working or basic.")


class AvailabilityWindow(_Shape):
    """Days an expert is available, both ends included; ``from`` in JSON (``from_`` in Python)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)
    from_: date = Field(alias="from")
    to: date


class ExpertProfile(_Shape):
    """An expert as pages and the API show them; contact fields are null for readers not allowed them."""

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
    languages: list[ExpertLanguage]
    regions: list[str]
    region_labels: list[str]
    availability: list[AvailabilityWindow]
    kind: str = Field(description="The roster: technical (helpdesk experts), ngo_mediator or envoy_candidate.")
    kind_label: str
    last_reviewed_on: date | None = Field(description="When the entry was last reviewed and kept.")
    review_due_on: date | None = Field(description="When the next review is due; null: never reviewed.")
    review_overdue: bool = Field(description="Never reviewed, or the review period has run out.")
    updated_at: datetime


class RejectedExpertLine(_Shape):
    line: int
    email: str
    reason: str


class ExpertImportSummary(_Shape):
    """What a roster upload did, in the roster's words: created, updated, unchanged, the rejected lines."""

    created: int
    updated: int
    unchanged: int
    rejected: list[RejectedExpertLine]
    run_id: int | None = Field(description="The import run: every line and reason at /api/imports/{id}.")


class GapRow(_Shape):
    kind: str = Field(description="expertise, language or region.")
    code: str
    label: str
    on_roster: int
    available: int = Field(description="Experts with an availability window in the horizon.")
    gap: bool = Field(description="True when fewer than the threshold are available.")


class GapReport(_Shape):
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


class RankedExpert(_Shape):
    """An expert scored for a request: the score out of 100, its parts, the reasons and what excludes them."""

    expert_id: int
    name: str
    score: float
    parts: dict[str, float]
    reasons: list[str]
    excluded: list[str]


class ExpertMatches(_Shape):
    weights: dict[str, float]
    ranked: list[RankedExpert]
    excluded: list[RankedExpert]
    without_expertise: int


class HelpRequestRow(_Shape):
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
    partner: str | None = Field(description="The partner organisation whose account filed the request, if any.")
    process_id: int | None = Field(description="The peace process the request serves (not shown to partners).")


class HelpRequestStep(_Shape):
    from_status: str | None
    to_status: str
    expert_id: int | None
    note: str
    actor: str
    at: datetime


class HelpRequestDetail(HelpRequestRow):
    events: list[HelpRequestStep]
    next: list[str]
    matches: ExpertMatches | None


class MedianHours(_Shape):
    median: float | None = Field(description="Median hours from filing.")
    count: int


class HelpdeskQueue(_Shape):
    requests: list[HelpRequestRow]
    counts: dict[str, int]
    response_times: dict[str, MedianHours]


class ExpertDeployment(_Shape):
    """An expert deployed through the helpdesk to a peace process: an assignment that ends in a debrief (¶35)."""

    request_id: int
    process_id: int
    expert_name: str
    title: str = Field(description="The request's title: what the expert was deployed for.")
    needed_from: date
    needed_to: date
    status: str


class RosterReviewRow(_Shape):
    """One roster's periodic review (Blue Paper ¶30, ¶38): its entries, and those not reviewed in the period."""

    kind: str
    label: str
    entries: int
    overdue: int = Field(description="Entries never reviewed, or last reviewed more than the period ago.")


class RosterReview(_Shape):
    today: date
    period_days: int = Field(description="How often each entry is to be reviewed (decision 042).")
    rosters: list[RosterReviewRow]


class Roster(_Shape):
    experts: list[ExpertProfile]
    contacts_visible: bool
    review: RosterReview
