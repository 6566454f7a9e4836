"""What the support functions return: typed, frozen shapes that the pages, their JSON twins, the exports and
the tests read (decision 019). Rates and shares are fractions (0.85), as in the other JSON answers; pages
show them as percentages. Field order is the JSON's key order."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class DeliveryOut(_Shape):
    operation: str
    service: str
    service_label: str
    period: str = Field(description="A period key (2025-Q1, 2025-03, 2025), a budget year (2024/25) or first/last day.")
    period_start: date
    period_end: date
    agreed: float | None = Field(description="The level agreed for the period, in the service's unit.")
    delivered: float | None
    unit: str
    rate: float | None = Field(description="delivered / agreed; null when either is missing or nothing was agreed.")
    shortfall: float | None = Field(description="agreed - delivered where less was delivered, else 0.")


class ServiceOut(_Shape):
    operation: str
    service: str
    service_label: str
    provider: str
    provider_mission: str | None = Field(description="The provider's acronym when it is a UN mission of the register.")
    unit: str
    started_on: date | None
    ended_on: date | None
    latest_period: str | None = Field(description="The newest period with both an agreed and a delivered figure.")
    latest_agreed: float | None
    latest_delivered: float | None
    latest_rate: float | None
    cumulative_rate: float | None = Field(description="Delivered over agreed, summed over every period with both.")
    requests: int
    requests_unmet: int


class RequestOut(_Shape):
    operation: str
    reference: str
    service: str
    service_label: str
    requested_on: date
    needed_by: date | None
    quantity: float | None
    unit: str
    location: str
    status: str
    status_label: str
    closed_on: date | None
    late: bool = Field(description="Still open after the date it was needed by.")
    unmet: bool = Field(description="Not met, partly met, or late.")
    note: str


class RequestCount(_Shape):
    """Requests for one service, counted: what every signed-in reader sees of them."""

    service: str
    service_label: str
    total: int
    open: int
    met: int
    unmet: int


class FinancingOut(_Shape):
    operation: str
    source: str
    source_label: str
    funder: str
    period: str
    period_start: date
    period_end: date
    committed_usd: float | None
    received_usd: float | None


class FinancingPeriodOut(_Shape):
    """One budget period's financing, all sources together, against the ceiling of resolution 2719."""

    period: str
    period_start: date
    period_end: date
    committed_usd: float
    received_usd: float
    assessed_usd: float = Field(description="Committed from UN assessed contributions.")
    assessed_share: float | None = Field(description="assessed_usd / committed_usd; null when nothing is committed.")
    above_ceiling: bool | None = Field(description="The share is above the 75 % of resolution 2719 (2023).")


class MilestoneOut(_Shape):
    operation: str
    title: str
    area: str
    area_label: str
    owner: str
    due_on: date
    status: str
    status_label: str
    completed_on: date | None
    overdue: bool = Field(description="Planned or in progress and past its due date (computed at read time).")
    days_overdue: int
    note: str


class SupportedOperation(_Shape):
    """A partner operation with the support recorded for it, summed up for the list of operations."""

    acronym: str
    name: str
    kind: str
    kind_label: str
    lead: str
    host_iso3: str | None
    host: str | None
    active: bool
    partnership_id: int = Field(description="The operation's id under /api/partnerships/operations/{id}.")
    services: int
    delivery_rate: float | None = Field(
        description="Mean over the services of their latest rate, each capped at 1: an over-delivered service "
        "cannot hide a short one."
    )
    services_short: int = Field(description="Services whose latest delivery fell short of the agreed level.")
    requests_open: int
    requests_unmet: int
    financing_period: str | None = Field(description="The newest budget period with financing recorded.")
    committed_usd: float | None
    assessed_share: float | None
    above_ceiling: bool | None
    milestones: int
    milestones_done: int
    milestones_overdue: int


class ArrangementRef(_Shape):
    """A support arrangement as partnerships records it (provider, kind, basis such as S/RES/2719 (2023))."""

    provider: str
    kind: str
    basis: str
    started_on: date | None
    ended_on: date | None


class OperationSupport(_Shape):
    operation: SupportedOperation
    mandate: str
    arrangements: list[ArrangementRef]
    services: list[ServiceOut]
    deliveries: list[DeliveryOut]
    request_counts: list[RequestCount]
    financing: list[FinancingOut]
    financing_periods: list[FinancingPeriodOut]
    milestones: list[MilestoneOut]
