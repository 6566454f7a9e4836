"""How many people were exposed: uniformed personnel deployed, as personnel-months from the monthly totals.

Rates "per 1,000 deployed" divide events by the average number deployed. Over a calendar year with all
twelve monthly totals that is the year's mean strength; where the totals cover only some months of a
year (the IPI series starts in November 1990 and stops in March 2017), events are counted in those
months only and divided by the personnel-years they add up to (the sum of monthly totals over 12), so a
partial year gives an annual rate comparable with a full one instead of an inflated or deflated count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from scipy.stats import chi2
from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.personnel.models import MissionStrength

# Fatalities counted against uniformed strength: the monthly totals count troops, police and observers.
UNIFORMED_FATALITY_TYPES = ("Military", "Police", "Military Observer")


@dataclass
class Exposure:
    """Deployed uniformed personnel per mission and month, with the (mission, year) sums rates divide by."""

    monthly: dict[int, dict[date, int]] = field(default_factory=dict)

    def covers(self, mission_id: int, month: date) -> bool:
        return month.replace(day=1) in self.monthly.get(mission_id, {})

    def personnel_months(self, mission_id: int, year: int | None = None) -> int:
        months = self.monthly.get(mission_id, {})
        return sum(n for m, n in months.items() if year is None or m.year == year)

    def months_covered(self, mission_id: int, year: int | None = None) -> int:
        return sum(1 for m in self.monthly.get(mission_id, {}) if year is None or m.year == year)

    def years(self, mission_id: int) -> list[int]:
        return sorted({m.year for m in self.monthly.get(mission_id, {})})

    def first_last(self) -> tuple[date | None, date | None]:
        months = [m for series in self.monthly.values() for m in series]
        return (min(months), max(months)) if months else (None, None)


def load_exposure(session: Session, mission_id: int | None = None) -> Exposure:
    """Monthly uniformed strength of every mission (or one), months with a total of 0 left out."""
    query = select(MissionStrength.mission_id, MissionStrength.month, MissionStrength.total).where(
        MissionStrength.total > 0
    )
    if mission_id is not None:
        query = query.where(MissionStrength.mission_id == mission_id)
    monthly: dict[int, dict[date, int]] = defaultdict(dict)
    for mid, month, total in session.execute(query):
        monthly[mid][month.replace(day=1)] = int(total)
    return Exposure(dict(monthly))


def per_1000(events: int, personnel_months: int) -> float | None:
    """Events per 1,000 personnel-years: ``events / (personnel_months / 12) * 1000``; None without exposure."""
    if personnel_months <= 0:
        return None
    return round(12000.0 * events / personnel_months, 4)


def poisson_interval(events: int, personnel_months: int, level: float = 0.95) -> tuple[float, float] | None:
    """Exact (Garwood) confidence interval of a rate per 1,000 personnel-years.

    A mission with 200 personnel-years and 3 deaths has a rate of 15 per 1,000 that could as well be 3 or
    40; the interval says so, so small missions do not top a ranking on the strength of a few events.
    Garwood's bounds are chi-squared quantiles (the same numbers a search on the Poisson tails finds, at a
    hundredth of the cost: a page ranks sixty missions).
    """
    if personnel_months <= 0:
        return None
    tail = (1 - level) / 2
    low = 0.0 if events == 0 else float(chi2.ppf(tail, 2 * events)) / 2
    high = float(chi2.ppf(1 - tail, 2 * events + 2)) / 2
    scale = 12000.0 / personnel_months
    return round(low * scale, 4), round(high * scale, 4)
