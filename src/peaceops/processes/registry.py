"""The peace-process registry: create, change and read processes; every change is audited with the
whole process before and after, and every read carries the coordination warnings computed afresh.

Analysts and administrators write; every signed-in role reads a process (its debriefs are another
matter: see ``debriefs.py``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from peaceops.access import compartments
from peaceops.access.policy import Actor, check_editor
from peaceops.agreements.catalogue import agreements_by_ids, resolve_agreements
from peaceops.agreements.categories import stage_label
from peaceops.errors import NotFound, ValidationFailed
from peaceops.framework.threat_areas import check_threat_area, counts_out
from peaceops.framework.threat_tags import areas_of, count_areas, set_areas, tagged
from peaceops.i18n import N_, _
from peaceops.processes.coordination import check_process
from peaceops.processes.inputs import FriendDoc, MediatorDoc, PartyDoc, PhaseDoc, ProcessDoc
from peaceops.processes.models import (
    MEDIATOR_KIND_LABELS,
    PHASE_LABELS,
    PROCESS_TAGS,
    PeaceProcess,
    ProcessAgreement,
    ProcessConflict,
    ProcessFriend,
    ProcessMediator,
    ProcessParty,
    ProcessPhase,
)
from peaceops.processes.shapes import (
    Assignment,
    Friend,
    LinkedAgreement,
    Mediator,
    Party,
    PhaseEntry,
    ProcessDetail,
    ProcessRow,
)
from peaceops.store import audit, outbox
from peaceops.store.base import utcnow

if TYPE_CHECKING:
    from peaceops.agreements.models import Agreement

WHAT = N_("peace processes")
ENTITY = "peace_process"


WHOLE = (
    selectinload(PeaceProcess.phases),
    selectinload(PeaceProcess.parties),
    selectinload(PeaceProcess.conflicts),
    selectinload(PeaceProcess.agreement_links),
    selectinload(PeaceProcess.mediators),
    selectinload(PeaceProcess.friends),
)


def load(session: Session, process_id: int) -> PeaceProcess:
    process = session.scalar(select(PeaceProcess).where(PeaceProcess.id == process_id).options(*WHOLE))
    if process is None:
        raise NotFound(_("There is no peace process {id}; /processes lists them.").format(id=process_id))
    return process


def current_phase(process: PeaceProcess) -> ProcessPhase | None:
    return process.phases[-1] if process.phases else None


def _agreements(session: Session, process: PeaceProcess) -> list[Agreement]:
    return agreements_by_ids(session, [link.agreement_id for link in process.agreement_links])


def to_doc(session: Session, process: PeaceProcess) -> dict[str, Any]:
    """The process as a ProcessDoc-shaped dict: the audit snapshot and the export format."""
    agreements = _agreements(session, process)
    return {
        "name": process.name,
        "conflict": process.conflict,
        "country": process.country,
        "region": process.region,
        "tracks": list(process.tracks),
        "description": process.description,
        "phases": [{"phase": p.phase, "started_on": p.started_on, "note": p.note} for p in process.phases],
        "parties": [{"name": p.name, "armed_groups": list(p.armed_groups)} for p in process.parties],
        "ucdp_conflicts": [c.ucdp_conflict_id for c in process.conflicts],
        "agreements": [a.pax_id for a in agreements if a.pax_id is not None],
        "ucdp_agreements": [a.ucdp_paid for a in agreements if a.pax_id is None and a.ucdp_paid is not None],
        "mediators": [
            {
                "name": m.name,
                "organisation": m.organisation,
                "kind": m.kind,
                "title": m.title,
                "mandate": m.mandate,
                "mandate_area": m.mandate_area,
                "started_on": m.started_on,
                "ended_on": m.ended_on,
                "lead": m.lead,
                "core_team": m.core_team,
            }
            for m in process.mediators
        ],
        "friends": [{"name": f.name, "circle": f.circle} for f in process.friends],
        "threat_areas": threat_areas_of(session, process),
    }


def threat_areas_of(session: Session, process: PeaceProcess) -> list[str]:
    """The threat areas the process is tagged with (none before it is stored)."""
    if process.id is None:
        return []
    return areas_of(session, PROCESS_TAGS, [process.id]).get(process.id, [])


def _mediator(doc: MediatorDoc, conflict: str) -> ProcessMediator:
    return ProcessMediator(
        name=doc.name,
        organisation=doc.organisation,
        kind=doc.kind,
        title=doc.title,
        mandate=doc.mandate,
        mandate_area=(doc.mandate_area or conflict).strip(),
        started_on=doc.started_on,
        ended_on=doc.ended_on,
        lead=doc.lead,
        core_team=doc.core_team,
    )


def _set_mediator(row: ProcessMediator, doc: MediatorDoc, conflict: str) -> None:
    fresh = _mediator(doc, conflict)
    for field in ("name", "organisation", "kind", "title", "mandate", "mandate_area", "started_on", "ended_on"):
        setattr(row, field, getattr(fresh, field))
    row.lead, row.core_team = fresh.lead, fresh.core_team


def _replace(session: Session, process: PeaceProcess, attr: str, rows: list[Any]) -> None:
    """Swap a child collection; the old rows go first, so a re-listed unique name does not collide."""
    if process.id is not None:
        getattr(process, attr).clear()
        session.flush()
    setattr(process, attr, rows)


def _apply(session: Session, process: PeaceProcess, doc: ProcessDoc, actor: str, *, today: date) -> None:
    """Write the fields ``doc`` gives onto ``process`` (None leaves a field as it is)."""
    for field in ("name", "conflict", "description"):
        value = getattr(doc, field)
        if value is not None:
            setattr(process, field, value)
    for field in ("country", "region"):
        value = getattr(doc, field)
        if value is not None:
            setattr(process, field, value or None)
    if doc.tracks is not None:
        process.tracks = [t for t in ("I", "II", "III") if t in doc.tracks]
    if doc.phases is not None:
        phases = [
            ProcessPhase(phase=p.phase, started_on=p.started_on, note=p.note, recorded_by=actor) for p in doc.phases
        ]
        _replace(session, process, "phases", phases)
    if doc.phase is not None:
        _change_phase(
            process, PhaseDoc(phase=doc.phase, started_on=doc.phase_since or today, note=doc.phase_note), actor
        )
    if doc.parties is not None:
        _replace(
            session, process, "parties", [ProcessParty(name=p.name, armed_groups=p.armed_groups) for p in doc.parties]
        )
    if doc.ucdp_conflicts is not None:
        _replace(
            session,
            process,
            "conflicts",
            [ProcessConflict(ucdp_conflict_id=i) for i in dict.fromkeys(doc.ucdp_conflicts)],
        )
    if doc.agreements is not None or doc.ucdp_agreements is not None:
        current = to_doc(session, process) if process.id else {"agreements": [], "ucdp_agreements": []}
        pax = doc.agreements if doc.agreements is not None else current["agreements"]
        ucdp = doc.ucdp_agreements if doc.ucdp_agreements is not None else current["ucdp_agreements"]
        links = [ProcessAgreement(agreement_id=i) for i in resolve_agreements(session, list(pax), list(ucdp))]
        _replace(session, process, "agreement_links", links)
    if doc.mediators is not None:
        _replace(session, process, "mediators", [_mediator(m, process.conflict) for m in doc.mediators])
    if doc.friends is not None:
        _replace(session, process, "friends", [ProcessFriend(name=f.name, circle=f.circle) for f in doc.friends])


def _change_phase(process: PeaceProcess, phase: PhaseDoc, actor: str) -> None:
    """Append a phase change unless the process is already in that phase; refuse one dated before the last."""
    last = current_phase(process)
    if last is not None and last.phase == phase.phase:
        return
    if last is not None and phase.started_on < last.started_on:
        message = _("The {phase} phase cannot start on {day}: the {last} phase started later, on {last_day}.")
        raise ValidationFailed(
            message.format(
                phase=_(PHASE_LABELS[phase.phase]).lower(),
                day=phase.started_on,
                last=_(PHASE_LABELS[last.phase]).lower(),
                last_day=last.started_on,
            )
        )
    process.phases.append(
        ProcessPhase(phase=phase.phase, started_on=phase.started_on, note=phase.note, recorded_by=actor)
    )


def _check_name_free(session: Session, name: str, process_id: int | None) -> None:
    query = select(PeaceProcess.id).where(func.lower(PeaceProcess.name) == name.strip().lower())
    existing = session.scalar(query)
    if existing is not None and existing != process_id:
        raise ValidationFailed(
            _("A peace process named {name!r} is already recorded (process {id}).").format(name=name, id=existing)
        )


def create_process(session: Session, who: Actor, doc: ProcessDoc, *, today: date | None = None) -> PeaceProcess:
    """Record a new process (it needs a name, a conflict and a phase) and audit it."""
    check_editor(who, WHAT)
    if not doc.name or not doc.conflict:
        raise ValidationFailed(_("A peace process needs a name and the conflict it addresses."))
    if doc.phase is None and not doc.phases:
        raise ValidationFailed(
            _("A peace process needs its phase (prevention, pre-negotiation, negotiation or implementation).")
        )
    _check_name_free(session, doc.name, None)
    process = PeaceProcess(
        name=doc.name, conflict=doc.conflict, tracks=[], description="", created_by=who.username,
        updated_by=who.username,
    )  # fmt: skip
    _apply(session, process, doc, who.username, today=today or date.today())
    session.add(process)
    session.flush()
    if doc.threat_areas:
        set_areas(session, PROCESS_TAGS, process.id, doc.threat_areas)
    audit.record(session, who.username, "create", ENTITY, process.id, after=to_doc(session, process))
    return process


def update_process(
    session: Session, who: Actor, process_id: int, doc: ProcessDoc, *, today: date | None = None
) -> PeaceProcess:
    """Change the fields ``doc`` gives; the audit entry holds the whole process before and after."""
    check_editor(who, WHAT)
    process = load(session, process_id)
    if doc.name is not None:
        _check_name_free(session, doc.name, process.id)
    before = _before(session, process)
    _apply(session, process, doc, who.username, today=today or date.today())
    if doc.threat_areas is not None:
        set_areas(session, PROCESS_TAGS, process.id, doc.threat_areas)
    return _finish(session, who, process, before)


def _before(session: Session, process: PeaceProcess) -> dict[str, Any]:
    """The audit snapshot, plus (under ``_checks``) the coordination warnings raised before the change."""
    return {**to_doc(session, process), "_checks": {w.check for w in check_process(session, process)}}


def _finish(session: Session, who: Actor, process: PeaceProcess, before: dict[str, Any]) -> PeaceProcess:
    session.flush()
    checks_before = before.pop("_checks", set())
    after = to_doc(session, process)
    if after != before:
        process.updated_by, process.updated_at = who.username, utcnow()
        audit.record(session, who.username, "update", ENTITY, process.id, before=before, after=after)
        _notify(session, process, before, after, checks_before)
    return process


def _notify(
    session: Session, process: PeaceProcess, before: dict[str, Any], after: dict[str, Any], checks: set[str]
) -> None:
    """Tell the outbox what its followers care about: a phase change, a mediator change, a new warning."""
    changes = [("phase", "phases"), ("mediator", "mediators")]
    for event, key in changes:
        if before.get(key) != after.get(key):
            outbox.emit(session, "process", process.id, event, process.name)
    if {w.check for w in check_process(session, process)} - checks:
        outbox.emit(session, "process", process.id, "coordination", process.name)


def _edit(session: Session, who: Actor, process_id: int) -> tuple[PeaceProcess, dict[str, Any]]:
    check_editor(who, WHAT)
    process = load(session, process_id)
    return process, _before(session, process)


def add_party(session: Session, who: Actor, process_id: int, doc: PartyDoc) -> PeaceProcess:
    process, before = _edit(session, who, process_id)
    if any(p.name.casefold() == doc.name.casefold() for p in process.parties):
        raise ValidationFailed(_("{name!r} is already a party to this process.").format(name=doc.name))
    process.parties.append(ProcessParty(name=doc.name, armed_groups=doc.armed_groups))
    return _finish(session, who, process, before)


def add_friend(session: Session, who: Actor, process_id: int, doc: FriendDoc) -> PeaceProcess:
    process, before = _edit(session, who, process_id)
    if any(f.name.casefold() == doc.name.casefold() for f in process.friends):
        raise ValidationFailed(_("{name!r} is already in this process's group of friends.").format(name=doc.name))
    process.friends.append(ProcessFriend(name=doc.name, circle=doc.circle))
    return _finish(session, who, process, before)


def save_mediator(
    session: Session, who: Actor, process_id: int, doc: MediatorDoc, mediator_id: int | None = None
) -> PeaceProcess:
    """Appoint a mediator (``mediator_id`` None) or change one: dates, mandate, lead role."""
    process, before = _edit(session, who, process_id)
    if mediator_id is None:
        process.mediators.append(_mediator(doc, process.conflict))
    else:
        row = next((m for m in process.mediators if m.id == mediator_id), None)
        if row is None:
            raise NotFound(_("Process {id} has no mediator {item}.").format(id=process_id, item=mediator_id))
        _set_mediator(row, doc, process.conflict)
    return _finish(session, who, process, before)


def remove_item(session: Session, who: Actor, process_id: int, kind: str, item_id: int) -> PeaceProcess:
    """Remove a party, mediator or friend (kind "parties", "mediators" or "friends") from the process."""
    if kind not in ("parties", "mediators", "friends"):
        raise ValidationFailed(
            _("A process has no {kind!r} to remove; parties, mediators and friends can be removed.").format(kind=kind)
        )
    process, before = _edit(session, who, process_id)
    items: list[Any] = getattr(process, kind)
    row = next((i for i in items if i.id == item_id), None)
    if row is None:
        message = {
            "parties": _("Process {id} has no party {item}."),
            "mediators": _("Process {id} has no mediator {item}."),
            "friends": _("Process {id} has no friend {item}."),
        }[kind]
        raise NotFound(message.format(id=process_id, item=item_id))
    items.remove(row)
    return _finish(session, who, process, before)


def mediator_doc(process: PeaceProcess, mediator_id: int) -> MediatorDoc:
    row = next((m for m in process.mediators if m.id == mediator_id), None)
    if row is None:
        raise NotFound(_("Process {id} has no mediator {item}.").format(id=process.id, item=mediator_id))
    return MediatorDoc(
        name=row.name, organisation=row.organisation, kind=row.kind, title=row.title,  # type: ignore[arg-type]
        mandate=row.mandate, mandate_area=row.mandate_area, started_on=row.started_on, ended_on=row.ended_on,
        lead=row.lead, core_team=row.core_team,
    )  # fmt: skip


def process_detail(session: Session, process_id: int, *, today: date | None = None) -> ProcessDetail:
    """The process as pages and the API show it, with its coordination warnings computed now."""
    day = today or date.today()
    process = load(session, process_id)
    phase = current_phase(process)
    agreements = _agreements(session, process)
    return ProcessDetail(
        id=process.id,
        name=process.name,
        conflict=process.conflict,
        country=process.country,
        region=process.region,
        tracks=list(process.tracks),
        description=process.description,
        phase=phase.phase if phase else None,
        phase_label=_(PHASE_LABELS[phase.phase]) if phase else None,
        phase_since=phase.started_on.isoformat() if phase else None,
        phases=[
            PhaseEntry(
                phase=p.phase,
                label=_(PHASE_LABELS[p.phase]),
                started_on=p.started_on.isoformat(),
                note=p.note,
                recorded_by=p.recorded_by,
            )
            for p in process.phases
        ],
        parties=[Party(id=p.id, name=p.name, armed_groups=list(p.armed_groups)) for p in process.parties],
        ucdp_conflicts=[c.ucdp_conflict_id for c in process.conflicts],
        agreements=[
            LinkedAgreement(
                id=a.id,
                pax_id=a.pax_id,
                ucdp_paid=a.ucdp_paid,
                title=a.title,
                signed_on=a.signed_on.isoformat() if a.signed_on else None,
                stage=a.stage,
                stage_label=stage_label(a.stage),
            )
            for a in agreements
        ],
        mediators=[
            Mediator(
                id=m.id,
                name=m.name,
                organisation=m.organisation,
                kind=m.kind,
                kind_label=_(MEDIATOR_KIND_LABELS[m.kind]) if m.kind in MEDIATOR_KIND_LABELS else m.kind,
                title=m.title,
                mandate=m.mandate,
                mandate_area=m.mandate_area,
                started_on=m.started_on.isoformat(),
                ended_on=m.ended_on.isoformat() if m.ended_on else None,
                lead=m.lead,
                core_team=m.core_team,
                active=m.active_on(day),
            )
            for m in process.mediators
        ],
        friends=[Friend(id=f.id, name=f.name, circle=f.circle) for f in process.friends],
        threat_areas=threat_areas_of(session, process),
        pax_process_id=process.pax_process_id,
        compartment=process.compartment,
        compartment_holders=compartments.holders(session, process.compartment),
        warnings=check_process(session, process, today=day),
        created_by=process.created_by,
        created_at=process.created_at.isoformat(timespec="seconds"),
        updated_by=process.updated_by,
        updated_at=process.updated_at.isoformat(timespec="seconds"),
    )


def party_names(session: Session) -> list[str]:
    """Every party's name on record, once each (case aside): the party form offers them, so one party is
    written one way across processes (the forum-shopping check matches parties by name)."""
    seen: dict[str, str] = {}
    for name in session.scalars(select(ProcessParty.name).order_by(ProcessParty.name)):
        seen.setdefault(" ".join(name.split()).casefold(), name)
    return sorted(seen.values(), key=str.casefold)


def process_names(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every process, by name: for menus that choose one (no warnings computed)."""
    query = select(PeaceProcess.id, PeaceProcess.name).order_by(PeaceProcess.name)
    return [(pid, name) for pid, name in session.execute(query)]


def list_processes(session: Session, *, today: date | None = None, threat_area: str | None = None) -> list[ProcessRow]:
    """Every process (or those tagged ``threat_area``) with its current phase, active mediators, threat areas
    and the codes of its warnings."""
    day = today or date.today()
    area = check_threat_area(threat_area)
    query = select(PeaceProcess.id).order_by(PeaceProcess.name)
    if area:
        query = query.where(PeaceProcess.id.in_(tagged(PROCESS_TAGS, area)))
    ids = list(session.scalars(query))
    areas = areas_of(session, PROCESS_TAGS, ids)
    out = []
    # every process and its rows in one query per table (the registry holds a few hundred: PA-X's, seeded)
    whole = select(PeaceProcess).options(*WHOLE).where(PeaceProcess.id.in_(ids)).order_by(PeaceProcess.name)
    for process in session.scalars(whole):
        phase = current_phase(process)
        warnings = check_process(session, process, today=day)
        out.append(
            ProcessRow(
                id=process.id,
                name=process.name,
                conflict=process.conflict,
                country=process.country,
                region=process.region,
                tracks=list(process.tracks),
                phase=phase.phase if phase else None,
                phase_label=_(PHASE_LABELS[phase.phase]) if phase else None,
                phase_since=phase.started_on.isoformat() if phase else None,
                active_mediators=sum(1 for m in process.mediators if m.active_on(day) and not m.core_team),
                agreements=len(process.agreement_links),
                warnings=[w.check for w in warnings],
                threat_areas=areas.get(process.id, []),
            )
        )
    return out


def threat_area_counts(session: Session) -> list[dict[str, Any]]:
    """Processes per threat area (every signed-in role reads the registry)."""
    return counts_out(count_areas(session, PROCESS_TAGS, select(PeaceProcess.id)))


def assignments(session: Session, process_ids: list[int] | None = None) -> list[Assignment]:
    """Every mediator's and core-team member's time on a process (of ``process_ids`` when given), by process
    and start: the assignments whose end calls for a debrief (Blue Paper ¶35)."""
    query = select(ProcessMediator, PeaceProcess.name).join(PeaceProcess, PeaceProcess.id == ProcessMediator.process_id)
    if process_ids is not None:
        query = query.where(ProcessMediator.process_id.in_(process_ids))
    rows = session.execute(query.order_by(PeaceProcess.name, ProcessMediator.started_on, ProcessMediator.id))
    return [
        Assignment(
            process_id=m.process_id, process=name, name=m.name, title=m.title, organisation=m.organisation,
            core_team=m.core_team, started_on=m.started_on.isoformat(),
            ended_on=m.ended_on.isoformat() if m.ended_on else None,
        )
        for m, name in rows
    ]  # fmt: skip
