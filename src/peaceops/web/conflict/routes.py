"""Conflict monitoring: risk maps by country and grid cell, recent events, alerts with their evidence, unit pages."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import may_edit_area
from peaceops.conflict import dashboard as board
from peaceops.conflict.alerts import area_missions, set_status, tag_alert
from peaceops.conflict.models import ALERT_STATUSES
from peaceops.conflict.track_record import alert_record, track_record
from peaceops.conflict.units import country_label, country_text
from peaceops.errors import form_invalid
from peaceops.geography.codes import iso3_from_gw
from peaceops.i18n import N_
from peaceops.incidents.analysis import unit_reports
from peaceops.response.actions import INSTRUMENTS, ActionIn, add_action, process_choices, visible_actions
from peaceops.web import charts, maps
from peaceops.web.dependencies import CurrentUser, QueryNumber, SessionDep
from peaceops.web.templating import render
from peaceops.web.view_cache import cached, serialized

pages = APIRouter(include_in_schema=False)
api = APIRouter()
Level = Literal["cm", "pgm"]
# Kept in English (N_: the API and other pages read them); pages show ``_(KIND_NAMES[kind])``.
LEVEL_NAMES = {"cm": N_("Countries"), "pgm": N_("Grid cells (0.5°)")}
KIND_NAMES = {"early_entry": N_("Early entry point"), "escalation": N_("Escalation"), "spillover": N_("Spillover")}
STATUS_NAMES = {"new": N_("new"), "acknowledged": N_("acknowledged"), "closed": N_("closed")}


class AlertStatusIn(BaseModel):
    status: Literal["acknowledged", "closed"]
    note: str = Field("", max_length=2000)


class AlertThreatAreasIn(BaseModel):
    threat_areas: list[str] = Field(
        description="Threat area codes (organised_crime, terrorism, climate_security, hybrid_threats, cyber); "
        "an empty list removes every tag."
    )


ThreatArea = Annotated[str, Query(max_length=24, description="One threat area code: only the alerts tagged with it.")]


def _area(session: SessionDep, country: int | None, mission: str | None) -> int | None:
    return board.country_for_mission(session, mission) if mission else country


@pages.get("/conflict")
def conflict_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    level: Level = "pgm",
    country: QueryNumber = None,
    mission: str | None = None,
    run: QueryNumber = None,
    threat_area: ThreatArea = "",
) -> Response:
    area = _area(session, country, mission)
    context = cached(
        request,
        session,
        "conflict",
        user,
        (level, area, run, threat_area),
        lambda: _dashboard(request, session, level, area, run, threat_area),
    )
    return render(request, "monitoring/conflict.html", context)


def _dashboard(
    request: Request, session: Session, level: Level, area: int | None, run: int | None, threat_area: str = ""
) -> dict[str, Any]:
    var_dir = request.app.state.settings.var_dir
    data = board.dashboard(session, var_dir, level, run_id=run, country_gw=area, threat_area=threat_area)
    specs: dict[str, Any] = {}
    area_maps: list[dict[str, Any]] = []
    if data["run"]:
        topo = request.app.state.topojson_url
        shown = [data["country_gw"]] if data["country_gw"] else [a["country_gw"] for a in data["areas"]]
        if level == "cm":
            specs["risk"] = maps.country_risk_map(data["units"], topo)
        # One map per area, each fitted to its own data: countries far apart on one map are small patches
        # in empty space. A single area keeps the slot names "risk" and "events".
        missions = {a["country_gw"]: a["missions"] for a in data["areas"]}
        for gw in shown:
            iso3 = iso3_from_gw(gw)
            suffix = "" if len(shown) == 1 else f"-{gw}"
            entry = {
                "country_gw": gw,
                "name": country_text(gw),
                "missions": missions.get(gw, []),
                "risk": None,
                "events": None,
            }
            cells = [u for u in data["units"] if u.get("country_gw") == gw]
            if level == "pgm" and cells:
                entry["risk"] = "risk" + suffix
                specs[entry["risk"]] = maps.cell_risk_map(cells, iso3, topo)
            events = [e for e in data["events"] if e.get("country_gw") == gw]
            if events:
                entry["events"] = "events" + suffix
                specs[entry["events"]] = maps.events_map(events, iso3, topo)
            if entry["risk"] or entry["events"]:
                area_maps.append(entry)
    return {
        "data": data,
        "charts": serialized(specs),
        "area_maps": area_maps,
        "level_names": LEVEL_NAMES,
        "kind_names": KIND_NAMES,
        "status_names": STATUS_NAMES,
    }


MODEL_NAMES = {
    "peaceops": "peaceops",
    "zero": N_("Zero"),
    "last_value": N_("Last value"),
    "conflictology": N_("Conflictology"),
}


@pages.get("/conflict/track-record")
def track_record_page(
    request: Request, session: SessionDep, user: CurrentUser, level: Level = "cm", country: QueryNumber = None
) -> Response:
    computed = cached(
        request,
        session,
        "track-record",
        user,
        (level, country),
        lambda: {"record": track_record(session, level, country), "areas": board.areas(session)},
    )
    context = {
        **computed,
        "level_names": LEVEL_NAMES,
        "model_names": MODEL_NAMES,
        "kind_names": KIND_NAMES,
        "status_names": STATUS_NAMES,
    }
    return render(request, "monitoring/conflict_track.html", context)


@pages.get("/conflict/units/{level}/{unit_id}")
def unit_page(
    request: Request, session: SessionDep, user: CurrentUser, level: Level, unit_id: int, run: QueryNumber = None
) -> Response:
    detail = board.unit_detail(session, request.app.state.settings.var_dir, level, unit_id, run)
    spec = charts.fan_chart(detail["observed"], detail["forecast"], detail["run"]["cutoff"])
    first = date.fromisoformat(detail["observed"][0]["month"] + "-01")
    context = {
        "unit": detail,
        "charts": {"fan": spec},
        "level_names": LEVEL_NAMES,
        "kind_names": KIND_NAMES,
        "status_names": STATUS_NAMES,
        "mission_reports": unit_reports(session, user, level, unit_id, detail["country_gw"], first),
        "observed_deaths": {o["month"]: o["state_based"] + o["non_state"] + o["one_sided"] for o in detail["observed"]},
    }
    return render(request, "monitoring/conflict_unit.html", context)


@pages.get("/conflict/alerts/{alert_id}")
def alert_page(request: Request, session: SessionDep, user: CurrentUser, alert_id: int) -> Response:
    alert = board.alert_detail(session, alert_id)
    may_triage = may_edit_area(user, area_missions(session, alert["country_gw"]))
    context = {
        "alert": alert,
        "kind_names": KIND_NAMES,
        "status_names": STATUS_NAMES,
        "may_triage": may_triage,
        "tagged": bool(request.query_params.get("tagged")),
        "actions": visible_actions(session, user, alert_id),
        "instruments": INSTRUMENTS,
        "missions": area_missions(session, alert["country_gw"]),
        "processes": process_choices(session, country_label(alert["country_gw"]) if alert["country_gw"] else None)
        if may_triage
        else [],
        "today": date.today().isoformat(),
    }
    return render(request, "monitoring/conflict_alert.html", context)


@pages.post("/conflict/alerts/{alert_id}/status")
def alert_status_form(
    session: SessionDep,
    user: CurrentUser,
    alert_id: int,
    status: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    set_status(session, alert_id, status, user, note)
    return RedirectResponse(f"/conflict/alerts/{alert_id}", status_code=303)


@pages.post("/conflict/alerts/{alert_id}/threat-areas")
def alert_threat_areas_form(
    session: SessionDep,
    user: CurrentUser,
    alert_id: int,
    threat_areas: Annotated[list[str] | None, Form()] = None,
) -> Response:
    tag_alert(session, alert_id, threat_areas or [], user)
    return RedirectResponse(f"/conflict/alerts/{alert_id}?tagged=1", status_code=303)


ACTION_LABELS = {
    "taken_on": "date the action was taken",
    "actor": "name of who acted",
    "process_id": "peace process",
    "envoy_id": "envoy",
}


@pages.post("/conflict/alerts/{alert_id}/actions")
def alert_action_form(
    session: SessionDep,
    user: CurrentUser,
    alert_id: int,
    instrument: Annotated[str, Form(max_length=24)] = "",
    actor: Annotated[str, Form(max_length=200)] = "",
    taken_on: Annotated[str, Form(max_length=10)] = "",
    mission: Annotated[str, Form(max_length=32)] = "",
    process: Annotated[str, Form(max_length=12)] = "",
    envoy: Annotated[str, Form(max_length=12)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    compartment: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    values = {"instrument": instrument, "actor": actor, "mission": mission or None, "note": note}
    values |= {"process_id": process or None, "envoy_id": envoy or None}
    values |= {"compartment": compartment or None} | ({"taken_on": taken_on.strip()} if taken_on.strip() else {})
    try:
        action = ActionIn(**values)
    except ValidationError as exc:
        raise form_invalid(exc.errors(), ACTION_LABELS) from None
    add_action(session, user, alert_id, action)
    return RedirectResponse(f"/conflict/alerts/{alert_id}#actions", status_code=303)


@api.get("/conflict/dashboard", summary="Risk by unit, recent events and alerts from a stored forecast run")
def dashboard_api(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    level: Level = "pgm",
    country: QueryNumber = None,
    mission: str | None = None,
    run: QueryNumber = None,
    threat_area: ThreatArea = "",
) -> dict[str, Any]:
    var_dir = request.app.state.settings.var_dir
    area = _area(session, country, mission)
    return board.dashboard(session, var_dir, level, run_id=run, country_gw=area, threat_area=threat_area)


@api.get("/conflict/runs", summary="Stored forecast runs, newest cut-off first")
def runs_api(session: SessionDep, user: CurrentUser, level: Level | None = None) -> dict[str, Any]:
    return {"runs": board.runs(session, level)}


@api.get(
    "/conflict/track-record",
    summary="How stored forecast runs did once their months were observed, beside the benchmarks",
)
def track_record_api(
    session: SessionDep, user: CurrentUser, level: Level = "cm", country: QueryNumber = None
) -> dict[str, Any]:
    return track_record(session, level, country)


@api.get("/conflict/units/{level}/{unit_id}", summary="One unit: observed series, forecast, alerts")
def unit_api(
    request: Request, session: SessionDep, user: CurrentUser, level: Level, unit_id: int, run: QueryNumber = None
) -> dict[str, Any]:
    return board.unit_detail(session, request.app.state.settings.var_dir, level, unit_id, run)


@api.get("/conflict/alerts", summary="Alerts, newest cut-off and highest risk first, with counts by threat area")
def alerts_api(
    session: SessionDep,
    user: CurrentUser,
    level: Level | None = None,
    status: Literal["new", "acknowledged", "closed"] | None = None,
    country: QueryNumber = None,
    threat_area: ThreatArea = "",
) -> dict[str, Any]:
    return {
        "alerts": board.alerts(session, level=level, status=status, country_gw=country, threat_area=threat_area),
        "statuses": ALERT_STATUSES,
        "threat_areas": board.alert_threat_counts(session, level=level, status=status, country_gw=country),
    }


@api.get(
    "/conflict/alerts/track-record",
    summary="Per alert rule: hits, false alarms, misses, lead time and Brier over every judged past run, "
    "at the rule's threshold and at the others it could have",
)
def alert_track_record_api(session: SessionDep, user: CurrentUser, level: Level = "cm") -> dict[str, Any]:
    return {"level": level, "rules": alert_record(session, level)}


@api.get("/conflict/alerts/{alert_id}", summary="One alert with its evidence and, once observed, its outcome")
def alert_api(session: SessionDep, user: CurrentUser, alert_id: int) -> dict[str, Any]:
    return board.alert_detail(session, alert_id)


@api.get("/conflict/alerts/{alert_id}/actions", summary="What was done about an alert (confidential ones for holders)")
def alert_actions_api(session: SessionDep, user: CurrentUser, alert_id: int) -> dict[str, Any]:
    board.alert_detail(session, alert_id)  # 404 for an unknown alert
    return {"actions": visible_actions(session, user, alert_id), "instruments": INSTRUMENTS}


@api.post("/conflict/alerts/{alert_id}/actions", summary="Record an action on an alert (audited)")
def alert_action_api(session: SessionDep, user: CurrentUser, alert_id: int, body: ActionIn) -> dict[str, Any]:
    add_action(session, user, alert_id, body)
    session.flush()
    return {"actions": visible_actions(session, user, alert_id), "instruments": INSTRUMENTS}


@api.put("/conflict/alerts/{alert_id}/threat-areas", summary="Set an alert's threat areas (audited)")
def alert_threat_areas_api(
    session: SessionDep, user: CurrentUser, alert_id: int, body: AlertThreatAreasIn
) -> dict[str, Any]:
    tag_alert(session, alert_id, body.threat_areas, user)
    session.flush()
    return board.alert_detail(session, alert_id)


@api.post("/conflict/alerts/{alert_id}/status", summary="Acknowledge or close an alert (audited)")
def alert_status_api(session: SessionDep, user: CurrentUser, alert_id: int, body: AlertStatusIn) -> dict[str, Any]:
    set_status(session, alert_id, body.status, user, body.note)
    session.flush()
    return board.alert_detail(session, alert_id)
