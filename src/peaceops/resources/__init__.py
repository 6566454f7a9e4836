"""resources: requirements, orders, deliveries and budgets on mission timelines; lateness against the mission's
milestones, cost per output where the results framework allows it, and a risk view beside rising conflict
alerts (decision 043)."""

from peaceops.resources.listing import (
    budget_list,
    delivery_list,
    milestone_list,
    mission_summary,
    missions_with_resources,
    order_list,
    requirement_list,
    risk,
)

__all__ = [
    "budget_list",
    "delivery_list",
    "milestone_list",
    "mission_summary",
    "missions_with_resources",
    "order_list",
    "requirement_list",
    "risk",
]
