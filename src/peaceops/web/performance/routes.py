"""Mission performance: frameworks (tree with A4P tags), the data-entry grid, templates and uploads, indicators.

Mission pages live under /performance/missions/{acronym} so that /performance/<name> stays free for
cross-mission views (scorecards). Every page has its JSON twin under /api/performance/...
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import can_edit_mission, require_mission_editor
from peaceops.errors import PeaceopsError, ValidationFailed
from peaceops.i18n import _
from peaceops.performance.derived import compute_derived
from peaceops.performance.exchange import apply_upload, template_rows, write_csv, write_xlsx
from peaceops.performance.frameworks import (
    create_framework,
    find_mission,
    framework_at,
    framework_for,
    framework_tree,
    renew_framework,
    set_regions,
)
from peaceops.performance.grid import grid
from peaceops.performance.models import ResultsFramework
from peaceops.performance.overview import indicator_detail, performance_index
from peaceops.performance.periods import Period, latest_complete, parse_period, period_of
from peaceops.performance.shapes import (
    DerivedReport,
    FrameworkIndex,
    FrameworkTree,
    Grid,
    IndicatorDetail,
    SaveOutcome,
    TargetSet,
    UploadReport,
)
from peaceops.performance.validation import UNIT_LABELS
from peaceops.performance.values import save_value, set_target
from peaceops.web.csv_export import download_headers
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.performance.charts import indicator_chart
from peaceops.web.performance.schemas import RegionsIn, RenewIn, TargetIn, ValueIn
from peaceops.web.request_limits import UPLOAD
from peaceops.web.security import MAX_ID
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
MAX_UPLOAD = 5 * 1024 * 1024
PeriodQuery = Annotated[str | None, Query(max_length=10, description="2024-03, 2024-Q1 or 2024.")]
VersionQuery = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Framework version; the current one by default.")
]


def _period(text: str | None) -> Period:
    return parse_period(text) if text else latest_complete("quarter", date.today())


def _framework(session: Session, acronym: str, period: Period) -> ResultsFramework:
    return framework_at(session, find_mission(session, acronym), period.start, period.end)


# ------------------------------------------------------------------ index and framework tree
@pages.get("/performance")
def performance_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    index = performance_index(session)
    editable = {m.acronym for m in index.missions if can_edit_mission(user, m.acronym)}  # offered only to them
    context = {"missions": index.missions, "templates": index.templates, "editable": editable}
    return render(request, "missions/performance.html", context)


@api.get("/performance/frameworks", response_model=FrameworkIndex, summary="Missions and their results frameworks")
def performance_api(session: SessionDep, user: CurrentUser) -> FrameworkIndex:
    return performance_index(session)


@pages.post("/performance/missions/{acronym}/create")
def create_page(request: Request, session: SessionDep, user: CurrentUser, acronym: str) -> Response:
    mission = find_mission(session, acronym)
    framework = create_framework(session, mission, user)
    compute_derived(session, framework, var_dir=request.app.state.settings.var_dir)
    return RedirectResponse(f"/performance/missions/{mission.acronym}", status_code=303)


@pages.get("/performance/missions/{acronym}")
def framework_page(
    request: Request, session: SessionDep, user: CurrentUser, acronym: str, version: VersionQuery = None
) -> Response:
    mission = find_mission(session, acronym)
    tree = framework_tree(session, framework_for(session, mission, version))
    today = date.today()
    editable = can_edit_mission(user, mission.acronym)
    context = {
        "tree": tree,
        "can_edit": editable,
        "editable": editable and tree.version == tree.versions[-1].version,
        "edit_base": f"/performance/missions/{quote(mission.acronym)}/framework/",
        "periods": {kind: latest_complete(kind, today) for kind in ("month", "quarter", "year")},
        "today": today.isoformat(),
    }
    return render(request, "missions/performance_framework.html", context)


@api.get(
    "/performance/missions/{acronym}/framework",
    response_model=FrameworkTree,
    summary="A mission's results framework as a tree (objectives with A4P tags, outcomes, outputs, indicators)",
)
def framework_api(session: SessionDep, user: CurrentUser, acronym: str, version: VersionQuery = None) -> FrameworkTree:
    mission = find_mission(session, acronym)
    return framework_tree(session, framework_for(session, mission, version))


@pages.post("/performance/missions/{acronym}/renew")
def renew_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    acronym: str,
    mandate: Annotated[str, Form(max_length=300)],
    valid_from: Annotated[str, Form(max_length=10)],
) -> Response:
    framework = _renew(request, session, user, acronym, mandate, valid_from)
    return RedirectResponse(f"/performance/missions/{acronym}?version={framework.version}", status_code=303)


@api.post(
    "/performance/missions/{acronym}/renew",
    response_model=FrameworkTree,
    summary="Start a new framework version at a mandate renewal",
)
def renew_api(request: Request, session: SessionDep, user: CurrentUser, acronym: str, body: RenewIn) -> FrameworkTree:
    framework = _renew(request, session, user, acronym, body.mandate, body.valid_from)
    return framework_tree(session, framework)


def _renew(request: Request, session: Session, user: Any, acronym: str, mandate: str, start: str) -> ResultsFramework:
    try:
        valid_from = date.fromisoformat(start)
    except ValueError:
        raise ValidationFailed(
            _("The first day of the new version must be a date like 2024-07-01 (got {start!r}).").format(start=start)
        ) from None
    framework = renew_framework(session, find_mission(session, acronym), user, mandate=mandate, valid_from=valid_from)
    compute_derived(session, framework, var_dir=request.app.state.settings.var_dir)
    return framework


@pages.post("/performance/missions/{acronym}/regions")
def regions_page(
    session: SessionDep, user: CurrentUser, acronym: str, regions: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    """Regions come one per line (or comma-separated) from the framework page's form."""
    framework = framework_for(session, find_mission(session, acronym))
    set_regions(session, framework, regions.replace(",", "\n").splitlines(), user)
    return RedirectResponse(f"/performance/missions/{acronym}", status_code=303)


@api.put(
    "/performance/missions/{acronym}/regions",
    response_model=FrameworkTree,
    summary="Set the regions region-disaggregated indicators are entered for (current framework version)",
)
def regions_api(session: SessionDep, user: CurrentUser, acronym: str, body: RegionsIn) -> FrameworkTree:
    framework = framework_for(session, find_mission(session, acronym))
    set_regions(session, framework, body.regions, user)
    return framework_tree(session, framework)


@api.post(
    "/performance/missions/{acronym}/derive",
    response_model=DerivedReport,
    summary="Recompute the derived indicators of the mission's current framework version",
)
def derive_api(request: Request, session: SessionDep, user: CurrentUser, acronym: str) -> DerivedReport:
    mission = find_mission(session, acronym)
    require_mission_editor(user, mission.acronym)
    framework = framework_for(session, mission)
    return compute_derived(session, framework, var_dir=request.app.state.settings.var_dir)


# ------------------------------------------------------------------ data entry
def _grid_context(session: Session, user: Any, acronym: str, period: Period) -> dict[str, Any]:
    framework = _framework(session, acronym, period)
    data = grid(session, framework, period)
    objectives = {r.code: r.title for r in framework.results if r.level == "objective"}
    return {
        "grid": data,
        "objectives": objectives,
        "can_edit": can_edit_mission(user, data.mission),
        "unit_labels": UNIT_LABELS,
        "kinds": {
            "month": _period_link(period, "month"),
            "quarter": _period_link(period, "quarter"),
            "year": _period_link(period, "year"),
        },
    }


def _period_link(period: Period, kind: str) -> str:
    return period_of(kind, period.end).key


@pages.get("/performance/missions/{acronym}/entry")
def entry_page(
    request: Request, session: SessionDep, user: CurrentUser, acronym: str, period: PeriodQuery = None
) -> Response:
    return render(request, "missions/performance_entry.html", _grid_context(session, user, acronym, _period(period)))


@api.get(
    "/performance/missions/{acronym}/values",
    response_model=Grid,
    summary="The data-entry grid for a period: every indicator row with value, target and provenance",
)
def values_api(session: SessionDep, user: CurrentUser, acronym: str, period: PeriodQuery = None) -> Grid:
    p = _period(period)
    return grid(session, _framework(session, acronym, p), p)


@api.post(
    "/performance/missions/{acronym}/values",
    response_model=SaveOutcome,
    summary="Save (or clear) one value; 422 names the rule a value breaks, 409 a locked period",
)
def save_value_api(session: SessionDep, user: CurrentUser, acronym: str, body: ValueIn) -> SaveOutcome:
    framework = _framework(session, acronym, parse_period(body.period))
    return save_value(
        session, framework, body.code, body.period, body.value, user,
        disaggregation=body.disaggregation, source="api", note=body.note,
    )  # fmt: skip


@api.post("/performance/missions/{acronym}/targets", response_model=TargetSet, summary="Set (or clear) a target")
def save_target_api(session: SessionDep, user: CurrentUser, acronym: str, body: TargetIn) -> TargetSet:
    p = parse_period(body.period)
    framework = _framework(session, acronym, p)
    return set_target(session, framework, body.code, p.key, body.value, user, disaggregation=body.disaggregation)


@pages.post("/performance/missions/{acronym}/entry/cell")
def cell_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    acronym: str,
    code: Annotated[str, Form(max_length=40)],
    period: Annotated[str, Form(max_length=10)],
    field: Annotated[str, Form(pattern="^(value|target)$")],
    value: Annotated[str, Form(max_length=40)] = "",
    disaggregation: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """One grid cell, saved by htmx on change; always 200 so htmx swaps the message in, with X-Cell-Status."""
    p = parse_period(period)
    context: dict[str, Any] = {"field": field, "formula_rows": []}
    try:
        framework = _framework(session, acronym, p)
        if field == "target":
            saved = set_target(session, framework, code, p.key, value, user, disaggregation=disaggregation)
            context.update(
                status="saved", message=_("Target saved") if saved.value is not None else _("Target removed")
            )
        else:
            outcome = save_value(session, framework, code, p.key, value, user, disaggregation=disaggregation)
            status = "warning" if outcome.warning else "saved"
            message = {"saved": _("Saved"), "cleared": _("Cleared (kept in history)"), "unchanged": _("Unchanged")}
            context.update(status=status, message=message[outcome.status], outcome=outcome)
            context["formula_rows"] = [r for r in grid(session, framework, p).rows if r.kind == "formula"]
    except PeaceopsError as exc:
        session.rollback()
        context.update(status="error", message=str(exc))
    response = render(request, "missions/_perf_cell_status.html", context)
    response.headers["X-Cell-Status"] = context["status"]
    return response


@pages.get("/performance/missions/{acronym}/entry/template.{fmt}")
def template_download(
    session: SessionDep, user: CurrentUser, acronym: str, fmt: str, period: PeriodQuery = None
) -> Response:
    p = _period(period)
    framework = _framework(session, acronym, p)
    rows = template_rows(session, framework, p)
    name = f"{acronym.upper()}-v{framework.version}-{p.key}"
    if fmt == "csv":
        return Response(
            write_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers=download_headers(f"{name}.csv"),
        )
    if fmt == "xlsx":
        return Response(
            write_xlsx(rows, f"{acronym.upper()} framework v{framework.version}, {p.label}"),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers=download_headers(f"{name}.xlsx"),
        )
    raise ValidationFailed(_("Templates come as .csv or .xlsx, not .{fmt}.").format(fmt=fmt))


@api.get(
    "/performance/missions/{acronym}/template",
    summary="The rows of the data-entry template for a period (what template.csv / template.xlsx hold)",
)
def template_api(session: SessionDep, user: CurrentUser, acronym: str, period: PeriodQuery = None) -> dict[str, Any]:
    p = _period(period)
    return {"period": p.key, "rows": template_rows(session, _framework(session, acronym, p), p)}


async def _read_upload(file: UploadFile) -> bytes:
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise ValidationFailed(
            _("The file is larger than {size} MB; split it.").format(size=MAX_UPLOAD // (1024 * 1024))
        )
    return content


@pages.post("/performance/missions/{acronym}/entry/upload", openapi_extra=UPLOAD)
async def upload_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    acronym: str,
    file: Annotated[UploadFile, File()],
    period: Annotated[str, Form(max_length=10)],
) -> Response:
    p = parse_period(period)
    content = await _read_upload(file)
    context = _grid_context(session, user, acronym, p)
    try:
        framework = _framework(session, acronym, p)
        report = apply_upload(session, framework, file.filename or "upload", content, user)
        context = _grid_context(session, user, acronym, p)
        context["upload"] = report
    except PeaceopsError as exc:
        session.rollback()
        context["upload_error"] = str(exc)
    return render(request, "missions/performance_entry.html", context)


@api.post(
    "/performance/missions/{acronym}/upload",
    response_model=UploadReport,
    summary="Upload a filled CSV or XLSX template; each rejected row is reported with its line and reason",
    openapi_extra=UPLOAD,
)
async def upload_api(
    session: SessionDep,
    user: CurrentUser,
    acronym: str,
    file: Annotated[UploadFile, File()],
    period: Annotated[str, Form(max_length=10)],
) -> UploadReport:
    content = await _read_upload(file)
    framework = _framework(session, acronym, parse_period(period))
    return apply_upload(session, framework, file.filename or "upload", content, user)


# ------------------------------------------------------------------ one indicator
@pages.get("/performance/missions/{acronym}/indicators/{code}")
def indicator_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    acronym: str,
    code: str,
    version: VersionQuery = None,
    period: PeriodQuery = None,
    disaggregation: Annotated[str, Query(max_length=80)] = "",
) -> Response:
    framework = framework_for(session, find_mission(session, acronym), version)
    detail = indicator_detail(session, framework, code, period=period, disaggregation=disaggregation)
    specs = {}
    totals = [v for v in detail.values if v.disaggregation == ""]
    if len(totals) > 1:
        specs["series"] = indicator_chart(detail.indicator, totals, detail.targets)
    context = {"detail": detail, "charts": specs, "period": period, "unit_labels": UNIT_LABELS}
    return render(request, "missions/performance_indicator.html", context)


@api.get(
    "/performance/missions/{acronym}/indicators/{code}",
    response_model=IndicatorDetail,
    summary="One indicator: definition, every value and target; with ?period= the history of that cell",
)
def indicator_api(
    session: SessionDep,
    user: CurrentUser,
    acronym: str,
    code: str,
    version: VersionQuery = None,
    period: PeriodQuery = None,
    disaggregation: Annotated[str, Query(max_length=80)] = "",
) -> IndicatorDetail:
    framework = framework_for(session, find_mission(session, acronym), version)
    return indicator_detail(session, framework, code, period=period, disaggregation=disaggregation)
