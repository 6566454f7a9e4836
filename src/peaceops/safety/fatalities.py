"""Safety and security of peacekeepers: the UN fatalities list read against the strength deployed.

Every function takes a session first and returns typed rows (the shapes of ``safety.shapes``), so the
page, its JSON twin, the CSV export and the tests share one computation and one description. Counts of
deaths cover every person in the fatalities list (uniformed and civilian), special political missions
outside the register included; rates per 1,000 count only uniformed deaths (military, police, military
observers) in missions of the register with a strength total for the month, because the denominator, the
monthly mission totals, counts only uniformed personnel of those missions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, can_read_records
from peaceops.errors import NotFound, ValidationFailed
from peaceops.i18n import _
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.personnel.exposure import UNIFORMED_FATALITY_TYPES, Exposure, load_exposure, per_1000, poisson_interval
from peaceops.personnel.models import Fatality
from peaceops.safety.serious_incidents import accountability_summary
from peaceops.safety.shapes import (
    FatalityGroup,
    FatalityRate,
    FatalitySummary,
    FatalityTrendYear,
    FatalityTypeShare,
    FatalityYearType,
    MissionFatalityRate,
    SafetyOverview,
)
from peaceops.sources.un_fatalities import INCIDENT_TYPES

MALICIOUS = "Malicious Act"
FatalityDimension = Literal["mission", "year", "incident_type", "personnel_type", "nationality"]
FATALITY_DIMENSIONS: tuple[str, ...] = ("mission", "year", "incident_type", "personnel_type", "nationality")


def _mission_filter(session: Session, mission: str) -> Any:
    """Deaths of one mission: in the register by its id, outside it (UNAMA...) by the list's acronym."""
    try:
        return Fatality.mission_id == find_mission(session, mission).id
    except NotFound:
        acronym = mission.strip().upper()
        if session.scalar(select(func.count()).where(Fatality.mission_acronym == acronym)):
            return (Fatality.mission_id.is_(None)) & (Fatality.mission_acronym == acronym)
        raise


def _deaths(session: Session, mission: str | None, year: int | None) -> list[tuple[Any, ...]]:
    """(mission id, acronym, date, incident type, personnel type, nationality iso3) of each death.

    Deaths in missions outside the register (special political missions) have no mission id and carry
    the list's acronym; the register's acronym is used where the row is linked (aliases such as ONUCI).
    """
    query: Any = select(
        Fatality.mission_id,
        func.coalesce(Mission.acronym, Fatality.mission_acronym),
        Fatality.incident_date,
        Fatality.incident_type,
        Fatality.personnel_type,
        Fatality.nationality_iso3,
    ).outerjoin(Mission, Mission.id == Fatality.mission_id)
    if mission:
        query = query.where(_mission_filter(session, mission))
    if year is not None:
        query = query.where(Fatality.incident_date >= date(year, 1, 1), Fatality.incident_date <= date(year, 12, 31))
    return list(session.execute(query))


def fatality_summary(
    session: Session, by: str = "mission", *, mission: str | None = None, year: int | None = None
) -> FatalitySummary:
    """Deaths grouped by one dimension: ``by``, ``rows`` (each with the ``by`` key, ``count``, ``malicious``...)
    and ``total``.

    ``total`` is the number of deaths the filters select, so with no filter it is every stored death.
    """
    if by not in FATALITY_DIMENSIONS:
        raise ValidationFailed(
            _("Cannot group fatalities by {by!r}; choose one of {dimensions}.").format(
                by=by, dimensions=", ".join(FATALITY_DIMENSIONS)
            )
        )
    deaths = _deaths(session, mission, year)
    counts: Counter[Any] = Counter()
    malicious: Counter[Any] = Counter()
    in_register: dict[Any, bool] = {}
    for mission_id, acronym, day, incident, ptype, iso3 in deaths:
        key = {
            "mission": acronym,
            "year": day.year,
            "incident_type": incident,
            "personnel_type": ptype,
            "nationality": iso3,
        }[by]
        counts[key] += 1
        malicious[key] += incident == MALICIOUS
        in_register[key] = mission_id is not None
    if by == "year":
        keys = sorted(counts)
    else:
        keys = sorted(counts, key=lambda k: (-counts[k], str(k)))
    rows = [{by: key, "count": counts[key], "malicious": malicious[key]} for key in keys]
    if by == "mission":  # missions outside the register are listed by the acronym the UN list gives
        for row in rows:
            row["in_register"] = in_register[row["mission"]]
    return FatalitySummary(
        by=by, mission=mission, year=year, rows=[FatalityGroup(**row) for row in rows], total=len(deaths)
    )


def fatalities_by_year(session: Session, *, mission: str | None = None) -> list[FatalityYearType]:
    """Deaths per year and type of incident (every person in the list), for the stacked bar chart."""
    counts = Counter((day.year, incident) for _, _, day, incident, _, _ in _deaths(session, mission, None))
    return [FatalityYearType(year=y, incident_type=t, count=n) for (y, t), n in sorted(counts.items())]


def fatalities_by_incident_type(
    session: Session, *, mission: str | None = None, year: int | None = None
) -> list[FatalityTypeShare]:
    """Deaths per type of incident in the UN's order, with each type's share of all deaths selected."""
    counts = Counter(incident for _, _, _, incident, _, _ in _deaths(session, mission, year))
    total = sum(counts.values())
    return [
        FatalityTypeShare(incident_type=t, count=counts[t], share=round(counts[t] / total, 4) if total else None)
        for t in INCIDENT_TYPES
        if counts[t]
    ]


def _uniformed_in_covered_months(
    deaths: list[tuple[Any, ...]], exposure: Exposure
) -> tuple[Counter[tuple[int, int]], Counter[tuple[int, int]]]:
    """Uniformed deaths, and those by malicious acts, per (mission id, year), in months with a strength total."""
    all_causes: Counter[tuple[int, int]] = Counter()
    malicious: Counter[tuple[int, int]] = Counter()
    for mission_id, _acronym, day, incident, ptype, _iso3 in deaths:
        # A death outside the register has no mission id, hence no strength: never in a rate.
        if mission_id is not None and ptype in UNIFORMED_FATALITY_TYPES and exposure.covers(mission_id, day):
            all_causes[(mission_id, day.year)] += 1
            malicious[(mission_id, day.year)] += incident == MALICIOUS
    return all_causes, malicious


def fatality_rates(session: Session, *, mission: str | None = None, year: int | None = None) -> list[FatalityRate]:
    """Uniformed fatalities per 1,000 uniformed personnel deployed, per mission and year with strength data.

    ``months_covered`` says how many monthly totals the year has; ``personnel_years`` is their sum over 12.
    """
    mission_row = find_mission(session, mission) if mission else None
    exposure = load_exposure(session, mission_row.id if mission_row else None)
    acronyms = dict(session.execute(select(Mission.id, Mission.acronym)).all())
    all_causes, malicious = _uniformed_in_covered_months(_deaths(session, mission, year), exposure)
    rows: list[FatalityRate] = []
    for mission_id in sorted(exposure.monthly, key=lambda i: acronyms[i]):
        for y in exposure.years(mission_id):
            if year is not None and y != year:
                continue
            months = exposure.personnel_months(mission_id, y)
            deaths, killed = all_causes[(mission_id, y)], malicious[(mission_id, y)]
            rows.append(
                FatalityRate(
                    mission=acronyms[mission_id],
                    year=y,
                    months_covered=exposure.months_covered(mission_id, y),
                    personnel_years=round(months / 12, 1),
                    fatalities=deaths,
                    malicious=killed,
                    per_1000=per_1000(deaths, months),
                    malicious_per_1000=per_1000(killed, months),
                )
            )
    return rows


def fatalities_per_1000(session: Session, mission_acronym: str, year: int) -> float | None:
    """Uniformed fatalities per 1,000 uniformed personnel in one mission and year; None without strength data."""
    rows = fatality_rates(session, mission=mission_acronym, year=year)
    return rows[0].per_1000 if rows else None


def malicious_trend(session: Session, *, mission: str | None = None) -> list[FatalityTrendYear]:
    """Per year: all deaths, deaths by malicious acts and their share; and, where strength data exist,
    uniformed deaths (all causes, and malicious acts) per 1,000 uniformed personnel across the missions."""
    mission_row = find_mission(session, mission) if mission else None
    exposure = load_exposure(session, mission_row.id if mission_row else None)
    deaths = _deaths(session, mission, None)
    totals: Counter[int] = Counter()
    killed: Counter[int] = Counter()
    for _id, _acronym, day, incident, _ptype, _iso3 in deaths:
        totals[day.year] += 1
        killed[day.year] += incident == MALICIOUS
    all_causes, malicious = _uniformed_in_covered_months(deaths, exposure)
    exposed: dict[int, int] = defaultdict(int)
    for mission_id in exposure.monthly:
        for y in exposure.years(mission_id):
            exposed[y] += exposure.personnel_months(mission_id, y)
    uniformed_killed: Counter[int] = Counter()
    uniformed_deaths: Counter[int] = Counter()
    for (_mission, y), n in malicious.items():
        uniformed_killed[y] += n
    for (_mission, y), n in all_causes.items():
        uniformed_deaths[y] += n
    first = min([*totals, *exposed], default=None)
    last = max([*totals, *exposed], default=None)
    if first is None or last is None:
        return []
    return [
        FatalityTrendYear(
            year=y,
            fatalities=totals[y],
            malicious=killed[y],
            malicious_share=round(killed[y] / totals[y], 4) if totals[y] else None,
            personnel_years=round(exposed[y] / 12, 1) if exposed.get(y) else None,
            per_1000=per_1000(uniformed_deaths[y], exposed[y]) if exposed.get(y) else None,
            malicious_per_1000=per_1000(uniformed_killed[y], exposed[y]) if exposed.get(y) else None,
        )
        for y in range(first, last + 1)
    ]


def mission_comparison(
    session: Session, *, year: int | None = None, min_personnel_years: float = 0.0
) -> list[MissionFatalityRate]:
    """Missions side by side over the years their strength is known (or one year): uniformed deaths per
    1,000 personnel-years, all causes (with its 95% interval) and malicious acts, ordered by the interval's
    lower end, highest first."""
    exposure = load_exposure(session)
    missions = {m.id: m for m in session.scalars(select(Mission))}
    all_causes, malicious = _uniformed_in_covered_months(_deaths(session, None, year), exposure)
    rows: list[MissionFatalityRate] = []
    for mission_id in exposure.monthly:
        months = exposure.personnel_months(mission_id, year)
        if months <= 0 or months / 12 < min_personnel_years:
            continue
        deaths = sum(n for (mid, _), n in all_causes.items() if mid == mission_id)
        killed = sum(n for (mid, _), n in malicious.items() if mid == mission_id)
        years = [y for y in exposure.years(mission_id) if year is None or y == year]
        mission = missions[mission_id]
        rows.append(
            MissionFatalityRate(
                mission=mission.acronym,
                name=mission.name,
                active=bool(mission.active),
                from_year=years[0],
                to_year=years[-1],
                personnel_years=round(months / 12, 1),
                fatalities=deaths,
                malicious=killed,
                per_1000=per_1000(deaths, months),
                per_1000_interval=poisson_interval(deaths, months),
                malicious_per_1000=per_1000(killed, months),
            )
        )
    # Ordered by the lower end of the interval, the rate each mission had at least: a small mission with
    # two deaths does not outrank one with hundreds on the strength of a wide, uncertain estimate.
    rows.sort(key=lambda r: (-(r.per_1000_interval or (0.0, 0.0))[0], -(r.per_1000 or 0), r.mission))
    return rows


def safety_overview(
    session: Session, who: Actor, *, mission: str | None = None, year: int | None = None
) -> SafetyOverview:
    """Everything the Safety page shows except incident records, for ``who``: the page and its JSON twin share
    it. The accountability of serious incidents is in aggregate, open to every role; ``records_visible`` says
    whether ``who`` may also read the records themselves."""
    if mission:
        mission = find_mission(session, mission).acronym
    exposure = load_exposure(session)
    first, last = exposure.first_last()
    summary = fatality_summary(session, "mission", mission=mission, year=year)
    return SafetyOverview(
        mission=mission,
        year=year,
        total=summary.total,
        malicious=sum(r.value("malicious") for r in summary.rows),
        strength_from=first.isoformat() if first else None,
        strength_to=last.isoformat() if last else None,
        by_year=fatalities_by_year(session, mission=mission),
        by_incident_type=fatalities_by_incident_type(session, mission=mission, year=year),
        malicious_trend=malicious_trend(session, mission=mission),
        comparison=mission_comparison(session, year=year),
        rates=fatality_rates(session, mission=mission, year=year),
        by_mission=summary.rows,
        accountability=accountability_summary(session, mission=mission, year=year),
        records_visible=can_read_records(who),
    )
