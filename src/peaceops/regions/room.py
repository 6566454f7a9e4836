"""A regional situation room: what every domain knows about the countries of one UN M49 sub-region, read
through each domain's own public functions, so each section is exactly what its own page would show this
reader (restricted incidents, monitored items outside the reader's scope and the like are never seen here).

Sections: the countries; forecasts (the latest country-level run's risk per country, the riskiest grid
cells) and open alerts, spillover alerts apart; active peace processes with their envoys and coordination
warnings; UN missions and partner-led operations; agreements and their implementation; recent incidents;
communications spikes; and counts by threat area across those kinds (``peaceops.threats``), the sections
narrowed to one area when one is asked for.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor
from peaceops.agreements.models import Agreement, AgreementCountry
from peaceops.commitments.tracking import list_commitments
from peaceops.comms import spikes
from peaceops.comms import threats as comms_threats
from peaceops.comms.models import CommsItem
from peaceops.comms.scope import scope_for
from peaceops.conflict import dashboard as board
from peaceops.errors import NotFound
from peaceops.framework.threat_areas import check_threat_area
from peaceops.geography.codes import gw_from_iso3, iso3_from_name
from peaceops.geography.regions import SUBREGIONS, countries_in, subregion_code
from peaceops.incidents.access import may_read_mission
from peaceops.incidents.views import Filters, incident_rows
from peaceops.missions.models import Mission
from peaceops.partnerships.cooperation import list_operations
from peaceops.processes.models import ProcessMediator
from peaceops.processes.registry import list_processes
from peaceops.threats import threat_summary

TOP_CELLS = 10
RECENT_AGREEMENTS = 10
RECENT_INCIDENTS = 10
RECENT_SPIKES = 10


def regions() -> list[dict[str, str]]:
    """Every M49 sub-region, by name."""
    return sorted(({"code": c, "name": n} for c, n in SUBREGIONS.items()), key=lambda r: r["name"])


def resolve(text: str) -> str:
    """The M49 code for what a user typed (a code or a name), or a NotFound that lists how to ask."""
    code = subregion_code(text)
    if code is None:
        raise NotFound(
            f"There is no UN M49 sub-region {text.strip()[:40]!r}. Use a three-digit code such as 017 (Middle "
            "Africa) or a name; the regions page lists them."
        )
    return code


def region_room(
    session: Session,
    var_dir: Path,
    who: Actor,
    text: str,
    *,
    today: date | None = None,
    threat_area: str | None = None,
) -> dict[str, Any]:
    """The sections of one sub-region's situation room, for ``who``; with ``threat_area``, the alerts,
    processes, incidents and spikes tagged with it."""
    day = today or date.today()
    code = resolve(text)
    area = check_threat_area(threat_area)
    countries = countries_in(code)
    isos = {c["iso3"] for c in countries}
    gws = {gw for gw in (gw_from_iso3(i) for i in isos) if gw is not None}
    acronyms = list(session.scalars(select(Mission.acronym).where(Mission.host_iso3.in_(isos))))
    summary = threat_summary(
        session, who, missions=acronyms, countries=isos, region=SUBREGIONS[code], threat_area=area, today=day
    )
    summary.pop("records", None)  # the room's own sections are narrowed to the area instead
    return {
        "code": code,
        "name": SUBREGIONS[code],
        "threat_area": area,
        "countries": countries,
        "forecast": _forecast(session, gws),
        "alerts": _alerts(session, gws, area),
        "processes": _processes(session, isos, SUBREGIONS[code], day, area),
        "missions": _missions(session, isos),
        "operations": [o for o in list_operations(session) if o["host_iso3"] in isos and o["active"]],
        "agreements": _agreements(session, isos),
        "implementation": _implementation(session, countries),
        "incidents": _incidents(session, who, isos, area),
        "spikes": _spikes(session, var_dir, who, isos, area),
        "threat_areas": summary,
    }


def _forecast(session: Session, gws: set[int]) -> dict[str, Any]:
    out: dict[str, Any] = {"countries": [], "cells": [], "cm_run": None, "pgm_run": None}
    for level, key, keep in (("cm", "countries", None), ("pgm", "cells", TOP_CELLS)):
        run = board.pick_run(session, level)
        if run is None:
            continue
        rows = [r for r in board.unit_table(session, run) if r["country_gw"] in gws]
        out[key] = rows[:keep] if keep else rows
        out[f"{level}_run"] = board.run_out(run)
    return out


def _alerts(session: Session, gws: set[int], area: str | None) -> dict[str, list[dict[str, Any]]]:
    found = board.alerts(session, threat_area=area)
    open_alerts = [a for a in found if a["country_gw"] in gws and a["status"] != "closed"]
    return {
        "spillover": [a for a in open_alerts if a["kind"] == "spillover"],
        "other": [a for a in open_alerts if a["kind"] != "spillover"],
    }


def _processes(session: Session, isos: set[str], region: str, day: date, area: str | None) -> list[dict[str, Any]]:
    """Processes about a country of the region, or mandated for the region itself, with their active envoys."""
    rows = []
    for p in list_processes(session, today=day, threat_area=area):
        about = (p.country and iso3_from_name(p.country) in isos) or (p.region or "").lower() == region.lower()
        if not about:
            continue
        envoys = session.scalars(
            select(ProcessMediator).where(ProcessMediator.process_id == p.id).order_by(ProcessMediator.started_on)
        ).all()
        rows.append(
            {
                **p.model_dump(),
                "envoys": [
                    {"name": m.name, "title": m.title, "organisation": m.organisation}
                    for m in envoys
                    if m.active_on(day) and not m.core_team
                ],
            }
        )
    return rows


def _missions(session: Session, isos: set[str]) -> list[dict[str, Any]]:
    query = select(Mission).where(Mission.active.is_(True), Mission.host_iso3.in_(isos)).order_by(Mission.acronym)
    return [
        {"acronym": m.acronym, "name": m.name, "kind": m.kind, "host_iso3": m.host_iso3} for m in session.scalars(query)
    ]


def _agreements(session: Session, isos: set[str]) -> dict[str, Any]:
    about = select(AgreementCountry.agreement_id).where(AgreementCountry.iso3.in_(isos)).distinct()
    total = session.scalar(select(func.count()).select_from(about.subquery())) or 0
    recent = session.scalars(
        select(Agreement)
        .where(Agreement.id.in_(about))
        .order_by(Agreement.signed_on.desc().nulls_last(), Agreement.id.desc())
        .limit(RECENT_AGREEMENTS)
    ).all()
    return {
        "total": int(total),
        "recent": [
            {
                "id": a.id,
                "pax_id": a.pax_id,
                "title": a.title,
                "signed_on": a.signed_on.isoformat() if a.signed_on else None,
                "stage": a.stage,
            }
            for a in recent
        ],
    }


def _implementation(session: Session, countries: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Per country with tracked commitments: how many, by status (the implementation tracking's own counts)."""
    rows = []
    for country in countries:
        found = list_commitments(session, country=country["iso3"], limit=0)
        if found.total:
            rows.append({**country, "total": found.total, "statuses": found.statuses})
    return rows


def _incidents(session: Session, who: Actor, isos: set[str], area: str | None) -> list[dict[str, Any]]:
    """The newest incident reports of the region's missions that ``who`` may read (the incidents policy)."""
    acronyms = session.scalars(select(Mission.acronym).where(Mission.host_iso3.in_(isos))).all()
    rows: list[dict[str, Any]] = []
    for acronym in (a for a in acronyms if may_read_mission(who, a)):
        filters = Filters(mission=acronym, threat_area=area)
        rows += incident_rows(session, who, filters, how="region", limit=RECENT_INCIDENTS)
    rows.sort(key=lambda r: (r["occurred_at"], r["id"]), reverse=True)
    return [
        {k: r.get(k) for k in ("id", "mission", "occurred_at", "category", "place_name", "admin1", "status")}
        for r in rows[:RECENT_INCIDENTS]
    ]


def _spikes(session: Session, var_dir: Path, who: Actor, isos: set[str], area: str | None) -> list[dict[str, Any]]:
    """Spike days of harmful narratives among the monitored items about the region that ``who`` may read."""
    visible = and_(scope_for(session, who).where(), CommsItem.country_iso3.in_(isos))
    found = spikes.alerts(session, None, visible)
    if area:
        tagged = comms_threats.narrative_areas(session, {s["narrative_id"] for s in found})
        found = [s for s in found if area in tagged.get(s["narrative_id"], [])]
    return [{k: s[k] for k in ("day", "count", "narrative_id", "narrative")} for s in found[:RECENT_SPIKES]]
