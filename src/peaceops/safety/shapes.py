"""What the safety functions return: typed, frozen shapes that the page, its JSON twin (as the response
model, see decision 019), the CSV exports and the tests all read. Field order is the JSON's key order."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class FatalityGroup(_Shape):
    """One group of deaths. Its key field is named after the ``by`` dimension (``mission``, ``year``,
    ``incident_type``, ``personnel_type`` or ``nationality``) and followed by ``malicious``; grouped by
    mission, ``in_register`` says whether the mission is in the register (rates need it)."""

    model_config = ConfigDict(frozen=True, extra="allow")
    count: int

    def value(self, name: str) -> Any:
        """A field by name, the dimension's key included (``row.value(by)``); None where the row has none."""
        return getattr(self, name, None)


class FatalitySummary(_Shape):
    by: str = Field(description="The dimension rows are grouped by.")
    mission: str | None
    year: int | None
    rows: list[FatalityGroup]
    total: int = Field(description="Records the filters select (each counted once).")


class FatalityYearType(_Shape):
    year: int
    incident_type: str
    count: int


class FatalityTypeShare(_Shape):
    incident_type: str
    count: int
    share: float | None


class FatalityRate(_Shape):
    mission: str
    year: int
    months_covered: int = Field(description="Monthly strength totals the year has (12 for a full year).")
    personnel_years: float
    fatalities: int = Field(description="Uniformed deaths in the months covered.")
    malicious: int
    per_1000: float | None = Field(description="Uniformed deaths per 1,000 uniformed personnel-years.")
    malicious_per_1000: float | None


class FatalityTrendYear(_Shape):
    year: int
    fatalities: int
    malicious: int
    malicious_share: float | None
    personnel_years: float | None
    per_1000: float | None
    malicious_per_1000: float | None


class MissionFatalityRate(_Shape):
    mission: str
    name: str
    active: bool
    from_year: int
    to_year: int
    personnel_years: float
    fatalities: int
    malicious: int
    per_1000: float | None
    per_1000_interval: tuple[float, float] | None = Field(description="Exact 95% Poisson interval.")
    malicious_per_1000: float | None


class IncidentStatusCount(_Shape):
    status: str
    label: str
    count: int


class AccountabilityStage(_Shape):
    stage: str
    label: str
    reached: int
    share: float | None


class AccountabilitySummary(_Shape):
    total: int
    fatalities: int
    injured: int
    by_status: list[IncidentStatusCount]
    stages: list[AccountabilityStage]
    judicial_follow_up: int = Field(description="Incidents whose case was opened, whatever came of it.")
    judicial_follow_up_share: float | None


class SafetyOverview(_Shape):
    """Everything the Safety page shows except incident records."""

    mission: str | None
    year: int | None
    total: int
    malicious: int
    strength_from: str | None
    strength_to: str | None
    by_year: list[FatalityYearType]
    by_incident_type: list[FatalityTypeShare]
    malicious_trend: list[FatalityTrendYear]
    comparison: list[MissionFatalityRate]
    rates: list[FatalityRate]
    by_mission: list[FatalityGroup]
    accountability: AccountabilitySummary
    records_visible: bool = Field(description="Whether the signed-in user may read incident records.")


class SeriousIncident(_Shape):
    """A serious incident against peacekeepers as the records list, the detail and the CSV show it."""

    id: int
    mission: str
    occurred_on: str
    location: str
    incident_type: str
    description: str
    fatalities: int
    injured: int
    reference: str | None
    status: str
    status_label: str
    furthest_stage: str
    status_since: str
    judicial_follow_up: bool
    created_by: str
    created_at: str


class SeriousIncidentStep(_Shape):
    from_status: str | None
    to_status: str
    to_label: str
    effective_on: str
    note: str
    actor: str
    recorded_at: str


class SeriousIncidentDetail(SeriousIncident):
    history: list[SeriousIncidentStep]


class SeriousIncidentList(_Shape):
    incidents: list[SeriousIncident]
