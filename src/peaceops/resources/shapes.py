"""What the resources functions return: typed, frozen shapes that the pages, their JSON twins (response
models, decision 019), the exports and the tests read. Field order is the JSON's key order (and the exports'
column order)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class MilestoneOut(_Shape):
    mission: str
    code: str = Field(description="The mission's own code; register: and framework: codes are read, not imported.")
    kind: str = Field(description="mandate_renewal, deployment, drawdown, closure or other.")
    kind_label: str
    due: date
    title: str
    source: str = Field(description="imported (the mission's file), register (missions register) or framework.")
    note: str


class RequirementOut(_Shape):
    mission: str
    code: str
    item: str
    category: str
    category_label: str
    quantity: float
    unit: str
    place: str
    latitude: float | None
    longitude: float | None
    alert_area: str = Field(description="The conflict-alert unit of the place: pgm:<cell> or cm:<country>; empty.")
    alert_area_label: str
    needed_by: date | None
    due: date | None = Field(description="needed_by, else the date of the milestone the requirement names.")
    why: str
    mandate_task: str = Field(description="As written, else the mandate task of the result's objective.")
    result_code: str
    result_title: str | None = Field(description="Null when the code is not in the mission's results framework.")
    indicator_code: str
    indicator_name: str | None
    threat_area: str
    threat_area_label: str
    status: str = Field(description="open or cancelled, as recorded.")
    orders: int
    ordered: float = Field(description="Quantity on orders that are not cancelled.")
    delivered: float = Field(description="Quantity received and accepted (rejected deliveries do not count).")
    delivered_on: date | None = Field(description="The day the received quantity reached the requirement.")
    expected: date | None = Field(description="The latest expected date of the orders still open.")
    state: str = Field(description="late, at_risk, on_track, delivered, delivered_late or cancelled.")
    state_label: str
    days_late: int | None = Field(
        description="Days after the due date: delivered (delivered_late), by today (late), or expected (at_risk)."
    )
    milestone: str | None = Field(description="The milestone named, else the next one on or after the due date.")
    milestone_kind: str | None
    milestone_title: str | None
    milestone_due: date | None
    milestone_named: bool = Field(description="True when the requirement names the milestone itself.")
    milestone_missed: bool | None = Field(
        description="Delivery (done, expected, or still missing today) falls after the milestone; null without one."
    )
    reason: str = Field(description="One sentence saying why the requirement is in its state.")


class OrderOut(_Shape):
    mission: str
    reference: str
    requirement: str
    supplier: str
    quantity: float
    ordered: date | None
    expected: date | None
    status: str
    delivered: float = Field(description="Quantity received and accepted against the order.")
    late: bool = Field(description="Expected (or delivered) after the requirement's due date, or open past it.")


class DeliveryOut(_Shape):
    mission: str
    order: str
    requirement: str
    reference: str
    delivered: date
    quantity: float
    status: str
    place: str
    note: str
    days_late: int | None = Field(description="Days after the requirement's due date; null when on time.")


class BudgetOut(_Shape):
    mission: str
    period: str
    period_start: date
    period_end: date
    category: str
    approved: float = Field(description="US dollars.")
    committed: float
    spent: float
    committed_percent: float | None = Field(description="committed / approved x 100.")
    spent_percent: float | None
    indicator_code: str
    outputs: float | None = Field(description="The indicator's values inside the period, summed.")
    cost_per_output: float | None = Field(description="spent / outputs, in US dollars; null where not computable.")
    cost_note: str = Field(description="How the cost per output was computed, or why it was not.")


class AlertNear(_Shape):
    id: int
    kind: str
    level: str
    unit_id: int
    name: str
    cutoff: str
    risk: float
    risk_before: float
    status: str


class RiskRow(_Shape):
    requirement: RequirementOut
    area: str = Field(description="Where alerts were looked for, in words.")
    alerts: list[AlertNear] = Field(description="Open alerts in the same area whose risk rose.")


class RiskView(_Shape):
    mission: str
    as_of: date
    rows: list[RiskRow] = Field(description="Late and at-risk requirements, those beside rising alerts first.")
    with_alerts: int = Field(description="Late or at-risk requirements beside at least one rising alert.")


class MissionResources(_Shape):
    """Counts every signed-in reader sees (aggregates): no item, place, supplier or figure of a budget."""

    mission: str
    requirements: int
    states: dict[str, int] = Field(description="Requirements per state.")
    orders: int
    deliveries: int
    budget_lines: int
    milestones: int
    threat_areas: dict[str, int] = Field(description="Requirements per threat area tagged.")
