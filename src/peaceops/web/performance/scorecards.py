"""Cross-mission scorecards (heatmap, roll-ups, trend, drill-down), mission reports (HTML, PDF) and exports.

Every page has its JSON twin; ``GET /api/performance/scorecard?period=YYYY-MM`` is a published contract:
``{"period", "rows": [{"mission", "priority", "rating", "indicators", "with_data"}]}``, nothing more.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from peaceops.errors import ValidationFailed
from peaceops.i18n import _
from peaceops.performance.assessments import STATUS_LABELS
from peaceops.performance.export import export_csv, export_rows, export_xlsx
from peaceops.performance.frameworks import find_mission, framework_for
from peaceops.performance.periods import Period, latest_complete, parse_period, period_of
from peaceops.performance.rating import labels
from peaceops.performance.report import report_context
from peaceops.performance.scorecard import drilldown, latest_month_with_data, scorecard, scorecard_month, summary
from peaceops.performance.shapes import CellDrilldown, Scorecard, ScorecardSummary
from peaceops.reports.pdf import to_pdf
from peaceops.web.csv_export import download_headers
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.performance.charts import scorecard_trend_chart
from peaceops.web.security import MAX_ID
from peaceops.web.templating import render
from peaceops.web.view_cache import cached, serialized

pages = APIRouter(include_in_schema=False)
api = APIRouter()
MonthQuery = Annotated[str | None, Query(max_length=10, description="A month: 2024-03.")]
PeriodQuery = Annotated[str | None, Query(max_length=10, description="2024-03, 2024-Q1 or 2024.")]
VersionQuery = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Framework version; the current one by default.")
]


def _month(session: Session, text: str | None) -> Period:
    """The month asked for; without one, the newest month with data (or the last complete month)."""
    if text:
        return scorecard_month(text)
    return latest_month_with_data(session) or scorecard_month(None)


# ------------------------------------------------------------------ scorecard
@pages.get("/performance/scorecard")
def scorecard_page(request: Request, session: SessionDep, user: CurrentUser, period: MonthQuery = None) -> Response:
    month = _month(session, period)
    context = cached(request, session, "scorecard", user, month, lambda: _scorecard(session, month))
    return render(request, "missions/performance_scorecard.html", context)


def _scorecard(session: Session, month: Period) -> dict[str, Any]:
    data = summary(session, month)
    return {
        "s": data,
        "rating_labels": labels(),
        "charts": serialized({"trend": scorecard_trend_chart(data.trend, labels())} if data.trend else {}),
    }


@api.get(
    "/performance/scorecard",
    response_model=Scorecard,
    summary="Mission x A4P+ priority ratings for a month (one SQL GROUP BY over values, targets and tags)",
)
def scorecard_api(session: SessionDep, user: CurrentUser, period: MonthQuery = None) -> Scorecard:
    return scorecard(session, _month(session, period))


@api.get(
    "/performance/scorecard/summary",
    response_model=ScorecardSummary,
    summary="The scorecard page's data: heatmap, per-priority and per-theme roll-ups, trend over 24 months",
)
def scorecard_summary_api(session: SessionDep, user: CurrentUser, period: MonthQuery = None) -> ScorecardSummary:
    return summary(session, _month(session, period))


@pages.get("/performance/scorecard/{acronym}/{element}")
def cell_page(
    request: Request, session: SessionDep, user: CurrentUser, acronym: str, element: str, period: MonthQuery = None
) -> Response:
    data = drilldown(session, acronym, element, _month(session, period))
    quarter = period_of("quarter", parse_period(data.period).start).key
    return render(
        request,
        "missions/performance_scorecard_cell.html",
        {"d": data, "rating_labels": labels(), "quarter": quarter},
    )


@api.get(
    "/performance/scorecard/{acronym}/{element}",
    response_model=CellDrilldown,
    summary="Drill-down: the indicators, values and targets behind one heatmap cell, and the cell's trend",
)
def cell_api(
    session: SessionDep, user: CurrentUser, acronym: str, element: str, period: MonthQuery = None
) -> CellDrilldown:
    return drilldown(session, acronym, element, _month(session, period))


# ------------------------------------------------------------------ report
def _report_period(text: str | None) -> str:
    return parse_period(text).key if text else latest_complete("quarter", date.today()).key


@pages.get("/performance/missions/{acronym}/report")
def report_page(
    request: Request, session: SessionDep, user: CurrentUser, acronym: str, period: PeriodQuery = None
) -> Response:
    context = {"r": report_context(session, acronym, _report_period(period)), "status_labels": STATUS_LABELS}
    return render(request, "missions/performance_report.html", context)


@pages.get("/performance/missions/{acronym}/report.pdf")
def report_pdf(
    request: Request, session: SessionDep, user: CurrentUser, acronym: str, period: PeriodQuery = None
) -> Response:
    r = report_context(session, acronym, _report_period(period))
    template = request.app.state.templates.env.get_template("missions/performance_report_print.html")
    pdf = to_pdf(template.render(r=r, status_labels=STATUS_LABELS))
    name = f"{r['mission']}-performance-{r['period']}.pdf"
    return Response(pdf, media_type="application/pdf", headers=download_headers(name, inline=True))


@api.get(
    "/performance/missions/{acronym}/report",
    summary="The report's content: the assessment with its evidence, the scorecard row (charts as SVG strings)",
)
def report_api(session: SessionDep, user: CurrentUser, acronym: str, period: PeriodQuery = None) -> dict[str, Any]:
    return report_context(session, acronym, _report_period(period))


# ------------------------------------------------------------------ export
@pages.get("/performance/missions/{acronym}/export.{fmt}")
def export_file(
    session: SessionDep,
    user: CurrentUser,
    acronym: str,
    fmt: str,
    version: VersionQuery = None,
    period: PeriodQuery = None,
) -> Response:
    """Every value of a framework version (optionally only those inside a period) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise ValidationFailed(_("Exports come as .csv or .xlsx, not .{fmt}.").format(fmt=fmt))
    mission = find_mission(session, acronym)
    framework = framework_for(session, mission, version)
    p = parse_period(period) if period else None
    rows = export_rows(session, framework, p)
    name = quote(f"{mission.acronym}-v{framework.version}-values{'-' + p.key if p else ''}.{fmt}")
    disposition = download_headers(name)
    if fmt == "csv":
        return Response(export_csv(rows), media_type="text/csv; charset=utf-8", headers=disposition)
    title = f"{mission.acronym} framework v{framework.version} values{', ' + p.label if p else ''}"
    return Response(
        export_xlsx(rows, title),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=disposition,
    )


@api.get(
    "/performance/missions/{acronym}/export",
    summary="The rows export.csv and export.xlsx hold: every value of a framework version with provenance",
)
def export_api(
    session: SessionDep, user: CurrentUser, acronym: str, version: VersionQuery = None, period: PeriodQuery = None
) -> dict[str, Any]:
    framework = framework_for(session, find_mission(session, acronym), version)
    p = parse_period(period) if period else None
    return {"version": framework.version, "period": p.key if p else None, "rows": export_rows(session, framework, p)}
