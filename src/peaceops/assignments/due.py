"""Debriefs due (Blue Paper ¶35): every assignment to a peace process that has ended — a mediator's or
core-team member's mandate, an expert's deployment through the helpdesk — with no debrief by that person
covering it.

A debrief covers an assignment when it belongs to the same process, its author is the person (names compared
case- and space-insensitively) and its period shares at least one day with the assignment. The check is due
from the day after the assignment ends; there is no grace period, because ¶35 asks for the report and the
interview as the person leaves.

Who may see it: whether a debrief exists is need-to-know (decision 012: no count of debriefs for non-holders),
and "due" says that none does, so only holders of a process's compartment see its assignments here; experts'
deployments are helpdesk records besides, shown only to those who may read helpdesk requests. The list is
audited as a listing of debriefs, without names.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from peaceops.access.policy import Actor
from peaceops.assignments.shapes import DebriefDue, DebriefsDue
from peaceops.i18n import N_, _
from peaceops.processes import debriefs
from peaceops.processes.registry import assignments, load
from peaceops.processes.shapes import FiledDebrief
from peaceops.roster.helpdesk import can_read_requests, process_deployments
from peaceops.store import audit

REASON = N_(
    "Blue Paper §35: an end-of-assignment report and interview should be asked of every senior member of a "
    "mediator's team leaving a mission; done systematically, these debriefings build an institutional memory "
    "that serves their successors and those who join the process later."
)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def covered(filed: list[FiledDebrief], process_id: int, name: str, start: date, end: date) -> bool:
    """Whether a debrief by ``name`` on this process shares a day with the assignment."""
    who = _key(name)
    return any(
        d.process_id == process_id
        and _key(d.author) == who
        and date.fromisoformat(d.period_start) <= end
        and date.fromisoformat(d.period_end) >= start
        for d in filed
    )


def debriefs_due(
    session: Session, who: Actor, *, process_id: int | None = None, today: date | None = None
) -> DebriefsDue:
    """The assignments that ended without a debrief, in the processes ``who`` may know the debriefs of (one
    process with ``process_id``), longest overdue first."""
    day = today or date.today()
    allowed = debriefs.readable_processes(who.compartments)
    scope: list[int] | None
    if allowed is None:
        scope = [process_id] if process_id is not None else None
    else:
        scope = sorted(allowed if process_id is None else allowed & {process_id})
    experts = can_read_requests(who)
    out = DebriefsDue(
        today=day.isoformat(), holds_any=allowed is None or bool(allowed),
        processes=None if allowed is None and process_id is None else scope, experts_included=experts,
        reason=_(REASON), due=[],
    )  # fmt: skip
    if scope == []:
        return out
    filed = debriefs.filed(session, who, scope)
    rows: list[DebriefDue] = []
    for a in assignments(session, scope):
        if a.ended_on is None:
            continue
        start, end = date.fromisoformat(a.started_on), date.fromisoformat(a.ended_on)
        if end >= day or covered(filed, a.process_id, a.name, start, end):
            continue
        rows.append(
            DebriefDue(
                kind="core_team" if a.core_team else "mediator", process_id=a.process_id, process=a.process,
                name=a.name, role=a.title, organisation=a.organisation, request_id=None, started_on=a.started_on,
                ended_on=a.ended_on, days_since_end=(day - end).days,
            )
        )  # fmt: skip
    if experts:
        names: dict[int, str] = {}
        for d in process_deployments(session, scope):
            if d.needed_to >= day or covered(filed, d.process_id, d.expert_name, d.needed_from, d.needed_to):
                continue
            if d.process_id not in names:
                names[d.process_id] = load(session, d.process_id).name
            rows.append(
                DebriefDue(
                    kind="expert", process_id=d.process_id, process=names[d.process_id], name=d.expert_name,
                    role=d.title, organisation=None,
                    request_id=d.request_id, started_on=d.needed_from.isoformat(), ended_on=d.needed_to.isoformat(),
                    days_since_end=(day - d.needed_to).days,
                )
            )  # fmt: skip
    rows.sort(key=lambda r: (-r.days_since_end, r.process.casefold(), _key(r.name)))
    audit.record(
        session, who.username, "list", "debrief", "due",
        after={"processes": "all" if scope is None else scope, "due": len(rows)},
    )  # fmt: skip
    return out.model_copy(update={"due": rows})
