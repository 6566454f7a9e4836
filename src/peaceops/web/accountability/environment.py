"""Environmental management of missions: figures per mission and period against their targets, entered
through a form (or the JSON API, or imported as CSV kind ``environment``), with charts, a JSON twin and CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import Actor, check_editor, editable_missions
from peaceops.environment.models import ENVIRONMENT_METRICS
from peaceops.environment.reports import (
    EnvironmentInput,
    environment_overview,
    environment_reports,
    environment_series,
    save_environment,
)
from peaceops.errors import PeaceopsError
from peaceops.i18n import _
from peaceops.missions.lookup import mission_choices
from peaceops.platform import may_upload
from peaceops.web.accountability import partnership_charts as charts
from peaceops.web.accountability.partnership_schemas import EnvironmentIn, EnvironmentOut, EnvironmentRow
from peaceops.web.accountability.schemas import MissionQuery
from peaceops.web.csv_export import csv_response
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.form_values import FormReader, form_problem
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CSV = {"content": {"text/csv": {}}, "description": "CSV with a header line."}
CSV_FIELDS = (
    "mission period_start period_end energy_mwh renewable_mwh renewable_share renewable_target renewable_share_met "
    "water_m3 water_target_m3 water_m3_met wastewater_treated_share wastewater_target wastewater_treated_share_met "
    "solid_waste_t solid_waste_target_t solid_waste_t_met source updated_by updated_at"
).split()
WHAT = "environmental figures"


def _editable_missions(session: Session, user: Actor) -> list[str]:
    """Missions whose figures ``user`` may enter: all for analysts and administrators, their own for officers."""
    return editable_missions(user, [acronym for acronym, _name, _active in mission_choices(session)])


@pages.get("/environment")
def environment_page(
    request: Request, session: SessionDep, user: CurrentUser, mission: MissionQuery = None, saved: str = ""
) -> Response:
    overview = environment_overview(session, mission=mission)
    series = environment_series(overview["reports"])
    specs: dict[str, Any] = {}
    for key, *_rest in ENVIRONMENT_METRICS:
        rows = [r for r in series if r["metric"] == key]
        if rows:
            specs[key] = charts.environment_chart(rows, _(rows[0]["label"]))
    context = {
        "env": overview,
        "charts": specs,
        "metric_defs": ENVIRONMENT_METRICS,
        "editable": _editable_missions(session, user),
        "can_upload": may_upload(user, "environment"),
        "all_missions": sorted({*overview["missions"], *([overview["mission"]] if overview["mission"] else [])}),
        "notice": _("The figures are saved; the change is in the audit log.") if saved else None,
    }
    return render(request, "accountability/environment.html", context)


@api.get("/environment", response_model=EnvironmentOut, summary="Mission environmental figures against targets")
def environment_api(session: SessionDep, user: CurrentUser, mission: MissionQuery = None) -> Any:
    return environment_overview(session, mission=mission)


@api.get("/environment.csv", responses={200: CSV}, summary="Mission environmental figures, as CSV")
def environment_csv(session: SessionDep, user: CurrentUser, mission: MissionQuery = None) -> Response:
    return csv_response(environment_reports(session, mission=mission), CSV_FIELDS, "environment.csv")


@api.post("/environment", response_model=EnvironmentRow, status_code=201, summary="Enter or correct a period")
def environment_post(session: SessionDep, user: CurrentUser, body: EnvironmentIn) -> Any:
    report = save_environment(session, user, EnvironmentInput(**body.model_dump()))
    rows = environment_reports(session, mission=body.mission)
    return next(r for r in rows if r["id"] == report.id)


def _form(
    request: Request,
    session: Session,
    user: Actor,
    *,
    form: dict[str, Any] | None = None,
    error: PeaceopsError | None = None,
) -> Response:
    missions = _editable_missions(session, user)
    if not missions:
        check_editor(user, WHAT, "")  # raises the role's refusal with its reason
    context = {
        "missions": missions,
        "form": form or {"mission": missions[0] if len(missions) == 1 else ""},
        "today": date.today().isoformat(),
        **form_problem(error),
    }
    status_code = error.status_code if error else 200
    return render(request, "accountability/environment_form.html", context, status_code=status_code)


@pages.get("/environment/new")
def environment_form_page(
    request: Request, session: SessionDep, user: CurrentUser, mission: MissionQuery = None
) -> Response:
    return _form(request, session, user, form={"mission": (mission or "").upper()} if mission else None)


@pages.post("/environment")
def environment_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    mission: Annotated[str, Form(max_length=32)],
    period_start: Annotated[str, Form(max_length=10)],
    period_end: Annotated[str, Form(max_length=10)],
    energy_mwh: Annotated[str, Form(max_length=20)] = "",
    renewable_mwh: Annotated[str, Form(max_length=20)] = "",
    renewable_target_pct: Annotated[str, Form(max_length=20)] = "",
    water_m3: Annotated[str, Form(max_length=20)] = "",
    water_target_m3: Annotated[str, Form(max_length=20)] = "",
    wastewater_treated_pct: Annotated[str, Form(max_length=20)] = "",
    wastewater_target_pct: Annotated[str, Form(max_length=20)] = "",
    solid_waste_t: Annotated[str, Form(max_length=20)] = "",
    solid_waste_target_t: Annotated[str, Form(max_length=20)] = "",
    source: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Save a period's figures; save_environment checks the mission scope and writes the audit entry."""
    form = {k: v for k, v in locals().items() if k not in ("request", "session", "user")}
    read = FormReader()  # every field that cannot be read is told with every other problem of the figures
    start = read.date("period_start", period_start, _("The first day of the period"))
    end = read.date("period_end", period_end, _("The last day of the period"))
    data = EnvironmentInput(
        mission=mission,
        period_start=start or date.today(),
        period_end=end or start or date.today(),
        energy_mwh=read.number("energy_mwh", energy_mwh, _("Total energy")),
        renewable_mwh=read.number("renewable_mwh", renewable_mwh, _("Renewable energy")),
        renewable_target=read.number(
            "renewable_target_pct", renewable_target_pct, _("The renewable target"), percent=True
        ),
        water_m3=read.number("water_m3", water_m3, _("Water used")),
        water_target_m3=read.number("water_target_m3", water_target_m3, _("The water ceiling")),
        wastewater_treated_share=read.number(
            "wastewater_treated_pct", wastewater_treated_pct, _("Wastewater treated"), percent=True
        ),
        wastewater_target=read.number(
            "wastewater_target_pct", wastewater_target_pct, _("The wastewater target"), percent=True
        ),
        solid_waste_t=read.number("solid_waste_t", solid_waste_t, _("Solid waste")),
        solid_waste_target_t=read.number("solid_waste_target_t", solid_waste_target_t, _("The solid waste ceiling")),
        source=source,
    )
    try:
        save_environment(session, user, data, read.problems)
    except PeaceopsError as exc:
        session.rollback()
        return _form(request, session, user, form=form, error=exc)
    return RedirectResponse(f"/environment?mission={mission.strip().upper()}&saved=1", status_code=303)
