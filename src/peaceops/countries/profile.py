"""A contributing country's profile: the personnel it deployed (and the share of women), the deaths of its
nationals in peace operations, the allegations against its personnel, and the pledges it made. Aggregates
and public pledges only, so every role may read it; the allegation records behind the counts stay behind
``conduct_records``' checks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.conduct.models import Allegation
from peaceops.conduct.shapes import AllegationYearCategory, OutcomeCount
from peaceops.countries.shapes import (
    CountryAllegations,
    CountryFatalities,
    CountryMissionStrength,
    CountryPersonnelMonth,
    CountryProfile,
    CountrySummary,
    CountryWomenShare,
    MissionAllegations,
    MissionDeaths,
)
from peaceops.errors import NotFound
from peaceops.geography.codes import country_name
from peaceops.missions.models import Mission
from peaceops.partnerships.models import Pledge
from peaceops.partnerships.pledges import list_pledges, pledge_progress
from peaceops.personnel.categories import PERSONNEL_LABELS, PERSONNEL_TYPES
from peaceops.personnel.models import Deployment, Fatality
from peaceops.safety.shapes import FatalityYearType
from peaceops.sources.un_conduct import OUTCOME_ORDER


def _allegations_of(session: Session, iso3: str) -> list[Allegation]:
    """Allegations naming the country among the nationalities of the personnel involved (JSON list, so
    filtered here: the table holds a few hundred rows)."""
    return [a for a in session.scalars(select(Allegation)) if any(n["iso3"] == iso3 for n in a.nationalities)]


def countries_list(session: Session) -> list[CountrySummary]:
    """Every country with deployments, deaths of nationals or allegations on record, largest contributor
    (at its peak month) first."""
    peak: dict[str, int] = defaultdict(int)
    monthly = session.execute(
        select(Deployment.contributor_iso3, Deployment.month, func.sum(Deployment.total)).group_by(
            Deployment.contributor_iso3, Deployment.month
        )
    )
    for iso3, _, total in monthly:
        peak[iso3] = max(peak[iso3], int(total or 0))
    deaths = dict(
        session.execute(
            select(Fatality.nationality_iso3, func.count())
            .where(Fatality.nationality_iso3.is_not(None))
            .group_by(Fatality.nationality_iso3)
        ).all()
    )
    allegations: Counter[str] = Counter(
        n["iso3"] for nationalities in session.scalars(select(Allegation.nationalities)) for n in nationalities
    )
    pledges: Counter[str] = Counter(session.scalars(select(Pledge.country_iso3)))
    codes: set[str] = {str(c) for c in (*peak, *deaths, *allegations, *pledges) if c}
    rows = [
        CountrySummary(
            iso3=code,
            country=country_name(code) or code,
            peak_deployed=peak.get(code, 0),
            fatalities=int(deaths.get(code, 0)),
            allegations=allegations.get(code, 0),
            pledges=pledges.get(code, 0),
        )
        for code in codes
    ]
    rows.sort(key=lambda r: (-r.peak_deployed, -r.fatalities, r.country))
    return rows


def _personnel(session: Session, iso3: str) -> tuple[list[CountryPersonnelMonth], list[CountryWomenShare]]:
    """Personnel per month and type, and the share of women per month, across all missions."""
    rows = session.execute(
        select(Deployment.month, Deployment.personnel_type, func.sum(Deployment.total), func.sum(Deployment.female))
        .where(Deployment.contributor_iso3 == iso3)
        .group_by(Deployment.month, Deployment.personnel_type)
    ).all()
    series = []
    women: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for month, ptype, total, female in sorted(rows, key=lambda r: (r[0], PERSONNEL_TYPES.index(r[1]))):
        series.append(
            CountryPersonnelMonth(
                month=month.isoformat(), personnel_type=ptype, label=PERSONNEL_LABELS[ptype], total=int(total)
            )
        )
        women[month][0] += int(female or 0)
        women[month][1] += int(total or 0)
    share = [
        CountryWomenShare(month=m.isoformat(), women=w, total=t, share=round(w / t, 4))
        for m, (w, t) in sorted(women.items())
        if t > 0
    ]
    return series, share


def _missions(session: Session, iso3: str) -> tuple[str | None, list[CountryMissionStrength]]:
    month = session.scalar(select(func.max(Deployment.month)).where(Deployment.contributor_iso3 == iso3))
    if month is None:
        return None, []
    total = func.sum(Deployment.total).label("total")
    rows = session.execute(
        select(Mission.acronym, total, func.sum(Deployment.female))
        .join(Mission, Mission.id == Deployment.mission_id)
        .where(Deployment.contributor_iso3 == iso3, Deployment.month == month)
        .group_by(Mission.acronym)
        .order_by(total.desc(), Mission.acronym)
    )
    return month.isoformat(), [
        CountryMissionStrength(mission=acronym, total=int(n), women=int(w or 0)) for acronym, n, w in rows if n
    ]


def _fatalities(session: Session, iso3: str) -> CountryFatalities:
    rows = session.execute(
        select(
            Fatality.incident_date,
            Fatality.incident_type,
            func.coalesce(Mission.acronym, Fatality.mission_acronym),
            Fatality.mission_id,
        )
        .outerjoin(Mission, Mission.id == Fatality.mission_id)  # missions outside the register by acronym
        .where(Fatality.nationality_iso3 == iso3)
    ).all()
    by_year = Counter((day.year, incident) for day, incident, _, _ in rows)
    by_mission = Counter(acronym for _, _, acronym, _ in rows)
    in_register = {acronym: mission_id is not None for _, _, acronym, mission_id in rows}
    return CountryFatalities(
        total=len(rows),
        malicious=sum(incident == "Malicious Act" for _, incident, _, _ in rows),
        by_year=[FatalityYearType(year=y, incident_type=t, count=n) for (y, t), n in sorted(by_year.items())],
        by_mission=[MissionDeaths(mission=m, count=n, in_register=in_register[m]) for m, n in by_mission.most_common()],
    )


def _allegations(session: Session, iso3: str) -> CountryAllegations:
    allegations = _allegations_of(session, iso3)
    by_year = Counter((a.reported_month.year, a.personnel_category) for a in allegations)
    by_mission = Counter(a.mission_acronym for a in allegations)
    outcomes = Counter(a.outcome for a in allegations)
    return CountryAllegations(
        total=len(allegations),
        by_year=[
            AllegationYearCategory(year=y, personnel_category=c, count=n) for (y, c), n in sorted(by_year.items())
        ],
        by_mission=[MissionAllegations(mission=m, count=n) for m, n in by_mission.most_common()],
        by_outcome=[OutcomeCount(outcome=o, count=outcomes[o]) for o in OUTCOME_ORDER if outcomes[o]],
    )


def _pledges(session: Session, iso3: str) -> dict[str, Any]:
    """The country's pledges, newest first, with how many reached each status and by A4P area."""
    progress = pledge_progress(session, "area", country=iso3)
    return {
        "total": progress["total"],
        "delivered_share": progress["delivered_share"],
        "by_status": progress["by_status"],
        "by_area": progress["rows"],
        "rows": list_pledges(session, country=iso3),
    }


def country_profile(session: Session, iso3: str) -> CountryProfile:
    """Everything the country page shows; NotFound for a code that is not a country peaceops knows."""
    code = iso3.strip().upper()
    name = country_name(code) if len(code) == 3 else None
    if name is None:
        raise NotFound(f"{iso3!r} is not an ISO 3166 alpha-3 country code; /countries lists the countries on record.")
    personnel, women = _personnel(session, code)
    month, missions = _missions(session, code)
    return CountryProfile(
        iso3=code,
        country=name,
        personnel_series=personnel,
        women_share_series=women,
        latest_month=month,
        latest_missions=missions,
        fatalities=_fatalities(session, code),
        allegations=_allegations(session, code),
        pledges=_pledges(session, code),
    )
