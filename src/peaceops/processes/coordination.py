"""Coordination checks on a peace process, each tied to the IPI Blue Paper's reason (seed 004, 2009).

They are computed from the stored rows every time a process is read or changed and never stored, so a
warning cannot outlive the facts behind it. Each check returns the specifics of this process in its
message and the paper's argument in its reason.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.i18n import N_, _
from peaceops.processes import forum, mandates
from peaceops.processes.models import PEACEMAKING_PHASES, PHASE_LABELS, PeaceProcess, ProcessMediator
from peaceops.processes.shapes import CoordinationWarning

MAX_CORE_FRIENDS = 6

REASONS = {
    "no-agreed-lead": N_(
        "Blue Paper §9 and §31: when coordination among peacemakers is missing, the conflict parties can play "
        "mediators against one another and go \u201cforum shopping\u201d, buying time to rearm; all institutions "
        "mediating at a given time should agree on who leads, or they will likely compete and harm the process."
    ),
    "large-group-of-friends": N_(
        "Blue Paper §28: groups of friends engaged in peacemaking work discreetly and effectively with no more "
        "than half a dozen members; other states can take part through concentric circles around the core "
        "group, and only in the implementation and peacebuilding phase should the group grow."
    ),
    "overlapping-mandates": N_(
        "Blue Paper §18 and §33: envoys and representatives have multiplied ad hoc, with increasing overlap of "
        "their mandates; the mandates of representatives and envoys, and their overlap, should be reviewed."
    ),
    "forum-shopping": forum.REASON,
    "no-continuity-into-implementation": N_(
        "Blue Paper §34: a smooth transition from negotiations to implementation often requires the continued "
        "involvement of the mediators or core members of their team, who hold the institutional memory of the "
        "process and can give objective information about tacit understandings between the parties."
    ),
    "implementation-without-agreement": N_(
        "Blue Paper §16: during implementation the parties often disagree on what the accord required; "
        "international actors can resolve such disputes only with access to an impartial institutional memory "
        "of the terms of the settlement, its negotiating history and tacit understandings."
    ),
}
CHECKS = tuple(REASONS)


def _warn(check: str, message: str) -> CoordinationWarning:
    return CoordinationWarning(check=check, message=message, reason=_(REASONS[check]))


def _who(m: ProcessMediator) -> str:
    return f"{m.name} ({m.organisation})"


def _names(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def no_agreed_lead(process: PeaceProcess, today: date) -> CoordinationWarning | None:
    """Two or more mediators active today, and not exactly one of them marked as the agreed lead."""
    active = [m for m in process.mediators if m.active_on(today) and not m.core_team]
    if len(active) < 2:
        return None
    leads = [m for m in active if m.lead]
    if len(leads) == 1:
        return None
    who = _names([_who(m) for m in active])
    if not leads:
        message = _("{count} mediators are active ({who}) and none is recorded as the agreed lead.")
        return _warn("no-agreed-lead", message.format(count=len(active), who=who))
    message = _(
        "{count} mediators are active ({who}) and {leads} of them are marked as lead ({names}): the lead is not agreed."
    )
    names = _names([m.name for m in leads])
    return _warn("no-agreed-lead", message.format(count=len(active), who=who, leads=len(leads), names=names))


def large_group_of_friends(process: PeaceProcess, phase: str | None) -> CoordinationWarning | None:
    """More than six members in the core circle while the process is still in a peacemaking phase."""
    if phase not in PEACEMAKING_PHASES:
        return None
    core = [f.name for f in process.friends if f.circle == "core"]
    if len(core) <= MAX_CORE_FRIENDS:
        return None
    supporting = sum(1 for f in process.friends if f.circle != "core")
    phase_name = _(PHASE_LABELS[phase]).lower()
    if supporting:
        message = _(
            "The core group of friends has {count} members ({names}) while the process is in the {phase} phase; "
            "{supporting} more are in the supporting circle. Keep the core to {most} and move the others to the "
            "supporting circle."
        )
    else:
        message = _(
            "The core group of friends has {count} members ({names}) while the process is in the {phase} phase. "
            "Keep the core to {most} and move the others to the supporting circle."
        )
    return _warn(
        "large-group-of-friends",
        message.format(
            count=len(core), names=_names(core), phase=phase_name, supporting=supporting, most=MAX_CORE_FRIENDS
        ),
    )


def overlapping_mandates(session: Session, process: PeaceProcess, today: date) -> list[CoordinationWarning]:
    """Envoys of the same mandating body whose mandates overlap now or later, on the same place or on a country
    inside another's sub-region (``mandates.overlap``).

    Envoys of other processes count too: two processes on one conflict, or a sub-regional envoy beside the
    country envoys of the region, is where overlaps hide.
    """
    mine = [m for m in process.mediators if not m.core_team and (m.ended_on is None or m.ended_on >= today)]
    if not mine:
        return []
    others = mandates.current_envoys(session, today)
    names = dict(session.execute(select(PeaceProcess.id, PeaceProcess.name)).all()) if others else {}
    out: list[CoordinationWarning] = []
    seen: set[frozenset[int]] = set()
    for a in mine:
        for b in others:
            pair = frozenset((a.id, b.id))
            hit = None if pair in seen else mandates.overlap(a, b, today)
            if hit is None:
                continue
            seen.add(pair)
            how, start, end = hit
            outer, inner = a.mandate_area, b.mandate_area
            if how != mandates.WITHIN:
                outer, inner = inner, outer
            values = {
                "a": a.name,
                "a_title": a.title or _("envoy"),
                "a_area": a.mandate_area,
                "b": b.name,
                "b_title": b.title or _("envoy"),
                "b_area": b.mandate_area,
                "process": names.get(b.process_id, b.process_id),
                "organisation": a.organisation,
                "area": a.mandate_area,
                "outer": outer,
                "inner": inner,
                "start": start,
                "end": end,
            }
            sentence = _overlap_message(b.process_id == process.id, end, nested=how != mandates.SAME)
            out.append(_warn("overlapping-mandates", sentence.format(**values)))
    return out


def _overlap_message(same_process: bool, ends: date | None, *, nested: bool = False) -> str:
    """The sentence for two overlapping mandates, whole (never built from pieces), in the current language."""
    if nested:
        return _nested_message(same_process, ends)
    if same_process:
        if ends:
            return _(
                "{a} ({a_title}) and {b} ({b_title}) both hold {organisation} mandates on {area}, overlapping from "
                "{start} until {end}."
            )
        return _(
            "{a} ({a_title}) and {b} ({b_title}) both hold {organisation} mandates on {area}, overlapping from "
            "{start} with no end date."
        )
    if ends:
        return _(
            "{a} ({a_title}) and {b} ({b_title}) in the process {process} both hold {organisation} mandates on "
            "{area}, overlapping from {start} until {end}."
        )
    return _(
        "{a} ({a_title}) and {b} ({b_title}) in the process {process} both hold {organisation} mandates on {area}, "
        "overlapping from {start} with no end date."
    )


def _nested_message(same_process: bool, ends: date | None) -> str:
    """A country mandate inside a sub-regional one of the same body (Blue Paper ¶47's sub-regional mandates)."""
    if same_process:
        if ends:
            return _(
                "{a} ({a_title}, mandate on {a_area}) and {b} ({b_title}, mandate on {b_area}) both hold "
                "{organisation} mandates and {inner} lies in {outer}: they overlap from {start} until {end}."
            )
        return _(
            "{a} ({a_title}, mandate on {a_area}) and {b} ({b_title}, mandate on {b_area}) both hold {organisation} "
            "mandates and {inner} lies in {outer}: they overlap from {start} with no end date."
        )
    if ends:
        return _(
            "{a} ({a_title}, mandate on {a_area}) and {b} ({b_title}, mandate on {b_area}) in the process {process} "
            "both hold {organisation} mandates and {inner} lies in {outer}: they overlap from {start} until {end}."
        )
    return _(
        "{a} ({a_title}, mandate on {a_area}) and {b} ({b_title}, mandate on {b_area}) in the process {process} "
        "both hold {organisation} mandates and {inner} lies in {outer}: they overlap from {start} with no end date."
    )


def forum_shopping(session: Session, process: PeaceProcess, today: date) -> list[CoordinationWarning]:
    """Parties of this process that take part in another process in a peacemaking phase at the same time."""
    out = []
    for party, others in forum.parallel_processes(session, process, today).items():
        message = _(
            "{party} also takes part in {processes}, in a peacemaking phase at the same time: it can choose among "
            "mediators."
        )
        out.append(_warn("forum-shopping", message.format(party=party, processes=_names(others))))
    return out


def no_continuity(process: PeaceProcess, phase_start: date) -> CoordinationWarning | None:
    """In implementation, nobody from the mediation (mediator or core team) stayed on past its start."""
    before = [m for m in process.mediators if m.started_on < phase_start]
    carried = [m for m in before if m.ended_on is None or m.ended_on > phase_start]
    if carried:
        return None
    if before:
        gone = _names([_("{name} left on {day}").format(name=m.name, day=m.ended_on) for m in before])
        message = _(
            "The process entered implementation on {day} and every mediator and core-team member of the "
            "negotiations had left ({gone})."
        ).format(day=phase_start, gone=gone)
    else:
        message = _(
            "The process entered implementation on {day} and no mediator or core-team member from before that date "
            "is on record."
        ).format(day=phase_start)
    return _warn("no-continuity-into-implementation", message)


def implementation_without_agreement(process: PeaceProcess, phase_start: date) -> CoordinationWarning | None:
    if process.agreement_links:
        return None
    message = _(
        "The process has been in implementation since {day} but no agreement is on record for it: link the "
        "agreement being implemented (by its PA-X or UCDP id)."
    )
    return _warn("implementation-without-agreement", message.format(day=phase_start))


def check_process(session: Session, process: PeaceProcess, *, today: date | None = None) -> list[CoordinationWarning]:
    """Every coordination warning that holds for ``process`` today, in the order of CHECKS."""
    day = today or date.today()
    phase = process.phases[-1] if process.phases else None
    found: list[CoordinationWarning | None] = [
        no_agreed_lead(process, day),
        large_group_of_friends(process, phase.phase if phase else None),
        *overlapping_mandates(session, process, day),
        *forum_shopping(session, process, day),
    ]
    if phase is not None and phase.phase == "implementation":
        found += [no_continuity(process, phase.started_on), implementation_without_agreement(process, phase.started_on)]
    return [w for w in found if w is not None]
