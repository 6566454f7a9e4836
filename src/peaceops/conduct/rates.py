"""Allegations per 1,000 personnel deployed, by mission and year or by month.

The denominator is the IPI monthly mission totals, which count uniformed personnel only (troops, police,
military observers) and stop in March 2017. So by default the numerator counts only allegations against
uniformed personnel (military and police), and rates exist only where a month has a strength total:
2015, 2016 and the first quarter of 2017 with the data shipped here; newer strength data extends them.
A year with only some monthly totals counts the allegations reported in those months and divides by the
personnel-years they add up to (see ``exposure``).

``allegations_per_1000`` is the public entry point other domains call (the performance framework's
derived indicator of SEA allegations per 1,000 deployed).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.conduct.models import Allegation
from peaceops.conduct.shapes import AllegationRate
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.personnel.exposure import load_exposure, per_1000, poisson_interval
from peaceops.sources.un_conduct import UNIFORMED


def _reported_months(session: Session, mission_id: int | None, uniformed_only: bool) -> Counter[tuple[int, date]]:
    """Allegations per (mission id, reporting month), for missions in the register."""
    query = select(Allegation.mission_id, Allegation.reported_month, Allegation.personnel_category).where(
        Allegation.mission_id.is_not(None)
    )
    if mission_id is not None:
        query = query.where(Allegation.mission_id == mission_id)
    counts: Counter[tuple[int, date]] = Counter()
    for mid, month, category in session.execute(query):
        if mid is not None and (not uniformed_only or category in UNIFORMED):
            counts[(mid, month.replace(day=1))] += 1
    return counts


def _table_starts(session: Session) -> date | None:
    """The first reporting month of the stored table: before it, no allegation data exists at all."""
    return session.scalar(select(func.min(Allegation.reported_month)))


def allegation_rates(
    session: Session, *, mission: str | None = None, year: int | None = None, uniformed_only: bool = True
) -> list[AllegationRate]:
    """Per mission and year with both allegations data (2015 on) and strength data: allegations reported
    in the months with a strength total, per 1,000 personnel-years, with a 95% interval."""
    mission_row = find_mission(session, mission) if mission else None
    exposure = load_exposure(session, mission_row.id if mission_row else None)
    counts = _reported_months(session, mission_row.id if mission_row else None, uniformed_only)
    first = _table_starts(session)
    acronyms = dict(session.execute(select(Mission.id, Mission.acronym)).all())
    rows: list[AllegationRate] = []
    for mission_id in sorted(exposure.monthly, key=lambda i: acronyms[i]):
        for y in exposure.years(mission_id):
            if first is None or y < first.year or (year is not None and y != year):
                continue
            months = exposure.personnel_months(mission_id, y)
            n = sum(
                c for (mid, m), c in counts.items() if mid == mission_id and m.year == y and exposure.covers(mid, m)
            )
            rows.append(
                AllegationRate(
                    mission=acronyms[mission_id],
                    year=y,
                    months_covered=exposure.months_covered(mission_id, y),
                    personnel_years=round(months / 12, 1),
                    allegations=n,
                    per_1000=per_1000(n, months),
                    per_1000_interval=poisson_interval(n, months),
                )
            )
    return rows


def allegations_per_1000(
    session: Session, mission_acronym: str, year: int, *, uniformed_only: bool = True
) -> float | None:
    """Allegations reported in one mission and year per 1,000 uniformed personnel deployed.

    None when the mission has no monthly strength total in that year (no denominator) or the year is
    before the table of allegations begins; a year with strength data and no allegation gives 0.0.
    Raises NotFound for an acronym the missions register lacks.
    """
    rows = allegation_rates(session, mission=mission_acronym, year=year, uniformed_only=uniformed_only)
    return rows[0].per_1000 if rows else None


def monthly_allegation_rates(
    session: Session, mission_acronym: str, *, uniformed_only: bool = True
) -> list[dict[str, Any]]:
    """Per month with a strength total, from the first month of the table of allegations: allegations
    reported that month, uniformed personnel deployed, and allegations per 1,000 deployed (not annualised:
    the month's count over the month's strength)."""
    mission = find_mission(session, mission_acronym)
    exposure = load_exposure(session, mission.id)
    counts = _reported_months(session, mission.id, uniformed_only)
    first = _table_starts(session)
    if first is None:
        return []
    series = exposure.monthly.get(mission.id, {})
    return [
        {
            "month": month.isoformat(),
            "allegations": counts[(mission.id, month)],
            "deployed": deployed,
            "per_1000": round(1000.0 * counts[(mission.id, month)] / deployed, 4),
        }
        for month, deployed in sorted(series.items())
        if month >= first
    ]
