"""The missions register and one page per mission with its personnel, gender and fatality charts."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from peaceops.personnel.overview import WorldTotals, datasets, mission_detail, missions_list, world_totals
from peaceops.support import supported_operations
from peaceops.web import charts
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.schemas import MissionDetailOut, MissionsOut
from peaceops.web.templating import render
from peaceops.web.view_cache import cached, serialized

pages = APIRouter(include_in_schema=False)
api = APIRouter()
Status = Literal["all", "active"]


@pages.get("/missions")
def missions_page(request: Request, session: SessionDep, user: CurrentUser, status: Status = "all") -> Response:
    context = cached(request, session, "missions", user, status, lambda: _missions(session, status))
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "missions-table":
        return render(request, "missions/_missions_table.html", context)
    return render(request, "missions/missions.html", context)


def _missions(session: Session, status: Status) -> dict[str, Any]:
    world = world_totals(session)
    specs = {"world": charts.strength_chart([m.model_dump() for m in world.months])} if world.months else {}
    missions = missions_list(session, active_only=status == "active")
    return {
        "missions": missions,
        "status": status,
        "world": world,
        "charts": serialized(specs),
        "supported": supported_operations(session),
    }


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
