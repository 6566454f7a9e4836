"""The missions register and one page per mission with its personnel, gender and fatality charts."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from starlette.responses import Response

from peaceops.personnel.overview import WorldTotals, datasets, mission_detail, missions_list, world_totals
from peaceops.web import charts
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.schemas import MissionDetailOut, MissionsOut
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
Status = Literal["all", "active"]


@pages.get("/missions")
def missions_page(request: Request, session: SessionDep, user: CurrentUser, status: Status = "all") -> Response:
    context: dict[str, Any] = {"missions": missions_list(session, active_only=status == "active"), "status": status}
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "missions-table":
        return render(request, "missions/_missions_table.html", context)
    world = world_totals(session)
    context["world"] = world
    context["charts"] = {"world": charts.strength_chart([m.model_dump() for m in world.months])} if world.months else {}
    return render(request, "missions/missions.html", context)


@pages.get("/missions/{acronym}")
def mission_page(request: Request, session: SessionDep, user: CurrentUser, acronym: str) -> Response:
    mission = mission_detail(session, acronym)
    specs: dict[str, Any] = {}
    if mission["strength_series"]:
        specs["strength"] = charts.strength_chart(mission["strength_series"])
    if mission["women_share_series"]:
        specs["women"] = charts.women_share_chart(mission["women_share_series"], mission["parity_targets"])
    if mission["top_contributors"]:
        specs["contributors"] = charts.contributors_chart(mission["top_contributors"])
    if mission["fatalities_by_year"]:
        specs["fatalities"] = charts.fatalities_chart(mission["fatalities_by_year"])
    coverage = {d["kind"]: d for d in datasets(session)}
    return render(request, "missions/mission.html", {"mission": mission, "charts": specs, "coverage": coverage})


@api.get("/missions", response_model=MissionsOut, summary="Missions in the register")
def missions_api(session: SessionDep, user: CurrentUser, status: Status = "all") -> dict[str, Any]:
    return {"missions": missions_list(session, active_only=status == "active")}


@api.get("/world-totals", response_model=WorldTotals, summary="Uniformed personnel in all peacekeeping, per month")
def world_totals_api(session: SessionDep, user: CurrentUser) -> WorldTotals:
    return world_totals(session)


@api.get(
    "/missions/{acronym}",
    response_model=MissionDetailOut,
    summary="One mission with its series",
    responses={404: {"description": "No mission with this acronym."}},
)
def mission_api(session: SessionDep, user: CurrentUser, acronym: str) -> dict[str, Any]:
    return mission_detail(session, acronym)
