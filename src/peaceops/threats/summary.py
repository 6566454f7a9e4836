"""Threat areas across the platform for one place: a mission (its own records and its host country's) or a
region (the missions and countries of a UN M49 sub-region).

Each kind is read through its own domain's public functions, with the reader as that domain's page would
see them: incidents through the incidents policy (viewers see none; a restricted report only by its
compartment's holders), monitored items and narratives within the reader's comms scope, alerts and
processes as every signed-in role reads them, courses as the training aggregates, resource
requirements as the resources counts (decision 043). Nothing is counted that
the same reader could not find on the kind's own page, so the counts leak nothing the pages do not show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from peaceops.access.policy import Actor
from peaceops.comms import threats as comms_threats
from peaceops.conflict import dashboard as board
from peaceops.errors import NotFound
from peaceops.framework.threat_areas import THREAT_AREAS, check_threat_area, threat_area_label
from peaceops.geography.codes import gw_from_iso3, iso3_from_name
from peaceops.i18n import N_
from peaceops.incidents.access import may_read_mission
from peaceops.incidents.views import Filters, incident_rows, threat_area_counts
from peaceops.processes.registry import list_processes
from peaceops.resources import mission_summary
from peaceops.training import course_list
from peaceops.training.listing import course_threat_counts, mission_course_codes

# The kinds counted, in the order the views show them; names kept in English (N_), translated where shown.
KINDS = {
    "incidents": N_("Incidents"),
    "items": N_("Monitored items"),
    "narratives": N_("Narratives"),
    "processes": N_("Peace processes"),
    "alerts": N_("Open alerts"),
    "courses": N_("Courses"),
    "requirements": N_("Resource requirements"),
}
LISTED = 10  # records of each kind listed when one area is asked for


def threat_summary(
    session: Session,
    who: Actor,
    *,
    missions: Collection[str],
    countries: Collection[str],
    region: str | None = None,
    threat_area: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Per threat area, how many records of each kind concern ``missions`` (acronyms) and ``countries``
    (ISO3; a process also when it is mandated for ``region``), as ``who`` may see them; with
    ``threat_area``, the newest of them too. A kind the reader may not read at all is None, not 0."""
    area = check_threat_area(threat_area)
    isos = {c.upper() for c in countries}
    gws = {gw for gw in (gw_from_iso3(i) for i in isos) if gw is not None}
    readable = sorted(m for m in {m.upper() for m in missions} if may_read_mission(who, m))
    visible = comms_threats.visible_about(session, who, isos, missions)
    processes = [
        p
        for p in list_processes(session, today=today)
        if (p.country and iso3_from_name(p.country) in isos) or (region and (p.region or "").lower() == region.lower())
    ]
    alerts = [a for a in board.alerts(session) if a["country_gw"] in gws and a["status"] != "closed"]
    counts: dict[str, dict[str, int] | None] = {
        # None: the reader may read none of these missions' incidents (0 would claim there are none)
        "incidents": _incident_counts(session, who, readable) if readable or not missions else None,
        "items": _by_code(comms_threats.item_counts(session, visible)),
        "narratives": _by_code(comms_threats.narrative_counts(session, visible)),
        "processes": dict(Counter(code for p in processes for code in p.threat_areas)),
        "alerts": dict(Counter(code for a in alerts for code in a["threat_areas"])),
        "courses": _by_code(course_threat_counts(session, missions)),
        "requirements": _requirement_counts(session, missions),
    }
    rows = [
        {
            "code": code,
            "label": threat_area_label(code),
            **{kind: (None if found is None else found.get(code, 0)) for kind, found in counts.items()},
        }
        for code in THREAT_AREAS
    ]
    out: dict[str, Any] = {
        "threat_area": area,
        "kinds": list(KINDS),
        "hidden": [kind for kind, found in counts.items() if found is None],
        "rows": rows,
    }
    if area:
        out["records"] = {
            "incidents": _incidents(session, who, readable, area),
            "narratives": comms_threats.narratives_with_items(session, visible, area)[:LISTED],
            "processes": [
                {"id": p.id, "name": p.name, "phase_label": p.phase_label} for p in processes if area in p.threat_areas
            ][:LISTED],
            "alerts": [
                {"id": a["id"], "kind": a["kind"], "name": a["name"], "cutoff": a["cutoff"], "risk": a["risk"]}
                for a in alerts
                if area in a["threat_areas"]
            ][:LISTED],
            "courses": _courses(session, missions, area),
        }
    return out


def _requirement_counts(session: Session, missions: Collection[str]) -> dict[str, int]:
    """Resource requirements per threat area over ``missions``: counts every signed-in reader sees on the
    resources pages (decision 043), naming no item, supplier or amount."""
    total: Counter[str] = Counter()
    for acronym in missions:
        try:
            total.update(mission_summary(session, acronym).threat_areas)
        except NotFound:  # a mission the register does not hold has no requirements
            continue
    return dict(total)


def _by_code(counts: list[dict[str, Any]]) -> dict[str, int]:
    return {c["code"]: int(c["count"]) for c in counts}


def _incident_counts(session: Session, who: Actor, missions: list[str]) -> dict[str, int]:
    """Incidents per area over the missions whose incidents ``who`` may read (the incidents policy decides,
    compartments included; restricted reports counted are audited there)."""
    total: Counter[str] = Counter()
    for mission in missions:
        total.update(_by_code(threat_area_counts(session, who, Filters(mission=mission))))
    return dict(total)


def _incidents(session: Session, who: Actor, missions: list[str], area: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for mission in missions:
        filters = Filters(mission=mission, threat_area=area)
        rows += incident_rows(session, who, filters, how="threat areas", limit=LISTED)
    rows.sort(key=lambda r: (r["occurred_at"], r["id"]), reverse=True)
    keep = ("id", "mission", "occurred_at", "category_label", "place_name", "admin1", "status")
    return [{k: r.get(k) for k in keep} for r in rows[:LISTED]]


def _courses(session: Session, missions: Collection[str], area: str) -> list[dict[str, Any]]:
    """The courses of ``area`` that the missions' training records name."""
    named = mission_course_codes(session, missions)
    return [{"code": c.code, "title": c.title} for c in course_list(session, area) if c.code in named][:LISTED]
