"""Forum shopping (Blue Paper ¶8-11, ¶31): parties that can play mediators against one another because they
take part in several peacemaking processes at once, or face mediators of several bodies with no agreed lead.

A party is matched across processes by its name (case and spacing aside): the registry records parties as
names, and the party form offers the names already on record so one party is written one way. A process
counts while it is in a peacemaking phase (prevention, pre-negotiation, negotiation) on the day asked; in
implementation the settlement is made and parallel talks are no longer a choice of forum. Computed when
asked, never stored, like the coordination checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peaceops.i18n import N_, _
from peaceops.processes.models import PEACEMAKING_PHASES, PHASE_LABELS, PeaceProcess, ProcessParty, ProcessPhase
from peaceops.processes.shapes import EngagedProcess, ForumShopping, ForumShoppingParty

PARALLEL, UNCOORDINATED = "parallel-processes", "uncoordinated-mediators"
REASON = N_(
    "Blue Paper §8-11 and §31: when coordination among peacemakers is missing, the conflict parties can play "
    "mediators against one another, and reluctant factions may conceal their belligerent intentions by going "
    "\u201cforum shopping\u201d, buying time to rearm; all institutions mediating in a conflict at a given time "
    "should agree on who leads."
)


def key(name: str) -> str:
    """How a party's name is compared across processes."""
    return " ".join(name.split()).casefold()


def phase_on(phases: Sequence[ProcessPhase], day: date) -> str | None:
    """The phase a process was in on ``day`` (its phase history is ordered by start)."""
    current = None
    for phase in phases:
        if phase.started_on <= day:
            current = phase.phase
    return current


def _names(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


@dataclass
class _Engagement:
    spellings: list[str] = field(default_factory=list)
    processes: list[PeaceProcess] = field(default_factory=list)

    @property
    def party(self) -> str:
        """The party's name as most processes write it (the first of those in a tie)."""
        return max(self.spellings, key=self.spellings.count)


def _open_processes(session: Session, day: date) -> list[PeaceProcess]:
    query = select(PeaceProcess).options(
        selectinload(PeaceProcess.phases), selectinload(PeaceProcess.parties), selectinload(PeaceProcess.mediators)
    )
    found = [p for p in session.scalars(query) if phase_on(p.phases, day) in PEACEMAKING_PHASES]
    return sorted(found, key=lambda p: p.name.casefold())  # the same order on every database


def _engaged(process: PeaceProcess, day: date) -> EngagedProcess:
    phase = phase_on(process.phases, day) or ""
    active = [m for m in process.mediators if m.active_on(day) and not m.core_team]
    leads = [m for m in active if m.lead]
    return EngagedProcess(
        process_id=process.id,
        name=process.name,
        phase=phase,
        phase_label=_(PHASE_LABELS[phase]) if phase in PHASE_LABELS else phase,
        mediators=[f"{m.name} ({m.organisation})" for m in active],
        lead=leads[0].name if len(leads) == 1 else None,
    )


def _organisations(processes: list[PeaceProcess], day: date) -> list[str]:
    seen: dict[str, str] = {}
    for process in processes:
        for m in process.mediators:
            if m.active_on(day) and not m.core_team:
                seen.setdefault(key(m.organisation), m.organisation)
    return sorted(seen.values(), key=str.casefold)


def _message(party: str, reasons: list[str], engaged: list[EngagedProcess], bodies: list[str]) -> str:
    names = _names([p.name for p in engaged])
    if reasons == [PARALLEL, UNCOORDINATED]:
        text = _(
            "{party} takes part in {count} processes in a peacemaking phase at once ({processes}), mediated by "
            "{bodies} with no single agreed lead."
        )
    elif reasons == [PARALLEL]:
        text = _("{party} takes part in {count} processes in a peacemaking phase at once ({processes}).")
    else:
        text = _("{party} faces mediators of {bodies} in {processes} with no single agreed lead.")
    return text.format(party=party, count=len(engaged), processes=names, bodies=_names(bodies))


def forum_shopping(session: Session, *, today: date | None = None) -> ForumShopping:
    """Every party in several peacemaking processes at once, or facing mediators of two or more bodies without
    one agreed lead, with the processes and mediators involved; most processes first."""
    day = today or date.today()
    by_party: dict[str, _Engagement] = {}
    for process in _open_processes(session, day):
        for party in process.parties:
            found = by_party.setdefault(key(party.name), _Engagement())
            found.spellings.append(party.name)
            found.processes.append(process)
    rows = []
    for found in by_party.values():
        engaged = [_engaged(p, day) for p in found.processes]
        bodies = _organisations(found.processes, day)
        reasons = []
        if len(engaged) > 1:
            reasons.append(PARALLEL)
        agreed = len(engaged) == 1 and engaged[0].lead is not None
        if len(bodies) > 1 and not agreed:
            reasons.append(UNCOORDINATED)
        if reasons:
            rows.append(
                ForumShoppingParty(
                    party=found.party,
                    reasons=reasons,
                    message=_message(found.party, reasons, engaged, bodies),
                    organisations=bodies,
                    processes=engaged,
                )
            )
    rows.sort(key=lambda r: (-len(r.processes), -len(r.organisations), key(r.party)))
    return ForumShopping(today=day.isoformat(), reason=_(REASON), parties=rows)


def parallel_processes(session: Session, process: PeaceProcess, day: date) -> dict[str, list[str]]:
    """For each party of ``process`` (while it is itself in a peacemaking phase), the other processes in a
    peacemaking phase on ``day`` where a party of the same name takes part: the coordination check's facts."""
    if phase_on(process.phases, day) not in PEACEMAKING_PHASES or not process.parties:
        return {}
    mine = {key(p.name): p.name for p in process.parties}
    others: dict[int, set[str]] = {}
    parties = select(ProcessParty.process_id, ProcessParty.name).where(ProcessParty.process_id != process.id)
    for process_id, name in session.execute(parties):
        if key(name) in mine:
            others.setdefault(process_id, set()).add(key(name))
    if not others:
        return {}
    phases: dict[int, list[ProcessPhase]] = {}
    history = (
        select(ProcessPhase)
        .where(ProcessPhase.process_id.in_(others))
        .order_by(ProcessPhase.started_on, ProcessPhase.id)
    )
    for phase in session.scalars(history):
        phases.setdefault(phase.process_id, []).append(phase)
    names = dict(session.execute(select(PeaceProcess.id, PeaceProcess.name).where(PeaceProcess.id.in_(others))).all())
    found: dict[str, list[str]] = {}
    for process_id, keys in sorted(others.items(), key=lambda kv: names.get(kv[0], "").casefold()):
        if phase_on(phases.get(process_id, []), day) not in PEACEMAKING_PHASES:
            continue
        for k in keys:
            found.setdefault(k, []).append(names[process_id])
    return {name: found[k] for k, name in mine.items() if k in found}  # in the order the process lists its parties
