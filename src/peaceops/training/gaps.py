"""Capability gaps computed from evidence (decision 041).

A gap is named for a capability the mission requires when both hold:

1. evidence that the capability is failing: one of its linked performance indicators is off track in the
   assessment period (``performance.assessments.compute_evidence``, the rating rule of decision 007), or,
   for conduct, a pattern of allegations (``PATTERN_ALLEGATIONS`` or more naming one contributing country's
   personnel in the mission within ``PATTERN_MONTHS`` of the table's latest month);
2. the related training coverage is below the mission's requirement (``readiness``).

Where a share cannot be computed (no strength recorded) no gap is named: nothing is guessed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.conduct.analysis import allegation_query
from peaceops.conduct.models import Allegation
from peaceops.errors import NotFound
from peaceops.geography.codes import country_name
from peaceops.i18n import _, format_number
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.performance.assessments import compute_evidence
from peaceops.performance.frameworks import current_framework
from peaceops.performance.models import Indicator, IndicatorValue
from peaceops.performance.periods import Period, parse_period, period_of
from peaceops.performance.shapes import Evidence
from peaceops.training.capabilities import capability_label, linked_indicators
from peaceops.training.readiness import readiness, requirements_of, unit_coverage
from peaceops.training.shapes import CapabilityGap, Gaps

PATTERN_ALLEGATIONS = 2
PATTERN_MONTHS = 24


def _percent(value: float | None) -> str:
    return format_number(value, 0) + " %" if value is not None else "–"


def _latest_period(session: Session, mission: Mission) -> Period | None:
    """The quarter holding the newest indicator value of the mission's current framework."""
    try:
        framework = current_framework(session, mission)
    except NotFound:
        return None
    newest = session.scalar(
        select(func.max(IndicatorValue.period_end))
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.framework_id == framework.id)
    )
    return period_of("quarter", newest) if newest else None


def _evidence(session: Session, mission: Mission, period: Period | None) -> dict[str, Evidence]:
    if period is None:
        return {}
    try:
        framework = current_framework(session, mission)
    except NotFound:
        return {}
    return {e.code: e for rows in compute_evidence(session, framework, period).values() for e in rows}


def _allegation_counts(session: Session, mission: Mission) -> tuple[Counter[str], date | None]:
    """Allegations per contributing country in the mission's recent window, and the window's last month."""
    last = session.scalar(select(func.max(Allegation.reported_month)))
    if last is None:
        return Counter(), None
    first = date(last.year - PATTERN_MONTHS // 12, last.month, 1)
    counts: Counter[str] = Counter()
    for a in session.scalars(allegation_query(mission.acronym).where(Allegation.reported_month > first)):
        for n in a.nationalities:
            counts[n["iso3"]] += 1
    return counts, last


def capability_gaps(session: Session, acronym: str, period_key: str | None = None, as_of: date | None = None) -> Gaps:
    """The mission's capability gaps, each with the one sentence saying why; empty where nothing is recorded."""
    mission = find_mission(session, acronym)
    period = parse_period(period_key) if period_key else _latest_period(session, mission)
    evidence = _evidence(session, mission, period)
    ready = readiness(session, mission.acronym, as_of)
    overall = {c.capability: c for c in ready.requirements}
    gaps: list[CapabilityGap] = []
    for need in requirements_of(session, mission):
        coverage = overall[need.capability]
        label = capability_label(need.capability)
        if coverage.met is False:
            for code in linked_indicators(need.capability, need.indicators):
                found = evidence.get(code)
                if found is None or found.status != "off_track" or period is None:
                    continue
                why = _(
                    "{code} ({name}) is off track in {period} ({value} against a target of {target}) and only "
                    "{coverage} of the mission's contingents hold valid {capability} training ({required} required)."
                ).format(
                    code=code, name=found.name, period=period.key, value=format_number(found.value, 1),
                    target=format_number(found.target, 1), coverage=_percent(coverage.percent),
                    capability=label.lower(), required=_percent(need.required_percent),
                )  # fmt: skip
                gaps.append(
                    CapabilityGap(
                        mission=mission.acronym, capability=need.capability, capability_label=label,
                        country_iso3="", evidence="indicator", indicator=code, period=period.key,
                        coverage_percent=coverage.percent, required_percent=need.required_percent, why=why,
                    )
                )  # fmt: skip
        if need.capability == "conduct":
            gaps += _conduct_gaps(session, mission, need.required_percent, ready.as_of)
    return Gaps(mission=mission.acronym, period=period.key if period else None, gaps=gaps)


def _conduct_gaps(session: Session, mission: Mission, required: float, as_of: date) -> list[CapabilityGap]:
    """Contingents whose country's personnel are named in a pattern of allegations and whose conduct training
    is below the requirement."""
    counts, last = _allegation_counts(session, mission)
    strength, trained, _persons = unit_coverage(session, mission, as_of)
    out = []
    for iso3, count in sorted(counts.items()):
        size = sum(s for (c, _u), s in strength.items() if c == iso3)
        if count < PATTERN_ALLEGATIONS or not size or last is None:
            continue
        done = sum(n for (c, u, cap), n in trained.items() if c == iso3 and cap == "conduct" and strength[(c, u)])
        percent = round(100.0 * done / size, 1)
        if percent >= required:
            continue
        why = _(
            "{count} allegations of sexual exploitation and abuse in the {months} months to {last} name personnel "
            "from {country} in {mission}, and only {coverage} of its contingent holds valid conduct training "
            "({required} required)."
        ).format(
            count=count, months=PATTERN_MONTHS, last=f"{last:%Y-%m}", country=country_name(iso3) or iso3,
            mission=mission.acronym, coverage=_percent(percent), required=_percent(required),
        )  # fmt: skip
        out.append(
            CapabilityGap(
                mission=mission.acronym, capability="conduct", capability_label=capability_label("conduct"),
                country_iso3=iso3, evidence="allegations", indicator=None, period=None,
                coverage_percent=percent, required_percent=required, why=why,
            )
        )  # fmt: skip
    return out
