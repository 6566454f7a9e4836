"""Read-only summaries for the pages and the API: which missions have frameworks, one indicator's series."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.missions.models import Mission
from peaceops.performance.defaults import source_text
from peaceops.performance.derived import derivation_status
from peaceops.performance.frameworks import indicator_by_code, indicator_fields, template_library
from peaceops.performance.models import (
    Assessment,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Result,
    ResultsFramework,
)
from peaceops.performance.periods import parse_period
from peaceops.performance.rating import rule_text
from peaceops.performance.shapes import (
    FrameworkIndex,
    IndicatorDefinition,
    IndicatorDetail,
    MissionFramework,
    TargetPoint,
    ValuePoint,
)
from peaceops.performance.values import value_history


def performance_index(session: Session) -> FrameworkIndex:
    """The performance page: every mission with its framework, and the template library."""
    return FrameworkIndex(missions=frameworks_index(session), templates=template_library())


def frameworks_index(session: Session) -> list[MissionFramework]:
    """Active missions and every mission with a framework: current version, size, latest assessment."""
    current = (
        select(ResultsFramework.mission_id, func.max(ResultsFramework.version).label("version"))
        .group_by(ResultsFramework.mission_id)
        .subquery()
    )
    frameworks = {
        f.mission_id: f
        for f in session.scalars(
            select(ResultsFramework).join(
                current,
                (ResultsFramework.mission_id == current.c.mission_id) & (ResultsFramework.version == current.c.version),
            )
        )
    }
    indicators = dict(
        session.execute(select(Indicator.framework_id, func.count()).group_by(Indicator.framework_id)).all()
    )
    values = dict(
        session.execute(
            select(Indicator.framework_id, func.count())
            .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
            .group_by(Indicator.framework_id)
        ).all()
    )
    latest: dict[int, Assessment] = {}
    for assessment in session.scalars(select(Assessment).order_by(Assessment.period_end)):
        latest[assessment.mission_id] = assessment
    query = select(Mission).where(Mission.active.is_(True) | Mission.id.in_(list(frameworks)))
    out = []
    for m in sorted(session.scalars(query), key=lambda m: (not m.active, m.acronym)):
        f = frameworks.get(m.id)
        a = latest.get(m.id)
        out.append(
            MissionFramework(
                acronym=m.acronym,
                name=m.name,
                active=bool(m.active),
                version=f.version if f else None,
                valid_from=f.valid_from.isoformat() if f else None,
                indicators=int(indicators.get(f.id, 0)) if f else 0,
                values=int(values.get(f.id, 0)) if f else 0,
                latest_assessment=a.period if a else None,
                latest_status=a.status if a else None,
            )
        )
    return out


def indicator_detail(
    session: Session, framework: ResultsFramework, code: str, *, period: str | None = None, disaggregation: str = ""
) -> IndicatorDetail:
    """One indicator with every stored value and target, and the history of one cell when ``period`` is given."""
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    indicator = indicator_by_code(session, framework, code)
    result = session.get(Result, indicator.result_id)
    objective = session.get(Result, indicator.objective_id)
    assert result is not None and objective is not None
    values = [
        ValuePoint(
            period=v.period,
            period_start=v.period_start.isoformat(),
            disaggregation=v.disaggregation,
            value=v.value,
            numerator=v.numerator,
            denominator=v.denominator,
            source=v.source,
            entered_by=v.entered_by,
            entered_at=v.entered_at.isoformat(timespec="seconds"),
            revision=v.revision,
        )
        for v in session.scalars(
            select(IndicatorValue)
            .where(IndicatorValue.indicator_id == indicator.id)
            .order_by(IndicatorValue.period_start, IndicatorValue.disaggregation)
        )
    ]
    targets = [
        TargetPoint(
            period=t.period,
            period_start=t.period_start.isoformat(),
            period_end=t.period_end.isoformat(),
            disaggregation=t.disaggregation,
            value=t.value,
            source=source_text(t.source),
            rule=rule_text(t.rule),
            set_by=t.set_by,
        )
        for t in session.scalars(
            select(IndicatorTarget)
            .where(IndicatorTarget.indicator_id == indicator.id)
            .order_by(IndicatorTarget.period_start)
        )
    ]
    return IndicatorDetail(
        mission=mission.acronym,
        version=framework.version,
        indicator=IndicatorDefinition(**indicator_fields(indicator), values=len(values)),
        objective=objective.code,
        result=result.code,
        pending=derivation_status(indicator.derivation) if indicator.kind == "derived" else None,
        values=values,
        targets=targets,
        history=value_history(session, indicator, parse_period(period).key, disaggregation) if period else [],
    )
