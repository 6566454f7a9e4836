"""Partnerships: cooperation frameworks with partner organisations, monitored through their milestones,
and partner-led or joint operations (and support offices) held as entries beside the UN missions, with
the support arrangements that tie them to the UN.

A milestone has an owner and a due date; it is planned, in progress, done or dropped. Whether it is
overdue is computed (open and past its due date), never stored, so it cannot go stale. A framework's
monitored status follows from its milestones: "overdue" when any open milestone is past due, "on track"
while open ones remain, "complete" when none is left open. Every role reads; analysts and administrators
record and change; every change is audited.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peaceops.access.policy import Actor, check_editor
from peaceops.errors import NotFound, ValidationFailed
from peaceops.geography.codes import country_name
from peaceops.i18n import N_, _
from peaceops.missions.models import Mission
from peaceops.partnerships.models import (
    MILESTONE_STATUS_LABELS,
    MILESTONE_STATUSES,
    OPERATION_KIND_LABELS,
    OPERATION_KINDS,
    SUPPORT_KINDS,
    CooperationFramework,
    CooperationMilestone,
    PartnerOperation,
    SupportArrangement,
)
from peaceops.store import audit
from peaceops.store.base import utcnow

WHAT = N_("partnership records")
OPEN = ("planned", "in_progress")


def _text(value: str, label: str, limit: int, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationFailed(_("Give the {label}.").format(label=label))
    if len(value) > limit:
        raise ValidationFailed(_("Keep the {label} under {limit} characters.").format(label=label, limit=limit))
    return value


# ------------------------------------------------------------------ cooperation frameworks
@dataclass(frozen=True)
class FrameworkInput:
    code: str
    title: str
    partner: str
    signed_on: date | None = None
    description: str = ""


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    owner: str
    due_on: date
    note: str = ""


def record_framework(session: Session, who: Actor, data: FrameworkInput) -> CooperationFramework:
    """A new cooperation framework; its code is its stable short name (e.g. ``UN-AU-JF``)."""
    check_editor(who, WHAT)
    code = _text(data.code, "code", 40).upper()
    if session.scalar(select(CooperationFramework.id).where(CooperationFramework.code == code)) is not None:
        raise ValidationFailed(_("A framework with the code {code} is already recorded.").format(code=code))
    if data.signed_on and data.signed_on > date.today():
        raise ValidationFailed(_("The signature date is in the future."))
    framework = CooperationFramework(
        code=code,
        title=_text(data.title, "title", 200),
        partner=_text(data.partner, "partner organisation", 120),
        signed_on=data.signed_on,
        description=_text(data.description, "description", 4000, required=False),
        created_by=who.username,
    )
    session.add(framework)
    session.flush()
    audit.record(
        session,
        who.username,
        "create",
        "cooperation_framework",
        framework.id,
        after={"code": code, "title": framework.title, "partner": framework.partner, "signed_on": data.signed_on},
    )
    return framework


def add_milestone(session: Session, who: Actor, framework_id: int, data: MilestoneInput) -> CooperationMilestone:
    """A milestone of a framework, planned, with its owner and due date."""
    check_editor(who, WHAT)
    framework = _framework(session, framework_id)
    milestone = CooperationMilestone(
        framework_id=framework.id,
        title=_text(data.title, "milestone", 200),
        owner=_text(data.owner, "owner", 120),
        due_on=data.due_on,
        status="planned",
        note=_text(data.note, "note", 2000, required=False),
        updated_by=who.username,
    )
    session.add(milestone)
    session.flush()
    audit.record(
        session,
        who.username,
        "create",
        "cooperation_milestone",
        milestone.id,
        after={"framework": framework.code, "title": milestone.title, "owner": milestone.owner, "due_on": data.due_on},
    )
    return milestone


def change_milestone(
    session: Session,
    who: Actor,
    milestone_id: int,
    status: str,
    *,
    on: date | None = None,
    due_on: date | None = None,
    note: str = "",
) -> CooperationMilestone:
    """Change a milestone's status (``on`` dates its completion) or move its due date; audited.

    Done needs a completion date not in the future; reopening a done or dropped milestone, or moving a
    due date, needs a note saying why, so the monitoring keeps its history honest.
    """
    check_editor(who, WHAT)
    milestone = session.get(CooperationMilestone, milestone_id)
    if milestone is None:
        raise NotFound(_("There is no milestone {id}; frameworks are listed on /partnerships.").format(id=milestone_id))
    if status not in MILESTONE_STATUSES:
        raise ValidationFailed(
            _("Status {status!r} is not one of {statuses}.").format(
                status=status, statuses=", ".join(MILESTONE_STATUSES)
            )
        )
    note = _text(note, "note", 2000, required=False)
    reopening = milestone.status not in OPEN and status in OPEN
    moving = due_on is not None and due_on != milestone.due_on
    if status == milestone.status and not moving:
        raise ValidationFailed(
            _("The milestone is already {status}.").format(status=_(MILESTONE_STATUS_LABELS[status]).lower())
        )
    if (reopening or moving) and not note:
        raise ValidationFailed(_("Reopening a milestone or moving its due date needs a note saying why."))
    completed = milestone.completed_on
    if status == "done":
        completed = on or date.today()
        if completed > date.today():
            raise ValidationFailed(_("A milestone cannot be done on a future date."))
    elif status != milestone.status:
        completed = None
    before = {"status": milestone.status, "due_on": milestone.due_on, "completed_on": milestone.completed_on}
    milestone.status, milestone.completed_on = status, completed
    if moving:
        milestone.due_on = due_on  # type: ignore[assignment]
    if note:
        milestone.note = note
    milestone.updated_by, milestone.updated_at = who.username, utcnow()
    session.flush()
    after = {"status": status, "due_on": milestone.due_on, "completed_on": completed, "note": note}
    audit.record(session, who.username, "status", "cooperation_milestone", milestone.id, before=before, after=after)
    return milestone


def is_overdue(milestone: CooperationMilestone, today: date | None = None) -> bool:
    """Open and past its due date."""
    return milestone.status in OPEN and milestone.due_on < (today or date.today())


def milestone_fields(m: CooperationMilestone, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    overdue = is_overdue(m, today)
    return {
        "id": m.id,
        "framework_id": m.framework_id,
        "title": m.title,
        "owner": m.owner,
        "due_on": m.due_on.isoformat(),
        "status": m.status,
        "status_label": MILESTONE_STATUS_LABELS[m.status],
        "completed_on": m.completed_on.isoformat() if m.completed_on else None,
        "overdue": overdue,
        "days_overdue": (today - m.due_on).days if overdue else 0,
        "note": m.note,
        "updated_by": m.updated_by,
    }


# The monitored statuses as the pages show them (capitalised), translated there.
MONITORED_STATUS_NAMES = (N_("No milestones"), N_("Overdue"), N_("On track"), N_("Complete"))


def monitored_status(milestones: list[dict[str, Any]]) -> str:
    """What the framework's milestones add up to: overdue, on track, complete, or no milestones yet."""
    if not milestones:
        return "no milestones"
    if any(m["overdue"] for m in milestones):
        return "overdue"
    return "on track" if any(m["status"] in OPEN for m in milestones) else "complete"


def framework_fields(framework: CooperationFramework, today: date | None = None) -> dict[str, Any]:
    milestones = [milestone_fields(m, today) for m in framework.milestones]
    counts = Counter(m["status"] for m in milestones)
    return {
        "id": framework.id,
        "code": framework.code,
        "title": framework.title,
        "partner": framework.partner,
        "signed_on": framework.signed_on.isoformat() if framework.signed_on else None,
        "description": framework.description,
        "monitored_status": monitored_status(milestones),
        "milestones_total": len(milestones),
        "milestones_done": counts["done"],
        "milestones_open": counts["planned"] + counts["in_progress"],
        "milestones_overdue": sum(m["overdue"] for m in milestones),
        "milestones": milestones,
    }


def _framework(session: Session, framework_id: int) -> CooperationFramework:
    framework = session.get(CooperationFramework, framework_id, options=[selectinload(CooperationFramework.milestones)])
    if framework is None:
        raise NotFound(
            _("There is no cooperation framework {id}; they are listed on /partnerships.").format(id=framework_id)
        )
    return framework


def list_frameworks(session: Session, today: date | None = None) -> list[dict[str, Any]]:
    frameworks = session.scalars(
        select(CooperationFramework)
        .options(selectinload(CooperationFramework.milestones))
        .order_by(CooperationFramework.code)
    )
    return [framework_fields(f, today) for f in frameworks]


def framework_detail(session: Session, framework_id: int, today: date | None = None) -> dict[str, Any]:
    return framework_fields(_framework(session, framework_id), today)


def overdue_milestones(session: Session, today: date | None = None) -> list[dict[str, Any]]:
    """Every open milestone past its due date, longest overdue first, with its framework's code."""
    today = today or date.today()
    rows = session.execute(
        select(CooperationMilestone, CooperationFramework.code)
        .join(CooperationFramework, CooperationFramework.id == CooperationMilestone.framework_id)
        .where(CooperationMilestone.status.in_(OPEN), CooperationMilestone.due_on < today)
        .order_by(CooperationMilestone.due_on, CooperationMilestone.id)
    )
    return [{**milestone_fields(m, today), "framework": code} for m, code in rows]


# ------------------------------------------------------------------ partner-led and joint operations
@dataclass(frozen=True)
class OperationInput:
    acronym: str
    name: str
    kind: str
    lead: str
    host: str | None = None
    mandate: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    description: str = ""


@dataclass(frozen=True)
class ArrangementInput:
    provider: str
    kind: str
    basis: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    description: str = ""


def _period(start: date | None, end: date | None) -> None:
    if start and start > date.today():
        raise ValidationFailed(_("The start date is in the future."))
    if start and end and end < start:
        raise ValidationFailed(_("The end date is before the start date."))


def operation_values(session: Session, data: OperationInput) -> dict[str, Any]:
    """The checked columns of an operation (ValidationFailed names what is wrong); shared by the form, the
    API and the file import, so an imported operation obeys the same rules as a typed one."""
    acronym = _text(data.acronym, "acronym", 32).upper()
    if data.kind not in OPERATION_KINDS:
        raise ValidationFailed(
            _("Kind {kind!r} is not one of {kinds}.").format(kind=data.kind, kinds=", ".join(OPERATION_KINDS))
        )
    if session.scalar(select(Mission.id).where(Mission.acronym == acronym)) is not None:
        raise ValidationFailed(
            _("{acronym} is a UN mission in the missions register, not a partner operation.").format(acronym=acronym)
        )
    host = (data.host or "").strip().upper() or None
    if host and country_name(host) is None:
        raise ValidationFailed(_("Host {host!r} is not an ISO 3166 alpha-3 country code.").format(host=data.host))
    _period(data.started_on, data.ended_on)
    return {
        "acronym": acronym,
        "name": _text(data.name, "name", 200),
        "kind": data.kind,
        "lead": _text(data.lead, "lead organisation", 120),
        "host_iso3": host,
        "mandate": _text(data.mandate, "mandate", 200, required=False),
        "started_on": data.started_on,
        "ended_on": data.ended_on,
        "description": _text(data.description, "description", 4000, required=False),
    }


def record_operation(session: Session, who: Actor, data: OperationInput) -> PartnerOperation:
    """A partner-led or joint operation or a support office; its acronym may not be a UN mission's."""
    check_editor(who, WHAT)
    values = operation_values(session, data)
    acronym = values["acronym"]
    if session.scalar(select(PartnerOperation.id).where(PartnerOperation.acronym == acronym)) is not None:
        raise ValidationFailed(_("An operation {acronym} is already recorded.").format(acronym=acronym))
    operation = PartnerOperation(**values, created_by=who.username)
    session.add(operation)
    session.flush()
    audit.record(session, who.username, "create", "partner_operation", operation.id, after=_operation_audit(operation))
    return operation


def _operation_audit(operation: PartnerOperation) -> dict[str, Any]:
    return {
        "acronym": operation.acronym,
        "name": operation.name,
        "kind": operation.kind,
        "lead": operation.lead,
        "host": operation.host_iso3,
        "mandate": operation.mandate,
        "started_on": operation.started_on,
        "ended_on": operation.ended_on,
    }


def add_arrangement(session: Session, who: Actor, operation_id: int, data: ArrangementInput) -> SupportArrangement:
    """Support the operation receives, from a UN mission, a support office or another partner."""
    check_editor(who, WHAT)
    operation = _operation(session, operation_id)
    if data.kind not in SUPPORT_KINDS:
        raise ValidationFailed(
            _("Kind of support {kind!r} is not one of {kinds}.").format(kind=data.kind, kinds=", ".join(SUPPORT_KINDS))
        )
    _period(data.started_on, data.ended_on)
    arrangement = SupportArrangement(
        operation_id=operation.id,
        provider=_text(data.provider, "provider", 120),
        kind=data.kind,
        basis=_text(data.basis, "basis", 200, required=False),
        started_on=data.started_on,
        ended_on=data.ended_on,
        description=_text(data.description, "description", 4000, required=False),
        created_by=who.username,
    )
    session.add(arrangement)
    session.flush()
    audit.record(
        session,
        who.username,
        "create",
        "support_arrangement",
        arrangement.id,
        after={
            "operation": operation.acronym,
            "provider": arrangement.provider,
            "kind": data.kind,
            "basis": data.basis,
        },
    )
    return arrangement


def _operation(session: Session, operation_id: int) -> PartnerOperation:
    operation = session.get(PartnerOperation, operation_id, options=[selectinload(PartnerOperation.arrangements)])
    if operation is None:
        raise NotFound(
            _("There is no partner operation {id}; they are listed on /partnerships.").format(id=operation_id)
        )
    return operation


def operation_fields(operation: PartnerOperation, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    return {
        "id": operation.id,
        "acronym": operation.acronym,
        "name": operation.name,
        "kind": operation.kind,
        "kind_label": OPERATION_KIND_LABELS[operation.kind],
        "lead": operation.lead,
        "host_iso3": operation.host_iso3,
        "host": country_name(operation.host_iso3) if operation.host_iso3 else None,
        "mandate": operation.mandate,
        "started_on": operation.started_on.isoformat() if operation.started_on else None,
        "ended_on": operation.ended_on.isoformat() if operation.ended_on else None,
        "active": operation.ended_on is None or operation.ended_on >= today,
        "description": operation.description,
        "arrangements": [
            {
                "id": a.id,
                "provider": a.provider,
                "kind": a.kind,
                "basis": a.basis,
                "started_on": a.started_on.isoformat() if a.started_on else None,
                "ended_on": a.ended_on.isoformat() if a.ended_on else None,
                "description": a.description,
            }
            for a in operation.arrangements
        ],
    }


def list_operations(session: Session) -> list[dict[str, Any]]:
    operations = session.scalars(
        select(PartnerOperation).options(selectinload(PartnerOperation.arrangements)).order_by(PartnerOperation.acronym)
    )
    return [operation_fields(o) for o in operations]


def operation_detail(session: Session, operation_id: int) -> dict[str, Any]:
    return operation_fields(_operation(session, operation_id))


def partnerships_overview(session: Session, today: date | None = None) -> dict[str, Any]:
    """What the Partnerships page shows: frameworks with their monitored status, overdue milestones, and
    the partner operations with their support arrangements."""
    frameworks = list_frameworks(session, today)
    overdue = overdue_milestones(session, today)
    milestones = [m for f in frameworks for m in f["milestones"]]
    statuses = Counter("overdue" if m["overdue"] else m["status"] for m in milestones)
    return {
        "frameworks": frameworks,
        "overdue": overdue,
        "milestone_status": [
            {"status": s, "count": statuses[s]} for s in ("done", "in_progress", "planned", "overdue", "dropped")
        ],
        "operations": list_operations(session),
    }


def operation_ids(session: Session) -> dict[str, int]:
    """Every partner operation's id by acronym: how other domains name an operation in their files."""
    return dict(session.execute(select(PartnerOperation.acronym, PartnerOperation.id)).all())
