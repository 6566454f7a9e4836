"""Allegation records, one by one, for the people allowed to read them (see ``permissions``).

Each function takes the reader and applies the mission scope itself, so a page, its JSON twin and its
CSV export cannot disagree about who sees what.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_mission, record_scope
from peaceops.conduct.analysis import allegation_query, check_conduct_mission
from peaceops.conduct.models import Allegation
from peaceops.conduct.shapes import AllegationDetail, AllegationRecord, AllegationRecords
from peaceops.errors import NotFound
from peaceops.i18n import N_, _
from peaceops.store import audit

WHAT = N_("allegation records")
# Columns of the records table and its CSV export, in order.
RECORD_FIELDS = (
    "id",
    "mission",
    "in_register",
    "reported_month",
    "incident_period",
    "personnel_category",
    "personnel",
    "personnel_involved",
    "nationality",
    "countries",
    "allegation_category",
    "allegations",
    "victims",
    "child_victims",
    "paternity_claim",
    "paternity_established",
    "nio_appointed",
    "investigation_entity",
    "investigation_status",
    "investigation_days",
    "outcome",
    "results",
    "interim_actions",
    "final_actions",
    "criminal_referral",
)


def _joined(entries: list[dict[str, Any]], fmt: str) -> str:
    return "; ".join(fmt.format(**{k: ("" if v is None else v) for k, v in e.items()}).strip() for e in entries)


def _actions(entries: list[dict[str, Any]]) -> str:
    return "; ".join(f"{e['by'] + ' ' if e['by'] else ''}{e['action']} ({e['count']})" for e in entries)


def record_fields(a: Allegation) -> dict[str, Any]:
    """One allegation as flat fields (those of ``AllegationRecord``): lists joined into readable text, so the
    table and the CSV agree."""
    victims = "; ".join(f"{g} ({n})" if n is not None else g for g, n in a.victim_groups.items())
    return {
        "id": a.id,
        "mission": a.mission_acronym,
        "in_register": a.mission_id is not None,
        "reported_month": a.reported_month.isoformat(),
        "incident_period": a.incident_period,
        "personnel_category": a.personnel_category,
        "personnel": "; ".join(
            f"{p['category']} ({p['type']})" + (f", {p['count']}" if p["count"] is not None else "")
            for p in a.personnel
        ),
        "personnel_involved": a.personnel_involved,
        "nationality": a.nationality,
        "countries": " ".join(n["iso3"] for n in a.nationalities),
        "allegation_category": a.allegation_category,
        "allegations": _joined(a.allegation_types, "{code} ({type})"),
        "victims": victims,
        "child_victims": a.child_victims,
        "paternity_claim": a.paternity_claim,
        "paternity_established": a.paternity_established,
        "nio_appointed": a.nio_appointed,
        "investigation_entity": a.investigation_entity,
        "investigation_status": a.investigation_status,
        "investigation_days": a.investigation_days,
        "outcome": a.outcome,
        "results": "; ".join(
            f"{r['result']}" + (f" ({r['detail']})" if r["detail"] else "") + f" ({r['count']})" for r in a.results
        ),
        "interim_actions": _actions(a.interim_actions),
        "final_actions": _actions(a.final_actions),
        "criminal_referral": a.criminal_referral,
    }


def allegation_records(
    session: Session,
    who: Actor,
    *,
    mission: str | None = None,
    year: int | None = None,
    country: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> AllegationRecords:
    """The allegations ``who`` may read, newest report first, filtered and paged (``rows``, ``total``...).

    A mission officer asking for another mission's records gets PermissionDenied, not an empty list.
    """
    scope = record_scope(who, WHAT)
    if scope is None:
        mission = check_conduct_mission(session, mission)
    else:
        if mission:
            check_mission(who, mission, WHAT)
        mission = scope
    query = allegation_query(mission, year).order_by(Allegation.reported_month.desc(), Allegation.id)
    if country:  # nationalities are a JSON list: filtered here, the same on both databases
        code = country.strip().upper()
        allegations = [a for a in session.scalars(query) if any(n["iso3"] == code for n in a.nationalities)]
        total = len(allegations)
        page = allegations[max(offset, 0) :]
        if limit is not None:
            page = page[:limit]
    else:  # only the page is read: the whole table took 0.3 s a view
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        page = list(session.scalars(query.offset(max(offset, 0)).limit(limit)))
    shown = [a.id for a in page]
    audit.record(
        session, who.username, "list", "allegation", mission or "all", after={"count": len(shown), "ids": shown[:500]}
    )
    return AllegationRecords(
        scope=scope,
        mission=mission,
        year=year,
        country=country.upper() if country else None,
        total=total,
        offset=max(offset, 0),
        rows=[AllegationRecord(**record_fields(a)) for a in page],
    )


def allegation_detail(session: Session, who: Actor, allegation_id: int) -> AllegationDetail:
    """One allegation, if ``who`` may read it; its parsed parts as well as the flat fields."""
    record_scope(who, WHAT)
    allegation = session.get(Allegation, allegation_id)
    if allegation is None:
        count = session.scalar(select(func.count()).select_from(Allegation))
        raise NotFound(
            _("There is no allegation {id}; the table holds {count} (see /conduct/allegations).").format(
                id=allegation_id, count=count
            )
        )
    check_mission(who, allegation.mission_acronym, WHAT)
    audit.record(session, who.username, "read", "allegation", allegation.id)
    return AllegationDetail(
        **record_fields(allegation),
        parts={
            "personnel": allegation.personnel,
            "nationalities": allegation.nationalities,
            "victim_groups": allegation.victim_groups,
            "allegation_types": allegation.allegation_types,
            "results": allegation.results,
            "interim_actions": allegation.interim_actions,
            "final_actions": allegation.final_actions,
            "incident_from": allegation.incident_from.isoformat() if allegation.incident_from else None,
            "incident_to": allegation.incident_to.isoformat() if allegation.incident_to else None,
        },
    )
