"""``peaceops import transition-plans|transition-benchmarks|transition-tasks|transition-drawdown|transition-bases
FILE``: a mission's transition records (CSV or XLSX, layouts in docs/examples/README.md), each upserted by its
natural key, so a file imported twice changes nothing; each bad line is rejected alone with its number and
what to fix.

Every kind belongs to a mission: a mission officer's file naming another mission is refused whole, before
anything is written (``access.policy.check_editor``). The plan comes first: the other kinds name a mission
whose plan is recorded.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_editor, local_admin
from peaceops.geography.codes import is_known_iso3
from peaceops.missions.lookup import mission_ids
from peaceops.missions.models import Mission
from peaceops.sources.workbook import Row, read_table
from peaceops.store.imports import ImportJob, ImportKind, LineProblem, import_lines
from peaceops.store.provenance import ImportReport
from peaceops.transitions.models import (
    DrawdownStep,
    TransitionBase,
    TransitionBenchmark,
    TransitionPlan,
    TransitionTask,
)
from peaceops.transitions.vocabulary import (
    BASE_STATUSES,
    BENCHMARK_STATUSES,
    CATEGORIES,
    PHASES,
    RECIPIENTS,
    TASK_STATUSES,
)

PLANS, BENCHMARKS, TASKS, DRAWDOWN, BASES = (
    "transition-plans",
    "transition-benchmarks",
    "transition-tasks",
    "transition-drawdown",
    "transition-bases",
)
WHAT = "transition records"
LAYOUTS = "docs/examples/README.md"


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


def _count(row: dict[str, str], column: str, *, optional: bool = False) -> int | None:
    text = row.get(column, "").replace(",", "").replace(" ", "")
    if not text:
        if optional:
            return None
        raise Bad(f"{column} is empty; write a whole number")
    try:
        value = int(text)
    except ValueError:
        raise Bad(f"{column} {row[column]!r} is not a whole number") from None
    if value < 0:
        raise Bad(f"{column} cannot be negative")
    return value


def _degrees(row: dict[str, str], column: str, limit: float) -> float:
    text = row.get(column, "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise Bad(f"{column} {row.get(column, '')!r} is not a number of decimal degrees") from None
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise Bad(f"{column} {text} is outside -{limit:g} to {limit:g}")
    return value


def _choice(row: dict[str, str], column: str, table: dict[str, object], default: str | None = None) -> str:
    code = row.get(column, "").strip().lower().replace(" ", "_").replace("-", "_")
    if not code and default is not None:
        return default
    if code not in table:
        raise Bad(f"{column} {row.get(column, '')!r} is not known; use one of {', '.join(table)}")
    return code


def _text(row: dict[str, str], column: str, size: int) -> str:
    text = row.get(column, "").strip()
    if not text:
        raise Bad(f"{column} is empty")
    if len(text) > size:
        raise Bad(f"{column} is longer than {size} characters; shorten it")
    return text


def _actor(job: ImportJob) -> Actor:
    return job.who if isinstance(job.who, Actor) else local_admin(job.actor)


def _read(job: ImportJob, required: tuple[str, ...]) -> tuple[str, str, list[tuple[int, Row]]]:
    return read_table(job.path, ("mission", *required), LAYOUTS)


def _check_scope(session: Session, job: ImportJob, rows: list[tuple[int, Row]]) -> dict[str, int]:
    """The missions register (acronyms and aliases); refuses the whole file, before anything is written, if a
    line names a mission outside the importer's rights."""
    ids = mission_ids(session)
    canonical = dict(session.execute(select(Mission.id, Mission.acronym)).all())
    who = _actor(job)
    named = {r["mission"].strip().upper() for _, r in rows if isinstance(r, dict) and r.get("mission", "").strip()}
    for acronym in sorted(named):
        check_editor(who, WHAT, canonical.get(ids[acronym], acronym) if acronym in ids else acronym)
    return ids


def _run(
    session: Session,
    job: ImportJob,
    kind: str,
    required: tuple[str, ...],
    parse: Callable[[dict[str, str], dict[str, int]], dict[str, Any]],
    model: type[Any],
    key: list[str],
    entity: str,
) -> ImportReport:
    """The shared path of the five importers: read, check the importer's scope, parse each line alone, upsert,
    record the run (``finish_import``: the run, its rejected lines and the audit entries)."""
    table = _read(job, required)
    missions = _check_scope(session, job, table[2])
    return import_lines(session, job, kind, table, lambda row: parse(row, missions), model, key, entity)


def _mission(row: dict[str, str], missions: dict[str, int]) -> int:
    acronym = row["mission"].strip().upper()
    if not acronym:
        raise Bad("mission is empty; write the mission's acronym")
    if acronym not in missions:
        raise Bad(f"mission {row['mission']!r} is not known; import the missions file first")
    return missions[acronym]


def _plan_ids(session: Session) -> dict[int, int]:
    """Mission id -> its plan's id."""
    return dict(session.execute(select(TransitionPlan.mission_id, TransitionPlan.id)).all())


def _plan(row: dict[str, str], missions: dict[str, int], plans: dict[int, int]) -> int:
    mission_id = _mission(row, missions)
    if mission_id not in plans:
        raise Bad(
            f"mission {row['mission'].strip().upper()} has no transition plan; import its plan first "
            f"(peaceops import {PLANS} FILE)"
        )
    return plans[mission_id]


def import_plans(session: Session, job: ImportJob) -> ImportReport:
    """Plans (mission, title, planned_exit, optional adopted, resolution, phase), one per mission."""

    def parse(row: dict[str, str], missions: dict[str, int]) -> dict[str, Any]:
        adopted, planned_exit = _date(row, "adopted", optional=True), _date(row, "planned_exit")
        assert planned_exit is not None
        if adopted is not None and planned_exit < adopted:
            raise Bad("planned_exit is before adopted")
        return {
            "mission_id": _mission(row, missions),
            "title": _text(row, "title", 300),
            "adopted": adopted,
            "planned_exit": planned_exit,
            "resolution": row.get("resolution", "")[:120],
            "phase": _choice(row, "phase", PHASES, "planning"),
        }

    return _run(session, job, PLANS, ("title", "planned_exit"), parse, TransitionPlan, ["mission_id"],
                "transition_plan")  # fmt: skip


def import_benchmarks(session: Session, job: ImportJob) -> ImportReport:
    """Benchmarks (mission, code, benchmark, due, optional status, achieved, indicator)."""
    plans = _plan_ids(session)

    def parse(row: dict[str, str], missions: dict[str, int]) -> dict[str, Any]:
        status = _choice(row, "status", BENCHMARK_STATUSES, "not_started")
        achieved = _date(row, "achieved", optional=True)
        if achieved is not None and status != "achieved":
            raise Bad(f"achieved is given but the status is {status}; set status to achieved or clear the date")
        return {
            "plan_id": _plan(row, missions, plans),
            "code": _text(row, "code", 40).upper(),
            "title": _text(row, "benchmark", 400),
            "due": _date(row, "due"),
            "status": status,
            "achieved": achieved,
            "indicator": row.get("indicator", "").strip().upper()[:60],
        }

    return _run(session, job, BENCHMARKS, ("code", "benchmark", "due"), parse, TransitionBenchmark,
                ["plan_id", "code"], "transition_benchmark")  # fmt: skip


def import_tasks(session: Session, job: ImportJob) -> ImportReport:
    """Tasks handed over (mission, code, task, recipient, entity, due, optional status, handed_over, benchmark)."""
    plans = _plan_ids(session)
    benchmarks = {
        (plan_id, code): id_
        for id_, plan_id, code in session.execute(
            select(TransitionBenchmark.id, TransitionBenchmark.plan_id, TransitionBenchmark.code)
        )
    }

    def parse(row: dict[str, str], missions: dict[str, int]) -> dict[str, Any]:
        plan_id = _plan(row, missions, plans)
        status = _choice(row, "status", TASK_STATUSES, "planned")
        handed_over = _date(row, "handed_over", optional=True)
        if status == "handed_over" and handed_over is None:
            raise Bad("status is handed_over but handed_over (the date) is empty")
        if handed_over is not None and status != "handed_over":
            raise Bad(f"handed_over is given but the status is {status}; set status to handed_over or clear the date")
        code = row.get("benchmark", "").strip().upper()
        if code and (plan_id, code) not in benchmarks:
            raise Bad(f"benchmark {code!r} is not in the mission's plan; import the benchmarks first or leave it empty")
        return {
            "plan_id": plan_id,
            "code": _text(row, "code", 40).upper(),
            "title": _text(row, "task", 400),
            "recipient": _choice(row, "recipient", RECIPIENTS),
            "entity": _text(row, "entity", 200),
            "due": _date(row, "due"),
            "status": status,
            "handed_over": handed_over,
            "benchmark_id": benchmarks.get((plan_id, code)) if code else None,
        }

    return _run(session, job, TASKS, ("code", "task", "recipient", "entity", "due"), parse, TransitionTask,
                ["plan_id", "code"], "transition_task")  # fmt: skip


def import_drawdown(session: Session, job: ImportJob) -> ImportReport:
    """Drawdown steps (mission, step, planned_date, planned_ceiling, optional category, actual_date,
    actual_strength)."""
    plans = _plan_ids(session)

    def parse(row: dict[str, str], missions: dict[str, int]) -> dict[str, Any]:
        actual_date = _date(row, "actual_date", optional=True)
        actual = _count(row, "actual_strength", optional=True)
        if actual is not None and actual_date is None:
            raise Bad("actual_strength is given without actual_date; say on which day it was reached")
        return {
            "plan_id": _plan(row, missions, plans),
            "step": _text(row, "step", 80),
            "category": _choice(row, "category", CATEGORIES, "total"),
            "planned_date": _date(row, "planned_date"),
            "planned_ceiling": _count(row, "planned_ceiling"),
            "actual_date": actual_date,
            "actual_strength": actual,
        }

    return _run(session, job, DRAWDOWN, ("step", "planned_date", "planned_ceiling"), parse, DrawdownStep,
                ["plan_id", "step", "category"], "transition_drawdown")  # fmt: skip


def import_bases(session: Session, job: ImportJob) -> ImportReport:
    """Bases (mission, base, latitude, longitude, planned_closure, optional country, actual_closure, status,
    handed_to, personnel); the country defaults to the mission's host country."""
    plans = _plan_ids(session)
    hosts = dict(session.execute(select(Mission.id, Mission.host_iso3)).all())

    def parse(row: dict[str, str], missions: dict[str, int]) -> dict[str, Any]:
        plan_id = _plan(row, missions, plans)
        iso3 = row.get("country", "").strip().upper() or (hosts.get(_mission(row, missions)) or "")
        if not is_known_iso3(iso3):
            raise Bad(f"country {iso3!r} is not an ISO 3166 alpha-3 code (CAF, SSD, ...)")
        closed = _date(row, "actual_closure", optional=True)
        status = _choice(row, "status", BASE_STATUSES, "closed" if closed else "open")
        if closed is not None and status in ("open", "closing"):
            raise Bad(f"actual_closure is given but the status is {status}; set status to closed or handed_over")
        if closed is None and status in ("closed", "handed_over"):
            raise Bad(f"status is {status} but actual_closure (the date) is empty")
        return {
            "plan_id": plan_id,
            "name": _text(row, "base", 200),
            "country_iso3": iso3,
            "latitude": _degrees(row, "latitude", 90),
            "longitude": _degrees(row, "longitude", 180),
            "planned_closure": _date(row, "planned_closure"),
            "actual_closure": closed,
            "status": status,
            "handed_to": row.get("handed_to", "")[:200],
            "personnel": _count(row, "personnel", optional=True),
        }

    return _run(session, job, BASES, ("base", "latitude", "longitude", "planned_closure"), parse, TransitionBase,
                ["plan_id", "name"], "transition_base")  # fmt: skip


KINDS = (
    ImportKind(
        PLANS, import_plans, "transition plans",
        "Transition plans, one per mission (CSV or XLSX: mission, title, planned_exit, optional adopted, "
        "resolution, phase), upserted by mission.",
        mission_scoped=True, uploadable=True,
    ),
    ImportKind(
        BENCHMARKS, import_benchmarks, "transition benchmarks",
        "Transition benchmarks (CSV or XLSX: mission, code, benchmark, due, optional status, achieved, "
        "indicator), upserted by mission and code.",
        mission_scoped=True, uploadable=True,
    ),
    ImportKind(
        TASKS, import_tasks, "transition tasks",
        "Tasks handed over to the UN country team or the host government (CSV or XLSX: mission, code, task, "
        "recipient, entity, due, optional status, handed_over, benchmark), upserted by mission and code.",
        mission_scoped=True, uploadable=True,
    ),
    ImportKind(
        DRAWDOWN, import_drawdown, "drawdown steps",
        "Drawdown steps of uniformed personnel (CSV or XLSX: mission, step, planned_date, planned_ceiling, "
        "optional category, actual_date, actual_strength), upserted by mission, step and category.",
        mission_scoped=True, uploadable=True,
    ),
    ImportKind(
        BASES, import_bases, "transition bases",
        "Bases the mission closes (CSV or XLSX: mission, base, latitude, longitude, planned_closure, optional "
        "country, actual_closure, status, handed_to, personnel), upserted by mission and base.",
        mission_scoped=True, uploadable=True,
    ),
)  # fmt: skip
