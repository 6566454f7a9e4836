"""Response shapes of the JSON API, so /api/openapi.json documents every field the pages show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorOut(BaseModel):
    error: str = Field(description="The error's class name, e.g. NotFound or LoginRequired.")
    detail: str = Field(description="One sentence saying what happened and what to do.")


class StrengthPoint(BaseModel):
    month: str
    total: int


class MissionOut(BaseModel):
    acronym: str
    name: str
    start_date: str | None
    end_date: str | None
    active: bool
    status: str
    lead_department: str | None = None
    host_iso3: str | None
    host_country: str | None
    region: str | None
    hq_location: str | None
    longitude: float | None
    latitude: float | None
    position_estimated: bool = Field(
        description="True when the HQ position is unknown and the host country's centre is shown instead."
    )
    latest_strength: StrengthPoint | None


class MissionsOut(BaseModel):
    missions: list[MissionOut]


class MapPoint(BaseModel):
    acronym: str
    name: str
    host_country: str | None
    total: int
    longitude: float
    latitude: float
    position_estimated: bool


class FatalityHeadline(BaseModel):
    total: int = Field(description="All fatalities on record.")
    from_year: int | None
    to_year: int | None = Field(description="The last calendar year the fatalities data fully covers.")
    in_period: int
    malicious_act: int


class DatasetOut(BaseModel):
    kind: str
    label: str
    source: str
    imported_at: str
    rows_read: int
    rejected: int
    run_id: int
    coverage_from: str | None
    coverage_to: str | None


class HomeOut(BaseModel):
    missions_total: int
    missions_active: int
    strength_month: str | None = Field(description="Latest month of the monthly mission totals.")
    personnel_deployed: int = Field(description="Uniformed personnel in all missions in strength_month.")
    missions_deployed: int
    contributions_month: str | None = Field(description="Latest month of the contributions table.")
    contributing_countries: int
    women: int
    women_share: float | None
    fatalities: FatalityHeadline
    map: list[MapPoint]
    datasets: list[DatasetOut]


class StrengthRow(BaseModel):
    month: str
    troops: int
    police: int
    observers: int
    total: int


class WomenShareRow(BaseModel):
    month: str
    category: str
    label: str
    women: int
    total: int
    share: float


class ParityTargetRow(BaseModel):
    category: str
    label: str
    year: int
    share: float
    milestone: bool = Field(description="False for years interpolated between confirmed milestones.")


class ContributorRow(BaseModel):
    iso3: str
    country: str
    total: int
    women: int
    share: float | None


class FatalityYearRow(BaseModel):
    year: int
    incident_type: str
    count: int


class FatalityTypeRow(BaseModel):
    personnel_type: str
    count: int


class MissionDetailOut(MissionOut):
    notes: str | None
    strength_series: list[StrengthRow]
    women_share_series: list[WomenShareRow]
    parity_targets: list[ParityTargetRow]
    contributors_month: str | None
    top_contributors: list[ContributorRow]
    fatalities_total: int
    fatalities_by_year: list[FatalityYearRow]
    fatalities_by_personnel_type: list[FatalityTypeRow]


class FrameworkVersionOut(BaseModel):
    code: str
    title: str
    adopted: str | None
    supersedes: str | None
    summary: str
    elements: list[str]


class FrameworkElementOut(BaseModel):
    code: str
    kind: str
    version: str
    title: str
    description: str
    advances: list[str]
    advanced_by: list[str]


class FrameworkOut(BaseModel):
    versions: list[FrameworkVersionOut]
    commitment_areas: list[FrameworkElementOut]
    priorities: list[FrameworkElementOut]
    themes: list[FrameworkElementOut]


class ImportRunOut(BaseModel):
    id: int
    kind: str
    source: str
    source_name: str
    sha256: str
    actor: str
    started_at: str
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int


class ImportRunsOut(BaseModel):
    runs: list[ImportRunOut]


class RejectionOut(BaseModel):
    line: int
    reason: str


class ImportRunDetailOut(BaseModel):
    run: ImportRunOut
    rejections: list[RejectionOut]


class ImportReportOut(BaseModel):
    """What one import did (``ImportReport.as_dict``); every line and reason is also at /api/imports/{run_id}."""

    kind: str
    source: str
    layout: str
    rows_read: int
    accepted: int
    rejected: int
    inserted: int
    updated: int
    unchanged: int
    removed: int
    run_id: int | None
    rejections: list[RejectionOut]


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    mission: str | None
    organisation: str | None = None
    active: bool
    created_at: str
    last_login_at: str | None
    second_factor: bool


class UsersOut(BaseModel):
    users: list[UserOut]


class SecondFactorOut(BaseModel):
    """A user's second factor: on since when, recovery codes left, a set-up begun, whether it is mandatory."""

    enabled: bool
    since: str | None
    recovery_codes_left: int
    pending: bool
    required: bool


class AccountOut(BaseModel):
    username: str
    role: str
    mission: str | None
    organisation: str | None = Field(None, description="A partner account's organisation.")
    compartments: list[str]
    second_factor: SecondFactorOut


class CompartmentIn(BaseModel):
    username: str = Field(max_length=80)
    compartment: str = Field(max_length=80)


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditOut(BaseModel):
    entries: list[AuditEntryOut]
