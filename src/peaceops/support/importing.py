"""``peaceops import support-services|support-deliveries|support-requests|support-financing|support-milestones
FILE``: the support-office files (CSV or XLSX, layouts in docs/examples/README.md), each upserted by its
natural key, so a file imported twice changes nothing; each bad line is rejected alone with its number and
what to fix. Every line names a partner operation already recorded in partnerships (on /partnerships, or
kind ``partner-operations``): the operations are never copied here.

Support to partner operations is a shared record no UN mission owns: analysts and administrators import it
(``access.policy.check_editor`` without a mission), as they record the operations themselves (decision 044).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_editor, local_admin
from peaceops.missions.lookup import mission_ids
from peaceops.partnerships import milestone_status_labels, operation_ids
from peaceops.sources.workbook import read_table
from peaceops.store.imports import ImportJob, ImportKind, LineProblem, import_lines
from peaceops.store.provenance import ImportReport
from peaceops.support.models import (
    SupportDelivery,
    SupportFinancing,
    SupportMilestone,
    SupportRequest,
    SupportService,
)
from peaceops.support.spans import parse_span
from peaceops.support.vocabulary import FINANCING_SOURCES, MILESTONE_AREAS, REQUEST_STATUSES, SERVICES

SERVICES_KIND, DELIVERIES, REQUESTS, FINANCING, MILESTONES = (
    "support-services",
    "support-deliveries",
    "support-requests",
    "support-financing",
    "support-milestones",
)
WHAT = "support to partner operations"


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


def _amount(row: dict[str, str], column: str) -> float | None:
    """A quantity or an amount, zero or more; blank is None."""
    text = row.get(column, "").replace(" ", "").replace("_", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise Bad(
            f"{column} {row[column]!r} is not a number; write it like 1250000 or 1250.5, without separators"
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise Bad(f"{column} {row[column]!r} is not a number")
    if value < 0:
        raise Bad(f"{column} cannot be negative")
    return value


def _code(row: dict[str, str], column: str, known: dict[str, Any] | tuple[str, ...]) -> str:
    code = row.get(column, "").strip().lower().replace(" ", "_").replace("-", "_")
    if code not in known:
        raise Bad(f"{column} {row.get(column, '')!r} is not known; use one of {', '.join(known)}")
    return code


def _span(row: dict[str, str]) -> tuple[date, date]:
    try:
        return parse_span(row["period"])
    except ValueError as exc:
        raise Bad(str(exc)) from None


def _actor(job: ImportJob) -> Actor:
    return job.who if isinstance(job.who, Actor) else local_admin(job.actor)


class _Operations:
    """The partner operations by acronym, read once per file."""

    def __init__(self, session: Session) -> None:
        self.ids = operation_ids(session)

    def __call__(self, row: dict[str, str]) -> int:
        acronym = row["operation"].strip().upper()
        if acronym not in self.ids:
            raise Bad(
                f"operation {row['operation']!r} is not a recorded partner operation; record it on /partnerships "
                "or import it first (peaceops import partner-operations FILE)"
            )
        return self.ids[acronym]


def _services(session: Session) -> dict[tuple[int, str], tuple[int, str]]:
    """(operation id, service) -> (service id, unit)."""
    rows = session.execute(
        select(SupportService.operation_id, SupportService.service, SupportService.id, SupportService.unit)
    )
    return {(op, service): (sid, unit) for op, service, sid, unit in rows}


def _service(services: dict[tuple[int, str], tuple[int, str]], operation: int, row: dict[str, str]) -> int:
    code = _code(row, "service", SERVICES)
    if (operation, code) not in services:
        raise Bad(
            f"{code} is not a recorded service of {row['operation'].strip().upper()}; import it first "
            f"(peaceops import {SERVICES_KIND} FILE)"
        )
    return services[(operation, code)][0]


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
    """The tail the five importers share: read, parse each line alone, upsert, record the run, audit it."""
    return import_lines(session, job, kind, read_table(job.path, required), parse, model, key, entity)


def import_services(session: Session, job: ImportJob) -> ImportReport:
    """Services (operation, service, provider, optional unit, started_on, ended_on), by operation and service."""
    check_editor(_actor(job), WHAT)
    operation = _Operations(session)
    missions = mission_ids(session)

    def parse(row: dict[str, str]) -> dict[str, Any]:
        code = _code(row, "service", SERVICES)
        provider = row.get("provider", "").strip()
        if not provider:
            raise Bad("provider is empty; name who in the UN provides the service (a support office, a mission)")
        started, ended = _date(row, "started_on", optional=True), _date(row, "ended_on", optional=True)
        if started and ended and ended < started:
            raise Bad("ended_on is before started_on")
        return {
            "operation_id": operation(row),
            "service": code,
            "provider": provider[:120],
            "provider_mission_id": missions.get(provider.upper()),
            "unit": (row.get("unit", "").strip() or SERVICES[code][1])[:40],
            "started_on": started,
            "ended_on": ended,
        }

    return _run(session, job, SERVICES_KIND, ("operation", "service", "provider"), parse, SupportService,
                ["operation_id", "service"], "support_service")  # fmt: skip


def import_deliveries(session: Session, job: ImportJob) -> ImportReport:
    """Agreed levels and delivered quantities (operation, service, period, agreed, delivered), by service and
    period."""
    check_editor(_actor(job), WHAT)
    operation, services = _Operations(session), _services(session)

    def parse(row: dict[str, str]) -> dict[str, Any]:
        service = _service(services, operation(row), row)
        start, end = _span(row)
        agreed, delivered = _amount(row, "agreed"), _amount(row, "delivered")
        if agreed is None and delivered is None:
            raise Bad("agreed and delivered are both empty; give the agreed level, the delivered quantity or both")
        return {"service_id": service, "period_start": start, "period_end": end, "agreed": agreed,
                "delivered": delivered}  # fmt: skip

    return _run(session, job, DELIVERIES, ("operation", "service", "period"), parse, SupportDelivery,
                ["service_id", "period_start", "period_end"], "support_delivery")  # fmt: skip


def import_requests(session: Session, job: ImportJob) -> ImportReport:
    """The partner's requests (operation, reference, service, requested_on, optional needed_by, quantity,
    location, status, closed_on, note), by operation and reference."""
    check_editor(_actor(job), WHAT)
    operation, services = _Operations(session), _services(session)
    today = date.today()

    def parse(row: dict[str, str]) -> dict[str, Any]:
        op = operation(row)
        reference = row.get("reference", "").strip()
        if not reference:
            raise Bad("reference is empty; give the partner's number for the request")
        requested = _date(row, "requested_on")
        assert requested is not None
        if requested > today:
            raise Bad("requested_on is in the future")
        needed = _date(row, "needed_by", optional=True)
        if needed and needed < requested:
            raise Bad("needed_by is before requested_on")
        status = _code(row, "status", REQUEST_STATUSES) if row.get("status") else "open"
        closed = _date(row, "closed_on", optional=True)
        if status == "open" and closed:
            raise Bad("an open request has no closed_on; give its status (met, partly_met, not_met, cancelled)")
        if closed and closed < requested:
            raise Bad("closed_on is before requested_on")
        return {
            "operation_id": op,
            "reference": reference[:60],
            "service_id": _service(services, op, row),
            "requested_on": requested,
            "needed_by": needed,
            "quantity": _amount(row, "quantity"),
            "location": row.get("location", "")[:200],
            "status": status,
            "closed_on": closed,
            "note": row.get("note", "")[:4000],
        }

    return _run(session, job, REQUESTS, ("operation", "reference", "service", "requested_on"), parse, SupportRequest,
                ["operation_id", "reference"], "support_request")  # fmt: skip


def import_financing(session: Session, job: ImportJob) -> ImportReport:
    """Financing (operation, source, period, committed_usd, received_usd, optional funder), by operation,
    source, funder and period."""
    check_editor(_actor(job), WHAT)
    operation = _Operations(session)

    def parse(row: dict[str, str]) -> dict[str, Any]:
        op = operation(row)
        source = _code(row, "source", FINANCING_SOURCES)
        start, end = _span(row)
        committed, received = _amount(row, "committed_usd"), _amount(row, "received_usd")
        if committed is None and received is None:
            raise Bad("committed_usd and received_usd are both empty; give either or both, in US dollars")
        return {"operation_id": op, "source": source, "funder": row.get("funder", "")[:120], "period_start": start,
                "period_end": end, "committed_usd": committed, "received_usd": received}  # fmt: skip

    return _run(session, job, FINANCING, ("operation", "source", "period"), parse, SupportFinancing,
                ["operation_id", "source", "funder", "period_start", "period_end"], "support_financing")  # fmt: skip


def import_milestones(session: Session, job: ImportJob) -> ImportReport:
    """Resolution 2719 milestones (operation, title, area, due_on, optional owner, status, completed_on, note),
    by operation and title.

    As with the cooperation frameworks' milestones (decision 011), reopening a done or dropped milestone or
    moving its due date needs a note saying why, so the monitoring cannot be made to look on track quietly.
    """
    check_editor(_actor(job), WHAT)
    operation = _Operations(session)
    stored = {(m.operation_id, m.title): (m.status, m.due_on) for m in session.scalars(select(SupportMilestone))}
    today = date.today()

    def parse(row: dict[str, str]) -> dict[str, Any]:
        op = operation(row)
        title = row.get("title", "").strip()[:200]
        if not title:
            raise Bad("title is empty; name the milestone")
        due = _date(row, "due_on")
        status = _code(row, "status", tuple(milestone_status_labels())) if row.get("status") else "planned"
        completed = _date(row, "completed_on", optional=True)
        if status == "done" and completed is None:
            raise Bad("a done milestone needs its completed_on date")
        if status != "done" and completed is not None:
            raise Bad("completed_on is only for a done milestone")
        if completed and completed > today:
            raise Bad("completed_on is in the future")
        note = row.get("note", "")[:4000]
        before = stored.get((op, title))
        if before and not note:
            if before[0] in ("done", "dropped") and status in ("planned", "in_progress"):
                raise Bad(f"reopening a milestone that is {before[0]} needs a note saying why")
            if before[1] != due:
                raise Bad(f"moving the due date from {before[1].isoformat()} needs a note saying why")
        return {"operation_id": op, "title": title, "area": _code(row, "area", MILESTONE_AREAS),
                "owner": row.get("owner", "")[:120], "due_on": due, "status": status, "completed_on": completed,
                "note": note}  # fmt: skip

    return _run(session, job, MILESTONES, ("operation", "title", "area", "due_on"), parse, SupportMilestone,
                ["operation_id", "title"], "support_milestone")  # fmt: skip


KINDS = (
    ImportKind(
        SERVICES_KIND, import_services, "support services",
        "Services the UN provides to a partner operation (CSV or XLSX: operation, service, provider, optional "
        "unit, started_on, ended_on), upserted by operation and service.",
        uploadable=True,
    ),
    ImportKind(
        DELIVERIES, import_deliveries, "agreed and delivered support",
        "Agreed levels and delivered quantities of a service per period (CSV or XLSX: operation, service, "
        "period, agreed, delivered).",
        uploadable=True,
    ),
    ImportKind(
        REQUESTS, import_requests, "support requests",
        "A partner operation's requests for support (CSV or XLSX: operation, reference, service, requested_on, "
        "optional needed_by, quantity, location, status, closed_on, note).",
        uploadable=True,
    ),
    ImportKind(
        FINANCING, import_financing, "financing of partner operations",
        "Financing of a partner operation per budget period and source (CSV or XLSX: operation, source, period, "
        "committed_usd, received_usd, optional funder).",
        uploadable=True,
    ),
    ImportKind(
        MILESTONES, import_milestones, "resolution 2719 milestones",
        "Compliance and oversight milestones of resolution 2719 (CSV or XLSX: operation, title, area, due_on, "
        "optional owner, status, completed_on, note).",
        uploadable=True,
    ),
)  # fmt: skip
