"""Imports of Member State pledges (kind ``pledges``, CSV) and of partner-led and joint operations and
support offices (kind ``partner-operations``, CSV or XLSX).

The import follows the platform's rules: every rejected line is reported with its number and reason and
the good lines are kept; a re-import of the same file changes nothing (upsert by natural key: country,
event, type and title); each run is recorded with its provenance and audited. A pledge whose status
differs from the stored one moves through ``move_pledge``, so its history and the audit log show the
change as if entered by hand, and a move the workflow refuses rejects the line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peaceops.access.policy import Actor, check_editor, local_admin
from peaceops.errors import ValidationFailed
from peaceops.i18n import N_, _
from peaceops.partnerships.cooperation import WHAT, OperationInput, operation_values
from peaceops.partnerships.models import PartnerOperation, Pledge
from peaceops.partnerships.pledges import PledgeInput, area_ids, move_pledge, new_pledge, pledge_problems
from peaceops.sources.records import Rejection, SourceRows
from peaceops.sources.tabular import (
    NULLS,
    parse_date,
    parse_each,
    parse_float,
    read_layout,
)
from peaceops.sources.workbook import read_table
from peaceops.store import audit
from peaceops.store.base import utcnow
from peaceops.store.imports import ImportJob, ImportKind, finish_import
from peaceops.store.provenance import ImportReport

PLEDGE_COLUMNS = ("country", "event", "date", "area", "type", "title")
PLEDGE_OPTIONAL = ("quantity", "unit", "status", "status_date", "evidence", "note")
T = TypeVar("T")


# ------------------------------------------------------------------ pledges
def _pledge_input(row: dict[str, str], areas: dict[str, int]) -> tuple[PledgeInput, date | None]:
    """The line as a pledge; a ValueError naming every problem of the line (not only its first), so one
    correction of the file fixes the line."""
    problems: list[str] = []

    def read(parse: Callable[[], T]) -> T | None:
        try:
            return parse()
        except ValueError as exc:
            problems.append(str(exc))
            return None

    pledged_on = read(lambda: parse_date(row["date"], "date"))
    if pledged_on is None and not problems:  # blank, or a null marker such as NA
        problems.append(_("The pledge date is empty."))
    area = row["area"].strip()
    if area.upper() not in areas:
        message = _("The area {code!r} is not an A4P / A4P+ code of the framework (such as A4P.4 or A4P+.P1).")
        problems.append(message.format(code=area))
    quantity = row.get("quantity", "")
    status = (row.get("status", "") or "announced").strip().lower().replace(" ", "_")
    data = PledgeInput(
        country=row["country"],
        event=row["event"],
        pledged_on=pledged_on or date.min,  # a date that could not be read is already a problem above
        area=area.upper(),
        pledge_type=row["type"].strip().lower().replace(" ", "_"),
        title=row["title"],
        quantity=None if quantity in NULLS else read(lambda: parse_float(quantity.replace(",", ""), "quantity")),
        unit=row.get("unit", ""),
        evidence=row.get("evidence", ""),
        status=status,
    )
    problems.extend(sentence for _field, sentence in pledge_problems(data))
    status_date = read(lambda: parse_date(row.get("status_date", ""), "status_date"))
    if problems:
        raise ValueError(" ".join(_sentence(p) for p in problems).rstrip("."))
    return data, status_date


def _sentence(text: str) -> str:
    """A problem as a sentence of its own (the shared readers' fragments: "date 'x' is not a date")."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def import_pledges(session: Session, job: ImportJob) -> ImportReport:
    """Import pledges; a changed status on a known pledge is a status change, kept in its history.

    A move the workflow treats as a correction (back a stage, or out of "withdrawn") needs the line's
    ``note``, as it would in the form.
    """
    rows, lines = read_layout(job.path, "pledges", PLEDGE_COLUMNS, PLEDGE_OPTIONAL)
    path, actor, progress = job.path, job.actor, job.progress
    areas = area_ids(session)

    def parse(row: dict[str, str]) -> tuple[tuple[Any, ...], Any]:
        data, status_date = _pledge_input(row, areas)
        key = (data.country.strip().upper(), data.event.strip(), data.pledge_type, data.title.strip())
        return key, (data, status_date, row.get("note", "").strip())

    parsed = parse_each(rows, lines, parse)
    existing = {
        (p.country_iso3, p.event, p.pledge_type, p.title): p
        for p in session.scalars(select(Pledge).options(selectinload(Pledge.history)))
    }
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    changes: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    tick = progress(len(parsed)) if progress else None
    for line, key, (data, status_date, note) in parsed:
        if tick:
            tick(1)
        pledge = existing.get(key)
        if pledge is None:
            pledge = new_pledge(data, areas[data.area], actor)
            if status_date and data.status != "announced":
                pledge.status_since = pledge.history[0].effective_on = status_date
            session.add(pledge)
            counts["inserted"] += 1
            continue
        fields = {
            "pledged_on": data.pledged_on,
            "area_id": areas[data.area],
            "quantity": data.quantity,
            "unit": data.unit.strip(),
        }
        if data.evidence.strip():
            fields["evidence"] = data.evidence.strip()
        before = {name: getattr(pledge, name) for name in fields} | {"status": pledge.status}
        if pledge.status != data.status:
            try:
                move_pledge(pledge, data.status, status_date or date.today(), note, data.evidence, actor)
            except ValueError as exc:
                message = _("Line {line}: the status cannot change: {reason}")
                rows.rejections.append(Rejection(line, message.format(line=line, reason=exc)))
                continue
            if not pledge.history[-1].note:
                pledge.history[-1].note = f"Imported from {path.name}"
        elif all(before[name] == value for name, value in fields.items()):
            counts["unchanged"] += 1
            continue
        for name, value in fields.items():
            setattr(pledge, name, value)
        pledge.updated_at = utcnow()
        counts["updated"] += 1
        changes.append(
            (pledge.id, {"pledge": list(key), **before}, {"pledge": list(key), **fields, "status": data.status})
        )
    session.flush()
    return finish_import(session, rows, actor, "pledge", counts, changes)


# ------------------------------------------------------------------ partner operations
OPERATION_COLUMNS = ("acronym", "name", "kind", "lead")
OPERATION_KIND = "partner-operations"


def _day(row: dict[str, str], column: str) -> date | None:
    text = row.get(column, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValidationFailed(f"{column} {text!r} is not a date; write it as YYYY-MM-DD") from None


def import_operations(session: Session, job: ImportJob) -> ImportReport:
    """Partner-led and joint operations and support offices (acronym, name, kind, lead, and optional host,
    mandate, started_on, ended_on, description), upserted by acronym through the checks of the form.

    A blank optional cell clears the stored value (the file is the operation's whole description); a changed
    operation is audited with its values before and after. Analysts and administrators import (shared records).
    """
    who = job.who if isinstance(job.who, Actor) else local_admin(job.actor)
    check_editor(who, WHAT)
    layout, digest, rows = read_table(job.path, OPERATION_COLUMNS)
    source = SourceRows(kind=OPERATION_KIND, path=str(job.path), sha256=digest, layout=layout, rows_read=len(rows))
    existing = {o.acronym: o for o in session.scalars(select(PartnerOperation))}
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    changes: list[tuple[object, dict[str, Any], dict[str, Any]]] = []
    seen: set[str] = set()
    for line, row in rows:
        if isinstance(row, str):
            source.reject(line, row)
            continue
        try:
            data = OperationInput(
                acronym=row["acronym"], name=row["name"], kind=row["kind"].strip().lower().replace(" ", "_"),
                lead=row["lead"], host=row.get("host") or None, mandate=row.get("mandate", ""),
                started_on=_day(row, "started_on"), ended_on=_day(row, "ended_on"),
                description=row.get("description", ""),
            )  # fmt: skip
            values = operation_values(session, data)
        except ValidationFailed as exc:
            source.reject(line, str(exc).rstrip("."))
            continue
        acronym = values["acronym"]
        if acronym in seen:
            source.reject(line, f"repeats operation {acronym} of an earlier line; keep one of them")
            continue
        seen.add(acronym)
        operation = existing.get(acronym)
        if operation is None:
            operation = PartnerOperation(**values, created_by=job.actor)
            session.add(operation)
            session.flush()
            audit.record(session, job.actor, "create", "partner_operation", operation.id, after=values)
            counts["inserted"] += 1
            continue
        before = {name: getattr(operation, name) for name in values}
        if before == values:
            counts["unchanged"] += 1
            continue
        for name, value in values.items():
            setattr(operation, name, value)
        counts["updated"] += 1
        changes.append((operation.id, before, values))
    session.flush()
    return finish_import(session, source, job.actor, "partner_operation", counts, changes)


KINDS = (
    ImportKind(
        "pledges", import_pledges, N_("pledges"),
        N_("Member States' pledges (CSV: country, event, date, area, type, title, and optional status)."),
        uploadable=True,
    ),
    ImportKind(
        OPERATION_KIND, import_operations, N_("partner operations"),
        N_(
            "Partner-led and joint operations and support offices (CSV or XLSX: acronym, name, kind, lead, and "
            "optional host, mandate, started_on, ended_on, description), upserted by acronym."
        ),
        uploadable=True,
    ),
)  # fmt: skip
