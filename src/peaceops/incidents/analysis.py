"""A mission's own published reports in the analysis: derived performance indicators, and monthly counts
beside the UCDP GED events of the host country.

``incidents_attacks_on_civilians`` and ``incidents_attacks_on_peacekeepers``: published incidents of the
category per month, from the mission's first to its last published report (months without one count 0).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.conflict.events import event_files, events_dir
from peaceops.incidents.models import Incident, IncidentCategory
from peaceops.performance.derived import Context, DerivationUnavailable, Derived, register_derivation
from peaceops.performance.periods import month
from peaceops.performance.values import Point
from peaceops.personnel.models import Mission

DERIVATIONS = {
    "incidents_attacks_on_civilians": "attack_civilians",
    "incidents_attacks_on_peacekeepers": "attack_peacekeepers",
}
SOURCE = "The mission's own published incident reports (peaceops incidents)"


def monthly_published(session: Session, mission: Mission, category: str) -> dict[date, int]:
    query = (
        select(Incident.occurred_at)
        .join(IncidentCategory, IncidentCategory.id == Incident.category_id)
        .where(Incident.mission_id == mission.id, Incident.status == "published", IncidentCategory.code == category)
    )
    return Counter(when.date().replace(day=1) for when in session.scalars(query))


def _derivation(category: str):  # type: ignore[no-untyped-def]
    def derive(session: Session, mission: Mission, ctx: Context) -> Derived:
        published = select(Incident.occurred_at).where(
            Incident.mission_id == mission.id, Incident.status == "published"
        )
        months = sorted({w.date().replace(day=1) for w in session.scalars(published)})
        if not months:
            raise DerivationUnavailable(f"{mission.acronym} has no published incident reports")
        counts = monthly_published(session, mission, category)
        points = []
        current = month(months[0].year, months[0].month)
        while current.start <= months[-1]:
            value = float(counts.get(current.start, 0))
            points.append(Point(current, value, value, None))
            current = current.next()
        return Derived(points, SOURCE)

    return derive


def register() -> None:
    for key, category in DERIVATIONS.items():
        register_derivation(key, _derivation(category))


def beside_ucdp(session: Session, mission: Mission, var_dir: Path | None) -> list[dict[str, Any]]:
    """Per month of the mission's published reports: their count and deaths, beside the UCDP GED events
    and best-estimate deaths stored for the host country (None where UCDP has no stored month)."""
    query = select(
        Incident.occurred_at, Incident.civilians_killed, Incident.peacekeepers_killed, Incident.armed_killed
    ).where(Incident.mission_id == mission.id, Incident.status == "published")
    ours: dict[date, list[int]] = {}
    for when, civ, pk, armed in session.execute(query):
        slot = ours.setdefault(when.date().replace(day=1), [0, 0])
        slot[0] += 1
        slot[1] += civ + pk + armed
    if not ours:
        return []
    ucdp: dict[date, tuple[int, int]] = {}
    if var_dir is not None and mission.host_iso3 and event_files(var_dir):
        import duckdb

        pattern = str(events_dir(var_dir) / "ucdp-ged" / "year=*" / "*.parquet").replace("'", "''")
        if list((events_dir(var_dir) / "ucdp-ged").glob("year=*/*.parquet")):
            con = duckdb.connect()
            try:
                rows = con.execute(
                    f"SELECT month, count(*), sum(coalesce(best, 0)) FROM read_parquet('{pattern}', "
                    "hive_partitioning = true) WHERE country_iso3 = ? GROUP BY month",
                    [mission.host_iso3],
                ).fetchall()
            finally:
                con.close()
            ucdp = {m: (int(n), int(d)) for m, n, d in rows}
    first, last = min(ours), max(ours)
    out = []
    current = month(first.year, first.month)
    while current.start <= last:
        mine = ours.get(current.start, [0, 0])
        theirs = ucdp.get(current.start)
        out.append(
            {
                "month": current.start.isoformat(),
                "mission_reports": mine[0],
                "mission_deaths": mine[1],
                "ucdp_events": theirs[0] if theirs else None,
                "ucdp_deaths": theirs[1] if theirs else None,
            }
        )
        current = current.next()
    return out
