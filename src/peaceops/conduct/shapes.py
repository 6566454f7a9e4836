"""What the conduct functions return: typed, frozen shapes that the page, its JSON twin (as the response
model, see decision 019), the CSV exports and the tests all read. Field order is the JSON's key order."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class AllegationGroup(_Shape):
    """One group of allegations. Its key field is named after the ``by`` dimension (``mission``, ``year``,
    ``personnel_category``, ``country``, ``allegation_category``, ``outcome`` or ``investigation_entity``),
    followed by ``substantiated``, ``pending`` and ``child_victims``; grouped by country a row has the
    country's ``name``, grouped by mission ``in_register``."""

    model_config = ConfigDict(frozen=True, extra="allow")
    count: int

    def value(self, name: str) -> Any:
        """A field by name, the dimension's key included (``row.value(by)``); None where the row has none."""
        return getattr(self, name, None)


class AllegationSummary(_Shape):
    by: str = Field(description="The dimension rows are grouped by.")
    mission: str | None
    year: int | None
    rows: list[AllegationGroup]
    total: int = Field(description="Records the filters select (each counted once).")


class AllegationYearCategory(_Shape):
    year: int
    personnel_category: str
    count: int


class InvestigationDays(_Shape):
    """Days from report to completed investigation, over the allegations whose investigation is complete."""

    allegations: int
    completed: int
    median_days: float | None
    p25_days: float | None
    p75_days: float | None
    mean_days: float | None
    within_90: float | None


class InvestigationDaysByYear(InvestigationDays):
    year: int
    pending: int
    not_applicable: int


class InvestigationDaysByEntity(InvestigationDays):
    entity: str
    pending: int
    not_applicable: int


class InvestigationTimeliness(_Shape):
    prompt_days: int
    overall: InvestigationDays
    by_year: list[InvestigationDaysByYear]
    by_entity: list[InvestigationDaysByEntity]


class OutcomeCount(_Shape):
    outcome: str
    count: int


class OutcomeYear(_Shape):
    year: int
    outcome: str
    count: int


class FinalActionCount(_Shape):
    by: str | None = Field(description="Who acted: UN, or NG (the personnel's national government); null if unsaid.")
    action: str
    allegations: int
    personnel: int


class ReferralCount(_Shape):
    referral: str
    count: int


class AllegationOutcomes(_Shape):
    total: int
    by_outcome: list[OutcomeCount]
    by_year: list[OutcomeYear]
    final_actions: list[FinalActionCount]
    criminal_referral: list[ReferralCount]


class VictimGroupCount(_Shape):
    group: str
    victims: int
    allegations_without_count: int


class PaternityCount(_Shape):
    status: str
    count: int


class VictimAssistance(_Shape):
    allegations: int
    with_child_victims: int
    victims: list[VictimGroupCount] = Field(description="Victims by age group: counts only, never identities.")
    paternity_claims: int
    paternity_established: list[PaternityCount]


class AllegationRate(_Shape):
    mission: str
    year: int
    months_covered: int
    personnel_years: float
    allegations: int
    per_1000: float | None
    per_1000_interval: tuple[float, float] | None


class ConductOverview(_Shape):
    """Everything the Conduct page shows in aggregate."""

    mission: str | None
    year: int | None
    total: int
    reported_from: str | None
    reported_to: str | None
    strength_to: str | None = Field(description="Last month of the strength totals that per-1,000 rates divide by.")
    by_year: list[AllegationYearCategory]
    by_mission: list[AllegationGroup]
    by_personnel_category: list[AllegationGroup]
    by_country: list[AllegationGroup]
    by_allegation_category: list[AllegationGroup]
    timeliness: InvestigationTimeliness
    outcomes: AllegationOutcomes
    victim_assistance: VictimAssistance
    rates: list[AllegationRate]
    records_visible: bool = Field(description="Whether the signed-in user may read allegation records.")


class AllegationRecord(_Shape):
    """One allegation as flat fields: lists joined into readable text, so the table and the CSV agree."""

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


class AllegationRecords(_Shape):
    scope: str | None = Field(description="The mission the reader is limited to; null for every mission.")
    mission: str | None
    year: int | None
    country: str | None
    total: int
    offset: int
    rows: list[AllegationRecord]


class AllegationDetail(AllegationRecord):
    parts: dict[str, object]
