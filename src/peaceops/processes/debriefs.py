"""End-of-assignment debriefs (Blue Paper §35): confidential, need-to-know, every read and write audited.

Each debrief lives in its process's compartment ``process:<id>``. Only holders of that compartment read,
list, search, write or change it; roles do not open it. Search filters by the reader's compartments in
SQL, so a debrief outside them is never returned, counted or quoted. The audit log records who read or
wrote which debrief, but never the debrief's text (administrators read the log without the compartment).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from peaceops.access import compartments
from peaceops.access.policy import Actor, is_viewer
from peaceops.errors import NotFound, PermissionDenied
from peaceops.i18n import N_, _
from peaceops.processes.models import Debrief, PeaceProcess
from peaceops.processes.shapes import (
    DebriefDetail,
    DebriefHit,
    DebriefList,
    DebriefRow,
    DebriefSearch,
    DebriefSnippet,
    FiledDebrief,
)
from peaceops.store import audit, outbox
from peaceops.store.base import utcnow

TEXT_FIELDS = ("what_worked", "tacit_understandings", "open_issues", "contacts")
FIELD_LABELS = {
    "what_worked": N_("What worked"),
    "tacit_understandings": N_("Tacit understandings"),
    "open_issues": N_("Open issues"),
    "contacts": N_("Contacts"),
}
_PROCESS = re.compile(r"^process:(\d+)$")
_TERMS = re.compile(r'"([^"]+)"|(\S+)')
MAX_TERMS = 8


class DebriefDoc(BaseModel):
    """The structured end-of-assignment report."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    author: str = Field(min_length=1, max_length=200, description="Who leaves the assignment and reports.")
    period_start: date
    period_end: date
    what_worked: str = Field("", max_length=20000)
    tacit_understandings: str = Field("", max_length=20000)
    open_issues: str = Field("", max_length=20000)
    contacts: str = Field("", max_length=20000)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.period_end < self.period_start:
            raise ValueError(f"the period ends ({self.period_end}) before it starts ({self.period_start})")
        if not any(getattr(self, f) for f in TEXT_FIELDS):
            raise ValueError(
                "a debrief needs at least one of: what worked, tacit understandings, open issues, contacts"
            )
        return self


def compartment_of(process_id: int) -> str:
    return f"process:{process_id}"


def readable_processes(held: frozenset[str]) -> set[int] | None:
    """Process ids whose debriefs ``held`` opens (None: every process, for the all-compartments holder)."""
    if compartments.ALL in held:
        return None
    return {int(m.group(1)) for name in held if (m := _PROCESS.match(name))}


def _require(who: Actor, process_id: int) -> None:
    compartments.require(who.compartments, compartment_of(process_id), f"The debriefs of process {process_id}")


def _require_writer(who: Actor, process_id: int) -> None:
    _require(who, process_id)
    if is_viewer(who):
        raise PermissionDenied(_("Viewers read debriefs but cannot write them; analysts and administrators can."))


def _process(session: Session, process_id: int) -> PeaceProcess:
    process = session.get(PeaceProcess, process_id)
    if process is None:
        raise NotFound(_("There is no peace process {id}; /processes lists them.").format(id=process_id))
    return process


def _out(debrief: Debrief, process_name: str) -> DebriefDetail:
    return DebriefDetail(
        id=debrief.id,
        process_id=debrief.process_id,
        process=process_name,
        compartment=compartment_of(debrief.process_id),
        author=debrief.author,
        period_start=debrief.period_start.isoformat(),
        period_end=debrief.period_end.isoformat(),
        **{f: getattr(debrief, f) for f in TEXT_FIELDS},
        created_by=debrief.created_by,
        created_at=debrief.created_at.isoformat(timespec="seconds"),
        updated_by=debrief.updated_by,
        updated_at=debrief.updated_at.isoformat(timespec="seconds"),
    )


def _trail(debrief: Debrief, changed: list[str] | None = None) -> dict[str, Any]:
    """What the audit log keeps: the process and which fields changed; never the text, the author or the
    period (the log is read by administrators who may not hold the compartment)."""
    out: dict[str, Any] = {"process_id": debrief.process_id}
    if changed is not None:
        out["changed"] = changed
    return out


def create_debrief(session: Session, who: Actor, process_id: int, doc: DebriefDoc) -> Debrief:
    process = _process(session, process_id)
    _require_writer(who, process.id)
    debrief = Debrief(process_id=process.id, created_by=who.username, updated_by=who.username, **doc.model_dump())
    session.add(debrief)
    session.flush()
    audit.record(session, who.username, "create", "debrief", debrief.id, after=_trail(debrief))
    _notify(session, process.id)
    return debrief


def _notify(session: Session, process_id: int) -> None:
    """Tell the outbox the process changed, for the compartment's holders only, and never what changed."""
    process = session.get(PeaceProcess, process_id)
    name = process.name if process is not None else f"Process {process_id}"
    outbox.emit(session, "process", process_id, "debrief", name, compartment=compartment_of(process_id))


def _get(session: Session, who: Actor, debrief_id: int) -> Debrief:
    debrief = session.get(Debrief, debrief_id)
    if debrief is None:
        raise NotFound(_("There is no debrief {id}.").format(id=debrief_id))
    _require(who, debrief.process_id)
    return debrief


def update_debrief(session: Session, who: Actor, debrief_id: int, doc: DebriefDoc) -> Debrief:
    debrief = _get(session, who, debrief_id)
    _require_writer(who, debrief.process_id)
    new = doc.model_dump()
    changed = [k for k, v in new.items() if getattr(debrief, k) != v]
    if changed:
        for key in changed:
            setattr(debrief, key, new[key])
        debrief.updated_by, debrief.updated_at = who.username, utcnow()
        audit.record(session, who.username, "update", "debrief", debrief.id, after=_trail(debrief, changed))
        _notify(session, debrief.process_id)
    return debrief


def read_debrief(session: Session, who: Actor, debrief_id: int, *, via: str = "page") -> DebriefDetail:
    """One debrief for a holder of its compartment; the read is audited."""
    debrief = _get(session, who, debrief_id)
    audit.record(session, who.username, "read", "debrief", debrief.id, after={"via": via})
    return _out(debrief, _process(session, debrief.process_id).name)


def debrief_doc(session: Session, who: Actor, debrief_id: int) -> tuple[int, DebriefDoc]:
    """The stored values for the edit form (the form's read is audited like any other)."""
    debrief = _get(session, who, debrief_id)
    audit.record(session, who.username, "read", "debrief", debrief.id, after={"via": "edit form"})
    values = {k: v for k, v in debrief.fields().items() if k != "process_id"}
    return debrief.process_id, DebriefDoc(**values)


def list_debriefs(session: Session, who: Actor, process_id: int) -> DebriefList:
    """A process's debriefs (author and period), newest first, for holders of its compartment; the listing is
    audited."""
    process = _process(session, process_id)
    _require(who, process.id)
    rows = list(
        session.scalars(select(Debrief).where(Debrief.process_id == process.id).order_by(Debrief.period_end.desc()))
    )
    audit.record(
        session, who.username, "list", "debrief", compartment_of(process.id), after={"ids": [d.id for d in rows]}
    )
    listed = [
        DebriefRow(id=d.id, author=d.author, period_start=d.period_start.isoformat(),
                   period_end=d.period_end.isoformat(), updated_at=d.updated_at.isoformat(timespec="seconds"))
        for d in rows
    ]  # fmt: skip
    return DebriefList(process_id=process.id, compartment=compartment_of(process.id), debriefs=listed)


def parse_terms(query: str) -> list[str]:
    """Words and "quoted phrases", lower-cased; every one must occur (in any field) for a match."""
    terms = [(m.group(1) or m.group(2)).strip().lower() for m in _TERMS.finditer(query)]
    return [t for t in terms if t][:MAX_TERMS]


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _matches(term: str) -> ColumnElement[bool]:
    columns = [Debrief.author, *(getattr(Debrief, f) for f in TEXT_FIELDS)]
    return or_(*(func.lower(c).like(_like(term), escape="\\") for c in columns))


def _snippet(debrief: Debrief, terms: list[str], width: int = 90) -> DebriefSnippet:
    for field in TEXT_FIELDS:
        text: str = getattr(debrief, field)
        at = min((i for t in terms if (i := text.lower().find(t)) >= 0), default=-1)
        if at >= 0:
            start = max(0, at - width)
            end = min(len(text), at + width)
            cut = ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
            return DebriefSnippet(field=field, label=_(FIELD_LABELS[field]), text=cut)
    first = next((f for f in TEXT_FIELDS if getattr(debrief, f)), TEXT_FIELDS[0])
    text = getattr(debrief, first)
    return DebriefSnippet(
        field=first, label=_(FIELD_LABELS[first]), text=text[: 2 * width] + ("…" if len(text) > 2 * width else "")
    )


def search_debriefs(
    session: Session, who: Actor, query: str, *, process_id: int | None = None, limit: int = 20
) -> DebriefSearch:
    """Debriefs the reader may open that contain every term, newest first; each hit's read is audited.

    The compartment filter is part of the SQL, so the total and the hits only ever cover readable debriefs.
    """
    terms = parse_terms(query)
    allowed = readable_processes(who.compartments)
    where: list[ColumnElement[bool]] = [_matches(t) for t in terms]
    if allowed is not None:
        where.append(Debrief.process_id.in_(sorted(allowed)) if allowed else false())
    if process_id is not None:
        where.append(Debrief.process_id == process_id)
    condition = and_(*where) if where else None
    count = select(func.count()).select_from(Debrief)
    rows_query = select(Debrief, PeaceProcess.name).join(PeaceProcess, PeaceProcess.id == Debrief.process_id)
    if condition is not None:
        count, rows_query = count.where(condition), rows_query.where(condition)
    total = int(session.scalar(count) or 0)
    rows = session.execute(rows_query.order_by(Debrief.period_end.desc(), Debrief.id.desc()).limit(limit)).all()
    results = []
    for debrief, name in rows:
        audit.record(session, who.username, "read", "debrief", debrief.id, after={"via": "search"})
        results.append(
            DebriefHit(
                id=debrief.id,
                process_id=debrief.process_id,
                process=name,
                author=debrief.author,
                period_start=debrief.period_start.isoformat(),
                period_end=debrief.period_end.isoformat(),
                snippet=_snippet(debrief, terms),
            )
        )
    return DebriefSearch(
        query=query,
        terms=terms,
        total=total,
        results=results,
        searchable_processes=None if allowed is None else sorted(allowed),
    )


def filed(session: Session, who: Actor, process_ids: list[int] | None = None) -> list[FiledDebrief]:
    """Which debriefs exist (process, author, period), in the processes whose compartments ``who`` holds (and
    among ``process_ids`` when given): what the "debrief due" check compares with the assignments. Knowing
    that a debrief exists is itself need-to-know, so the compartment filter is part of the SQL here too."""
    allowed = readable_processes(who.compartments)
    query = select(Debrief.process_id, Debrief.author, Debrief.period_start, Debrief.period_end)
    if allowed is not None:
        query = query.where(Debrief.process_id.in_(sorted(allowed)) if allowed else false())
    if process_ids is not None:
        query = query.where(Debrief.process_id.in_(process_ids))
    return [
        FiledDebrief(process_id=pid, author=author, period_start=start.isoformat(), period_end=end.isoformat())
        for pid, author, start, end in session.execute(query.order_by(Debrief.process_id, Debrief.period_end))
    ]
