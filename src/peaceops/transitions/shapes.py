"""What the transition functions return: typed, frozen shapes that the pages, their JSON twins (response
models, decision 019), the exports and the tests read. Field order is the JSON's key order."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class Count(_Shape):
    code: str
    label: str
    count: int


class PlanOut(_Shape):
    """One row per plan: the plan's own fields, as its file holds them (the export's shape)."""

    mission: str
    title: str
    adopted: date | None
    planned_exit: date
    resolution: str
    phase: str


class DrawdownStepOut(_Shape):
    mission: str
    step: str
    category: str
    category_label: str
    planned_date: date
    planned_ceiling: int
    actual_date: date | None
    actual_strength: int | None = Field(description="The strength the mission reports it reached (its file).")
    ipi_month: date | None = Field(description="The month-end of the IPI monthly mission totals compared.")
    ipi_strength: int | None = Field(
        description="Uniformed personnel of the category in the IPI monthly mission totals that month; null where "
        "the loaded totals do not cover it."
    )
    compared: int | None = Field(description="The reported strength, else the IPI figure.")
    over_ceiling: int | None = Field(description="compared - planned_ceiling; positive: above the ceiling.")
    met: bool | None = Field(description="compared <= planned_ceiling; null where nothing compares.")


class TransitionOut(_Shape):
    """A mission's transition at a glance: aggregates every signed-in user reads (decision 045)."""

    mission: str
    mission_name: str
    title: str
    adopted: date | None
    planned_exit: date
    resolution: str
    phase: str
    phase_label: str
    benchmarks: list[Count] = Field(description="Benchmarks per status.")
    tasks: list[Count] = Field(description="Tasks handed over per status.")
    tasks_by_recipient: list[Count] = Field(description="Tasks per recipient (UN country team, host government).")
    tasks_overdue: int = Field(description="Tasks past their date that are neither handed over nor cancelled.")
    bases: list[Count] = Field(description="Bases per status.")
    drawdown: list[DrawdownStepOut]


class BenchmarkOut(_Shape):
    mission: str
    code: str
    title: str
    due: date
    status: str
    status_label: str
    achieved: date | None
    overdue: bool
    indicator: str
    indicator_status: str | None = Field(
        description="The indicator's rating in the newest assessed quarter (on_track, off_track...); null when "
        "the benchmark names none or the framework holds no value."
    )
    indicator_period: str | None


class TaskOut(_Shape):
    mission: str
    code: str
    title: str
    recipient: str
    recipient_label: str
    entity: str
    due: date
    status: str
    status_label: str
    handed_over: date | None
    overdue: bool
    benchmark: str | None


class BaseOut(_Shape):
    mission: str
    name: str
    country_iso3: str
    latitude: float
    longitude: float
    planned_closure: date
    actual_closure: date | None
    status: str
    status_label: str
    handed_to: str
    personnel: int | None


class SourceCount(_Shape):
    """Events of one evidence source around a vacated base, before and after it closed."""

    source: str = Field(description="events (UCDP GED / ACLED in the event store) or reports (the mission's).")
    covered: bool = Field(description="Whether the source covers both windows; counts are null when it does not.")
    before: int | None
    after: int | None
    deaths_before: int | None = Field(description="Civilian deaths (events) or civilians killed (reports).")
    deaths_after: int | None
    rising: bool | None
    note: str = ""


class VacatedArea(_Shape):
    base: str
    country_iso3: str
    closed: date
    before: str = Field(description="The months before closure compared, YYYY-MM..YYYY-MM.")
    after: str = Field(description="The months after closure compared, YYYY-MM..YYYY-MM.")
    sources: list[SourceCount]
    verdict: str = Field(description="holding, deteriorating, too_early or no_data (decision 045).")
    verdict_label: str
    why: str


class IndicatorReading(_Shape):
    code: str
    name: str
    period: str
    status: str = Field(description="on_track, at_risk, off_track, no_data or no_target (decision 007).")
    value: float | None
    target: float | None


class Protection(_Shape):
    """Whether protection holds as the mission leaves, from evidence (decision 045)."""

    mission: str
    as_of: date
    radius_km: float
    window_months: int
    verdict: str = Field(description="holding, at_risk or unknown.")
    verdict_label: str
    why: str
    areas_by_verdict: list[Count]
    areas_shown: bool = Field(description="Whether the reader may see each base (mission records) below.")
    areas: list[VacatedArea]
    indicators: list[IndicatorReading] = Field(
        description="The protection indicators of the mission's results framework, per quarter since the "
        "transition began (newest last)."
    )
