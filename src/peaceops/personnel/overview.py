"""Read-only summaries of missions, personnel and fatalities, shaped for pages, the API and reports.

Every function takes a session first and returns plain dicts and lists (dates as ISO strings), so the web
app, the CLI and tests share one computation and the JSON twin of a page is exactly what the page shows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.errors import NotFound
from peaceops.geography import country_bbox
from peaceops.geography.codes import country_name
from peaceops.i18n import N_
from peaceops.missions.models import Mission
from peaceops.personnel.categories import PARITY_CATEGORIES, PARITY_LABELS
from peaceops.personnel.models import Deployment, Fatality, MissionStrength, WorldStrength
from peaceops.personnel.parity import target_curve
from peaceops.store.provenance import ImportRun

RECENT_YEARS = 5
TOP_CONTRIBUTORS = 10
CATEGORY_OF_TYPE = {ptype: category for category, types in PARITY_CATEGORIES.items() for ptype in types}
# Shown translated (``_(label)``) where shown; kept in English here for the JSON and the tests.
DATASET_LABELS = {
    "missions": N_("Missions register (UN DPPA/DPO)"),
    "mission-totals": N_("Monthly uniformed personnel per mission (IPI)"),
    "contributions": N_("Contributions by country and gender (IPI / UN)"),
    "fatalities": N_("Fatalities in peace operations (UN)"),
    "world-totals": N_("Monthly uniformed personnel in all peacekeeping (IPI)"),
    "ucdp-ged": N_("Organised violence events (UCDP GED)"),
    "acled": N_("Conflict events (ACLED)"),
    "allegations": N_("Sexual exploitation and abuse allegations (UN Conduct in UN Field Missions)"),
    "pax-agreements": N_("Peace agreements (PA-X, University of Edinburgh)"),
    "pax-provisions": N_("Peace agreement provision texts (PA-X)"),
    "ucdp-peace-agreements": N_("Peace agreements (UCDP Peace Agreement Dataset)"),
}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _position(mission: Mission) -> tuple[float | None, float | None, bool]:
    """HQ coordinates, else the centre of the host country's largest part (flagged as estimated)."""
    if mission.hq_longitude is not None and mission.hq_latitude is not None:
        return mission.hq_longitude, mission.hq_latitude, False
    boxes = country_bbox(mission.host_iso3) if mission.host_iso3 else []
    if not boxes:
        return None, None, False
    west, south, east, north = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    return round((west + east) / 2, 4), round((south + north) / 2, 4), True


def _mission_fields(mission: Mission, latest: dict[str, Any] | None) -> dict[str, Any]:
    longitude, latitude, estimated = _position(mission)
    return {
        "acronym": mission.acronym,
        "name": mission.name,
        "start_date": _iso(mission.start_date),
        "end_date": _iso(mission.end_date),
        "active": bool(mission.active),
        "status": mission.status,
        "lead_department": mission.lead_department,
        "host_iso3": mission.host_iso3,
        "host_country": country_name(mission.host_iso3) if mission.host_iso3 else None,
        "region": mission.region,
        "hq_location": mission.hq_location,
        "longitude": longitude,
        "latitude": latitude,
        "position_estimated": estimated,
        "latest_strength": latest,
    }


def _latest_strengths(session: Session) -> dict[int, dict[str, Any]]:
    """Each mission's last monthly total, in one query rather than one per mission."""
    last = (
        select(MissionStrength.mission_id, func.max(MissionStrength.month).label("month"))
        .group_by(MissionStrength.mission_id)
        .subquery()
    )
    rows = session.execute(
        select(MissionStrength.mission_id, MissionStrength.month, MissionStrength.total).join(
            last,
            (MissionStrength.mission_id == last.c.mission_id) & (MissionStrength.month == last.c.month),
        )
    )
    return {mission_id: {"month": month.isoformat(), "total": total} for mission_id, month, total in rows}


def missions_list(session: Session, *, active_only: bool = False) -> list[dict[str, Any]]:
    """Missions in the register (all, or only active ones), active first, then the most recently started."""
    latest = _latest_strengths(session)
    query = select(Mission).where(Mission.active.is_(True)) if active_only else select(Mission)
    missions = session.scalars(query).all()
    missions = sorted(missions, key=lambda m: (m.start_date or date.min, m.acronym), reverse=True)
    missions.sort(key=lambda m: not m.active)
    return [_mission_fields(m, latest.get(m.id)) for m in missions]


def _last_full_year(session: Session) -> int | None:
    """The last calendar year the fatalities file fully covers (its update date, else its last death)."""
    updated = session.scalar(select(func.max(Fatality.source_updated)))
    last = updated or session.scalar(select(func.max(Fatality.incident_date)))
    if last is None:
        return None
    return last.year if (last.month, last.day) == (12, 31) else last.year - 1


def _fatality_headline(session: Session) -> dict[str, Any]:
    total = session.scalar(select(func.count()).select_from(Fatality)) or 0
    to_year = _last_full_year(session)
    if to_year is None:
        return {"total": 0, "from_year": None, "to_year": None, "in_period": 0, "malicious_act": 0}
    from_year = to_year - RECENT_YEARS + 1
    in_period = select(Fatality.incident_type, func.count()).where(
        Fatality.incident_date >= date(from_year, 1, 1), Fatality.incident_date <= date(to_year, 12, 31)
    )
    counts = dict(session.execute(in_period.group_by(Fatality.incident_type)).all())
    return {
        "total": int(total),
        "from_year": from_year,
        "to_year": to_year,
        "in_period": int(sum(counts.values())),
        "malicious_act": int(counts.get("Malicious Act", 0)),
    }


def _coverage(session: Session) -> dict[str, tuple[date | None, date | None]]:
    def span(column: Any) -> tuple[date | None, date | None]:
        low, high = session.execute(select(func.min(column), func.max(column))).one()
        return low, high

    return {  # the register "covers" from its first mission to the date the UN last updated it
        "missions": (
            session.scalar(select(func.min(Mission.start_date))),
            session.scalar(select(func.max(Mission.source_updated))),
        ),
        "mission-totals": span(MissionStrength.month),
        "contributions": span(Deployment.month),
        "fatalities": span(Fatality.incident_date),
        "world-totals": span(WorldStrength.month),
    }


class WorldMonth(BaseModel):
    month: str = Field(description="The month's first day (the figures are those at its end).")
    contributors: int = Field(description="Countries contributing uniformed personnel.")
    troops: int
    police: int
    observers: int = Field(description="Experts on mission: military observers and staff officers.")
    total: int


class WorldTotals(BaseModel):
    """Uniformed personnel in all UN peacekeeping, month by month (``peaceops import world-totals``)."""

    source: str = "IPI Peacekeeping Database, global monthly summary"
    months: list[WorldMonth]
    latest: WorldMonth | None = Field(description="The newest month; null before the file is imported.")
    peak: WorldMonth | None = Field(description="The month with the most uniformed personnel.")


def world_totals(session: Session) -> WorldTotals:
    """The world series for the missions page's chart and its JSON twin, oldest month first."""
    months = [
        WorldMonth(
            month=r.month.isoformat(),
            contributors=r.contributors,
            troops=r.troops,
            police=r.police,
            observers=r.observers,
            total=r.total,
        )  # fmt: skip
        for r in session.scalars(select(WorldStrength).order_by(WorldStrength.month))
    ]
    peak = max(months, key=lambda m: m.total, default=None)
    return WorldTotals(months=months, latest=months[-1] if months else None, peak=peak)


def datasets(session: Session) -> list[dict[str, Any]]:
    """Per dataset, the newest import run and the period the stored rows cover: the page's "data as of"."""
    coverage = _coverage(session)
    newest: dict[str, ImportRun] = {}
    for run in session.scalars(select(ImportRun).order_by(ImportRun.id)):
        newest[run.kind] = run
    out = []
    for kind, run in newest.items():
        first, last = coverage.get(kind, (None, None))
        out.append(
            {
                "kind": kind,
                "label": DATASET_LABELS.get(kind, kind),
                "source": Path(run.source).name,
                "imported_at": run.started_at.isoformat(timespec="seconds"),
                "rows_read": run.rows_read,
                "rejected": run.rejected,
                "run_id": run.id,
                "coverage_from": _iso(first),
                "coverage_to": _iso(last),
            }
        )
    return out


def home_overview(session: Session) -> dict[str, Any]:
    """Headline figures and the map's points, each figure taken at the latest month its dataset covers."""
    missions = missions_list(session)
    month = session.scalar(select(func.max(MissionStrength.month)))
    deployed: dict[str, int] = {}
    if month is not None:
        rows = session.execute(
            select(Mission.acronym, MissionStrength.total)
            .join(Mission, Mission.id == MissionStrength.mission_id)
            .where(MissionStrength.month == month)
        )
        deployed = dict(rows.all())
    points = [
        {
            "acronym": m["acronym"],
            "name": m["name"],
            "host_country": m["host_country"],
            "total": deployed[m["acronym"]],
            "longitude": m["longitude"],
            "latitude": m["latitude"],
            "position_estimated": m["position_estimated"],
        }
        for m in missions
        if m["acronym"] in deployed and m["longitude"] is not None
    ]
    points.sort(key=lambda p: -p["total"])
    c_month = session.scalar(select(func.max(Deployment.month)))
    countries = women = personnel = 0
    if c_month is not None:
        countries, women, personnel = session.execute(
            select(
                func.count(func.distinct(Deployment.contributor_iso3)),
                func.coalesce(func.sum(Deployment.female), 0),
                func.coalesce(func.sum(Deployment.total), 0),
            ).where(Deployment.month == c_month, Deployment.total > 0)
        ).one()
    return {
        "missions_total": len(missions),
        "missions_active": sum(1 for m in missions if m["active"]),
        "strength_month": _iso(month),
        "personnel_deployed": int(sum(deployed.values())),
        "missions_deployed": len(deployed),
        "contributions_month": _iso(c_month),
        "contributing_countries": int(countries),
        "women": int(women),
        "women_share": round(int(women) / int(personnel), 4) if personnel else None,
        "fatalities": _fatality_headline(session),
        "map": points,
        "datasets": datasets(session),
    }


def _strength_series(session: Session, mission_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(MissionStrength).where(MissionStrength.mission_id == mission_id).order_by(MissionStrength.month)
    )
    return [
        {
            "month": r.month.isoformat(),
            "troops": r.troops or 0,
            "police": r.police or 0,
            "observers": r.observers or 0,
            "total": r.total,
        }
        for r in rows
    ]


def _women_share_series(session: Session, mission_id: int) -> list[dict[str, Any]]:
    """Women per parity category and month; months where a category has nobody are left out."""
    rows = session.execute(
        select(Deployment.month, Deployment.personnel_type, func.sum(Deployment.female), func.sum(Deployment.total))
        .where(Deployment.mission_id == mission_id)
        .group_by(Deployment.month, Deployment.personnel_type)
    )
    sums: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    for month, ptype, women, total in rows:
        pair = sums[(month, CATEGORY_OF_TYPE[ptype])]
        pair[0] += int(women or 0)
        pair[1] += int(total or 0)
    order = list(PARITY_CATEGORIES)
    return [
        {
            "month": month.isoformat(),
            "category": category,
            "label": PARITY_LABELS[category],
            "women": women,
            "total": total,
            "share": round(women / total, 4),
        }
        for (month, category), (women, total) in sorted(sums.items(), key=lambda kv: (kv[0][0], order.index(kv[0][1])))
        if total > 0
    ]


def _parity_targets(session: Session) -> list[dict[str, Any]]:
    return [
        {"category": category, "label": PARITY_LABELS.get(category, category), **point}
        for category, points in target_curve(session).items()
        for point in points
    ]


def _top_contributors(session: Session, mission_id: int) -> tuple[str | None, list[dict[str, Any]]]:
    month = session.scalar(select(func.max(Deployment.month)).where(Deployment.mission_id == mission_id))
    if month is None:
        return None, []
    total = func.sum(Deployment.total).label("total")
    rows = session.execute(
        select(Deployment.contributor_iso3, total, func.sum(Deployment.female))
        .where(Deployment.mission_id == mission_id, Deployment.month == month)
        .group_by(Deployment.contributor_iso3)
        .order_by(total.desc(), Deployment.contributor_iso3)
        .limit(TOP_CONTRIBUTORS)
    )
    return month.isoformat(), [
        {
            "iso3": iso3,
            "country": country_name(iso3) or iso3,
            "total": int(n),
            "women": int(women or 0),
            "share": round(int(women or 0) / int(n), 4) if n else None,
        }
        for iso3, n, women in rows
    ]


def _fatalities(session: Session, mission_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = session.execute(
        select(Fatality.incident_date, Fatality.incident_type, Fatality.personnel_type).where(
            Fatality.mission_id == mission_id
        )
    ).all()
    by_year = Counter((day.year, incident) for day, incident, _ in rows)
    by_type = Counter(ptype for _, _, ptype in rows)
    return (
        [{"year": y, "incident_type": t, "count": n} for (y, t), n in sorted(by_year.items())],
        [{"personnel_type": t, "count": n} for t, n in by_type.most_common()],
    )


def mission_detail(session: Session, acronym: str) -> dict[str, Any]:
    """One mission with every series the datasets hold for it; a series the data lacks is an empty list."""
    mission = session.scalar(select(Mission).where(func.upper(Mission.acronym) == acronym.strip().upper()))
    if mission is None:
        raise NotFound(
            f"Mission {acronym!r} is not in the missions register; see /missions for the missions it holds, "
            "or import a missions file that lists it (peaceops import missions FILE)."
        )
    strength = _strength_series(session, mission.id)
    latest = {"month": strength[-1]["month"], "total": strength[-1]["total"]} if strength else None
    contributors_month, contributors = _top_contributors(session, mission.id)
    by_year, by_type = _fatalities(session, mission.id)
    return {
        **_mission_fields(mission, latest),
        "notes": mission.notes,
        "strength_series": strength,
        "women_share_series": _women_share_series(session, mission.id),
        "parity_targets": _parity_targets(session),
        "contributors_month": contributors_month,
        "top_contributors": contributors,
        "fatalities_total": sum(row["count"] for row in by_type),
        "fatalities_by_year": by_year,
        "fatalities_by_personnel_type": by_type,
    }
