"""Response and request shapes of the mission performance API (/api/performance/...), for OpenAPI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class TagOut(BaseModel):
    code: str = Field(description="A4P / A4P+ element code, e.g. A4P+.P2.")
    kind: str = Field(description="commitment_area, priority or theme.")
    title: str


class IndicatorOut(BaseModel):
    code: str
    name: str
    definition: str
    unit: str = Field(description="count, percent (0-100), per_1000, number, days or usd.")
    direction: str = Field(description="higher or lower is better.")
    baseline: float | None
    baseline_period: str | None
    frequency: str = Field(description="month, quarter or year.")
    disaggregations: list[str]
    data_source: str
    kind: str = Field(description="entered, formula or derived.")
    numerator: str | None
    denominator: str | None
    factor: float
    derivation: str | None
    aggregation: str
    not_above: str | None
    values: int = Field(description="How many values are stored.")


class ResultNodeOut(BaseModel):
    code: str
    level: str = Field(description="objective, outcome or output.")
    title: str
    description: str
    mandate_task: str | None = None
    tags: list[TagOut] = []
    indicators: list[IndicatorOut]
    children: list[ResultNodeOut]


class FrameworkVersionOut(BaseModel):
    mission: str
    version: int
    title: str
    mandate: str
    valid_from: str
    valid_to: str | None
    template: str | None
    created_by: str
    created_at: str


class FrameworkTreeOut(FrameworkVersionOut):
    mission_name: str
    regions: list[str]
    objectives: list[ResultNodeOut]
    versions: list[FrameworkVersionOut]


class FrameworkListItem(BaseModel):
    acronym: str
    name: str
    active: bool
    version: int | None
    valid_from: str | None
    indicators: int
    values: int
    latest_assessment: str | None
    latest_status: str | None


class TemplateOut(BaseModel):
    code: str
    title: str
    description: str
    objectives: int
    indicators: int


class FrameworksOut(BaseModel):
    missions: list[FrameworkListItem]
    templates: list[TemplateOut]


class GridRowOut(BaseModel):
    code: str
    name: str
    objective: str
    result: str
    unit: str
    unit_label: str
    direction: str
    kind: str
    disaggregation: str = Field(description="'' for the total, else dimension:member (sex:female).")
    disaggregation_label: str
    editable: bool
    target_editable: bool
    baseline: float | None
    target: float | None
    target_period: str | None
    target_source: str | None
    value: float | None
    numerator: float | None
    denominator: float | None
    previous: float | None
    source: str | None
    note: str | None
    warning: str | None
    entered_by: str | None
    entered_at: str | None
    revision: int | None
    pending: str | None = Field(description="For a derived indicator peaceops cannot compute yet: what it waits for.")


class GridOut(BaseModel):
    mission: str
    version: int
    period: str
    period_kind: str
    period_label: str
    previous_period: str
    next_period: str
    locked: bool
    locked_by: str | None
    locked_assessment: str | None
    in_version: bool
    other_frequencies: list[str]
    rows: list[GridRowOut]


class ValueIn(BaseModel):
    code: str = Field(description="Indicator code.")
    period: str = Field(description="2024-03, 2024-Q1 or 2024, matching the indicator's frequency.")
    value: float | None = Field(description="The value; null clears it (the old one stays in the history).")
    disaggregation: str = ""
    note: str | None = None


class TargetIn(BaseModel):
    code: str
    period: str
    value: float | None = Field(description="The target; null removes it.")
    disaggregation: str = ""


class SaveOut(BaseModel):
    code: str
    period: str
    disaggregation: str
    value: float | None
    status: str = Field(description="saved, unchanged or cleared.")
    warning: str | None = Field(description="Outlier warning: the value was saved, but is unusual for this indicator.")
    notes: list[str] = Field(description="Formula values that could not be recomputed, and why.")


class TargetOut(BaseModel):
    code: str
    period: str
    disaggregation: str
    value: float | None


class HistoryEntryOut(BaseModel):
    value: float
    revision: int
    source: str
    note: str | None
    entered_by: str
    entered_at: str
    current: bool
    replaced_by: str | None
    replaced_at: str | None


class IndicatorSeriesPoint(BaseModel):
    period: str
    period_start: str
    disaggregation: str
    value: float
    numerator: float | None
    denominator: float | None
    source: str
    entered_by: str
    entered_at: str
    revision: int


class TargetPoint(BaseModel):
    period: str
    period_start: str
    period_end: str
    disaggregation: str
    value: float
    source: str


class IndicatorDetailOut(BaseModel):
    mission: str
    version: int
    indicator: IndicatorOut
    objective: str
    result: str
    pending: str | None
    values: list[IndicatorSeriesPoint]
    targets: list[TargetPoint]
    history: list[HistoryEntryOut] = Field(description="Versions of the cell given by ?period= (newest first).")


class UploadRejection(BaseModel):
    line: int
    reason: str


class UploadWarning(BaseModel):
    line: int
    warning: str


class UploadOut(BaseModel):
    source: str
    rows_read: int
    saved: int
    targets: int
    unchanged: int
    skipped: int
    rejected: int
    warnings: list[UploadWarning]
    rejections: list[UploadRejection]
    run_id: int | None


class EvidenceOut(BaseModel):
    code: str
    name: str
    unit: str
    direction: str
    baseline: float | None
    target: float | None
    target_period: str | None
    value: float | None
    periods: list[str]
    progress: float | None
    status: str = Field(description="on_track, at_risk, off_track, no_data or no_target.")


class ObjectiveRatingOut(BaseModel):
    code: str
    title: str
    mandate_task: str | None
    tags: list[TagOut]
    computed: str = Field(description="The rating the documented rule gives (decision record 007).")
    rating: str = Field(description="The rating that stands: the computed one unless overridden.")
    overridden: bool
    override_reason: str | None
    overridden_by: str | None
    evidence: list[EvidenceOut]


class AssessmentEventOut(BaseModel):
    action: str
    from_status: str | None
    to_status: str
    actor: str
    at: str
    note: str


class AssessmentOut(BaseModel):
    mission: str
    mission_name: str
    period: str
    period_label: str
    period_start: str
    period_end: str
    framework_version: int
    status: str = Field(description="none (not started), draft, submitted or approved.")
    locked: bool
    narrative: str
    created_by: str | None
    submitted_by: str | None
    approved_by: str | None
    approved_at: str | None
    objectives: list[ObjectiveRatingOut]
    events: list[AssessmentEventOut]


class AssessmentListItem(BaseModel):
    period: str
    status: str
    created_by: str
    approved_by: str | None
    ratings: dict[str, int]


class AssessmentsOut(BaseModel):
    mission: str
    assessments: list[AssessmentListItem]


class AssessmentActionIn(BaseModel):
    narrative: str | None = Field(None, description="For action 'narrative'.")
    objective: str | None = Field(None, description="For action 'override': the objective code.")
    rating: str | None = Field(
        None, description="For 'override': on_track, at_risk, off_track, no_data, or '' to clear."
    )
    reason: str | None = Field(None, description="For 'override', 'return' and 'reopen': the written reason.")


class RegionsIn(BaseModel):
    regions: list[str] = Field(description="Sectors or field offices, e.g. ['Sector North', 'Juba'].")


class RenewIn(BaseModel):
    mandate: str
    valid_from: str = Field(description="YYYY-MM-DD, the first day of the new version.")


class DerivedOut(BaseModel):
    mission: str
    version: int
    indicators: list[dict[str, Any]]
    inserted: int
    updated: int
    unchanged: int
    removed: int
    locked: int


class ScorecardRowOut(BaseModel):
    mission: str = Field(description="Mission acronym.")
    priority: str = Field(description="A4P+ priority code, e.g. A4P+.P2.")
    rating: str = Field(description="on_track, at_risk, off_track or no_data (decision records 007 and 010).")
    indicators: int = Field(description="Indicators under the mission's objectives tagged with the priority.")
    with_data: int = Field(description="Of those, how many have a value for the month (or its quarter or year).")


class ScorecardOut(BaseModel):
    period: str = Field(description="The month, YYYY-MM.")
    rows: list[ScorecardRowOut]


class ScorecardSummaryOut(BaseModel):
    period: str
    period_label: str
    previous: str
    next: str
    priorities: list[dict[str, str]]
    themes: list[dict[str, str]]
    missions: list[dict[str, Any]]
    rows: list[ScorecardRowOut]
    priority_rollup: list[dict[str, Any]]
    theme_rollup: list[dict[str, Any]]
    trend: list[dict[str, Any]]


class ScorecardCellOut(BaseModel):
    period: str
    period_label: str
    mission: str
    mission_name: str
    element: str
    kind: str
    title: str
    framework_version: int | None
    rating: str
    score: float | None
    indicators: list[dict[str, Any]]
    trend: list[dict[str, Any]]


class ResultPatch(BaseModel):
    """Fields of a result to change; fields left out stay as they are."""

    title: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=4000)
    mandate_task: str | None = Field(default=None, max_length=4000, description="Objectives only.")
    parent: str | None = Field(default=None, max_length=32, description="Move under another result.")
    tags: list[str] | None = Field(default=None, description="A4P / A4P+ codes (objectives only).")


class ResultIn(ResultPatch):
    code: str = Field(max_length=32, description="e.g. O7 or O2.3.1; unique in the version.")
    level: str = Field(description="objective, outcome or output.")


class IndicatorPatch(BaseModel):
    """Fields of an indicator to change; fields left out stay as they are."""

    name: str | None = Field(default=None, max_length=200)
    definition: str | None = Field(default=None, max_length=4000)
    data_source: str | None = Field(default=None, max_length=300)
    result: str | None = Field(default=None, max_length=32, description="The result it measures.")
    unit: str | None = None
    direction: str | None = None
    baseline: float | None = None
    baseline_period: str | None = Field(default=None, max_length=7)
    frequency: str | None = None
    disaggregations: list[str] | None = None
    kind: str | None = None
    numerator: str | None = Field(default=None, max_length=2000)
    denominator: str | None = Field(default=None, max_length=2000)
    factor: float | None = None
    derivation: str | None = Field(default=None, max_length=64)
    aggregation: str | None = None
    not_above: str | None = Field(default=None, max_length=40)


class IndicatorIn(IndicatorPatch):
    code: str = Field(max_length=40, description="Upper-case identifier, e.g. POC_ALERTS.")
    name: str = Field(max_length=200)
    result: str = Field(max_length=32)
    unit: str
