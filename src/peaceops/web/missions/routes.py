"""The missions register and one page per mission with its personnel, gender and fatality charts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from peaceops.access.policy import Actor
from peaceops.personnel.overview import WorldTotals, datasets, mission_detail, missions_list, world_totals
from peaceops.support import supported_operations
from peaceops.threats import KINDS, threat_summary
from peaceops.web import charts
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.schemas import MissionDetailOut, MissionsOut
from peaceops.web.templating import render
from peaceops.web.view_cache import cached, serialized

pages = APIRouter(include_in_schema=False)
api = APIRouter()
Status = Literal["all", "active"]
ThreatArea = Annotated[str, Query(max_length=24, description="One threat area code: its records are listed.")]


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


def _threats(session: Session, user: Actor, mission: dict[str, Any], threat_area: str) -> dict[str, Any]:
    """Threat areas across the mission's own records and its host country's, as ``user`` may see them."""
    countries = [mission["host_iso3"]] if mission["host_iso3"] else []
    return threat_summary(session, user, missions=[mission["acronym"]], countries=countries, threat_area=threat_area)


@pages.get("/missions/{acronym}")
def mission_page(
    request: Request, session: SessionDep, user: CurrentUser, acronym: str, threat_area: ThreatArea = ""
) -> Response:
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
    context = {
        "mission": mission,
        "charts": specs,
        "coverage": coverage,
        "threats": _threats(session, user, mission, threat_area),
        "threat_kinds": KINDS,
    }
    return render(request, "missions/mission.html", context)


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


@api.get(
    "/missions/{acronym}/threat-areas",
    summary="Counts by threat area of the mission's incidents, monitored items, narratives, processes, open alerts "
    "and courses that the reader may see; with threat_area, the newest of them",
)
def mission_threats_api(
    session: SessionDep, user: CurrentUser, acronym: str, threat_area: ThreatArea = ""
) -> dict[str, Any]:
    mission = mission_detail(session, acronym)
    return {"mission": mission["acronym"], **_threats(session, user, mission, threat_area)}
