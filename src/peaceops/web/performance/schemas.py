"""Request bodies of the mission performance API (/api/performance/...). The answers are described once, by
the performance domain's typed shapes (``peaceops.performance.shapes``, decision 019)."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
