"""The mediation helpdesk: mediators in the field file requests for technical expertise; the helpdesk
ranks the roster for each (``matching``), chooses an expert, deploys and closes.

A request moves open → matched → deployed → closed, or is cancelled before deployment (a matched request
can also go back to open when the chosen expert falls through). Every move is kept as an event and
written to the audit log, and the first time a request reaches matched, deployed and closed is stored so
the helpdesk can report its response times (time to match, to deploy, to close; medians over requests).

Requests and their details are read by analysts, administrators and mission officers; mission officers,
analysts and administrators file them; analysts and administrators (the helpdesk) move them, and the
person who filed a request may cancel it. Partner accounts (a regional organisation's mediation unit,
Blue Paper ¶41) file requests too, and read only their own organisation's: the queue, its counts and
response times are computed over those alone, another organisation's request is "not found", and the
ranked roster and the linked peace process are left out of what they see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.orm import Session, selectinload

from peaceops.access.policy import (
    ROLE_NAMES,
    Actor,
    holds_record_role,
    is_partner,
    may_edit_shared,
    partner_of,
    role_label,
)
from peaceops.errors import NotFound, PermissionDenied, ValidationFailed, field_of
from peaceops.i18n import N_, _
from peaceops.roster import matching, terms
from peaceops.roster.models import REQUEST_STATUS_LABELS, TRANSITIONS, Expert, HelpRequest, HelpRequestEvent
from peaceops.roster.shapes import (
    ExpertDeployment,
    ExpertMatches,
    HelpdeskQueue,
    HelpRequestDetail,
    HelpRequestRow,
    HelpRequestStep,
    MedianHours,
)
from peaceops.store import audit, outbox
from peaceops.store.base import utcnow

__all__ = [
    "RequestData",
    "can_read_requests",
    "clean_request",
    "file_request",
    "link_process",
    "list_requests",
    "move_request",
    "process_deployments",
    "request_detail",
    "response_times",
]

WHAT = N_("helpdesk requests")
STAMPS = {"matched": "matched_at", "deployed": "deployed_at", "closed": "closed_at", "cancelled": "closed_at"}


def can_read_requests(who: Actor) -> bool:
    """Analysts, administrators and mission officers read every request; a partner account its own."""
    return holds_record_role(who) or is_partner(who)


def check_reader(who: Actor) -> None:
    if not can_read_requests(who):
        message = _(
            "Your role ({role}) can read the roster's expertise and its gaps; {what} are read by analysts, "
            "administrators and mission officers."
        )
        raise PermissionDenied(message.format(role=_(ROLE_NAMES.get(who.role, who.role)), what=_(WHAT)))


def _visible(who: Actor, request: HelpRequest) -> bool:
    """Whether ``who`` may know of this request at all: a partner only of its own organisation's."""
    if is_partner(who):
        return request.partner is not None and request.partner == partner_of(who)
    return True


@dataclass(frozen=True)
class RequestData:
    title: str
    expertise: str
    languages: tuple[str, ...]
    region: str
    urgency: str
    needed_from: date
    needed_to: date
    clearance: str = "none"
    description: str = ""
    context: str = ""
    process_id: int | None = None  # the peace process the request serves (the helpdesk links it)


def _day(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationFailed(
            _("{field} {value!r} is not a date (YYYY-MM-DD).").format(field=field, value=value)
        ) from None


def clean_request(raw: dict[str, Any]) -> RequestData:
    """Validate a request from the form or the API; each error names the field, and says which field of the form
    it is about (``ValidationFailed.field``)."""
    title = str(raw.get("title") or "").strip()
    if not title:
        raise ValidationFailed(_("The request needs a short title."), field="title")
    langs = raw.get("languages") or []
    if isinstance(langs, str):
        langs = [x for x in langs.replace(";", ",").split(",") if x.strip()]
    urgency = str(raw.get("urgency") or "routine").strip().lower()
    if urgency not in terms.URGENCIES:
        message = _("Urgency {urgency!r} is not one of {accepted}.")
        raise ValidationFailed(message.format(urgency=urgency, accepted=", ".join(terms.URGENCIES)), field="urgency")
    with field_of("needed_from"):
        start = _day(raw.get("needed_from"), _("Needed from"))
    with field_of("needed_to"):
        end = _day(raw.get("needed_to"), _("Needed until"))
    if end < start:
        raise ValidationFailed(_("Needed until is before needed from."), field="needed_to")
    with field_of("expertise"):
        expertise = terms.expertise_code(str(raw.get("expertise") or ""), _("Expertise"))
    with field_of("languages"):
        languages = tuple(dict.fromkeys(terms.language_code(str(x), _("Languages")) for x in langs))
    with field_of("region"):
        region = terms.place_code(str(raw.get("region") or ""), _("Region"))
    with field_of("clearance"):
        clearance = terms.clearance_code(str(raw.get("clearance") or "none"), _("Clearance required"))
    return RequestData(
        title=title[:200],
        expertise=expertise,
        languages=languages,
        region=region,
        urgency=urgency,
        needed_from=start,
        needed_to=end,
        clearance=clearance,
        description=str(raw.get("description") or "").strip(),
        context=str(raw.get("context") or "").strip()[:300],
        process_id=_process_id(raw.get("process_id")),
    )


def _process_id(value: Any) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > 2**31 - 1:
        raise ValidationFailed(_("Peace process {value!r} is not a process number.").format(value=text))
    return int(text)


def _state(r: HelpRequest) -> dict[str, Any]:
    return {
        "title": r.title, "expertise": r.expertise, "languages": list(r.languages), "region": r.region,
        "urgency": r.urgency, "needed_from": r.needed_from, "needed_to": r.needed_to, "clearance": r.clearance,
        "context": r.context, "status": r.status, "expert_id": r.expert_id, "partner": r.partner,
        "process_id": r.process_id,
    }  # fmt: skip


def file_request(session: Session, who: Actor, data: RequestData) -> HelpRequest:
    """File a request; a partner account's is stamped with its organisation (and cannot name a process)."""
    if not can_read_requests(who):
        raise PermissionDenied(
            f"Your role ({who.role}) cannot file {WHAT}; mission officers, analysts, administrators and "
            "partner accounts can."
        )
    if is_partner(who) and data.process_id is not None:
        raise PermissionDenied("Partner accounts do not link requests to peace processes; the helpdesk does.")
    request = HelpRequest(
        title=data.title, expertise=data.expertise, languages=list(data.languages), region=data.region,
        urgency=data.urgency, needed_from=data.needed_from, needed_to=data.needed_to, clearance=data.clearance,
        description=data.description, context=data.context, status="open", requested_by=who.username,
        created_at=utcnow(), partner=partner_of(who), process_id=data.process_id,
    )  # fmt: skip
    session.add(request)
    session.flush()
    request.events.append(HelpRequestEvent(to_status="open", actor=who.username, note="Filed.", at=request.created_at))
    audit.record(session, who.username, "helpdesk.file", "help_request", request.id, after=_state(request))
    return request


def _get(session: Session, request_id: int, who: Actor | None = None) -> HelpRequest:
    """The request; with ``who``, one they may know of (another organisation's is "not found" to a partner)."""
    request = session.get(HelpRequest, request_id, options=[selectinload(HelpRequest.events)])
    if request is None or (who is not None and not _visible(who, request)):
        raise NotFound(_("There is no helpdesk request {id}.").format(id=request_id))
    return request


def _busy(session: Session, exclude_request: int | None = None) -> dict[int, list[tuple[int, date, date]]]:
    """Experts already matched or deployed, with the requests and dates that hold them."""
    busy: dict[int, list[tuple[int, date, date]]] = {}
    rows = session.execute(
        select(HelpRequest.expert_id, HelpRequest.id, HelpRequest.needed_from, HelpRequest.needed_to).where(
            HelpRequest.status.in_(("matched", "deployed")), HelpRequest.expert_id.is_not(None)
        )
    )
    for expert_id, request_id, start, end in rows:
        if request_id != exclude_request and expert_id is not None:
            busy.setdefault(expert_id, []).append((request_id, start, end))
    return busy


def need_of(request: HelpRequest) -> matching.Need:
    return matching.Need(
        expertise=request.expertise, languages=tuple(request.languages), region=request.region,
        needed_from=request.needed_from, needed_to=request.needed_to, clearance=request.clearance,
    )  # fmt: skip


def matches_for(session: Session, request: HelpRequest) -> ExpertMatches:
    query = select(Expert).options(selectinload(Expert.windows)).where(Expert.kind == terms.TECHNICAL)
    experts = list(session.scalars(query.order_by(Expert.id)))
    return matching.rank(experts, need_of(request), _busy(session, exclude_request=request.id))


def move_request(
    session: Session, who: Actor, request_id: int, to_status: str, *, expert_id: int | None = None, note: str = ""
) -> HelpRequest:
    """Move a request to ``to_status`` (matched needs ``expert_id``, a ranked, not excluded expert)."""
    request = _get(session, request_id, who)
    if not to_status.strip():
        raise ValidationFailed(_("Choose the status the request moves to; nothing was changed."), field="to")
    if not (may_edit_shared(who) or (to_status == "cancelled" and who.username == request.requested_by)):
        message = _(
            "Your role ({role}) cannot move {what}; the helpdesk (analysts and administrators) can, and whoever "
            "filed a request can cancel it."
        )
        raise PermissionDenied(message.format(role=_(ROLE_NAMES.get(who.role, who.role)), what=_(WHAT)))
    allowed = TRANSITIONS.get(request.status, ())
    if to_status not in allowed:
        names = ", ".join(_(REQUEST_STATUS_LABELS.get(s, s)) for s in allowed) or _("nothing (final)")
        message = _("Request {id} is {status}; it can move to {allowed}, not {to}.")
        raise ValidationFailed(
            message.format(
                id=request_id,
                status=_(REQUEST_STATUS_LABELS.get(request.status, request.status)),
                allowed=names,
                to=_(REQUEST_STATUS_LABELS[to_status]) if to_status in REQUEST_STATUS_LABELS else to_status,
            ),
            field="to",
        )
    before = _state(request)
    if to_status == "matched":
        if expert_id is None:
            raise ValidationFailed(_("Choose the expert to match the request with."))
        ranked = {c.expert_id for c in matches_for(session, request).ranked}
        if expert_id not in ranked:
            message = _(
                "Expert {expert} is not among the ranked experts for request {id} (excluded or without the "
                "expertise); see the reasons on the request's page."
            )
            raise ValidationFailed(message.format(expert=expert_id, id=request_id))
        request.expert_id = expert_id
    elif to_status == "open":
        request.expert_id = None
    now = utcnow()
    stamp = STAMPS.get(to_status)
    if stamp and getattr(request, stamp) is None:
        setattr(request, stamp, now)
    request.events.append(
        HelpRequestEvent(
            from_status=request.status,
            to_status=to_status,
            expert_id=request.expert_id,
            note=note.strip(),
            actor=who.username,
            at=now,
        )  # fmt: skip
    )
    request.status = to_status
    session.flush()
    audit.record(session, who.username, f"helpdesk.{to_status}", "help_request", request.id,
                 before=before, after={**_state(request), "note": note.strip()})  # fmt: skip
    outbox.emit(session, "helpdesk_request", request.id, f"status:{to_status}", request.title)
    return request


def _hours(a: datetime | None, b: datetime | None) -> float | None:
    return None if a is None or b is None else round((b - a).total_seconds() / 3600, 2)


def link_process(session: Session, who: Actor, request_id: int, process_id: int | None) -> HelpRequest:
    """Link the request to the peace process its expert serves (None unlinks): the helpdesk's choice, audited.
    The caller checks that the process exists (the registry is another domain's)."""
    if not may_edit_shared(who):
        raise PermissionDenied(
            f"Your role ({role_label(who)}) cannot link {WHAT} to peace processes; the helpdesk (analysts and "
            "administrators) can."
        )
    request = _get(session, request_id, who)
    if request.process_id != process_id:
        before = _state(request)
        request.process_id = process_id
        session.flush()
        audit.record(session, who.username, "helpdesk.link", "help_request", request.id, before=before,
                     after=_state(request))  # fmt: skip
    return request


def _row(r: HelpRequest, now: datetime, who: Actor | None = None) -> dict[str, Any]:
    """The request's fields as the queue shows them (a ``HelpRequestRow``; the detail adds its history); a
    partner is not told which peace process the helpdesk linked."""
    partner = who is not None and is_partner(who)
    return {
        "id": r.id, "title": r.title, "expertise": r.expertise, "expertise_label": terms.area_label(r.expertise),
        "languages": list(r.languages), "region": r.region, "region_label": terms.place_label(r.region),
        "urgency": r.urgency, "needed_from": r.needed_from, "needed_to": r.needed_to, "clearance": r.clearance,
        "description": r.description, "context": r.context, "status": r.status, "requested_by": r.requested_by,
        "expert_id": r.expert_id, "expert_name": r.expert.name if r.expert else None,
        "created_at": r.created_at, "matched_at": r.matched_at, "deployed_at": r.deployed_at,
        "closed_at": r.closed_at,
        "age_days": round(((r.closed_at or now) - r.created_at).total_seconds() / 86400, 1),
        "hours_to_match": _hours(r.created_at, r.matched_at),
        "hours_to_deploy": _hours(r.created_at, r.deployed_at),
        "hours_to_close": _hours(r.created_at, r.closed_at) if r.status == "closed" else None,
        "partner": r.partner, "process_id": None if partner else r.process_id,
    }  # fmt: skip


def response_times(rows: list[HelpRequestRow]) -> dict[str, MedianHours]:
    """Median hours from filing to match, deployment and closure, over the requests that got there."""
    out: dict[str, MedianHours] = {}
    for key in ("hours_to_match", "hours_to_deploy", "hours_to_close"):
        values = [getattr(r, key) for r in rows if getattr(r, key) is not None]
        out[key] = MedianHours(median=round(median(values), 2) if values else None, count=len(values))
    return out


def _queue_order(row: HelpRequestRow) -> tuple[int, int, float]:
    """Requests still in hand first, most urgent then oldest first; finished ones after, newest first."""
    if row.status in ("closed", "cancelled"):
        return (1, 0, -row.created_at.timestamp())
    return (0, -list(terms.URGENCIES).index(row.urgency), row.created_at.timestamp())


def list_requests(session: Session, who: Actor, status: str | None = None) -> HelpdeskQueue:
    """The helpdesk's queue (see ``_queue_order``), counts by status and median response times; for a partner
    account, its organisation's requests only, and the counts and times over those alone."""
    check_reader(who)
    now = utcnow()
    query = select(HelpRequest).options(selectinload(HelpRequest.expert)).order_by(HelpRequest.id.desc())
    if is_partner(who):
        query = query.where(HelpRequest.partner == partner_of(who)) if partner_of(who) else query.where(false())
    rows = sorted((HelpRequestRow(**_row(r, now, who)) for r in session.scalars(query)), key=_queue_order)
    counts = {s: sum(1 for r in rows if r.status == s) for s in TRANSITIONS}
    shown = [r for r in rows if not status or r.status == status]
    return HelpdeskQueue(requests=shown, counts=counts, response_times=response_times(rows))


def request_detail(session: Session, who: Actor, request_id: int) -> HelpRequestDetail:
    """One request with its history; the ranked roster too, except for partner accounts (the roster is the
    United Nations' own: a partner learns the expert chosen, not who else was weighed)."""
    check_reader(who)
    request = _get(session, request_id, who)
    ranked = request.status in ("open", "matched") and not is_partner(who)
    return HelpRequestDetail(
        **_row(request, utcnow(), who),
        events=[
            HelpRequestStep(from_status=e.from_status, to_status=e.to_status, expert_id=e.expert_id, note=e.note,
                            actor=e.actor, at=e.at)
            for e in request.events
        ],
        next=list(TRANSITIONS[request.status]),
        matches=matches_for(session, request) if ranked else None,
    )  # fmt: skip


def process_deployments(session: Session, process_ids: list[int] | None = None) -> list[ExpertDeployment]:
    """Experts deployed (or deployed and since closed) to peace processes, each with its planned days: the
    helpdesk's side of the "debrief due" check. Names and dates only; no request details."""
    query = (
        select(HelpRequest.id, HelpRequest.process_id, Expert.name, HelpRequest.title, HelpRequest.needed_from,
               HelpRequest.needed_to, HelpRequest.status)
        .join(Expert, Expert.id == HelpRequest.expert_id)
        .where(HelpRequest.status.in_(("deployed", "closed")), HelpRequest.process_id.is_not(None))
    )  # fmt: skip
    if process_ids is not None:
        query = query.where(HelpRequest.process_id.in_(process_ids))
    return [
        ExpertDeployment(request_id=rid, process_id=pid, expert_name=name, title=title, needed_from=start,
                         needed_to=end, status=status)
        for rid, pid, name, title, start, end, status in session.execute(query.order_by(HelpRequest.id))
    ]  # fmt: skip
