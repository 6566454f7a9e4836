"""Reading the resources registers for pages, the API and the exports, through the one access policy.

Requirements, orders, deliveries, budget lines and milestones are a mission's records: analysts and
administrators read every mission's, mission officers their own mission's, viewers none
(``access.policy.record_scope``), as for other mission records; every signed-in reader sees the counts
(``mission_summary``), which name no item, place, supplier or amount.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_mission, record_scope
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.resources.budgets import budget_rows
from peaceops.resources.importing import WHAT
from peaceops.resources.lateness import OPEN_ORDERS, requirement_rows
from peaceops.resources.milestones import mission_milestones
from peaceops.resources.models import (
    ResourceBudget,
    ResourceDelivery,
    ResourceMilestone,
    ResourceOrder,
    ResourceRequirement,
)
from peaceops.resources.risk import risk_view
from peaceops.resources.shapes import (
    BudgetOut,
    DeliveryOut,
    MilestoneOut,
    MissionResources,
    OrderOut,
    RequirementOut,
    RiskView,
)
from peaceops.resources.vocabulary import STATES

T = TypeVar("T")


def _missions(session: Session, who: Actor, mission: str | None) -> list[Mission]:
    """The missions whose records ``who`` asks for: the one named (if in scope), else every mission in scope
    that holds resource records. PermissionDenied for a viewer, or a mission officer asking for another."""
    scope = record_scope(who, WHAT)
    if mission:
        found = find_mission(session, mission)
        check_mission(who, found.acronym, WHAT)
        return [found]
    if scope is not None:
        return [find_mission(session, scope)]
    held = _holding(session)
    return list(session.scalars(select(Mission).where(Mission.id.in_(held)).order_by(Mission.acronym)))


def _holding(session: Session) -> set[int]:
    """Missions with any resource record."""
    held: set[int] = set()
    for model in (ResourceRequirement, ResourceMilestone, ResourceBudget):
        held |= set(session.scalars(select(model.mission_id).distinct()))
    return held


def _each(session: Session, who: Actor, mission: str | None, rows: Callable[[Mission], list[T]]) -> list[T]:
    return [row for m in _missions(session, who, mission) for row in rows(m)]


def requirement_list(
    session: Session, who: Actor, mission: str | None = None, as_of: date | None = None, threat_area: str | None = None
) -> list[RequirementOut]:
    """The requirements ``who`` may read, with their state on ``as_of`` (today by default)."""
    day = as_of or date.today()
    return _each(session, who, mission, lambda m: requirement_rows(session, m, day, threat_area))


def _orders(session: Session, mission: Mission, day: date) -> list[OrderOut]:
    due = {r.code: r for r in requirement_rows(session, mission, day)}
    delivered = dict(
        session.execute(
            select(ResourceDelivery.order_id, func.sum(ResourceDelivery.quantity))
            .where(ResourceDelivery.status == "received", ResourceDelivery.delivered <= day)
            .group_by(ResourceDelivery.order_id)
        ).all()
    )
    last = dict(
        session.execute(
            select(ResourceDelivery.order_id, func.max(ResourceDelivery.delivered))
            .where(ResourceDelivery.status == "received", ResourceDelivery.delivered <= day)
            .group_by(ResourceDelivery.order_id)
        ).all()
    )
    rows = session.execute(
        select(ResourceOrder, ResourceRequirement.code)
        .join(ResourceRequirement, ResourceRequirement.id == ResourceOrder.requirement_id)
        .where(ResourceOrder.mission_id == mission.id)
        .order_by(ResourceOrder.reference)
    ).all()
    out = []
    for o, code in rows:
        when = due[code].due
        open_ = o.status in OPEN_ORDERS
        late = o.status != "cancelled" and when is not None and (
            (open_ and o.expected is not None and o.expected > when)
            or (open_ and day > when)
            or (last.get(o.id) is not None and last[o.id] > when)
        )  # fmt: skip
        out.append(
            OrderOut(
                mission=mission.acronym, reference=o.reference, requirement=code, supplier=o.supplier,
                quantity=o.quantity, ordered=o.ordered, expected=o.expected, status=o.status,
                delivered=float(delivered.get(o.id) or 0), late=bool(late),
            )
        )  # fmt: skip
    return out


def order_list(session: Session, who: Actor, mission: str | None = None, as_of: date | None = None) -> list[OrderOut]:
    day = as_of or date.today()
    return _each(session, who, mission, lambda m: _orders(session, m, day))


def _deliveries(session: Session, mission: Mission, day: date) -> list[DeliveryOut]:
    due = {r.code: r.due for r in requirement_rows(session, mission, day)}
    rows = session.execute(
        select(ResourceDelivery, ResourceOrder.reference, ResourceRequirement.code)
        .join(ResourceOrder, ResourceOrder.id == ResourceDelivery.order_id)
        .join(ResourceRequirement, ResourceRequirement.id == ResourceOrder.requirement_id)
        .where(ResourceOrder.mission_id == mission.id)
        .order_by(ResourceDelivery.delivered, ResourceOrder.reference, ResourceDelivery.reference)
    ).all()
    out = []
    for d, reference, code in rows:
        when = due.get(code)
        late = (d.delivered - when).days if when is not None and d.delivered > when else None
        out.append(
            DeliveryOut(
                mission=mission.acronym, order=reference, requirement=code, reference=d.reference,
                delivered=d.delivered, quantity=d.quantity, status=d.status, place=d.place, note=d.note,
                days_late=late,
            )
        )  # fmt: skip
    return out


def delivery_list(
    session: Session, who: Actor, mission: str | None = None, as_of: date | None = None
) -> list[DeliveryOut]:
    day = as_of or date.today()
    return _each(session, who, mission, lambda m: _deliveries(session, m, day))


def budget_list(session: Session, who: Actor, mission: str | None = None) -> list[BudgetOut]:
    """Budget lines are mission records: the same scope as requirements."""
    return _each(session, who, mission, lambda m: budget_rows(session, m))


def milestone_list(session: Session, who: Actor, mission: str | None = None) -> list[MilestoneOut]:
    return _each(session, who, mission, lambda m: mission_milestones(session, m))


def risk(session: Session, who: Actor, mission: str, as_of: date | None = None) -> RiskView:
    """The mission's late and at-risk requirements beside rising conflict alerts in the same area."""
    day = as_of or date.today()
    [found] = _missions(session, who, mission)
    return risk_view(session, found, requirement_rows(session, found, day), day)


def mission_summary(session: Session, acronym: str, as_of: date | None = None) -> MissionResources:
    """Counts every signed-in reader may see: requirements per state and per threat area, orders, deliveries,
    budget lines and milestones recorded."""
    mission = find_mission(session, acronym)
    rows = requirement_rows(session, mission, as_of or date.today())
    states = Counter(r.state for r in rows)

    def count(model: type[Any], where: ColumnElement[bool]) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(where)) or 0)

    return MissionResources(
        mission=mission.acronym,
        requirements=len(rows),
        states={s: states.get(s, 0) for s in STATES},
        orders=count(ResourceOrder, ResourceOrder.mission_id == mission.id),
        deliveries=int(
            session.scalar(
                select(func.count())
                .select_from(ResourceDelivery)
                .join(ResourceOrder, ResourceOrder.id == ResourceDelivery.order_id)
                .where(ResourceOrder.mission_id == mission.id)
            )
            or 0
        ),
        budget_lines=count(ResourceBudget, ResourceBudget.mission_id == mission.id),
        milestones=count(ResourceMilestone, ResourceMilestone.mission_id == mission.id),
        threat_areas=dict(sorted(Counter(r.threat_area for r in rows if r.threat_area).items())),
    )


def missions_with_resources(session: Session, as_of: date | None = None) -> list[MissionResources]:
    """The summary of every mission holding resource records, by acronym."""
    held = _holding(session)
    missions = session.scalars(select(Mission.acronym).where(Mission.id.in_(held)).order_by(Mission.acronym))
    return [mission_summary(session, acronym, as_of) for acronym in missions]
