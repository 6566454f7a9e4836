"""Reading the support records for pages, the API and the exports, one operation's or every operation's.

Services, agreed and delivered figures, financing and milestones are read by every signed-in user: they are
the kind of figures the Secretary-General reports to the Security Council. A request names a place, a date
and what a force lacks, so its details are read like other case records (``access.policy.record_scope``):
analysts and administrators every request, a mission officer the requests for services their own mission
provides, viewers none (they read the counts, ``request_counts``). Decision 044.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from peaceops.access.policy import Actor, record_scope
from peaceops.errors import NotFound
from peaceops.i18n import _
from peaceops.missions.models import Mission
from peaceops.partnerships import milestone_status_labels, operation_ids
from peaceops.support.models import (
    SupportDelivery,
    SupportFinancing,
    SupportMilestone,
    SupportRequest,
    SupportService,
)
from peaceops.support.shapes import (
    DeliveryOut,
    FinancingOut,
    MilestoneOut,
    RequestCount,
    RequestOut,
    ServiceOut,
)
from peaceops.support.spans import span_label
from peaceops.support.vocabulary import area_label, request_status_label, service_label, source_label

REQUESTS = "support requests"
Q = TypeVar("Q", bound=Select)  # type: ignore[type-arg]  # a select of any columns
OPEN_MILESTONE = ("planned", "in_progress")


def operation_id(session: Session, acronym: str) -> int:
    """The partner operation's id; NotFound saying where operations are recorded."""
    found = operation_ids(session).get(acronym.strip().upper())
    if found is None:
        raise NotFound(
            f"There is no partner operation {acronym.strip().upper()!r}; operations are recorded on /partnerships "
            "(or imported, kind partner-operations)."
        )
    return found


def _acronyms(session: Session) -> dict[int, str]:
    return {i: a for a, i in operation_ids(session).items()}


def _only(query: Q, column: InstrumentedAttribute[int], session: Session, operation: str | None) -> Q:
    """``query`` narrowed to one operation's rows when one is named (NotFound for an unknown acronym)."""
    return query.where(column == operation_id(session, operation)) if operation else query


def rate(agreed: float | None, delivered: float | None) -> float | None:
    if agreed is None or delivered is None or agreed <= 0:
        return None
    return delivered / agreed


def deliveries(session: Session, operation: str | None = None) -> list[DeliveryOut]:
    """Every agreed level and delivered quantity, by operation, service and period."""
    names = _acronyms(session)
    query = _only(
        select(SupportDelivery, SupportService).join(SupportService, SupportService.id == SupportDelivery.service_id),
        SupportService.operation_id, session, operation,
    ).order_by(SupportService.operation_id, SupportService.service, SupportDelivery.period_start)  # fmt: skip
    out = []
    for d, s in session.execute(query):
        short = None if d.agreed is None or d.delivered is None else max(d.agreed - d.delivered, 0.0)
        out.append(
            DeliveryOut(
                operation=names[s.operation_id], service=s.service, service_label=service_label(s.service),
                period=span_label(d.period_start, d.period_end), period_start=d.period_start,
                period_end=d.period_end, agreed=d.agreed, delivered=d.delivered, unit=s.unit,
                rate=rate(d.agreed, d.delivered), shortfall=short,
            )
        )  # fmt: skip
    return out


def is_late(r: SupportRequest, today: date) -> bool:
    return r.status == "open" and r.needed_by is not None and r.needed_by < today


def is_unmet(r: SupportRequest, today: date) -> bool:
    return r.status in ("not_met", "partly_met") or is_late(r, today)


def _request_rows(
    session: Session, operation: str | None, provider_mission: int | None = None
) -> list[tuple[SupportRequest, SupportService]]:
    query = _only(
        select(SupportRequest, SupportService).join(SupportService, SupportService.id == SupportRequest.service_id),
        SupportRequest.operation_id, session, operation,
    ).order_by(SupportRequest.operation_id, SupportRequest.requested_on, SupportRequest.reference)  # fmt: skip
    if provider_mission is not None:
        query = query.where(SupportService.provider_mission_id == provider_mission)
    return [(r, s) for r, s in session.execute(query)]


def requests(session: Session, who: Actor, operation: str | None = None, today: date | None = None) -> list[RequestOut]:
    """The requests ``who`` may read in detail, unmet ones first; PermissionDenied for a viewer."""
    scope = record_scope(who, REQUESTS)
    provider = None
    if scope is not None:
        provider = session.scalar(select(Mission.id).where(Mission.acronym == scope))
        if provider is None:
            return []
    day = today or date.today()
    names = _acronyms(session)
    out = [
        RequestOut(
            operation=names[r.operation_id], reference=r.reference, service=s.service,
            service_label=service_label(s.service), requested_on=r.requested_on, needed_by=r.needed_by,
            quantity=r.quantity, unit=s.unit, location=r.location, status=r.status,
            status_label=request_status_label(r.status), closed_on=r.closed_on, late=is_late(r, day),
            unmet=is_unmet(r, day), note=r.note,
        )
        for r, s in _request_rows(session, operation, provider)
    ]  # fmt: skip
    return sorted(out, key=lambda r: not r.unmet)  # stable: by date within each group


def request_counts(session: Session, operation: str, today: date | None = None) -> list[RequestCount]:
    """Requests per service, counted (open, met, unmet): read by every signed-in user."""
    day = today or date.today()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r, s in _request_rows(session, operation):
        c = counts[s.service]
        c[0] += 1
        c[1] += r.status == "open"
        c[2] += r.status == "met"
        c[3] += is_unmet(r, day)
    return [
        RequestCount(service=k, service_label=service_label(k), total=c[0], open=c[1], met=c[2], unmet=c[3])
        for k, c in sorted(counts.items())
    ]


def services(session: Session, operation: str | None = None, today: date | None = None) -> list[ServiceOut]:
    """Each service with its latest and cumulative delivery rate and its requests, counted."""
    day = today or date.today()
    names = _acronyms(session)
    missions = dict(session.execute(select(Mission.id, Mission.acronym)).all())
    rows = session.scalars(
        _only(select(SupportService), SupportService.operation_id, session, operation).order_by(
            SupportService.operation_id, SupportService.service
        )
    ).all()
    ids = [s.id for s in rows]
    figures: dict[int, list[SupportDelivery]] = defaultdict(list)
    for d in session.scalars(
        select(SupportDelivery)
        .where(SupportDelivery.service_id.in_(ids))
        .order_by(SupportDelivery.period_end, SupportDelivery.period_start)
    ):
        if d.agreed is not None and d.delivered is not None:
            figures[d.service_id].append(d)
    asked: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in session.scalars(select(SupportRequest).where(SupportRequest.service_id.in_(ids))):
        asked[r.service_id][0] += 1
        asked[r.service_id][1] += is_unmet(r, day)
    out = []
    for s in rows:
        both = figures.get(s.id, [])
        latest = both[-1] if both else None
        agreed = sum(d.agreed or 0 for d in both)
        out.append(
            ServiceOut(
                operation=names[s.operation_id], service=s.service, service_label=service_label(s.service),
                provider=s.provider, provider_mission=missions.get(s.provider_mission_id or 0), unit=s.unit,
                started_on=s.started_on, ended_on=s.ended_on,
                latest_period=span_label(latest.period_start, latest.period_end) if latest else None,
                latest_agreed=latest.agreed if latest else None, latest_delivered=latest.delivered if latest else None,
                latest_rate=rate(latest.agreed, latest.delivered) if latest else None,
                cumulative_rate=rate(agreed, sum(d.delivered or 0 for d in both)) if both else None,
                requests=asked[s.id][0], requests_unmet=asked[s.id][1],
            )
        )  # fmt: skip
    return out


def financing(session: Session, operation: str | None = None) -> list[FinancingOut]:
    names = _acronyms(session)
    query = _only(select(SupportFinancing), SupportFinancing.operation_id, session, operation).order_by(
        SupportFinancing.operation_id, SupportFinancing.period_start, SupportFinancing.source, SupportFinancing.funder
    )
    return [
        FinancingOut(
            operation=names[f.operation_id], source=f.source, source_label=source_label(f.source), funder=f.funder,
            period=span_label(f.period_start, f.period_end), period_start=f.period_start, period_end=f.period_end,
            committed_usd=f.committed_usd, received_usd=f.received_usd,
        )
        for f in session.scalars(query)
    ]  # fmt: skip


def milestones(session: Session, operation: str | None = None, today: date | None = None) -> list[MilestoneOut]:
    """The operation's resolution 2719 milestones by due date; overdue computed against ``today``."""
    day = today or date.today()
    names = _acronyms(session)
    query = _only(select(SupportMilestone), SupportMilestone.operation_id, session, operation).order_by(
        SupportMilestone.operation_id, SupportMilestone.due_on, SupportMilestone.title
    )
    out = []
    for m in session.scalars(query):
        overdue = m.status in OPEN_MILESTONE and m.due_on < day
        out.append(
            MilestoneOut(
                operation=names[m.operation_id], title=m.title, area=m.area, area_label=area_label(m.area),
                owner=m.owner, due_on=m.due_on, status=m.status, status_label=_(milestone_status_labels()[m.status]),
                completed_on=m.completed_on, overdue=overdue, days_overdue=(day - m.due_on).days if overdue else 0,
                note=m.note,
            )
        )  # fmt: skip
    return out


def operations_with_support(session: Session) -> set[int]:
    """Ids of the partner operations with any support record."""
    found: set[int] = set()
    for model in (SupportService, SupportRequest, SupportFinancing, SupportMilestone):
        found.update(session.scalars(select(model.operation_id).distinct()))
    return found
