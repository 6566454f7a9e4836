"""Conduct and discipline in aggregate: allegations of sexual exploitation and abuse by mission, year,
category of personnel and contributing country; how long investigations took; what came of them.

Every function takes a session first and returns typed rows (the shapes of ``conduct.shapes``); none of
them returns a single case, so all of them are open to every role (the records themselves are in
``conduct_records``). A year here is the year the allegation was reported, which is how the UN publishes
the table.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from peaceops.conduct.models import Allegation
from peaceops.conduct.shapes import (
    AllegationGroup,
    AllegationOutcomes,
    AllegationSummary,
    AllegationYearCategory,
    FinalActionCount,
    InvestigationDays,
    InvestigationDaysByEntity,
    InvestigationDaysByYear,
    InvestigationTimeliness,
    OutcomeCount,
    OutcomeYear,
    PaternityCount,
    ReferralCount,
    VictimAssistance,
    VictimGroupCount,
)
from peaceops.errors import NotFound, ValidationFailed
from peaceops.geography.codes import country_name
from peaceops.i18n import N_, _
from peaceops.sources.un_conduct import OUTCOME_ORDER, PERSONNEL_CATEGORIES

CONDUCT_DIMENSIONS: tuple[str, ...] = (
    "mission",
    "year",
    "personnel_category",
    "country",
    "allegation_category",
    "outcome",
    "investigation_entity",
)
# Days within which an investigation counts as prompt in the timeliness table.
PROMPT_DAYS = 90
NO_COUNTRY = N_("No country named (civilians, or not identified)")  # shown with _(), as data


def allegation_query(
    mission: str | None = None, year: int | None = None, missions: tuple[str, ...] | None = None
) -> Select[Any]:
    """Allegations of one mission (by acronym, in or outside the register) and reporting year."""
    query = select(Allegation)
    if mission:
        query = query.where(Allegation.mission_acronym == mission.strip().upper())
    if missions is not None:
        query = query.where(Allegation.mission_acronym.in_(missions))
    if year is not None:
        query = query.where(
            Allegation.reported_month >= date(year, 1, 1), Allegation.reported_month <= date(year, 12, 31)
        )
    return query


def check_conduct_mission(session: Session, mission: str | None) -> str | None:
    """The acronym upper-cased when the table of allegations names it; NotFound otherwise."""
    if not mission:
        return None
    acronym = mission.strip().upper()
    if session.scalar(select(func.count()).where(Allegation.mission_acronym == acronym)):
        return acronym
    raise NotFound(
        _(
            "The table of allegations has no allegation in {mission!r}; /api/conduct/summary?by=mission lists the "
            "missions it names."
        ).format(mission=mission)
    )


def _allegations(
    session: Session, mission: str | None, year: int | None, loaded: Sequence[Allegation] | None = None
) -> Sequence[Allegation]:
    """The allegations of one mission and year: from ``loaded`` (the mission's every allegation, read once
    by a caller that aggregates them several ways) when given, else from the database."""
    if loaded is None:
        return list(session.scalars(allegation_query(check_conduct_mission(session, mission), year)))
    return [a for a in loaded if year is None or a.reported_month.year == year]


def _keys(allegation: Allegation, by: str) -> list[Any]:
    """The group(s) an allegation falls in; one naming two countries counts once for each."""
    if by == "country":
        return [n["iso3"] for n in allegation.nationalities] or [None]
    if by == "year":
        return [allegation.reported_month.year]
    if by == "mission":
        return [allegation.mission_acronym]
    return [getattr(allegation, by)]


def conduct_summary(
    session: Session,
    by: str = "mission",
    *,
    mission: str | None = None,
    year: int | None = None,
    loaded: Sequence[Allegation] | None = None,
) -> AllegationSummary:
    """Allegations grouped by one dimension: ``by``, ``rows`` (each with the ``by`` key, ``count``...) and
    ``total``.

    ``total`` counts allegations. Grouped by country, an allegation naming two countries appears under
    both, so the rows can add up to a little more than the total.
    """
    if by not in CONDUCT_DIMENSIONS:
        raise ValidationFailed(
            _("Cannot group allegations by {by!r}; choose one of {dimensions}.").format(
                by=by, dimensions=", ".join(CONDUCT_DIMENSIONS)
            )
        )
    allegations = _allegations(session, mission, year, loaded)
    counts: Counter[Any] = Counter()
    substantiated: Counter[Any] = Counter()
    pending: Counter[Any] = Counter()
    children: Counter[Any] = Counter()
    in_register: dict[Any, bool] = {}
    for allegation in allegations:
        for key in _keys(allegation, by):
            counts[key] += 1
            substantiated[key] += allegation.outcome == "Substantiated"
            pending[key] += allegation.outcome == "Pending"
            children[key] += allegation.child_victims
            if by == "mission":
                in_register[key] = allegation.mission_id is not None
    keys = sorted(counts) if by == "year" else sorted(counts, key=lambda k: (-counts[k], str(k)))
    rows: list[dict[str, Any]] = []
    for key in keys:
        row: dict[str, Any] = {by: key}
        if by == "country":
            row["name"] = (country_name(key) or key) if key else NO_COUNTRY
        if by == "mission":
            row["in_register"] = in_register[key]
        row.update(
            count=counts[key], substantiated=substantiated[key], pending=pending[key], child_victims=children[key]
        )
        rows.append(row)
    return AllegationSummary(
        by=by,
        mission=mission.upper() if mission else None,
        year=year,
        rows=[AllegationGroup(**row) for row in rows],
        total=len(allegations),
    )


def allegations_by_year(
    session: Session, *, mission: str | None = None, loaded: Sequence[Allegation] | None = None
) -> list[AllegationYearCategory]:
    """Allegations per reporting year and category of personnel, for the stacked bar chart."""
    counts = Counter(
        (a.reported_month.year, a.personnel_category) for a in _allegations(session, mission, None, loaded)
    )
    order = [*PERSONNEL_CATEGORIES, "Several"]
    return [
        AllegationYearCategory(year=y, personnel_category=c, count=n)
        for (y, c), n in sorted(counts.items(), key=lambda kv: (kv[0][0], order.index(kv[0][1])))
    ]


def _days_summary(days: list[int]) -> dict[str, Any]:
    if not days:
        return {"median_days": None, "p25_days": None, "p75_days": None, "mean_days": None, "within_90": None}
    quartiles = statistics.quantiles(days, n=4, method="inclusive") if len(days) > 1 else [days[0]] * 3
    return {
        "median_days": statistics.median(days),
        "p25_days": quartiles[0],
        "p75_days": quartiles[2],
        "mean_days": round(statistics.fmean(days), 1),
        "within_90": round(sum(d <= PROMPT_DAYS for d in days) / len(days), 4),
    }


def investigation_timeliness(
    session: Session, *, mission: str | None = None, year: int | None = None, loaded: Sequence[Allegation] | None = None
) -> InvestigationTimeliness:
    """Days from report to completed investigation, as the table gives them, by reporting year and by
    investigating entity; pending and not-applicable investigations are counted beside them."""
    allegations = _allegations(session, mission, year, loaded)

    def group(key: Any) -> list[dict[str, Any]]:
        buckets: dict[Any, list[Allegation]] = {}
        for a in allegations:
            buckets.setdefault(key(a), []).append(a)
        out = []
        for k in sorted(buckets, key=lambda k: (k if isinstance(k, int) else -len(buckets[k]), str(k))):
            items = buckets[k]
            days = [a.investigation_days for a in items if a.investigation_days is not None]
            out.append(
                {
                    "key": k,
                    "allegations": len(items),
                    "completed": len(days),
                    "pending": sum(a.investigation_status == "pending" for a in items),
                    "not_applicable": sum(a.investigation_status == "not_applicable" for a in items),
                    **_days_summary(days),
                }
            )
        return out

    every = [a.investigation_days for a in allegations if a.investigation_days is not None]
    return InvestigationTimeliness(
        prompt_days=PROMPT_DAYS,
        overall=InvestigationDays(allegations=len(allegations), completed=len(every), **_days_summary(every)),
        by_year=[InvestigationDaysByYear(year=r.pop("key"), **r) for r in group(lambda a: a.reported_month.year)],
        by_entity=[
            InvestigationDaysByEntity(entity=r.pop("key"), **r) for r in group(lambda a: a.investigation_entity)
        ],
    )


def outcomes(
    session: Session, *, mission: str | None = None, year: int | None = None, loaded: Sequence[Allegation] | None = None
) -> AllegationOutcomes:
    """What came of the allegations: overall outcome, per year; final actions taken by the UN and by the
    national governments of the personnel (``NG``), counted in allegations and in personnel; referrals."""
    allegations = _allegations(session, mission, year, loaded)
    by_outcome = Counter(a.outcome for a in allegations)
    by_year = Counter((a.reported_month.year, a.outcome) for a in allegations)
    actions: Counter[tuple[str | None, str]] = Counter()
    personnel: Counter[tuple[str | None, str]] = Counter()
    for a in allegations:
        for entry in a.final_actions:
            key = (entry["by"], entry["action"])
            actions[key] += 1
            personnel[key] += entry["count"]
    referrals = Counter(a.criminal_referral for a in allegations)
    return AllegationOutcomes(
        total=len(allegations),
        by_outcome=[OutcomeCount(outcome=o, count=by_outcome[o]) for o in OUTCOME_ORDER if by_outcome[o]],
        by_year=[
            OutcomeYear(year=y, outcome=o, count=n)
            for (y, o), n in sorted(by_year.items(), key=lambda kv: (kv[0][0], OUTCOME_ORDER.index(kv[0][1])))
        ],
        final_actions=[
            FinalActionCount(by=by, action=action, allegations=n, personnel=personnel[(by, action)])
            for (by, action), n in sorted(actions.items(), key=lambda kv: (-kv[1], str(kv[0])))
        ],
        criminal_referral=[
            ReferralCount(referral=r, count=referrals[r]) for r in ("Yes", "Pending", "No", "N/A") if referrals[r]
        ],
    )


def victim_assistance(
    session: Session, *, mission: str | None = None, year: int | None = None, loaded: Sequence[Allegation] | None = None
) -> VictimAssistance:
    """The follow-up the table records for victims, in counts only: allegations involving children,
    victims by age group, and paternity claims with whether paternity was established."""
    allegations = _allegations(session, mission, year, loaded)
    groups: Counter[str] = Counter()
    uncounted: Counter[str] = Counter()
    for a in allegations:
        for group, n in a.victim_groups.items():
            if n is None:
                uncounted[group] += 1
            else:
                groups[group] += n
    claims = [a for a in allegations if a.paternity_claim]
    established = Counter(a.paternity_established for a in claims)
    return VictimAssistance(
        allegations=len(allegations),
        with_child_victims=sum(a.child_victims for a in allegations),
        victims=[
            VictimGroupCount(group=g, victims=groups[g], allegations_without_count=uncounted[g])
            for g in ("Child", "Adult", "Unknown")
            if groups[g] or uncounted[g]
        ],
        paternity_claims=len(claims),
        paternity_established=[
            PaternityCount(status=s, count=established[s]) for s in ("Yes", "Pending", "No", "N/A") if established[s]
        ],
    )
