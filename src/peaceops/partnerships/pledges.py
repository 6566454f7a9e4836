"""Member State pledges and how far each has come: announced, in progress, delivered, or withdrawn.

A pledge is made by a country at an event (a ministerial, a summit), on a date, under an A4P or A4P+ area
of the reference framework, of a type (troops, police, training, equipment, funding, gender parity), with a
quantity and unit where it has one. Its natural key is country, event, type and title, so a re-import or a
second entry of the same pledge updates it. Every status change is kept with its date, note and actor and
written to the audit log; "delivered" needs evidence, and moving back or reinstating a withdrawn pledge
needs a note. Every role reads pledges; analysts and administrators record and move them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peaceops.access.policy import Actor, check_editor
from peaceops.errors import NotFound, ValidationFailed, problems_invalid
from peaceops.framework.models import FrameworkElement
from peaceops.geography.codes import country_name
from peaceops.i18n import N_, _
from peaceops.partnerships.models import (
    PLEDGE_STAGES,
    PLEDGE_STATUS_LABELS,
    PLEDGE_STATUSES,
    PLEDGE_TYPE_LABELS,
    PLEDGE_TYPES,
    Pledge,
    PledgeStatusChange,
)
from peaceops.store import audit
from peaceops.store.base import utcnow

WHAT = N_("pledges")
PROGRESS_BY = ("country", "area", "pledge_type", "event")


@dataclass(frozen=True)
class PledgeInput:
    """What a person enters, or a CSV line gives, for one pledge."""

    country: str
    event: str
    pledged_on: date
    area: str
    pledge_type: str
    title: str
    quantity: float | None = None
    unit: str = ""
    evidence: str = ""
    status: str = "announced"


def pledge_problems(data: PledgeInput) -> list[tuple[str, str]]:
    """Every reason the pledge cannot be stored as given (empty: it can), so a person fixes them at once: each a
    sentence in the current language, with the field it is about (``PledgeInput``'s names, as the form's)."""
    problems: list[tuple[str, str]] = []
    code = data.country.strip().upper()
    if len(code) != 3 or country_name(code) is None:
        message = _("The country {country!r} is not an ISO 3166 alpha-3 code (such as NPL for Nepal).")
        problems.append(("country", message.format(country=data.country)))
    if not data.event.strip() or len(data.event) > 160:
        problems.append(("event", _("The event needs 1 to 160 characters.")))
    if not data.title.strip() or len(data.title) > 200:
        problems.append(("title", _("What is pledged needs 1 to 200 characters.")))
    if data.pledge_type not in PLEDGE_TYPES:
        message = _("The type {value!r} is not one of {accepted}.")
        problems.append(("pledge_type", message.format(value=data.pledge_type, accepted=_choices(PLEDGE_TYPE_LABELS))))
    if data.status not in PLEDGE_STATUSES:
        message = _("The status {value!r} is not one of {accepted}.")
        problems.append(("status", message.format(value=data.status, accepted=_choices(PLEDGE_STATUS_LABELS))))
    if data.pledged_on > date.today():
        message = _("The pledge date {day} is in the future.")
        problems.append(("pledged_on", message.format(day=data.pledged_on.isoformat())))
    if data.quantity is not None and data.quantity < 0:
        problems.append(("quantity", _("The quantity {quantity:g} is negative.").format(quantity=data.quantity)))
    if len(data.unit) > 40:
        problems.append(("unit", _("The unit is longer than 40 characters.")))
    if data.status == "delivered" and not data.evidence.strip():
        problems.append(("evidence", _("A delivered pledge needs evidence (a document, a link, a report).")))
    return problems


def _choices(labels: dict[str, str]) -> str:
    """Codes with what they mean, as a list a sentence can end with: ``troops (Troops), police (Police)``."""
    return ", ".join(f"{code} ({_(label)})" for code, label in labels.items())


def check_pledge(data: PledgeInput) -> None:
    """ValueError naming every reason the pledge cannot be stored as given."""
    if problems := pledge_problems(data):
        raise ValueError(" ".join(sentence for _field, sentence in problems).rstrip("."))


def area_ids(session: Session) -> dict[str, int]:
    """Framework element code (upper-cased) -> id, for every A4P / A4P+ element."""
    return {code.upper(): id_ for id_, code in session.execute(select(FrameworkElement.id, FrameworkElement.code))}


def _area(session: Session, code: str) -> FrameworkElement | None:
    return session.scalar(select(FrameworkElement).where(FrameworkElement.code == code.strip()))


def record_pledge(session: Session, who: Actor, data: PledgeInput, found: Sequence[tuple[str, str]] = ()) -> Pledge:
    """Store a new pledge (with its first status) and audit it; a pledge already on record is refused. Every
    problem of the pledge is told at once, each with its field (FormInvalid), with those the surface ``found``
    reading its fields (a date that is not one)."""
    check_editor(who, WHAT)
    problems = [*found, *pledge_problems(data)]
    area = _area(session, data.area)
    if area is None:
        message = _("The area {code!r} is not in the A4P framework; /framework lists the area codes.")
        problems.append(("area", message.format(code=data.area)))
    if invalid := problems_invalid(problems):
        raise invalid
    assert area is not None
    iso3 = data.country.strip().upper()
    existing = session.scalar(
        select(Pledge.id).where(
            Pledge.country_iso3 == iso3,
            Pledge.event == data.event.strip(),
            Pledge.pledge_type == data.pledge_type,
            Pledge.title == data.title.strip(),
        )
    )
    if existing is not None:
        message = _("This pledge is already recorded as pledge {id}; change its status there.")
        raise ValidationFailed(message.format(id=existing))
    pledge = new_pledge(data, area.id, who.username)
    session.add(pledge)
    session.flush()
    audit.record(session, who.username, "create", "pledge", pledge.id, after=_audit_fields(pledge, area.code))
    return pledge


def new_pledge(data: PledgeInput, area_id: int, actor: str) -> Pledge:
    """An unsaved pledge with its first history entry (the importer shares it)."""
    pledge = Pledge(
        country_iso3=data.country.strip().upper(),
        event=data.event.strip(),
        pledged_on=data.pledged_on,
        area_id=area_id,
        pledge_type=data.pledge_type,
        title=data.title.strip(),
        quantity=data.quantity,
        unit=data.unit.strip(),
        status=data.status,
        status_since=data.pledged_on,
        evidence=data.evidence.strip(),
        created_by=actor,
    )
    pledge.history = [
        PledgeStatusChange(from_status=None, to_status=data.status, effective_on=data.pledged_on, note="", actor=actor)
    ]
    return pledge


def _audit_fields(pledge: Pledge, area_code: str) -> dict[str, Any]:
    return {
        "country": pledge.country_iso3,
        "event": pledge.event,
        "pledged_on": pledge.pledged_on,
        "area": area_code,
        "pledge_type": pledge.pledge_type,
        "title": pledge.title,
        "quantity": pledge.quantity,
        "unit": pledge.unit,
        "status": pledge.status,
        "evidence": pledge.evidence,
    }


def _rank(status: str) -> int:
    return PLEDGE_STAGES.index(status)


class PledgeMoveRefused(ValueError):
    """Why a pledge cannot move as asked (one sentence), and the field of the status form it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def move_pledge(pledge: Pledge, to_status: str, effective_on: date, note: str, evidence: str, actor: str) -> None:
    """Apply a status change to a loaded pledge, or PledgeMoveRefused (a ValueError) saying why it cannot move.

    Forward moves may skip a stage; a move back, or reinstating a withdrawn pledge, is a correction and
    needs a note; "delivered" needs evidence (already on the pledge or given now).
    """
    if to_status not in PLEDGE_STATUSES:
        message = _("The status {value!r} is not one of {accepted}.")
        raise PledgeMoveRefused("status", message.format(value=to_status, accepted=_choices(PLEDGE_STATUS_LABELS)))
    if to_status == pledge.status:
        message = _("The pledge is already in the status {status}.")
        raise PledgeMoveRefused("status", message.format(status=_(PLEDGE_STATUS_LABELS[to_status]).lower()))
    if effective_on > date.today():
        message = _("The date {day} is in the future.")
        raise PledgeMoveRefused("effective_on", message.format(day=effective_on.isoformat()))
    if effective_on < pledge.pledged_on:
        raise PledgeMoveRefused("effective_on", _("A status cannot take effect before the pledge was made."))
    note, evidence = note.strip(), evidence.strip()
    if len(note) > 2000:
        raise PledgeMoveRefused("note", _("The note is longer than 2,000 characters."))
    correction = pledge.status == "withdrawn" or (to_status != "withdrawn" and _rank(to_status) < _rank(pledge.status))
    if correction and not note:
        message = _("Moving a pledge back or reinstating it is a correction: say why in the note.")
        raise PledgeMoveRefused("note", message)
    if to_status == "delivered" and not (evidence or pledge.evidence):
        raise PledgeMoveRefused("evidence", _("A delivered pledge needs evidence (a document, a link, a report)."))
    pledge.history.append(
        PledgeStatusChange(
            from_status=pledge.status, to_status=to_status, effective_on=effective_on, note=note, actor=actor
        )
    )
    pledge.status, pledge.status_since = to_status, effective_on
    if evidence:
        pledge.evidence = evidence
    pledge.updated_at = utcnow()


def change_pledge_status(
    session: Session,
    who: Actor,
    pledge_id: int,
    to_status: str,
    effective_on: date,
    note: str = "",
    evidence: str = "",
) -> Pledge:
    """Move a pledge to another status; kept in its history and audited with before and after."""
    check_editor(who, WHAT)
    pledge = _get(session, pledge_id)
    before = {"status": pledge.status, "status_since": pledge.status_since, "evidence": pledge.evidence}
    try:
        move_pledge(pledge, to_status, effective_on, note, evidence, who.username)
    except PledgeMoveRefused as exc:
        raise ValidationFailed(str(exc), field=exc.field) from None
    session.flush()
    after = {"status": pledge.status, "status_since": pledge.status_since, "evidence": pledge.evidence, "note": note}
    audit.record(session, who.username, "status", "pledge", pledge.id, before=before, after=after)
    return pledge


def _get(session: Session, pledge_id: int) -> Pledge:
    pledge = session.get(Pledge, pledge_id, options=[selectinload(Pledge.history)])
    if pledge is None:
        raise NotFound(_("There is no pledge {id}; the pledges are listed on /pledges.").format(id=pledge_id))
    return pledge


def _areas(session: Session) -> dict[int, FrameworkElement]:
    return {e.id: e for e in session.scalars(select(FrameworkElement))}


def pledge_fields(pledge: Pledge, area: FrameworkElement | None) -> dict[str, Any]:
    return {
        "id": pledge.id,
        "country_iso3": pledge.country_iso3,
        "country": country_name(pledge.country_iso3) or pledge.country_iso3,
        "event": pledge.event,
        "pledged_on": pledge.pledged_on.isoformat(),
        "area": area.code if area else None,
        "area_title": area.title if area else None,
        "pledge_type": pledge.pledge_type,
        "type_label": PLEDGE_TYPE_LABELS[pledge.pledge_type],
        "title": pledge.title,
        "quantity": pledge.quantity,
        "unit": pledge.unit,
        "status": pledge.status,
        "status_label": PLEDGE_STATUS_LABELS[pledge.status],
        "status_since": pledge.status_since.isoformat(),
        "evidence": pledge.evidence,
        "created_by": pledge.created_by,
    }


def list_pledges(
    session: Session,
    *,
    country: str | None = None,
    area: str | None = None,
    status: str | None = None,
    pledge_type: str | None = None,
) -> list[dict[str, Any]]:
    """Pledges matching the filters, newest first."""
    areas = _areas(session)
    query = select(Pledge)
    if country:
        query = query.where(Pledge.country_iso3 == country.strip().upper())
    if area:
        element = _area(session, area)
        if element is None:
            message = _("The area {code!r} is not in the A4P framework; /framework lists the area codes.")
            raise ValidationFailed(message.format(code=area))
        query = query.where(Pledge.area_id == element.id)
    if status:
        if status not in PLEDGE_STATUSES:
            raise ValidationFailed(
                _("Status {status!r} is not one of {statuses}.").format(
                    status=status, statuses=", ".join(PLEDGE_STATUSES)
                )
            )
        query = query.where(Pledge.status == status)
    if pledge_type:
        if pledge_type not in PLEDGE_TYPES:
            raise ValidationFailed(
                _("Type {type!r} is not one of {types}.").format(type=pledge_type, types=", ".join(PLEDGE_TYPES))
            )
        query = query.where(Pledge.pledge_type == pledge_type)
    pledges = session.scalars(query.order_by(Pledge.pledged_on.desc(), Pledge.id.desc()))
    return [pledge_fields(p, areas.get(p.area_id)) for p in pledges]


def pledge_detail(session: Session, pledge_id: int) -> dict[str, Any]:
    """One pledge with its status history."""
    pledge = _get(session, pledge_id)
    area = session.get(FrameworkElement, pledge.area_id)
    return {
        **pledge_fields(pledge, area),
        "history": [
            {
                "from_status": h.from_status,
                "to_status": h.to_status,
                "to_label": PLEDGE_STATUS_LABELS[h.to_status],
                "effective_on": h.effective_on.isoformat(),
                "note": h.note,
                "actor": h.actor,
                "recorded_at": h.recorded_at.isoformat(timespec="seconds"),
            }
            for h in pledge.history
        ],
    }


def pledge_progress(session: Session, by: str = "country", *, country: str | None = None) -> dict[str, Any]:
    """Pledges per group and status, with the share delivered among pledges not withdrawn."""
    if by not in PROGRESS_BY:
        raise ValidationFailed(
            _("Group pledges by one of {groups}, not {by!r}.").format(groups=", ".join(PROGRESS_BY), by=by)
        )
    pledges = list_pledges(session, country=country)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    labels: dict[str, str] = {}
    for p in pledges:
        key = {"country": p["country_iso3"], "area": p["area"], "pledge_type": p["pledge_type"], "event": p["event"]}[
            by
        ]
        labels[key] = {
            "country": p["country"],
            "area": f"{p['area']} {p['area_title']}",
            "pledge_type": p["type_label"],
            "event": p["event"],
        }[by]
        groups[key][p["status"]] += 1
    rows: list[dict[str, Any]] = []
    for key, counts in groups.items():
        total = sum(counts.values())
        active = total - counts["withdrawn"]
        rows.append(
            {
                by: key,
                "label": labels[key],
                "count": total,
                **{s: counts[s] for s in PLEDGE_STATUSES},
                "delivered_share": round(counts["delivered"] / active, 4) if active else None,
            }
        )
    rows.sort(key=lambda r: (-int(r["count"]), str(r["label"])))
    status_totals = Counter(p["status"] for p in pledges)
    active = len(pledges) - status_totals["withdrawn"]
    return {
        "by": by,
        "rows": rows,
        "total": len(pledges),
        "by_status": [
            {"status": s, "label": PLEDGE_STATUS_LABELS[s], "count": status_totals[s]} for s in PLEDGE_STATUSES
        ],
        "delivered_share": round(status_totals["delivered"] / active, 4) if active else None,
    }


def progress_long(rows: list[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    """Progress rows as (label, status, count) for a stacked bar chart."""
    return [
        {"label": r["label"], by: r[by], "status": PLEDGE_STATUS_LABELS[s], "count": r[s]}
        for r in rows
        for s in PLEDGE_STATUSES
        if r[s]
    ]
