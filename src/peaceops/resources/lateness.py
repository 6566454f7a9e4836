"""Lateness of each requirement, measured against its due date and the mission's milestones.

A requirement is due on its ``needed_by`` date, else on the date of the milestone it names. Received
deliveries (rejected ones do not count) are added up in date order; the day they reach the quantity is the
day it was delivered. Then, on ``as_of``:

- ``delivered`` / ``delivered_late``: received in full, on or before the due date, or after it (days late);
- ``late``: not received in full and the due date has passed (days late by ``as_of``);
- ``at_risk``: not yet due, but an open order (planned, placed, in transit) is expected after the due date,
  or less than the quantity is on open or delivered orders with ``ORDER_LEAD_DAYS`` or fewer left;
- ``on_track``: otherwise; ``cancelled`` when the mission cancelled the requirement.

Each requirement is set beside a milestone: the one it names, else the next milestone of the mission on or
after its due date (a mandate renewal, a deployment, a drawdown step), and whether delivery misses it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.conflict.units import unit_label
from peaceops.errors import NotFound
from peaceops.framework.threat_areas import threat_area_label
from peaceops.i18n import _, _n, format_date, format_number
from peaceops.missions.models import Mission
from peaceops.performance.frameworks import current_framework, framework_tree
from peaceops.resources.milestones import mission_milestones
from peaceops.resources.models import ResourceDelivery, ResourceMilestone, ResourceOrder, ResourceRequirement
from peaceops.resources.shapes import MilestoneOut, RequirementOut
from peaceops.resources.vocabulary import CATEGORIES, STATES, label

ORDER_LEAD_DAYS = 30
OPEN_ORDERS = ("planned", "placed", "in_transit")


@dataclass(frozen=True)
class Judgement:
    state: str
    days_late: int | None
    delivered_on: date | None
    expected: date | None
    reason: str


def _day(value: date) -> str:
    return format_date(value, "d MMM y")


def judge(
    quantity: float,
    due: date | None,
    cancelled: bool,
    received: list[tuple[date, float]],
    orders: list[tuple[str, float, date | None]],
    as_of: date,
) -> Judgement:
    """The state of one requirement: ``received`` (day, quantity) accepted deliveries, ``orders`` (status,
    quantity, expected day) its orders, ``as_of`` the day the question is asked."""
    total, delivered_on = 0.0, None
    for day, amount in sorted(received):
        if day > as_of:
            continue
        total += amount
        if delivered_on is None and total >= quantity - 1e-9:
            delivered_on = day
    open_dates = [e for status, _q, e in orders if status in OPEN_ORDERS and e is not None]
    expected = max(open_dates) if open_dates else None
    if cancelled:
        return Judgement("cancelled", None, delivered_on, None, _("Cancelled by the mission."))
    if delivered_on is not None:
        if due is None or delivered_on <= due:
            return Judgement("delivered", None, delivered_on, None,
                             _("Received in full on {day}, on time.").format(day=_day(delivered_on)))  # fmt: skip
        late = (delivered_on - due).days
        why = _n("Received in full on {day}, {n} day after it was due.",
                 "Received in full on {day}, {n} days after it was due.", late)  # fmt: skip
        return Judgement("delivered_late", late, delivered_on, None, why.format(day=_day(delivered_on), n=late))
    got, wanted = format_number(total), format_number(quantity)
    if due is None:
        return Judgement("on_track", None, None, expected,
                         _("No due date: the milestone it named is no longer recorded."))  # fmt: skip
    if as_of > due:
        late = (as_of - due).days
        why = _n("{got} of {wanted} received; it was due on {due}, {n} day ago.",
                 "{got} of {wanted} received; it was due on {due}, {n} days ago.", late)  # fmt: skip
        return Judgement("late", late, None, expected, why.format(got=got, wanted=wanted, due=_day(due), n=late))
    if expected is not None and expected > due:
        late = (expected - due).days
        why = _n("The open orders are expected on {expected}, {n} day after the due date ({due}).",
                 "The open orders are expected on {expected}, {n} days after the due date ({due}).", late)  # fmt: skip
        return Judgement("at_risk", late, None, expected, why.format(expected=_day(expected), due=_day(due), n=late))
    covered = sum(q for status, q, _e in orders if status != "cancelled")
    if covered < quantity - 1e-9 and (due - as_of).days <= ORDER_LEAD_DAYS:
        why = _("Only {ordered} of {wanted} is on order and it is due on {due}, within {lead} days.")
        return Judgement("at_risk", None, None, expected,
                         why.format(ordered=format_number(covered), wanted=wanted, due=_day(due),
                                    lead=ORDER_LEAD_DAYS))  # fmt: skip
    why = _("Due on {due}; {got} of {wanted} received so far.").format(due=_day(due), got=got, wanted=wanted)
    return Judgement("on_track", None, None, expected, why)


def _framework_names(session: Session, mission: Mission) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Result code -> (title, its objective's mandate task); indicator code -> name, in the current framework."""
    try:
        tree = framework_tree(session, current_framework(session, mission))
    except NotFound:
        return {}, {}
    results: dict[str, tuple[str, str]] = {}
    indicators: dict[str, str] = {}

    def walk(node: object, task: str) -> None:
        task = getattr(node, "mandate_task", None) or task
        results[node.code] = (node.title, task)  # type: ignore[attr-defined]
        for indicator in node.indicators:  # type: ignore[attr-defined]
            indicators[indicator.code] = indicator.name
        for child in node.children:  # type: ignore[attr-defined]
            walk(child, task)

    for objective in tree.objectives:
        walk(objective, "")
    return results, indicators


def _milestone_for(
    named: str | None, due: date | None, milestones: list[MilestoneOut]
) -> tuple[MilestoneOut | None, bool]:
    if named:
        return next((m for m in milestones if m.code == named), None), True
    if due is None:
        return None, False
    return next((m for m in milestones if m.due >= due), None), False


def _missed(j: Judgement, milestone: MilestoneOut | None, as_of: date) -> bool | None:
    if milestone is None or j.state == "cancelled":
        return None
    if j.delivered_on is not None:
        return j.delivered_on > milestone.due
    if as_of > milestone.due:
        return True
    return j.expected > milestone.due if j.expected is not None else None


def area_label(level: str, unit_id: int | None) -> str:
    return unit_label(level, unit_id) if level and unit_id is not None else ""


def requirement_rows(
    session: Session, mission: Mission, as_of: date, threat_area: str | None = None
) -> list[RequirementOut]:
    """The mission's requirements with what was ordered and received and their state on ``as_of``."""
    query = select(ResourceRequirement).where(ResourceRequirement.mission_id == mission.id)
    if threat_area:
        query = query.where(ResourceRequirement.threat_area == threat_area)
    requirements = list(session.scalars(query.order_by(ResourceRequirement.code)))
    if not requirements:
        return []
    ids = [r.id for r in requirements]
    orders: dict[int, list[tuple[str, float, date | None]]] = defaultdict(list)
    for req_id, status, quantity, expected in session.execute(
        select(ResourceOrder.requirement_id, ResourceOrder.status, ResourceOrder.quantity, ResourceOrder.expected)
        .where(ResourceOrder.requirement_id.in_(ids))
    ):  # fmt: skip
        orders[req_id].append((status, quantity, expected))
    received: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for req_id, day, quantity in session.execute(
        select(ResourceOrder.requirement_id, ResourceDelivery.delivered, ResourceDelivery.quantity)
        .join(ResourceOrder, ResourceOrder.id == ResourceDelivery.order_id)
        .where(ResourceOrder.requirement_id.in_(ids), ResourceDelivery.status == "received")
    ):  # fmt: skip
        received[req_id].append((day, quantity))
    milestones = mission_milestones(session, mission)
    codes = dict(session.execute(select(ResourceMilestone.id, ResourceMilestone.code)
                                 .where(ResourceMilestone.mission_id == mission.id)).all())  # fmt: skip
    dues = {m.code: m.due for m in milestones}
    results, indicators = _framework_names(session, mission)
    out = []
    for r in requirements:
        named = codes.get(r.milestone_id) if r.milestone_id else None
        due = r.needed_by or (dues.get(named) if named else None)
        j = judge(r.quantity, due, r.status == "cancelled", received[r.id], orders[r.id], as_of)
        milestone, is_named = _milestone_for(named, due, milestones)
        result = results.get(r.result_code)
        out.append(
            RequirementOut(
                mission=mission.acronym, code=r.code, item=r.item, category=r.category,
                category_label=label(CATEGORIES, r.category), quantity=r.quantity, unit=r.unit, place=r.place,
                latitude=r.latitude, longitude=r.longitude,
                alert_area=f"{r.alert_level}:{r.alert_unit_id}" if r.alert_level else "",
                alert_area_label=area_label(r.alert_level, r.alert_unit_id), needed_by=r.needed_by, due=due,
                why=r.why, mandate_task=r.mandate_task or (result[1] if result else ""), result_code=r.result_code,
                result_title=result[0] if result else None, indicator_code=r.indicator_code,
                indicator_name=indicators.get(r.indicator_code), threat_area=r.threat_area,
                threat_area_label=threat_area_label(r.threat_area) if r.threat_area else "", status=r.status,
                orders=len(orders[r.id]), ordered=sum(q for s, q, _e in orders[r.id] if s != "cancelled"),
                delivered=sum(q for d, q in received[r.id] if d <= as_of), delivered_on=j.delivered_on,
                expected=j.expected, state=j.state, state_label=label(STATES, j.state), days_late=j.days_late,
                milestone=milestone.code if milestone else None, milestone_kind=milestone.kind if milestone else None,
                milestone_title=milestone.title if milestone else None,
                milestone_due=milestone.due if milestone else None, milestone_named=is_named and milestone is not None,
                milestone_missed=_missed(j, milestone, as_of), reason=j.reason,
            )
        )  # fmt: skip
    return out
