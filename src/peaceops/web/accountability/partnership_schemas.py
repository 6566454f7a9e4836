"""Response and request shapes of the environment, pledges and partnerships API."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class EnvironmentRow(BaseModel):
    id: int
    mission: str
    period_start: str
    period_end: str
    energy_mwh: float | None
    renewable_mwh: float | None
    renewable_share: float | None = Field(description="Renewable energy over total energy (0-1).")
    renewable_target: float | None = Field(description="Target share of renewable energy (0-1).")
    renewable_share_met: bool | None
    water_m3: float | None
    water_target_m3: float | None = Field(description="Ceiling on water use for the period.")
    water_m3_met: bool | None
    wastewater_treated_share: float | None
    wastewater_target: float | None
    wastewater_treated_share_met: bool | None
    solid_waste_t: float | None
    solid_waste_target_t: float | None = Field(description="Ceiling on solid waste for the period.")
    solid_waste_t_met: bool | None
    source: str
    updated_by: str
    updated_at: str


class MetricRow(BaseModel):
    metric: str
    label: str
    unit: str
    direction: str = Field(description="at_least: met when the figure reaches the target; at_most: when under it.")
    reported: int
    with_target: int
    met: int
    met_share: float | None


class EnvironmentOut(BaseModel):
    mission: str | None
    missions: list[str]
    reports: list[EnvironmentRow]
    metrics: list[MetricRow]


class EnvironmentIn(BaseModel):
    """Shares (renewable_target, wastewater_treated_share, wastewater_target) are fractions, 0-1."""

    mission: str = Field(max_length=32)
    period_start: date
    period_end: date
    energy_mwh: float | None = Field(None, ge=0)
    renewable_mwh: float | None = Field(None, ge=0)
    renewable_target: float | None = Field(None, ge=0, le=1)
    water_m3: float | None = Field(None, ge=0)
    water_target_m3: float | None = Field(None, ge=0)
    wastewater_treated_share: float | None = Field(None, ge=0, le=1)
    wastewater_target: float | None = Field(None, ge=0, le=1)
    solid_waste_t: float | None = Field(None, ge=0)
    solid_waste_target_t: float | None = Field(None, ge=0)
    source: str = Field("", max_length=200)


class PledgeOut(BaseModel):
    id: int
    country_iso3: str
    country: str
    event: str
    pledged_on: str
    area: str | None
    area_title: str | None
    pledge_type: str
    type_label: str
    title: str
    quantity: float | None
    unit: str
    status: str
    status_label: str
    status_since: str
    evidence: str
    created_by: str


class PledgeHistoryRow(BaseModel):
    from_status: str | None
    to_status: str
    to_label: str
    effective_on: str
    note: str
    actor: str
    recorded_at: str


class PledgeDetailOut(PledgeOut):
    history: list[PledgeHistoryRow]


class StatusCount(BaseModel):
    status: str
    label: str | None = None
    count: int


class ProgressRow(BaseModel):
    model_config = ConfigDict(extra="allow")
    label: str
    count: int
    announced: int
    in_progress: int
    delivered: int
    withdrawn: int
    delivered_share: float | None = Field(description="Delivered among pledges not withdrawn.")


class ProgressOut(BaseModel):
    by: str
    rows: list[ProgressRow]
    total: int
    by_status: list[StatusCount]
    delivered_share: float | None


class PledgesOut(BaseModel):
    pledges: list[PledgeOut]
    progress: ProgressOut


class PledgeIn(BaseModel):
    country: str = Field(min_length=3, max_length=3, description="ISO 3166 alpha-3 code of the pledging State.")
    event: str = Field(max_length=160)
    pledged_on: date
    area: str = Field(max_length=32, description="A4P / A4P+ element code, e.g. A4P.4 or A4P+.P1.")
    pledge_type: str = Field(max_length=16)
    title: str = Field(max_length=200)
    quantity: float | None = Field(None, ge=0)
    unit: str = Field("", max_length=40)
    evidence: str = Field("", max_length=4000)
    status: str = Field("announced", max_length=16)


class PledgeStatusIn(BaseModel):
    status: str = Field(max_length=16)
    effective_on: date
    note: str = Field("", max_length=2000)
    evidence: str = Field("", max_length=4000)


class MilestoneOut(BaseModel):
    id: int
    framework_id: int
    title: str
    owner: str
    due_on: str
    status: str
    status_label: str
    completed_on: str | None
    overdue: bool = Field(description="Open (planned or in progress) and past its due date; computed, never stored.")
    days_overdue: int
    note: str
    updated_by: str


class OverdueOut(MilestoneOut):
    framework: str


class CooperationFrameworkOut(BaseModel):
    id: int
    code: str
    title: str
    partner: str
    signed_on: str | None
    description: str
    monitored_status: str = Field(description="overdue, on track, complete, or no milestones.")
    milestones_total: int
    milestones_done: int
    milestones_open: int
    milestones_overdue: int
    milestones: list[MilestoneOut]


class ArrangementOut(BaseModel):
    id: int
    provider: str
    kind: str
    basis: str
    started_on: str | None
    ended_on: str | None
    description: str


class OperationOut(BaseModel):
    id: int
    acronym: str
    name: str
    kind: str
    kind_label: str
    lead: str
    host_iso3: str | None
    host: str | None
    mandate: str
    started_on: str | None
    ended_on: str | None
    active: bool
    description: str
    arrangements: list[ArrangementOut]


class PartnershipsOut(BaseModel):
    frameworks: list[CooperationFrameworkOut]
    overdue: list[OverdueOut]
    milestone_status: list[StatusCount]
    operations: list[OperationOut]


class CooperationFrameworkIn(BaseModel):
    code: str = Field(max_length=40)
    title: str = Field(max_length=200)
    partner: str = Field(max_length=120)
    signed_on: date | None = None
    description: str = Field("", max_length=4000)


class MilestoneIn(BaseModel):
    title: str = Field(max_length=200)
    owner: str = Field(max_length=120)
    due_on: date
    note: str = Field("", max_length=2000)


class MilestoneStatusIn(BaseModel):
    status: str = Field(max_length=16)
    on: date | None = Field(None, description="Completion date when the status is done (default today).")
    due_on: date | None = Field(None, description="A new due date (needs a note).")
    note: str = Field("", max_length=2000)


class OperationIn(BaseModel):
    acronym: str = Field(max_length=32)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16, description="partner_led, joint or support_office.")
    lead: str = Field(max_length=120)
    host: str | None = Field(None, max_length=3)
    mandate: str = Field("", max_length=200)
    started_on: date | None = None
    ended_on: date | None = None
    description: str = Field("", max_length=4000)


class ArrangementIn(BaseModel):
    provider: str = Field(max_length=120)
    kind: str = Field(max_length=16)
    basis: str = Field("", max_length=200)
    started_on: date | None = None
    ended_on: date | None = None
    description: str = Field("", max_length=4000)
