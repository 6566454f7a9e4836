"""What the pages, API and exports show: filtered incident lists, map points, a timeline, weekly counts
per area, CSV rows and GeoJSON. Every query applies the same mission scope and compartment rule, and
every restricted incident shown is recorded in the audit log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor
from peaceops.errors import ValidationFailed
from peaceops.framework.threat_areas import check_threat_area, counts_out
from peaceops.framework.threat_tags import areas_of, count_areas, tagged
from peaceops.geography.priogrid import priogrid_gid
from peaceops.i18n import N_, _
from peaceops.incidents.access import audit_restricted_reads, scope
from peaceops.incidents.models import (
    CASUALTY_FIELDS,
    INCIDENT_TAGS,
    STATUSES,
    Incident,
    IncidentActor,
    IncidentActorLink,
    IncidentCategory,
)
from peaceops.missions.models import Mission

CSV_FIELDS = (
    [
        "id",
        "mission",
        "external_ref",
        "occurred_at",
        "precision",
        "longitude",
        "latitude",
        "place_name",
        "admin1",
        "category",
        "subcategory",
        "actors",
        "threat_areas",
    ]
    + list(CASUALTY_FIELDS)
    + ["description", "source_type", "reliability", "credibility", "status", "version", "reported_by", "verified_by"]
)
MAP_LIMIT = 50_000
WEEKLY_SPAN = 26
MAX_CELLS = 400  # a 10 x 10 degree box
# The weekly counts' row for incidents the gazetteer places in no admin-1 area (none within its reach).
UNKNOWN_AREA = N_("Unknown area")


@dataclass
class Filters:
    mission: str | None = None
    start: date | None = None
    end: date | None = None
    category: str | None = None
    actor: str | None = None
    status: str | None = None  # one status, or None: every status but merged
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    threat_area: str | None = None  # one threat area code (framework.threat_areas)

    def check(self) -> None:
        check_threat_area(self.threat_area)
        if self.status and self.status not in STATUSES:
            raise ValidationFailed(f"Status {self.status!r} is not one of {', '.join(STATUSES)}.")
        if self.start and self.end and self.start > self.end:
            raise ValidationFailed("The time window starts after it ends.")


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise ValidationFailed(f"bbox {text!r} must be four numbers: west,south,east,north.") from None
    return west, south, east, north


def box_cells(bbox: tuple[float, float, float, float], most: int = MAX_CELLS) -> list[int] | None:
    """The PRIO-GRID cells a box covers (None when it spans too many for an IN list, or the antimeridian)."""
    west, south, east, north = bbox
    if west > east or south > north:
        return None
    low, high = priogrid_gid(south, west), priogrid_gid(north, east)
    row0, col0 = divmod(low - 1, 720)
    row1, col1 = divmod(high - 1, 720)
    if (row1 - row0 + 1) * (col1 - col0 + 1) > most:
        return None
    return [row * 720 + col + 1 for row in range(row0, row1 + 1) for col in range(col0, col1 + 1)]


def visible_query(who: Actor, filters: Filters, columns: list[Any]) -> Select[Any]:
    """``columns`` of the incidents ``who`` may see under ``filters``, merged ones left out unless asked."""
    filters.check()
    own = scope(who)
    query = (
        select(*columns)
        .select_from(Incident)
        .join(Mission, Mission.id == Incident.mission_id)
        .join(IncidentCategory, IncidentCategory.id == Incident.category_id)
    )
    if own:
        query = query.where(Mission.acronym == own)
    if filters.mission:
        query = query.where(Mission.acronym == filters.mission.upper())
    held = who.compartments
    if "*" not in held:
        query = query.where(or_(Incident.compartment.is_(None), Incident.compartment.in_(sorted(held) or [""])))
    if filters.start:
        query = query.where(Incident.occurred_at >= datetime.combine(filters.start, datetime.min.time()))
    if filters.end:
        query = query.where(
            Incident.occurred_at < datetime.combine(filters.end + timedelta(days=1), datetime.min.time())
        )
    if filters.category:
        query = query.where(IncidentCategory.code == filters.category.lower())
    if filters.status:
        query = query.where(Incident.status == filters.status)
    else:
        query = query.where(Incident.status != "merged")
    if filters.actor:
        linked = (
            select(IncidentActorLink.incident_id)
            .join(IncidentActor, IncidentActor.id == IncidentActorLink.actor_id)
            .where(IncidentActor.name == filters.actor)
        )
        query = query.where(Incident.id.in_(linked))
    if filters.threat_area:
        query = query.where(Incident.id.in_(tagged(INCIDENT_TAGS, filters.threat_area)))
    if filters.bbox:
        west, south, east, north = filters.bbox
        query = query.where(Incident.longitude.between(west, east), Incident.latitude.between(south, north))
        cells = box_cells(filters.bbox)
        if cells is not None:
            query = query.where(Incident.cell.in_(cells))
    return query


def incident_rows(
    session: Session, who: Actor, filters: Filters, *, how: str = "list", limit: int | None = None
) -> list[dict[str, Any]]:
    """Full rows (for the list, the API, CSV and GeoJSON), newest first."""
    query = visible_query(who, filters, [Incident, Mission.acronym, IncidentCategory.code, IncidentCategory.label])
    query = query.order_by(Incident.occurred_at.desc(), Incident.id.desc())
    if limit:
        query = query.limit(limit)
    subs = {
        c.id: c.code for c in session.scalars(select(IncidentCategory).where(IncidentCategory.parent_id.is_not(None)))
    }
    out = []
    shown = []
    found = session.execute(query).all()
    areas = areas_of(session, INCIDENT_TAGS, [row[0].id for row in found])
    for incident, acronym, code, label in found:
        shown.append((incident.id, incident.compartment))
        out.append(
            {
                "id": incident.id,
                "mission": acronym,
                "external_ref": incident.external_ref,
                "occurred_at": incident.occurred_at.isoformat(timespec="minutes"),
                "precision": incident.precision,
                "longitude": incident.longitude,
                "latitude": incident.latitude,
                "place_name": incident.place_name,
                "admin1": incident.admin1,
                "category": code,
                "category_label": _(label) if label else label,  # a default category in the reader's language
                "subcategory": subs.get(incident.subcategory_id or -1),
                "actors": list(incident.actors or []),
                "threat_areas": areas.get(incident.id, []),
                **{name: getattr(incident, name) for name in CASUALTY_FIELDS},
                "description": incident.description,
                "source_type": incident.source_type,
                "reliability": incident.reliability,
                "credibility": incident.credibility,
                "status": incident.status,
                "version": incident.version,
                "reported_by": incident.reported_by,
                "verified_by": incident.verified_by,
                "restricted": incident.compartment is not None,
            }
        )
    audit_restricted_reads(session, who, shown, how)
    return out


def map_points(session: Session, who: Actor, filters: Filters, limit: int = MAP_LIMIT) -> dict[str, Any]:
    """Compact points for the map: [id, lon, lat, category, status, day, place], newest first, capped.
    The place is the one the reporter named, else the admin-1 area the gazetteer gave (None: neither);
    ``countries`` are the host countries of the points' missions, whose basemap the map draws."""
    columns = [
        Incident.id,
        Incident.longitude,
        Incident.latitude,
        IncidentCategory.code,
        Incident.status,
        Incident.occurred_at,
        Incident.compartment,
        Incident.place_name,
        Incident.admin1,
        Mission.host_iso3,
    ]
    query = visible_query(who, filters, columns).order_by(Incident.occurred_at.desc()).limit(limit + 1)
    rows = session.execute(query).all()
    truncated = len(rows) > limit
    rows = rows[:limit]
    audit_restricted_reads(session, who, [(r[0], r[6]) for r in rows if r[6]], "map")
    return {
        "points": [
            [r[0], round(r[1], 5), round(r[2], 5), r[3], r[4], r[5].date().isoformat(), r[7] or r[8]] for r in rows
        ],
        "truncated": truncated,
        "countries": sorted({r[9] for r in rows if r[9]}),
    }


def weekly_counts(session: Session, who: Actor, filters: Filters) -> dict[str, Any]:
    """Incidents per admin-1 area and ISO week (Monday), verified and published unless a status is asked.

    Without a start day the table covers the WEEKLY_SPAN weeks up to the end day (or today)."""
    statuses = (filters.status,) if filters.status else ("verified", "published")
    start = filters.start or (filters.end or date.today()) - timedelta(weeks=WEEKLY_SPAN)
    query = visible_query(
        who,
        Filters(**{**filters.__dict__, "status": None, "start": start}),
        [Incident.admin1, Incident.occurred_at, Incident.id, Incident.compartment],
    )
    query = query.where(Incident.status.in_(statuses))
    counts: Counter[tuple[str, str]] = Counter()
    shown = []
    unknown = _(UNKNOWN_AREA)
    for admin1, when, incident_id, compartment in session.execute(query):
        monday = (when.date() - timedelta(days=when.weekday())).isoformat()
        counts[(admin1 or unknown, monday)] += 1
        if compartment:
            shown.append((incident_id, compartment))
    audit_restricted_reads(session, who, shown, "weekly counts")
    weeks = sorted({w for _area, w in counts})
    areas = sorted({a for a, _ in counts}, key=lambda a: (-sum(n for (b, _), n in counts.items() if b == a), a))
    rows = [
        {
            "area": a,
            "counts": [counts.get((a, w), 0) for w in weeks],
            "total": sum(counts.get((a, w), 0) for w in weeks),
        }
        for a in areas
    ]
    return {
        "weeks": weeks,
        "rows": rows,
        "statuses": list(statuses),
        "start": start.isoformat(),
        "cells": [{"area": a, "week": w, "count": n} for (a, w), n in sorted(counts.items())],
    }


def threat_area_counts(session: Session, who: Actor, filters: Filters) -> list[dict[str, Any]]:
    """Incidents per threat area among those ``who`` may see under ``filters`` (the threat area filter itself
    left out, so every area's count shows). A restricted report outside the reader's compartments is never
    counted; each restricted report counted is recorded in the audit log, as the weekly counts do."""
    visible = visible_query(who, Filters(**{**filters.__dict__, "threat_area": None}), [Incident.id])
    counts = count_areas(session, INCIDENT_TAGS, visible)
    restricted = session.execute(
        visible_query(who, Filters(**{**filters.__dict__, "threat_area": None}), [Incident.id, Incident.compartment])
        .where(Incident.compartment.is_not(None))
        .where(Incident.id.in_(select(INCIDENT_TAGS.key)))
    ).all()
    audit_restricted_reads(session, who, [(r[0], r[1]) for r in restricted], "threat area counts")
    return counts_out(counts)


def timeline(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Incidents per day and category, from rows already filtered (for the timeline chart)."""
    counts: Counter[tuple[str, str]] = Counter((r["occurred_at"][:10], r["category_label"]) for r in rows)
    return [{"day": d, "category": c, "count": n} for (d, c), n in sorted(counts.items())]


def geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for r in rows:
        props = {k: v for k, v in r.items() if k not in ("longitude", "latitude")}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def filter_options(session: Session, who: Actor, mission: Mission | None) -> dict[str, Any]:
    """Categories and actors for the filter menus (of one mission, or all the reader may see)."""
    own = scope(who)
    cats = select(IncidentCategory.code, IncidentCategory.label).where(IncidentCategory.parent_id.is_(None))
    target = own or (mission.acronym if mission else None)
    if target:
        cats = cats.join(Mission, Mission.id == IncidentCategory.mission_id).where(Mission.acronym == target)
    # Only names named in an incident the reader may open: an actor known only from a restricted
    # report would otherwise leak through the menu.
    readable = visible_query(who, Filters(mission=target), [Incident.id])
    actors = (
        select(IncidentActor.name)
        .join(IncidentActorLink, IncidentActorLink.actor_id == IncidentActor.id)
        .where(IncidentActorLink.incident_id.in_(readable))
    )
    return {
        "categories": sorted({(code, _(label)) for code, label in session.execute(cats)}, key=lambda r: r[1]),
        "actors": sorted(set(session.scalars(actors))),
        "statuses": [s for s in STATUSES if s != "merged"],
    }
