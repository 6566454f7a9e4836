"""What the country functions return: typed, frozen shapes that the pages, their JSON twins (as the response
models, see decision 019), the CSV exports and the tests all read. Field order is the JSON's key order."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from peaceops.conduct.shapes import AllegationYearCategory, OutcomeCount
from peaceops.safety.shapes import FatalityYearType


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class CountrySummary(_Shape):
    """One contributing country with its headline figures."""

    iso3: str
    country: str
    peak_deployed: int
    fatalities: int
    allegations: int
    pledges: int


class CountryList(_Shape):
    countries: list[CountrySummary]


class CountryPersonnelMonth(_Shape):
    month: str
    personnel_type: str
    label: str
    total: int


class CountryWomenShare(_Shape):
    month: str
    women: int
    total: int
    share: float


class CountryMissionStrength(_Shape):
    mission: str
    total: int
    women: int


class MissionDeaths(_Shape):
    mission: str
    count: int
    in_register: bool = Field(description="False for missions outside the register, listed by the UN list's acronym.")


class CountryFatalities(_Shape):
    """Deaths of the country's nationals in peace operations."""

    total: int
    malicious: int
    by_year: list[FatalityYearType]
    by_mission: list[MissionDeaths]


class MissionAllegations(_Shape):
    mission: str
    count: int


class CountryAllegations(_Shape):
    """Allegations naming the country among the nationalities of the personnel involved."""

    total: int
    by_year: list[AllegationYearCategory]
    by_mission: list[MissionAllegations]
    by_outcome: list[OutcomeCount]


class CountryProfile(_Shape):
    """Everything the country page shows."""

    iso3: str
    country: str
    personnel_series: list[CountryPersonnelMonth]
    women_share_series: list[CountryWomenShare]
    latest_month: str | None
    latest_missions: list[CountryMissionStrength]
    fatalities: CountryFatalities
    allegations: CountryAllegations
    pledges: dict[str, Any] = Field(description="Pledges the country made, by status and A4P area.")
