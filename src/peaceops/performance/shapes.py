"""What the mission performance functions return: typed, frozen shapes that the pages, their JSON twins (as
the response models, see decision 019), the exports and the tests all read. Field order is the JSON's key
order."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


# ------------------------------------------------------------------ frameworks
class ElementTag(_Shape):
    """An A4P / A4P+ element an objective is tagged with."""

    code: str = Field(description="A4P / A4P+ element code, e.g. A4P+.P2.")
    kind: str = Field(description="commitment_area, priority or theme.")
    title: str


class IndicatorDefinition(_Shape):
    """An indicator as its framework version defines it, with how many values it has stored."""

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


class ResultNode(_Shape):
    """A result of the tree: objectives carry their mandate task and A4P tags, outcomes and outputs do not."""

    code: str
    level: str = Field(description="objective, outcome or output.")
    title: str
    description: str
    mandate_task: str | None = None
    tags: list[ElementTag] = []
    indicators: list[IndicatorDefinition]
    children: list[ResultNode]


class FrameworkVersion(_Shape):
    mission: str
    version: int
    title: str
    mandate: str
    valid_from: str
    valid_to: str | None
    template: str | None
    created_by: str
    created_at: str


class FrameworkTree(FrameworkVersion):
    """A framework version as nested objectives -> outcomes -> outputs, each with its indicators."""

    mission_name: str
    regions: list[str]
    objectives: list[ResultNode]
    versions: list[FrameworkVersion]


class MissionFramework(_Shape):
    """A mission on the performance index: its current framework version, size and latest assessment."""

    acronym: str
    name: str
    active: bool
    version: int | None
    valid_from: str | None
    indicators: int
    values: int
    latest_assessment: str | None
    latest_status: str | None


class FrameworkTemplate(_Shape):
    """A template of the library with its size."""

    code: str
    title: str
    description: str
    objectives: int
    indicators: int


class FrameworkIndex(_Shape):
    missions: list[MissionFramework]
    templates: list[FrameworkTemplate]


# ------------------------------------------------------------------ data entry
class GridRow(_Shape):
    """One indicator and disaggregation of the data-entry grid: value, target, previous value, provenance."""

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
    target_rule: str | None = None
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


class Grid(_Shape):
    """The data-entry grid of one framework version for one period."""

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
    rows: list[GridRow]


class SaveOutcome(_Shape):
    """What saving one cell did, in the words the grid, the API and the upload report show."""

    code: str
    period: str
    disaggregation: str
    value: float | None
    status: str = Field(description="saved, unchanged or cleared.")
    warning: str | None = Field(description="Outlier warning: the value was saved, but is unusual for this indicator.")
    notes: list[str] = Field(description="Formula values that could not be recomputed, and why.")


class TargetSet(_Shape):
    """A target as it stands after setting it (``value`` None: removed)."""

    code: str
    period: str
    disaggregation: str
    value: float | None


class UploadRejection(_Shape):
    line: int
    reason: str


class UploadWarning(_Shape):
    line: int
    warning: str


class UploadReport(_Shape):
    """What an uploaded template did: rows saved, targets set, and each rejected row with its line."""

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


class DerivedReport(_Shape):
    """What recomputing a framework version's derived indicators did; ``indicators`` has one entry per derived
    indicator (code, derivation, values, status, and first/last period where computed, note)."""

    mission: str
    version: int
    indicators: list[dict[str, Any]]
    inserted: int
    updated: int
    unchanged: int
    removed: int
    locked: int


# ------------------------------------------------------------------ one indicator
class ValueVersion(_Shape):
    """A version of one cell's value: the current one or one it replaced."""

    value: float
    revision: int
    source: str
    note: str | None
    entered_by: str
    entered_at: str
    current: bool
    replaced_by: str | None
    replaced_at: str | None


class ValuePoint(_Shape):
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


class TargetPoint(_Shape):
    period: str
    period_start: str
    period_end: str
    disaggregation: str
    value: float
    source: str
    rule: str = Field("", description="How a default target was computed; empty for a target a person set.")
    set_by: str = ""


class IndicatorDetail(_Shape):
    """One indicator with every stored value and target, and the history of one cell."""

    mission: str
    version: int
    indicator: IndicatorDefinition
    objective: str
    result: str
    pending: str | None
    values: list[ValuePoint]
    targets: list[TargetPoint]
    history: list[ValueVersion] = Field(description="Versions of the cell given by ?period= (newest first).")


# ------------------------------------------------------------------ assessments
class Evidence(_Shape):
    """One indicator's contribution to an objective's rating, kept with the rating so it can be audited."""

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
    target_rule: str = Field("", description="How a default target was computed; empty for one a person set.")
    target_set_by: str | None = None


class RatedObjective(_Shape):
    code: str
    title: str
    mandate_task: str | None
    tags: list[ElementTag]
    computed: str = Field(description="The rating the documented rule gives (decision record 007).")
    rating: str = Field(description="The rating that stands: the computed one unless overridden.")
    overridden: bool
    override_reason: str | None
    overridden_by: str | None
    evidence: list[Evidence]
    why: str = Field("", description="The computed rating's reason in one line (weakest indicator, its target's rule).")


class AssessmentStep(_Shape):
    """One step of an assessment's approval trail."""

    action: str
    from_status: str | None
    to_status: str
    actor: str
    at: str
    note: str


class AssessmentView(_Shape):
    """An assessment as the page and the API show it; before one is started, the ratings it would get."""

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
    objectives: list[RatedObjective]
    events: list[AssessmentStep]


class AssessmentSummary(_Shape):
    period: str
    status: str
    created_by: str
    approved_by: str | None
    ratings: dict[str, int]


class AssessmentList(_Shape):
    """A mission's assessments, newest first."""

    mission: str
    assessments: list[AssessmentSummary]


# ------------------------------------------------------------------ scorecards
class ScorecardRow(_Shape):
    mission: str = Field(description="Mission acronym.")
    priority: str = Field(description="A4P+ priority code, e.g. A4P+.P2.")
    rating: str = Field(description="on_track, at_risk, off_track or no_data (decision records 007 and 010).")
    indicators: int = Field(description="Indicators under the mission's objectives tagged with the priority.")
    with_data: int = Field(description="Of those, how many have a value for the month (or its quarter or year).")


class Scorecard(_Shape):
    """The published contract of ``GET /api/performance/scorecard``: nothing more than these fields."""

    period: str = Field(description="The month, YYYY-MM.")
    rows: list[ScorecardRow]


class ElementRef(_Shape):
    """An A4P+ priority or theme."""

    code: str
    title: str


class HeatmapCell(_Shape):
    """One mission x priority cell of the heatmap: the rating and the counts behind it."""

    priority: str
    rating: str
    score: float | None = Field(description="Mean points of the rated indicators (on track 1, at risk 0.5).")
    indicators: int
    with_data: int
    targeted: int
    rated: int
    why: str = Field("", description="The rating's reason in one line (weakest indicator, its target's rule).")


class HeatmapRow(_Shape):
    mission: str
    cells: list[HeatmapCell | None] = Field(description="One per priority, in the priorities' order; null: none.")


class _Pooled(_Shape):
    """Cells of one element pooled across missions: missions per rating, and the rule over the pooled
    indicators. Listed first among a shape's bases, so its fields come after the other base's."""

    missions: int
    on_track: int
    at_risk: int
    off_track: int
    no_data: int
    indicators: int
    with_data: int
    rating: str
    score: float | None


class ElementRollup(_Pooled, ElementRef):
    """A priority or theme across missions for the month."""


class _TrendKey(_Shape):
    period: str
    element: str
    title: str


class TrendCell(_Pooled, _TrendKey):
    """A priority or theme across missions, one month of the trend."""


class ScorecardSummary(_Shape):
    """The scorecard page: heatmap, per-priority and per-theme roll-ups, trend over 24 months."""

    period: str
    period_label: str
    previous: str
    next: str
    priorities: list[ElementRef]
    themes: list[ElementRef]
    missions: list[HeatmapRow]
    rows: list[ScorecardRow]
    priority_rollup: list[ElementRollup]
    theme_rollup: list[ElementRollup]
    trend: list[TrendCell]


class CellIndicator(_Shape):
    """One indicator behind a heatmap cell: its value and target for the month, read at its own frequency."""

    objective: str
    objective_title: str
    code: str
    name: str
    unit: str
    direction: str
    kind: str
    frequency: str
    value_period: str
    value: float | None
    source: str | None
    entered_by: str | None
    baseline: float | None
    target: float | None
    target_rule: str = Field("", description="How a default target was computed; empty for one a person set.")
    status: str = Field(description="on_track, at_risk, off_track, no_data or no_target.")


class CellTrendPoint(_Shape):
    period: str
    rating: str | None = Field(description="null: the cell did not exist that month.")
    with_data: int


class CellDrilldown(_Shape):
    """The indicators, values and targets behind one heatmap cell, and the cell's trend."""

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
    why: str = Field("", description="The rating's reason in one line.")
    indicators: list[CellIndicator]
    trend: list[CellTrendPoint]
