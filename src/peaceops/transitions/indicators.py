"""What the mission's results framework says: the rating of a benchmark's indicator in the newest assessed
quarter, and the protection indicators quarter by quarter since the transition began. Read through
``performance.assessments.compute_evidence`` (the rating rule of decision 007), never re-rated here."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.errors import NotFound
from peaceops.missions.models import Mission
from peaceops.performance.assessments import compute_evidence
from peaceops.performance.frameworks import current_framework
from peaceops.performance.models import Indicator, IndicatorValue, ResultsFramework
from peaceops.performance.periods import Period, period_of, periods_between
from peaceops.performance.shapes import Evidence
from peaceops.transitions.shapes import IndicatorReading

# The default template's indicators that tell whether civilians stay protected: attacks on civilians in the
# mission's reports, civilians killed in one-sided violence in the host country (UCDP), alerts answered.
PROTECTION_INDICATORS = ("INC_ATTACKS_CIVILIANS", "HOST_ONE_SIDED_DEATHS", "POC_ALERT_RESPONSE")
MAX_QUARTERS = 8  # the protection indicators shown: at most the last two years of the transition


def _framework(session: Session, mission: Mission) -> ResultsFramework | None:
    try:
        return current_framework(session, mission)
    except NotFound:
        return None


def _newest_value(session: Session, framework: ResultsFramework) -> date | None:
    return session.scalar(
        select(func.max(IndicatorValue.period_end))
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.framework_id == framework.id)
    )


def _by_code(session: Session, framework: ResultsFramework, period: Period) -> dict[str, Evidence]:
    return {e.code: e for rows in compute_evidence(session, framework, period).values() for e in rows}


def newest_ratings(session: Session, mission: Mission) -> tuple[str | None, dict[str, Evidence]]:
    """The newest quarter holding a value of the mission's framework, and each indicator's evidence in it."""
    framework = _framework(session, mission)
    newest = _newest_value(session, framework) if framework else None
    if framework is None or newest is None:
        return None, {}
    period = period_of("quarter", newest)
    return period.key, _by_code(session, framework, period)


def protection_readings(session: Session, mission: Mission, since: date | None) -> list[IndicatorReading]:
    """The protection indicators per quarter from the quarter ``since`` falls in to the newest quarter with a
    value (at most ``MAX_QUARTERS``), leaving out quarters where none of them has a value."""
    framework = _framework(session, mission)
    newest = _newest_value(session, framework) if framework else None
    if framework is None or newest is None or since is None or since > newest:
        return []
    out: list[IndicatorReading] = []
    for period in periods_between("quarter", since, newest)[-MAX_QUARTERS:]:
        evidence = _by_code(session, framework, period)
        rows = [evidence[c] for c in PROTECTION_INDICATORS if c in evidence]
        if all(e.value is None for e in rows):
            continue
        out += [
            IndicatorReading(code=e.code, name=e.name, period=period.key, status=e.status, value=e.value,
                             target=e.target)
            for e in rows
        ]  # fmt: skip
    return out
