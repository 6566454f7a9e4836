"""``peaceops import resources-milestones|resources-requirements|resources-orders|resources-deliveries|
resources-budgets FILE``: a mission's resource files (CSV or XLSX, layouts in docs/examples/README.md), each
upserted by its natural key, so a file imported twice changes nothing; each bad line is rejected alone with
its number and what to fix.

Every record belongs to a mission: a mission officer's file naming another mission is refused whole, before
anything is written (``access.policy.check_editor``); analysts and administrators import for any mission.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_editor, local_admin
from peaceops.framework.threat_areas import THREAT_AREAS
from peaceops.geography.priogrid import priogrid_gid
from peaceops.missions.lookup import mission_ids
from peaceops.resources.models import (
    ResourceBudget,
    ResourceDelivery,
    ResourceMilestone,
    ResourceOrder,
    ResourceRequirement,
)
from peaceops.resources.vocabulary import (
    CATEGORIES,
    DELIVERY_STATUSES,
    MILESTONE_KINDS,
    ORDER_STATUSES,
    REQUIREMENT_STATUSES,
    budget_period,
    parse_area,
)
from peaceops.sources.workbook import read_table
from peaceops.store.imports import ImportJob, ImportKind, LineProblem, import_lines
from peaceops.store.provenance import ImportReport

MILESTONES, REQUIREMENTS, ORDERS, DELIVERIES, BUDGETS = (
    "resources-milestones",
    "resources-requirements",
    "resources-orders",
    "resources-deliveries",
    "resources-budgets",
)
WHAT = "resource records"
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.+/-]{0,39}$")


class Bad(LineProblem):
    """One line's problem, in words that say what to fix."""


def _date(row: dict[str, str], column: str, *, optional: bool = False) -> date | None:
    text = row.get(column, "")
    if not text:
        if optional:
            return None
        raise Bad(f"{column} is empty; write the date as YYYY-MM-DD")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise Bad(f"{column} {text!r} is not a date; write it as YYYY-MM-DD") from None


def _amount(row: dict[str, str], column: str, *, positive: bool = False) -> float:
    """A quantity or an amount: digits with an optional decimal point; thousands separated by commas or spaces."""
    text = row.get(column, "")
    if not text:
        raise Bad(f"{column} is empty; write a number")
    try:
        value = float(text.replace(",", "").replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        raise Bad(f"{column} {text!r} is not a number (write 1250000 or 1,250,000.50)") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise Bad(f"{column} {text!r} is not a number")
    if value < 0 or (positive and value == 0):
        raise Bad(f"{column} must be {'more than zero' if positive else 'zero or more'}")
    return value


def _choice(row: dict[str, str], column: str, allowed: Any, default: str | None = None) -> str:
    code = row.get(column, "").strip().lower().replace(" ", "_") or (default or "")
    if code not in allowed:
        raise Bad(f"{column} {row.get(column, '')!r} is not known; use one of {', '.join(allowed)}")
    return code


def _code(row: dict[str, str], column: str, *, optional: bool = False) -> str:
    text = row.get(column, "").strip().upper()
    if not text:
        if optional:
            return ""
        raise Bad(f"{column} is empty; give the record a short code")
    if not _CODE.match(text):
        raise Bad(f"{column} {row[column]!r} is not a code: letters, digits and - _ . / +, at most 40")
    return text


def _actor(job: ImportJob) -> Actor:
    return job.who if isinstance(job.who, Actor) else local_admin(job.actor)


def _missions_named(session: Session, job: ImportJob) -> dict[str, int]:
    """The missions register; refuses the whole file if it names a mission outside the importer's rights."""
    _, _, rows = read_table(job.path, ("mission",))
    named = {r["mission"].strip().upper() for _, r in rows if isinstance(r, dict) and r.get("mission", "").strip()}
    who = _actor(job)
    if not named:
        check_editor(who, WHAT, who.mission)
    for acronym in sorted(named):
        check_editor(who, WHAT, acronym)
    return mission_ids(session)


def _mission(missions: dict[str, int], row: dict[str, str]) -> int:
    acronym = row["mission"].strip().upper()
    if acronym not in missions:
        raise Bad(f"mission {row['mission']!r} is not known; import the missions file first")
    return missions[acronym]


def _run(
    session: Session,
    job: ImportJob,
    kind: str,
    required: tuple[str, ...],
    parse: Callable[[dict[str, str]], dict[str, Any]],
    model: type[Any],
    key: list[str],
    entity: str,
) -> ImportReport:
    """The shared tail of the importers: read, parse each line alone, upsert, record the run (audited)."""
    return import_lines(session, job, kind, read_table(job.path, required), parse, model, key, entity)


def import_milestones(session: Session, job: ImportJob) -> ImportReport:
    """Milestones (mission, code, kind, due, title, note): mandate renewals, deployments, drawdown steps."""
    missions = _missions_named(session, job)

    def parse(row: dict[str, str]) -> dict[str, Any]:
        if not row["title"]:
            raise Bad("title is empty; say what happens on that day")
        return {
            "mission_id": _mission(missions, row),
            "code": _code(row, "code"),
            "kind": _choice(row, "kind", MILESTONE_KINDS),
            "due": _date(row, "due"),
            "title": row["title"][:300],
            "note": row.get("note", "")[:2000],
        }

    required = ("mission", "code", "kind", "due", "title")
    return _run(session, job, MILESTONES, required, parse, ResourceMilestone, ["mission_id", "code"],
                "resource_milestone")  # fmt: skip


def _coordinates(row: dict[str, str]) -> tuple[float | None, float | None]:
    lat, lon = row.get("latitude", ""), row.get("longitude", "")
    if not lat and not lon:
        return None, None
    if not lat or not lon:
        raise Bad("give both latitude and longitude, or neither")
    try:
        latitude, longitude = float(lat), float(lon)
    except ValueError:
        raise Bad(f"latitude {lat!r} or longitude {lon!r} is not a number in decimal degrees") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Bad("latitude must lie within -90 to 90 and longitude within -180 to 180")
    return latitude, longitude


def import_requirements(session: Session, job: ImportJob) -> ImportReport:
    """Requirements: what (item, category), how many (quantity, unit), where (place, coordinates or an alert
    area), by when (needed_by and/or a milestone code), why, and what they serve."""
    missions = _missions_named(session, job)
    milestones = {
        (m, c): i for i, m, c in session.execute(select(ResourceMilestone.id, ResourceMilestone.mission_id,
                                                        ResourceMilestone.code))
    }  # fmt: skip

    def parse(row: dict[str, str]) -> dict[str, Any]:
        mission_id = _mission(missions, row)
        if not row["item"]:
            raise Bad("item is empty; say what is needed")
        needed_by = _date(row, "needed_by", optional=True)
        milestone = _code(row, "milestone", optional=True)
        if milestone and (mission_id, milestone) not in milestones:
            raise Bad(
                f"milestone {milestone!r} is not a milestone of {row['mission'].upper()}; import the milestones "
                f"file first (peaceops import {MILESTONES} FILE)"
            )
        if needed_by is None and not milestone:
            raise Bad("say by when: a needed_by date, a milestone code, or both")
        latitude, longitude = _coordinates(row)
        level, unit = "", None
        if row.get("alert_area"):
            try:
                level, unit = parse_area(row["alert_area"])
            except ValueError as exc:
                raise Bad(str(exc)) from None
        elif latitude is not None and longitude is not None:
            level, unit = "pgm", priogrid_gid(latitude, longitude)
        threat = row.get("threat_area", "").strip().lower()
        if threat and threat not in THREAT_AREAS:
            raise Bad(f"threat_area {row['threat_area']!r} is not known; use one of {', '.join(THREAT_AREAS)}")
        return {
            "mission_id": mission_id,
            "code": _code(row, "code"),
            "item": row["item"][:300],
            "category": _choice(row, "category", CATEGORIES),
            "quantity": _amount(row, "quantity", positive=True),
            "unit": row.get("unit", "")[:40],
            "place": row.get("place", "")[:200],
            "latitude": latitude,
            "longitude": longitude,
            "alert_level": level,
            "alert_unit_id": unit,
            "needed_by": needed_by,
            "milestone_id": milestones.get((mission_id, milestone)) if milestone else None,
            "why": row.get("why", "")[:4000],
            "mandate_task": row.get("mandate_task", "")[:4000],
            "result_code": _code(row, "result", optional=True)[:32],
            "indicator_code": _code(row, "indicator", optional=True),
            "threat_area": threat,
            "status": _choice(row, "status", REQUIREMENT_STATUSES, default="open"),
        }

    required = ("mission", "code", "item", "category", "quantity")
    return _run(session, job, REQUIREMENTS, required, parse, ResourceRequirement, ["mission_id", "code"],
                "resource_requirement")  # fmt: skip


def import_orders(session: Session, job: ImportJob) -> ImportReport:
    """Orders against requirements (mission, reference, requirement, quantity, status, supplier, ordered,
    expected)."""
    missions = _missions_named(session, job)
    requirements = {
        (m, c): i for i, m, c in session.execute(select(ResourceRequirement.id, ResourceRequirement.mission_id,
                                                        ResourceRequirement.code))
    }  # fmt: skip

    def parse(row: dict[str, str]) -> dict[str, Any]:
        mission_id = _mission(missions, row)
        code = _code(row, "requirement")
        if (mission_id, code) not in requirements:
            raise Bad(
                f"requirement {code!r} is not a requirement of {row['mission'].upper()}; import the requirements "
                f"file first (peaceops import {REQUIREMENTS} FILE)"
            )
        ordered, expected = _date(row, "ordered", optional=True), _date(row, "expected", optional=True)
        if ordered and expected and expected < ordered:
            raise Bad("expected is before ordered")
        return {
            "mission_id": mission_id,
            "reference": _code(row, "reference"),
            "requirement_id": requirements[(mission_id, code)],
            "supplier": row.get("supplier", "")[:200],
            "quantity": _amount(row, "quantity", positive=True),
            "ordered": ordered,
            "expected": expected,
            "status": _choice(row, "status", ORDER_STATUSES),
        }

    required = ("mission", "reference", "requirement", "quantity", "status")
    return _run(session, job, ORDERS, required, parse, ResourceOrder, ["mission_id", "reference"],
                "resource_order")  # fmt: skip


def import_deliveries(session: Session, job: ImportJob) -> ImportReport:
    """Deliveries against orders (mission, order, delivered, quantity, status, reference, place, note)."""
    missions = _missions_named(session, job)
    orders = {
        (m, r): (i, o) for i, m, r, o in session.execute(select(ResourceOrder.id, ResourceOrder.mission_id,
                                                                 ResourceOrder.reference, ResourceOrder.ordered))
    }  # fmt: skip

    def parse(row: dict[str, str]) -> dict[str, Any]:
        mission_id = _mission(missions, row)
        reference = _code(row, "order")
        if (mission_id, reference) not in orders:
            raise Bad(
                f"order {reference!r} is not an order of {row['mission'].upper()}; import the orders file first "
                f"(peaceops import {ORDERS} FILE)"
            )
        order_id, ordered = orders[(mission_id, reference)]
        delivered = _date(row, "delivered")
        assert delivered is not None
        if ordered is not None and delivered < ordered:
            raise Bad(f"delivered {delivered.isoformat()} is before the order was placed ({ordered.isoformat()})")
        return {
            "order_id": order_id,
            "delivered": delivered,
            "reference": row.get("reference", "").strip()[:60],
            "quantity": _amount(row, "quantity", positive=True),
            "status": _choice(row, "status", DELIVERY_STATUSES, default="received"),
            "place": row.get("place", "")[:200],
            "note": row.get("note", "")[:2000],
        }

    required = ("mission", "order", "delivered", "quantity")
    return _run(session, job, DELIVERIES, required, parse, ResourceDelivery, ["order_id", "delivered", "reference"],
                "resource_delivery")  # fmt: skip


def import_budgets(session: Session, job: ImportJob) -> ImportReport:
    """Budget lines per mission and period in US dollars (approved, committed, spent), with the indicator
    counting their outputs where one does."""
    missions = _missions_named(session, job)

    def parse(row: dict[str, str]) -> dict[str, Any]:
        mission_id = _mission(missions, row)
        try:
            key, start, end = budget_period(row["period"])
        except ValueError as exc:
            raise Bad(f"period {exc}") from None
        if not row["category"]:
            raise Bad("category is empty; name the budget line (Operational costs, Fuel...)")
        return {
            "mission_id": mission_id,
            "period": key,
            "category": row["category"][:80],
            "period_start": start,
            "period_end": end,
            "approved": _amount(row, "approved"),
            "committed": _amount(row, "committed"),
            "spent": _amount(row, "spent"),
            "indicator_code": _code(row, "indicator", optional=True),
        }

    required = ("mission", "period", "category", "approved", "committed", "spent")
    return _run(session, job, BUDGETS, required, parse, ResourceBudget, ["mission_id", "period", "category"],
                "resource_budget")  # fmt: skip


KINDS = (
    ImportKind(
        MILESTONES, import_milestones, "mission milestones",
        "Mission milestones (CSV or XLSX: mission, code, kind, due, title, optional note): mandate renewals, "
        "deployments, drawdown steps; upserted by mission and code.",
        mission_scoped=True, uploadable=True,
    ),
    ImportKind(
        REQUIREMENTS, import_requirements, "resource requirements",
        "Resource requirements (CSV or XLSX: mission, code, item, category, quantity, unit, place, needed_by, "
        "milestone, why and optional links); upserted by mission and code.",
        mission_scoped=True, uploadable=True,
    ),
    ImportKind(
        ORDERS, import_orders, "resource orders",
        "Orders against requirements (CSV or XLSX: mission, reference, requirement, quantity, status, supplier, "
        "ordered, expected); upserted by mission and reference.",
        mission_scoped=True, uploadable=True,
    ),
    ImportKind(
        DELIVERIES, import_deliveries, "resource deliveries",
        "Deliveries against orders (CSV or XLSX: mission, order, delivered, quantity, status, reference, place, "
        "note); upserted by order, date and delivery note.",
        mission_scoped=True, uploadable=True,
    ),
    ImportKind(
        BUDGETS, import_budgets, "mission budgets",
        "Mission budget lines in US dollars (CSV or XLSX: mission, period, category, approved, committed, spent, "
        "optional indicator); upserted by mission, period and category.",
        mission_scoped=True, uploadable=True,
    ),
)  # fmt: skip
