"""Scorecards: mission x A4P+ priority (and theme) ratings for a month, rolled up in one SQL GROUP BY.

Each indicator stores the objective it rolls up to, and each objective its A4P tags, so the roll-up is
one join ``month x framework x indicator -> objective tag -> framework element`` with the indicator's value
and target for the month, the rating rule's progress and points as SQL expressions (decision 007, steps
2-4), and ``GROUP BY mission, element, month``. Step 5 (points -> rating) runs on the grouped counts.

A month's scorecard reads each indicator at its own frequency: a monthly indicator the month, a quarterly
one the quarter that contains the month, a yearly one the year (see decision 010). The framework version
is the newest valid during the month, as for values and assessments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Float, String, and_, case, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select

from peaceops.errors import NotFound, ValidationFailed
from peaceops.framework.models import FrameworkElement
from peaceops.missions.models import Mission
from peaceops.performance.models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    ObjectiveTag,
    Result,
    ResultsFramework,
)
from peaceops.performance.periods import Period, latest_complete, month, parse_period, period_of
from peaceops.performance.rating import AT_RISK_PROGRESS, ON_TRACK_PROGRESS, explain, rating_from_points, rule_text
from peaceops.performance.shapes import (
    CellDrilldown,
    CellIndicator,
    CellTrendPoint,
    ElementRef,
    ElementRollup,
    Evidence,
    HeatmapCell,
    HeatmapRow,
    Scorecard,
    ScorecardRow,
    ScorecardSummary,
    TrendCell,
)

ELEMENT_KINDS = ("priority", "theme")
TREND_MONTHS = 24


@dataclass
class Cell:
    """One mission x element x month of the roll-up: counts behind the rating, and the rating."""

    month: str
    mission: str
    element: str
    kind: str
    indicators: int
    with_data: int
    targeted: int
    rated: int
    points: float

    @property
    def rating(self) -> str:
        return rating_from_points(self.points, self.rated, self.targeted)

    @property
    def score(self) -> float | None:
        return round(self.points / self.rated, 4) if self.rated else None


def scorecard_month(text: str | None) -> Period:
    """The month a scorecard is for: ``YYYY-MM`` (a date is read as its month)."""
    period = parse_period(text) if text else latest_complete("month", date.today())
    if period.kind != "month":
        raise ValidationFailed(f"A scorecard is for a month, written like 2024-03 (got {text!r}).")
    return period


def _months_table(months: list[Period]) -> Any:
    """The months as a derived table (a UNION ALL of one-row SELECTs: SQLite has no ``VALUES ... AS t(cols)``)."""
    parts = [
        select(
            literal(m.key, String).label("key"),
            literal(period_of("quarter", m.start).key, String).label("quarter"),
            literal(period_of("year", m.start).key, String).label("year"),
            literal(m.start, Date).label("first_day"),
            literal(m.end, Date).label("last_day"),
        )
        for m in months
    ]
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("months")


def _base(months: list[Period], kinds: tuple[str, ...]) -> tuple[Select[Any], dict[str, Any]]:
    """The indicator-level rows (one per month x mission x element x indicator) the roll-up groups."""
    months_t = _months_table(months)
    f, newer = ResultsFramework, aliased(ResultsFramework)
    valid = and_(f.valid_from <= months_t.c.last_day, or_(f.valid_to.is_(None), f.valid_to >= months_t.c.first_day))
    superseded = exists().where(
        newer.mission_id == f.mission_id,
        newer.version > f.version,
        newer.valid_from <= months_t.c.last_day,
        or_(newer.valid_to.is_(None), newer.valid_to >= months_t.c.first_day),
    )
    # (month, framework) pairs first, materialised: a few thousand rows that then drive index lookups.
    m = (
        select(months_t, f.id.label("framework_id"), f.mission_id.label("mission_id"))
        .join(f, and_(valid, ~superseded))
        .cte("month_frameworks")
        .prefix_with("MATERIALIZED")
    )
    v = aliased(IndicatorValue)
    tm, tq, ty = aliased(IndicatorTarget), aliased(IndicatorTarget), aliased(IndicatorTarget)
    own_period = case(
        (Indicator.frequency == "month", m.c.key), (Indicator.frequency == "quarter", m.c.quarter), else_=m.c.year
    )
    value = v.value
    target = func.coalesce(tm.value, tq.value, ty.value)
    baseline = Indicator.baseline
    higher = Indicator.direction == "higher"
    one, zero = literal(1.0, Float), literal(0.0, Float)
    progress = case(
        (or_(and_(higher, value >= target), and_(~higher, value <= target)), one),
        (and_(baseline.is_not(None), baseline != target), (value - baseline) / (target - baseline)),
        (higher, case((target > 0, value / target), else_=zero)),
        else_=case((value > 0, target / value), else_=one),
    )
    points = case(
        (or_(value.is_(None), target.is_(None)), None),
        (progress >= ON_TRACK_PROGRESS, one),
        (progress >= AT_RISK_PROGRESS, literal(0.5, Float)),
        else_=zero,
    )
    columns: dict[str, Any] = {
        "month": m.c.key,
        "mission": Mission.acronym,
        "element": FrameworkElement.code,
        "kind": FrameworkElement.kind,
        "indicator_id": Indicator.id,
        "value_id": v.id,
        "target": target,
        "points": points,
        # For the one-line reason only (the GROUP BY ignores them): the chosen target's rule and author.
        "target_rule": func.coalesce(tm.rule, tq.rule, ty.rule),
        "target_by": func.coalesce(tm.set_by, tq.set_by, ty.set_by),
    }
    query = (
        select(*(c.label(n) for n, c in columns.items()))
        .select_from(m)
        .join(Mission, Mission.id == m.c.mission_id)
        .join(Indicator, Indicator.framework_id == m.c.framework_id)
        .join(ObjectiveTag, ObjectiveTag.result_id == Indicator.objective_id)
        .join(FrameworkElement, FrameworkElement.id == ObjectiveTag.element_id)
        .outerjoin(v, and_(v.indicator_id == Indicator.id, v.period == own_period, v.disaggregation == ""))
        .outerjoin(
            tm,
            and_(
                tm.indicator_id == Indicator.id,
                Indicator.frequency == "month",
                tm.period == m.c.key,
                tm.disaggregation == "",
            ),
        )
        .outerjoin(
            tq,
            and_(
                tq.indicator_id == Indicator.id,
                Indicator.frequency.in_(("month", "quarter")),
                tq.period == m.c.quarter,
                tq.disaggregation == "",
            ),
        )
        .outerjoin(ty, and_(ty.indicator_id == Indicator.id, ty.period == m.c.year, ty.disaggregation == ""))
        .where(FrameworkElement.kind.in_(kinds))
    )
    return query, columns


def rollup(session: Session, months: list[Period], kinds: tuple[str, ...] = ELEMENT_KINDS) -> list[Cell]:
    """Every mission x element x month cell for the given months, from one GROUP BY query."""
    if not months:
        return []
    base = _base(months, kinds)[0].subquery()
    query = (
        select(
            base.c.month,
            base.c.mission,
            base.c.element,
            base.c.kind,
            func.count(func.distinct(base.c.indicator_id)),
            func.count(base.c.value_id),
            func.count(base.c.target),
            func.count(base.c.points),
            func.coalesce(func.sum(base.c.points), 0.0),
        )
        .group_by(base.c.month, base.c.mission, base.c.element, base.c.kind)
        .order_by(base.c.month, base.c.mission, base.c.element)
    )
    return [
        Cell(m_, mission, element, kind, int(n), int(data), int(targeted), int(rated), float(points))
        for m_, mission, element, kind, n, data, targeted, rated, points in session.execute(query)
    ]


def _status(target: float | None, value_id: int | None, points: float | None) -> str:
    """An indicator's status from a roll-up row (decision 007 step 4, from the points the SQL gave)."""
    if target is None:
        return "no_target"
    if value_id is None:
        return "no_data"
    return {1.0: "on_track", 0.5: "at_risk"}.get(points, "off_track")  # type: ignore[arg-type]


def reasons(session: Session, period: Period, kinds: tuple[str, ...] = ELEMENT_KINDS) -> dict[tuple[str, str], str]:
    """Per (mission, element) cell of one month, why it has its rating, in one line (``rating.explain``)."""
    base = _base([period], kinds)[0].subquery()
    value = aliased(IndicatorValue)
    rows = session.execute(
        select(
            base.c.mission,
            base.c.element,
            Indicator.code,
            Indicator.name,
            Indicator.unit,
            Indicator.direction,
            Indicator.baseline,
            value.value,
            base.c.value_id,
            base.c.target,
            base.c.points,
            base.c.target_rule,
            base.c.target_by,
        )
        .join(Indicator, Indicator.id == base.c.indicator_id)
        .outerjoin(value, value.id == base.c.value_id)
    ).all()
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for mission, element, code, name, unit, direction, baseline, v, value_id, target, points, rule, by in rows:
        status = _status(target, value_id, points)
        evidence[(mission, element)].append(
            Evidence(
                code=code,
                name=name,
                unit=unit,
                direction=direction,
                baseline=baseline,
                target=target,
                target_period=None,
                value=v,
                periods=[],
                progress={"on_track": 1.0, "at_risk": 0.5, "off_track": 0.0}.get(status),
                status=status,
                target_rule=rule or "",
                target_set_by=by,
            )
        )
    cells = {(c.mission, c.element): c for c in rollup(session, [period], kinds)}
    return {key: explain(cells[key].rating, rows_, cells[key].indicators) for key, rows_ in evidence.items()}


def _elements(session: Session, kind: str) -> list[ElementRef]:
    query = select(FrameworkElement).where(FrameworkElement.kind == kind).order_by(FrameworkElement.position)
    return [ElementRef(code=e.code, title=e.title) for e in session.scalars(query)]


def scorecard(session: Session, period: Period) -> Scorecard:
    """The API contract: ``{"period", "rows": [{"mission", "priority", "rating", "indicators", "with_data"}]}``."""
    return Scorecard(period=period.key, rows=scorecard_rows(rollup(session, [period], ("priority",))))


def _pool(cells: list[Cell]) -> dict[str, Any]:
    """Cells of one element across missions: missions per rating, and the rule over the pooled indicators."""
    counts = {r: 0 for r in ("on_track", "at_risk", "off_track", "no_data")}
    for c in cells:
        counts[c.rating] += 1
    points = sum(c.points for c in cells)
    rated = sum(c.rated for c in cells)
    return {
        "missions": len(cells),
        **counts,
        "indicators": sum(c.indicators for c in cells),
        "with_data": sum(c.with_data for c in cells),
        "rating": rating_from_points(points, rated, sum(c.targeted for c in cells)),
        "score": round(points / rated, 4) if rated else None,
    }


def summary(session: Session, period: Period, trend_months: int = TREND_MONTHS) -> ScorecardSummary:
    """The scorecard page: heatmap rows, per-priority and per-theme roll-ups, and the trend before ``period``."""
    months = [period]
    while len(months) < trend_months:
        months.insert(0, months[0].previous())
    cells = rollup(session, months)
    by_month: dict[str, list[Cell]] = defaultdict(list)
    for c in cells:
        by_month[c.month].append(c)
    current = by_month.get(period.key, [])
    priorities, themes = _elements(session, "priority"), _elements(session, "theme")
    missions = sorted({c.mission for c in current})
    heat = {(c.mission, c.element): c for c in current if c.kind == "priority"}
    why = reasons(session, period, ("priority",)) if heat else {}

    def rollups(elements: list[ElementRef]) -> list[ElementRollup]:
        return [
            ElementRollup(code=e.code, title=e.title, **_pool([c for c in current if c.element == e.code]))
            for e in elements
            if any(c.element == e.code for c in current)
        ]

    trend = []
    for p in months:
        for e in (*priorities, *themes):
            pooled = [c for c in by_month.get(p.key, []) if c.element == e.code]
            if pooled:
                trend.append(TrendCell(period=p.key, element=e.code, title=e.title, **_pool(pooled)))
    return ScorecardSummary(
        period=period.key,
        period_label=period.label,
        previous=period.previous().key,
        next=period.next().key,
        priorities=priorities,
        themes=themes,
        missions=[
            HeatmapRow(
                mission=mission,
                cells=[_heatmap_cell(heat.get((mission, p.code)), why.get((mission, p.code), "")) for p in priorities],
            )
            for mission in missions
        ],
        rows=scorecard_rows(current),
        priority_rollup=rollups(priorities),
        theme_rollup=rollups(themes),
        trend=trend,
    )


def scorecard_rows(cells: list[Cell]) -> list[ScorecardRow]:
    return [
        ScorecardRow(
            mission=c.mission, priority=c.element, rating=c.rating, indicators=c.indicators, with_data=c.with_data
        )
        for c in cells
        if c.kind == "priority"
    ]


def _heatmap_cell(c: Cell | None, why: str = "") -> HeatmapCell | None:
    if c is None:
        return None
    return HeatmapCell(
        priority=c.element,
        rating=c.rating,
        score=c.score,
        indicators=c.indicators,
        with_data=c.with_data,
        targeted=c.targeted,
        rated=c.rated,
        why=why,
    )


def drilldown(session: Session, acronym: str, element: str, period: Period) -> CellDrilldown:
    """The indicators and values behind one heatmap cell: the same rows the GROUP BY counts, one per indicator."""
    found = session.scalar(select(FrameworkElement).where(FrameworkElement.code == element))
    if found is None:
        raise NotFound(f"{element!r} is not an A4P+ priority or theme.")
    mission = session.scalar(select(Mission).where(func.upper(Mission.acronym) == acronym.strip().upper()))
    if mission is None:
        raise NotFound(f"Mission {acronym!r} is not in the missions register.")
    base, _ = _base([period], (found.kind,))
    sub = base.where(Mission.id == mission.id, FrameworkElement.id == found.id).subquery()
    objective = aliased(Result)
    value = aliased(IndicatorValue)
    rows = session.execute(
        select(Indicator, objective, value, sub.c.target, sub.c.points, sub.c.target_rule)
        .join(Indicator, Indicator.id == sub.c.indicator_id)
        .join(objective, objective.id == Indicator.objective_id)
        .outerjoin(value, value.id == sub.c.value_id)
        .order_by(objective.position, Indicator.position)
    ).all()
    framework = session.get(ResultsFramework, rows[0][0].framework_id) if rows else None
    indicators = []
    for indicator, obj, v, target, points, rule in rows:
        status = _status(target, v.id if v else None, points)
        indicators.append(
            CellIndicator(
                objective=obj.code,
                objective_title=obj.title,
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                direction=indicator.direction,
                kind=indicator.kind,
                frequency=indicator.frequency,
                value_period=v.period if v else period_of(indicator.frequency, period.start).key,
                value=v.value if v else None,
                source=v.source if v else None,
                entered_by=v.entered_by if v else None,
                baseline=indicator.baseline,
                target=target,
                target_rule=rule_text(rule),
                status=status,
            )
        )
    cells = [c for c in rollup(session, [period], (found.kind,)) if c.mission == mission.acronym]
    cell = next((c for c in cells if c.element == found.code), None)
    return CellDrilldown(
        period=period.key,
        period_label=period.label,
        mission=mission.acronym,
        mission_name=mission.name,
        element=found.code,
        kind=found.kind,
        title=found.title,
        framework_version=framework.version if framework else None,
        rating=cell.rating if cell else "no_data",
        score=cell.score if cell else None,
        why=reasons(session, period, (found.kind,)).get((mission.acronym, found.code), "") if cell else "",
        indicators=indicators,
        trend=cell_trend(session, mission.acronym, found.code, found.kind, period),
    )


def cell_trend(session: Session, acronym: str, element: str, kind: str, period: Period) -> list[CellTrendPoint]:
    """One cell's rating over the months up to ``period``."""
    months = [period]
    while len(months) < TREND_MONTHS:
        months.insert(0, months[0].previous())
    found = {c.month: c for c in rollup(session, months, (kind,)) if c.mission == acronym and c.element == element}
    return [
        CellTrendPoint(
            period=p.key,
            rating=found[p.key].rating if p.key in found else None,
            with_data=found[p.key].with_data if p.key in found else 0,
        )
        for p in months
    ]


def latest_month_with_data(session: Session) -> Period | None:
    """The newest month any monthly total value exists for: the scorecard page's default."""
    newest = session.scalar(
        select(func.max(IndicatorValue.period_start))
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.frequency == "month", IndicatorValue.disaggregation == "")
    )
    if newest is None:
        return None
    if isinstance(newest, str):  # SQLite hands back the text it stores when the column is aggregated
        newest = date.fromisoformat(newest[:10])
    return month(newest.year, newest.month)
