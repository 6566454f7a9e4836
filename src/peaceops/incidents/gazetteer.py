"""The gazetteer: admin-1 areas and named places with coordinates, built from the georeferenced events
the platform already holds (UCDP GED, ACLED in the Parquet event store), so a report can name a place
instead of giving coordinates, and every incident gets the admin-1 area its weekly counts are kept by."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from peaceops.errors import ValidationFailed
from peaceops.i18n import _
from peaceops.incidents.models import GazetteerPlace, Incident
from peaceops.missions.models import Mission
from peaceops.store import audit
from peaceops.store.events import event_files, events_dir

NEAREST_KM = 60.0
KIND_WORDS = {
    "city",
    "town",
    "village",
    "province",
    "prefecture",
    "sub-prefecture",
    "district",
    "region",
    "state",
    "area",
}


def build_gazetteer(session: Session, var_dir: Path, actor: str, countries: list[str] | None = None) -> dict[str, int]:
    """Rebuild the gazetteer for the countries in the event store (or those named) from its events:
    one row per admin-1 area (centre of its events) and one per named location with precise
    coordinates (UCDP where_prec 1-2, ACLED all); then the incidents of those countries that had no
    admin-1 area get theirs (counted as "incidents")."""
    import duckdb

    if not event_files(var_dir):
        raise ValidationFailed("The event store is empty; import UCDP GED or ACLED events first.")
    pattern = str(events_dir(var_dir) / "*" / "year=*" / "*.parquet").replace("'", "''")
    where = ""
    if countries:
        names = ", ".join("'" + c.upper().replace("'", "") + "'" for c in countries)
        where = f"AND country_iso3 IN ({names})"
    con = duckdb.connect()
    try:
        base = f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = true) WHERE latitude IS NOT NULL {where}"
        admin = con.sql(
            f"SELECT country_iso3, admin1, avg(longitude), avg(latitude), count(*), min(source) FROM ({base}) "
            "WHERE admin1 IS NOT NULL AND country_iso3 IS NOT NULL GROUP BY 1, 2"
        ).fetchall()
        places = con.sql(
            f"SELECT country_iso3, split_part(location, ',', 1) AS name, coalesce(admin1, ''), "
            "median(longitude), median(latitude), count(*), min(source) "
            f"FROM ({base}) WHERE location IS NOT NULL AND country_iso3 IS NOT NULL "
            "AND (where_prec IS NULL OR where_prec <= 2) GROUP BY 1, 2, 3"
        ).fetchall()
    finally:
        con.close()
    touched = sorted({r[0] for r in admin} | {r[0] for r in places})
    if touched:
        session.execute(delete(GazetteerPlace).where(GazetteerPlace.country_iso3.in_(touched)))
    seen: set[tuple[str, str, str, str]] = set()
    for iso, name, lon, lat, n, source in admin:
        seen.add((iso, "admin1", name.strip(), ""))
        session.add(
            GazetteerPlace(
                country_iso3=iso,
                kind="admin1",
                name=name.strip()[:200],
                admin1="",
                longitude=lon,
                latitude=lat,
                events=n,
                source=source,
            )
        )
    kept = 0
    for iso, name, admin1, lon, lat, n, source in places:
        key = (iso, "place", name.strip()[:200], admin1.strip()[:120])
        if not key[2] or key in seen:
            continue
        seen.add(key)
        kept += 1
        session.add(
            GazetteerPlace(
                country_iso3=iso,
                kind="place",
                name=key[2],
                admin1=key[3],
                longitude=lon,
                latitude=lat,
                events=n,
                source=source,
            )
        )
    session.flush()
    counts = {
        "countries": len(touched),
        "admin1": len(admin),
        "places": kept,
        "incidents": _fill_areas(session, touched),
    }
    audit.record(session, actor, "rebuild", "gazetteer", ",".join(touched), after=counts)
    return counts


def _fill_areas(session: Session, countries: list[str]) -> int:
    """Give the incidents of these host countries that have no admin-1 area the one the gazetteer now
    knows: reports filed before the gazetteer existed otherwise stay "Unknown area" in the weekly counts.
    An area already set (named by the reporter's place) is kept."""
    if not countries:
        return 0
    rows = session.execute(
        select(Incident, Mission.host_iso3)
        .join(Mission, Mission.id == Incident.mission_id)
        .where(Incident.admin1.is_(None), Mission.host_iso3.in_(countries))
    ).all()
    filled = 0
    for incident, host in rows:
        area = admin_area(session, host, incident.longitude, incident.latitude)
        if area:
            incident.admin1 = area[:120]
            filled += 1
    session.flush()
    return filled


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def resolve(session: Session, country_iso3: str | None, name: str) -> GazetteerPlace:
    """A place or admin-1 area by name in the mission's host country; a clear error with suggestions."""
    wanted = name.strip()
    query = select(GazetteerPlace).where(func.lower(GazetteerPlace.name) == wanted.lower())
    if country_iso3:
        query = query.where(GazetteerPlace.country_iso3 == country_iso3)
    rows = list(session.scalars(query.order_by(GazetteerPlace.kind.desc(), GazetteerPlace.events.desc())))
    if rows:
        return rows[0]
    # GED names carry the kind of place: "Bangui city", "Bria town", "Ouham prefecture".
    loose = select(GazetteerPlace).where(func.lower(GazetteerPlace.name).like(f"{wanted.lower()} %"))
    if country_iso3:
        loose = loose.where(GazetteerPlace.country_iso3 == country_iso3)
    for place in session.scalars(loose.order_by(GazetteerPlace.kind.desc(), GazetteerPlace.events.desc())):
        if place.name[len(wanted) :].strip().lower() in KIND_WORDS:
            return place
    like = select(GazetteerPlace.name).where(func.lower(GazetteerPlace.name).like(f"%{wanted.lower()[:20]}%"))
    if country_iso3:
        like = like.where(GazetteerPlace.country_iso3 == country_iso3)
    hints = sorted(set(session.scalars(like.limit(8))))
    place_name, where = repr(name), country_iso3 or _("any country")
    if hints:
        raise ValidationFailed(
            _("Place {name} is not in the gazetteer of {country}. Did you mean: {hints}?").format(
                name=place_name, country=where, hints=", ".join(hints)
            )
        )
    raise ValidationFailed(
        _(
            "Place {name} is not in the gazetteer of {country}. Give coordinates instead, or rebuild the gazetteer."
        ).format(name=place_name, country=where)
    )


def admin_area(session: Session, country_iso3: str | None, lon: float, lat: float) -> str | None:
    """The admin-1 area of the nearest gazetteer entry within NEAREST_KM (None when nothing is near)."""
    box = NEAREST_KM / 111.0 * 1.5
    query = select(GazetteerPlace).where(
        GazetteerPlace.latitude.between(lat - box, lat + box),
        GazetteerPlace.longitude.between(lon - box * 2, lon + box * 2),
    )
    if country_iso3:
        query = query.where(GazetteerPlace.country_iso3 == country_iso3)
    best: tuple[float, str] | None = None
    for place in session.scalars(query):
        area = place.name if place.kind == "admin1" else place.admin1
        if not area:
            continue
        d = _km(lon, lat, place.longitude, place.latitude)
        if d <= NEAREST_KM and (best is None or d < best[0]):
            best = (d, area)
    return best[1] if best else None


def search(session: Session, country_iso3: str | None, text: str, limit: int = 20) -> list[dict[str, Any]]:
    query = select(GazetteerPlace).where(func.lower(GazetteerPlace.name).like(f"{text.strip().lower()}%"))
    if country_iso3:
        query = query.where(GazetteerPlace.country_iso3 == country_iso3)
    rows = session.scalars(query.order_by(GazetteerPlace.events.desc()).limit(limit))
    return [
        {
            "name": p.name,
            "kind": p.kind,
            "admin1": p.admin1 or None,
            "longitude": round(p.longitude, 5),
            "latitude": round(p.latitude, 5),
            "country_iso3": p.country_iso3,
        }
        for p in rows
    ]
