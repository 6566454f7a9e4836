"""Safety and security: fatalities against strength, mission comparison, and the record of serious incidents
against peacekeepers with the accountability of their perpetrators (forms, JSON twins, CSV exports)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from peaceops.access.policy import Actor, record_scope
from peaceops.errors import PeaceopsError, ValidationFailed
from peaceops.i18n import _
from peaceops.missions.lookup import mission_choices
from peaceops.safety.fatalities import (
    fatality_rates,
    fatality_summary,
    mission_comparison,
    safety_overview,
)
from peaceops.safety.models import INCIDENT_STATUSES, INCIDENT_TYPES, STATUS_LABELS
from peaceops.safety.serious_incidents import (
    SeriousIncidentInput,
    change_status,
    incident_detail,
    list_incidents,
    record_incident,
)
from peaceops.safety.shapes import FatalitySummary, SafetyOverview, SeriousIncidentDetail, SeriousIncidentList
from peaceops.web.accountability import charts
from peaceops.web.accountability.schemas import IncidentIn, MissionQuery, StatusIn, YearQuery
from peaceops.web.csv_export import csv_response
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.form_values import FormReader, form_date, form_problem, submit
from peaceops.web.templating import render
from peaceops.web.view_cache import cached, serialized

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CSV = {"content": {"text/csv": {}}, "description": "CSV with a header line."}
RATE_FIELDS = "mission year months_covered personnel_years fatalities malicious per_1000 malicious_per_1000".split()
COMPARISON_FIELDS = (
    "mission name from_year to_year personnel_years fatalities malicious per_1000 per_1000_interval malicious_per_1000"
).split()
INCIDENT_FIELDS = (
    "id mission occurred_on location incident_type fatalities injured reference status status_since furthest_stage "
    "judicial_follow_up description created_by"
).split()


@pages.get("/safety")
def safety_page(
    request: Request, session: SessionDep, user: CurrentUser, mission: MissionQuery = None, year: YearQuery = None
) -> Response:
    context = cached(request, session, "safety", user, (mission, year), lambda: _safety(session, user, mission, year))
    return render(request, "accountability/safety.html", context)


def _safety(session: Session, user: Actor, mission: str | None, year: int | None) -> dict[str, Any]:
    safety = safety_overview(session, user, mission=mission, year=year)
    scope = _("in {mission}").format(mission=safety.mission) if safety.mission else _("in all missions")
    specs: dict[str, Any] = {}
    if safety.by_year:
        specs["fatalities"] = charts.fatalities_by_year_chart(safety.by_year, scope)
        specs["malicious"] = charts.malicious_chart(safety.malicious_trend)
    if any(r.per_1000 is not None for r in safety.malicious_trend):
        specs["rates"] = charts.fatality_rate_chart(safety.malicious_trend)
    if safety.comparison:
        specs["comparison"] = charts.comparison_chart(safety.comparison)
    if safety.by_incident_type:
        specs["types"] = charts.horizontal_bars(
            _("Fatalities by type of incident."),
            safety.by_incident_type,
            "incident_type",
            "count",
            _("Fatalities"),
            label_title=_("Type of incident"),
            words=True,
        )
    incidents = list_incidents(session, user, mission=safety.mission, year=year) if safety.records_visible else []
    years = sorted({r.year for r in safety.malicious_trend}, reverse=True)
    return {
        "safety": safety,
        "charts": serialized(specs),
        "incidents": incidents,
        # Only missions of the register: rates and incident records need one; the others are in the table.
        "missions": [r.value("mission") for r in fatality_summary(session, "mission").rows if r.value("in_register")],
        "years": years,
        "query": urlencode({k: v for k, v in (("mission", safety.mission), ("year", year)) if v}),
        "can_record": safety.records_visible,
    }


@api.get("/safety", response_model=SafetyOverview, summary="Fatalities against strength, and incident accountability")
def safety_api(
    session: SessionDep, user: CurrentUser, mission: MissionQuery = None, year: YearQuery = None
) -> SafetyOverview:
    return safety_overview(session, user, mission=mission, year=year)


@api.get(
    "/fatalities/summary",
    response_model=FatalitySummary,
    summary="Fatalities grouped by mission, year, incident type, personnel type or nationality",
)
def fatalities_summary_api(
    session: SessionDep, user: CurrentUser, by: str = "mission", mission: MissionQuery = None, year: YearQuery = None
) -> FatalitySummary:
    return fatality_summary(session, by, mission=mission, year=year)


@api.get("/fatalities/summary.csv", responses={200: CSV}, summary="The fatalities summary as CSV")
def fatalities_summary_csv(
    session: SessionDep, user: CurrentUser, by: str = "mission", mission: MissionQuery = None, year: YearQuery = None
) -> Response:
    summary = fatality_summary(session, by, mission=mission, year=year)
    return csv_response(summary.rows, (by, "count", "malicious"), f"fatalities-by-{by}.csv")


@api.get("/safety/rates.csv", responses={200: CSV}, summary="Fatalities per 1,000 by mission and year, as CSV")
def rates_csv(session: SessionDep, user: CurrentUser, mission: MissionQuery = None, year: YearQuery = None) -> Response:
    return csv_response(fatality_rates(session, mission=mission, year=year), RATE_FIELDS, "fatality-rates.csv")


@api.get("/safety/comparison.csv", responses={200: CSV}, summary="Missions compared by fatality rate, as CSV")
def comparison_csv(session: SessionDep, user: CurrentUser, year: YearQuery = None) -> Response:
    return csv_response(mission_comparison(session, year=year), COMPARISON_FIELDS, "mission-comparison.csv")


# ------------------------------------------------------------------ incident records (role-restricted)
@api.get("/safety/incidents", response_model=SeriousIncidentList, summary="Incident records the user may read")
def incidents_api(
    session: SessionDep, user: CurrentUser, mission: MissionQuery = None, year: YearQuery = None
) -> SeriousIncidentList:
    return SeriousIncidentList(incidents=list_incidents(session, user, mission=mission, year=year))


@api.get("/safety/incidents.csv", responses={200: CSV}, summary="Incident records the user may read, as CSV")
def incidents_csv(
    session: SessionDep, user: CurrentUser, mission: MissionQuery = None, year: YearQuery = None
) -> Response:
    return csv_response(list_incidents(session, user, mission=mission, year=year), INCIDENT_FIELDS, "incidents.csv")


@api.get(
    "/safety/incidents/{incident_id}", response_model=SeriousIncidentDetail, summary="One incident and its history"
)
def incident_api(session: SessionDep, user: CurrentUser, incident_id: int) -> SeriousIncidentDetail:
    return incident_detail(session, user, incident_id)


@api.post(
    "/safety/incidents", response_model=SeriousIncidentDetail, status_code=201, summary="Record a serious incident"
)
def create_incident_api(session: SessionDep, user: CurrentUser, body: IncidentIn) -> SeriousIncidentDetail:
    incident = record_incident(session, user, SeriousIncidentInput(**body.model_dump()))
    return incident_detail(session, user, incident.id)


@api.post(
    "/safety/incidents/{incident_id}/status",
    response_model=SeriousIncidentDetail,
    summary="Change an incident's status",
)
def status_api(session: SessionDep, user: CurrentUser, incident_id: int, body: StatusIn) -> SeriousIncidentDetail:
    change_status(session, user, incident_id, body.status, body.effective_on, body.note)
    return incident_detail(session, user, incident_id)


def _form_missions(session: Session, user: Actor) -> list[str]:
    scope = record_scope(user, "incident records")
    return [scope] if scope else [acronym for acronym, _name, _active in mission_choices(session)]


def _incident_form(
    request: Request,
    session: Session,
    user: Actor,
    *,
    form: dict[str, Any] | None = None,
    error: PeaceopsError | None = None,
) -> Response:
    missions = _form_missions(session, user)
    status_code = error.status_code if error else 200
    context = {
        "missions": missions,
        "types": INCIDENT_TYPES,
        "form": form or {"mission": missions[0] if len(missions) == 1 else "", "occurred_on": date.today().isoformat()},
        "today": date.today().isoformat(),
        **form_problem(error),
    }
    return render(request, "accountability/safety_incident_form.html", context, status_code=status_code)


@pages.get("/safety/incidents/new")
def new_incident_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _incident_form(request, session, user)


def _count(read: FormReader, name: str, text: str, field: str) -> int:
    """A whole count, 0 when blank; a problem (kept by ``read``) otherwise."""
    if not text.strip():
        return 0
    if not text.strip().isdigit():
        read.add(name, _("{field} must be a whole number, 0 or more.").format(field=field))
        return 0
    return int(text)


@pages.post("/safety/incidents")
def create_incident_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    mission: Annotated[str, Form(max_length=32)],
    occurred_on: Annotated[str, Form(max_length=10)],
    location: Annotated[str, Form(max_length=200)],
    incident_type: Annotated[str, Form(max_length=60)],
    description: Annotated[str, Form(max_length=4000)] = "",
    fatalities: Annotated[str, Form(max_length=6)] = "0",
    injured: Annotated[str, Form(max_length=6)] = "0",
    reference: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """Record an incident; record_incident checks the mission scope and writes the audit entry."""
    form = {k: v for k, v in locals().items() if k not in ("request", "session", "user")}

    def write() -> Any:
        read = FormReader()  # a field that cannot be read is told with every other problem of the record
        day = read.date("occurred_on", occurred_on, _("The incident date"))
        data = SeriousIncidentInput(
            mission=mission,
            occurred_on=day or date.today(),
            location=location,
            incident_type=incident_type,
            description=description,
            fatalities=_count(read, "fatalities", fatalities, _("Peacekeepers killed")),
            injured=_count(read, "injured", injured, _("Peacekeepers injured")),
            reference=reference or None,
        )
        return record_incident(session, user, data, read.problems)

    return submit(
        session,
        write,
        lambda incident: f"/safety/incidents/{incident.id}?recorded=1",
        lambda error: _incident_form(request, session, user, form=form, error=error),
    )


def _incident_page(
    request: Request,
    session: Session,
    user: Actor,
    incident_id: int,
    *,
    error: PeaceopsError | None = None,
    notice: str | None = None,
    move: dict[str, str] | None = None,
) -> Response:
    incident = incident_detail(session, user, incident_id)
    status_code = error.status_code if error else 200
    context = {
        "incident": incident,
        "statuses": [(s, STATUS_LABELS[s]) for s in INCIDENT_STATUSES if s != incident.status],
        "today": date.today().isoformat(),
        **form_problem(error),
        "move": move or {},
        "notice": notice,
    }
    return render(request, "accountability/safety_incident.html", context, status_code=status_code)


@pages.get("/safety/incidents/{incident_id}")
def incident_page(
    request: Request, session: SessionDep, user: CurrentUser, incident_id: int, recorded: str = "", moved: str = ""
) -> Response:
    notice = _("The incident is recorded.") if recorded else (_("The status is changed.") if moved else None)
    return _incident_page(request, session, user, incident_id, notice=notice)


@pages.post("/safety/incidents/{incident_id}/status")
def status_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    incident_id: int,
    status: Annotated[str, Form(max_length=24)],
    effective_on: Annotated[str, Form(max_length=10)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    move = {"status": status, "effective_on": effective_on, "note": note}

    def write() -> Any:
        day = form_date(effective_on, _("The date"), name="effective_on")
        assert day is not None
        change_status(session, user, incident_id, status, day, note)

    return submit(
        session,
        write,
        lambda _: f"/safety/incidents/{incident_id}?moved=1",
        lambda error: _incident_page(request, session, user, incident_id, error=error, move=move),
        refusals=ValidationFailed,
    )
