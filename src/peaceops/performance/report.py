"""A mission performance report for a period: the assessment, its evidence and charts, as HTML and PDF.

The report reads the assessment (or, before one is started, the ratings it would get) through
``assessment_view``, so it says exactly what the assessment page says; it adds each indicator's recent
series, the progress bars, and the mission's scorecard row for the last month of the period. Charts are
inline SVG drawn by ``report_svg`` because WeasyPrint runs no JavaScript. Layout of the PDF: a summary
page, one page per objective that has values in its indicators' recent series, and a closing page with the
mission's scorecard over the last twelve months, the objectives without values (listed, not given empty
pages), the narrative and the approval trail. So every page carries a chart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.framework.models import FrameworkElement
from peaceops.performance.assessments import assessment_view
from peaceops.performance.frameworks import find_mission, framework_for
from peaceops.performance.models import Indicator, IndicatorValue
from peaceops.performance.periods import month, parse_period
from peaceops.performance.rating import labels
from peaceops.performance.report_svg import priority_strip, priority_trend, progress_bars, rating_bar, sparkline
from peaceops.performance.scorecard import rollup

SERIES_LENGTH = {"month": 24, "quarter": 12, "year": 8}
TREND_MONTHS = 12


def report_context(session: Session, acronym: str, period_key: str) -> dict[str, Any]:
    """Everything the report templates show, charts included as SVG strings."""
    view = assessment_view(session, acronym, period_key)
    period = parse_period(view.period)
    mission = find_mission(session, acronym)
    framework = framework_for(session, mission, view.framework_version)
    indicators = {i.code: i for i in session.scalars(select(Indicator).where(Indicator.framework_id == framework.id))}
    series: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for v in session.scalars(
        select(IndicatorValue)
        .where(
            IndicatorValue.indicator_id.in_([i.id for i in indicators.values()]),
            IndicatorValue.disaggregation == "",
            IndicatorValue.period_end <= period.end,
        )
        .order_by(IndicatorValue.period_start)
    ):
        series[v.indicator_id].append((v.period, v.value))
    objectives = []
    for o in view.objectives:
        evidence = []
        for e in o.evidence:
            indicator = indicators.get(e.code)
            points = series.get(indicator.id, []) if indicator else []
            points = points[-SERIES_LENGTH.get(indicator.frequency if indicator else "month", 12) :]
            evidence.append(
                {
                    **e.model_dump(),
                    "sparkline": sparkline(points, e.target),
                    "series_from": points[0][0] if points else None,
                }
            )
        objectives.append({**o.model_dump(), "evidence": evidence, "progress_chart": progress_bars(evidence)})
    counts = Counter(o.rating for o in view.objectives)
    last_month = month(period.end.year, period.end.month)
    months = [last_month]
    while len(months) < TREND_MONTHS:
        months.insert(0, months[0].previous())
    history = {
        (c.month, c.element): c.rating for c in rollup(session, months, ("priority",)) if c.mission == mission.acronym
    }
    elements = list(
        session.scalars(
            select(FrameworkElement).where(FrameworkElement.kind == "priority").order_by(FrameworkElement.position)
        )
    )
    priorities = [{"code": e.code, "title": e.title, "rating": history.get((last_month.key, e.code))} for e in elements]
    # An objective gets a page when one of its indicators has values to chart; the others are listed together.
    measured = [o for o in objectives if any(e["sparkline"] for e in o["evidence"])]
    return {
        **view.model_dump(),
        "objectives": measured,
        "unmeasured": [o for o in objectives if o not in measured],
        "rating_counts": dict(counts),
        "rating_chart": rating_bar(dict(counts), labels()),
        "scorecard_month": last_month.key,
        "priorities": priorities,
        "priority_chart": priority_strip(priorities, labels()),
        "trend_from": months[0].key,
        "trend_chart": priority_trend([m.key for m in months], [e.code for e in elements], history, labels()),
        "rating_labels": labels(),
        "sections": 2 + len(measured),  # each starts a PDF page: summary, measured objectives, closing page
    }
