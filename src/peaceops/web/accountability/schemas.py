"""Response and request shapes of the accountability API (safety, conduct, country profiles)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class SummaryRow(BaseModel):
    """One group; its key field is named after the ``by`` dimension (``mission``, ``year``, ...)."""

    model_config = ConfigDict(extra="allow")
    count: int


class SummaryOut(BaseModel):
    by: str = Field(description="The dimension rows are grouped by.")
    mission: str | None
    year: int | None
    rows: list[SummaryRow]
    total: int = Field(description="Records the filters select (each counted once).")


class FatalityRateRow(BaseModel):
    mission: str
    year: int
    months_covered: int = Field(description="Monthly strength totals the year has (12 for a full year).")
    personnel_years: float
    fatalities: int = Field(description="Uniformed deaths in the months covered.")
    malicious: int
    per_1000: float | None = Field(description="Uniformed deaths per 1,000 uniformed personnel-years.")
    malicious_per_1000: float | None


class TrendRow(BaseModel):
    year: int
    fatalities: int
    malicious: int
    malicious_share: float | None
    personnel_years: float | None
    per_1000: float | None
    malicious_per_1000: float | None


class ComparisonRow(BaseModel):
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


class IncidentTypeRow(BaseModel):
    incident_type: str
    count: int
    share: float | None


class YearTypeRow(BaseModel):
    year: int
    incident_type: str
    count: int


class StageRow(BaseModel):
    stage: str
    label: str
    reached: int
    share: float | None


class StatusCountRow(BaseModel):
    status: str
    label: str
    count: int


class AccountabilityOut(BaseModel):
    total: int
    fatalities: int
    injured: int
    by_status: list[StatusCountRow]
    stages: list[StageRow]
    judicial_follow_up: int = Field(description="Incidents whose case was opened, whatever came of it.")
    judicial_follow_up_share: float | None


class IncidentOut(BaseModel):
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


class HistoryRow(BaseModel):
    from_status: str | None
    to_status: str
    to_label: str
    effective_on: str
    note: str
    actor: str
    recorded_at: str


class IncidentDetailOut(IncidentOut):
    history: list[HistoryRow]


class IncidentsOut(BaseModel):
    incidents: list[IncidentOut]


class SafetyOut(BaseModel):
    mission: str | None
    year: int | None
    total: int
    malicious: int
    strength_from: str | None
    strength_to: str | None
    by_year: list[YearTypeRow]
    by_incident_type: list[IncidentTypeRow]
    malicious_trend: list[TrendRow]
    comparison: list[ComparisonRow]
    rates: list[FatalityRateRow]
    by_mission: list[SummaryRow]
    accountability: AccountabilityOut
    records_visible: bool = Field(description="Whether the signed-in user may read incident records.")


class IncidentIn(BaseModel):
    mission: str = Field(max_length=32)
    occurred_on: date
    location: str = Field(max_length=200)
    incident_type: str = Field(max_length=60)
    description: str = Field("", max_length=4000, description="What happened; never names or personal data.")
    fatalities: int = Field(0, ge=0)
    injured: int = Field(0, ge=0)
    reference: str | None = Field(None, max_length=80)


class StatusIn(BaseModel):
    status: str = Field(max_length=24)
    effective_on: date
    note: str = Field("", max_length=2000)


class AllegationRateRow(BaseModel):
    mission: str
    year: int
    months_covered: int
    personnel_years: float
    allegations: int
    per_1000: float | None
    per_1000_interval: tuple[float, float] | None


class TimelinessRow(BaseModel):
    model_config = ConfigDict(extra="allow")
    allegations: int
    completed: int
    median_days: float | None
    p25_days: float | None
    p75_days: float | None
    mean_days: float | None
    within_90: float | None


class TimelinessOut(BaseModel):
    prompt_days: int
    overall: TimelinessRow
    by_year: list[TimelinessRow]
    by_entity: list[TimelinessRow]


class OutcomesOut(BaseModel):
    total: int
    by_outcome: list[dict[str, str | int]]
    by_year: list[dict[str, str | int]]
    final_actions: list[dict[str, str | int | None]]
    criminal_referral: list[dict[str, str | int]]


class VictimAssistanceOut(BaseModel):
    allegations: int
    with_child_victims: int
    victims: list[dict[str, str | int]] = Field(description="Victims by age group: counts only, never identities.")
    paternity_claims: int
    paternity_established: list[dict[str, str | int]]


class ConductOut(BaseModel):
    mission: str | None
    year: int | None
    total: int
    reported_from: str | None
    reported_to: str | None
    strength_to: str | None = Field(description="Last month of the strength totals that per-1,000 rates divide by.")
    by_year: list[dict[str, str | int]]
    by_mission: list[SummaryRow]
    by_personnel_category: list[SummaryRow]
    by_country: list[SummaryRow]
    by_allegation_category: list[SummaryRow]
    timeliness: TimelinessOut
    outcomes: OutcomesOut
    victim_assistance: VictimAssistanceOut
    rates: list[AllegationRateRow]
    records_visible: bool = Field(description="Whether the signed-in user may read allegation records.")


class AllegationRecord(BaseModel):
    id: int
    mission: str
    in_register: bool
    reported_month: str
    incident_period: str | None
    personnel_category: str
    personnel: str
    personnel_involved: int | None
    nationality: str | None
    countries: str
    allegation_category: str
    allegations: str
    victims: str = Field(description="Counts by age group only.")
    child_victims: bool
    paternity_claim: bool
    paternity_established: str
    nio_appointed: str
    investigation_entity: str
    investigation_status: str
    investigation_days: int | None
    outcome: str
    results: str
    interim_actions: str
    final_actions: str
    criminal_referral: str


class AllegationsOut(BaseModel):
    scope: str | None = Field(description="The mission the reader is limited to; null for every mission.")
    mission: str | None
    year: int | None
    country: str | None
    total: int
    offset: int
    rows: list[AllegationRecord]


class AllegationDetailOut(AllegationRecord):
    parts: dict[str, object]


class CountryRow(BaseModel):
    iso3: str
    country: str
    peak_deployed: int
    fatalities: int
    allegations: int
    pledges: int = 0


class CountriesOut(BaseModel):
    countries: list[CountryRow]


class CountryOut(BaseModel):
    iso3: str
    country: str
    personnel_series: list[dict[str, str | int]]
    women_share_series: list[dict[str, str | int | float]]
    latest_month: str | None
    latest_missions: list[dict[str, str | int]]
    fatalities: dict[str, object]
    allegations: dict[str, object]
    pledges: dict[str, object] = Field(description="Pledges the country made, by status and A4P area.")


def _blank(value: object) -> object:
    """A filter form's "all" option sends an empty value: read it as no filter."""
    return None if value == "" else value


MissionQuery = Annotated[
    Annotated[str, Field(max_length=32)] | None,
    BeforeValidator(_blank),
    Query(description="Mission acronym, e.g. MINUSCA."),
]
YearQuery = Annotated[
    Annotated[int, Field(ge=1940, le=2100)] | None, BeforeValidator(_blank), Query(description="Calendar year.")
]
CountryQuery = Annotated[
    Annotated[str, Field(min_length=3, max_length=3)] | None,
    BeforeValidator(_blank),
    Query(description="ISO 3166 alpha-3 code of the personnel's country."),
]
