"""Resources on mission timelines: the missions holding resource records, each mission's page (milestones,
requirements with their lateness, orders, deliveries, budgets, the risk view), their JSON twins and CSV/XLSX
exports (decision 043). Every read of a record goes through ``peaceops.resources``, which asks the access
policy; the counts are open to every signed-in reader."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from peaceops.access.policy import can_read_records, editable_missions, may_read_mission
from peaceops.errors import NotFound
from peaceops.framework.threat_areas import THREAT_AREAS
from peaceops.missions.lookup import find_mission
from peaceops.resources import (
    budget_list,
    delivery_list,
    milestone_list,
    mission_summary,
    missions_with_resources,
    order_list,
    requirement_list,
    risk,
)
from peaceops.resources.importing import KINDS, WHAT
from peaceops.resources.lateness import ORDER_LEAD_DAYS
from peaceops.resources.shapes import (
    BudgetOut,
    DeliveryOut,
    MilestoneOut,
    MissionResources,
    OrderOut,
    RequirementOut,
    RiskView,
)
from peaceops.resources.vocabulary import STATES
from peaceops.web.conflict.routes import KIND_NAMES
from peaceops.web.csv_export import csv_response, xlsx_response
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()

Acronym = Annotated[str, Query(min_length=1, max_length=32, description="Mission acronym, e.g. UNMISS.")]
Mission = Annotated[str | None, Query(max_length=32, description="Mission acronym; all missions in your scope.")]
AsOf = Annotated[date | None, Query(description="The day lateness is judged on (YYYY-MM-DD); today by default.")]
Threat = Annotated[str | None, Query(max_length=32, description="Only requirements tagged with this threat area.")]
EXPORTS: dict[str, type[BaseModel]] = {
    "requirements": RequirementOut,
    "orders": OrderOut,
    "deliveries": DeliveryOut,
    "budgets": BudgetOut,
    "milestones": MilestoneOut,
}


def _threat(value: str | None) -> str | None:
    if value and value not in THREAT_AREAS:
        raise NotFound(f"There is no threat area {value!r}; choose one of {', '.join(THREAT_AREAS)}.")
    return value or None


@pages.get("/resources")
def resources_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(
        request,
        "missions/resources.html",
        {"missions": missions_with_resources(session), "states": STATES, "kinds": [k.name for k in KINDS]},
    )


@pages.get("/resources/export/{what}.{fmt}")
def resources_export(
    session: SessionDep, user: CurrentUser, what: str, fmt: str, mission: Mission = None, as_of: AsOf = None
) -> Response:
    if what not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise NotFound(
            f"There is no export {what}.{fmt}; choose {', '.join(EXPORTS)}, as .csv or .xlsx."
        )  # fmt: skip
    rows: list[BaseModel]
    if what == "requirements":
        rows = list(requirement_list(session, user, mission, as_of))
    elif what == "orders":
        rows = list(order_list(session, user, mission, as_of))
    elif what == "deliveries":
        rows = list(delivery_list(session, user, mission, as_of))
    elif what == "budgets":
        rows = list(budget_list(session, user, mission))
    else:
        rows = list(milestone_list(session, user, mission))
    fields = list(EXPORTS[what].model_fields)
    name = f"resources-{what}{'-' + mission.upper() if mission else ''}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, fields, name)
    return xlsx_response(rows, fields, name, what)


@pages.get("/resources/{acronym}")
def mission_resources_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    acronym: str,
    as_of: AsOf = None,
    threat_area: Threat = None,
) -> Response:
    mission = find_mission(session, acronym)
    day = as_of or date.today()
    threat = _threat(threat_area)
    context: dict[str, object] = {
        "mission": mission,
        "as_of": day,
        "summary": mission_summary(session, mission.acronym, day),
        "states": STATES,
        "threat_areas": THREAT_AREAS,
        "threat_area": threat,
        "lead_days": ORDER_LEAD_DAYS,
        "alert_kinds": KIND_NAMES,
        "may_read": can_read_records(user) and may_read_mission(user, mission.acronym, WHAT),
        "may_import": mission.acronym in editable_missions(user, [mission.acronym]),
    }
    if context["may_read"]:
        context |= {
            "risk": risk(session, user, mission.acronym, day),
            "milestones": milestone_list(session, user, mission.acronym),
            "requirements": requirement_list(session, user, mission.acronym, day, threat),
            "orders": order_list(session, user, mission.acronym, day),
            "deliveries": delivery_list(session, user, mission.acronym, day),
            "budgets": budget_list(session, user, mission.acronym),
        }
    return render(request, "missions/resources_mission.html", context)


@api.get("/resources/missions", summary="Missions holding resource records, with counts of requirements by state")
def missions_api(session: SessionDep, user: CurrentUser, as_of: AsOf = None) -> list[MissionResources]:
    return missions_with_resources(session, as_of)


@api.get("/resources/summary", summary="One mission's counts: requirements by state and threat area, orders, budgets")
def summary_api(session: SessionDep, user: CurrentUser, mission: Acronym, as_of: AsOf = None) -> MissionResources:
    return mission_summary(session, mission, as_of)


@api.get(
    "/resources/requirements",
    summary="Resource requirements with what was ordered and received and their lateness (by mission scope)",
)
def requirements_api(
    session: SessionDep, user: CurrentUser, mission: Mission = None, as_of: AsOf = None, threat_area: Threat = None
) -> list[RequirementOut]:
    return requirement_list(session, user, mission, as_of, _threat(threat_area))


@api.get("/resources/orders", summary="Orders against requirements, with what was received (by mission scope)")
def orders_api(session: SessionDep, user: CurrentUser, mission: Mission = None, as_of: AsOf = None) -> list[OrderOut]:
    return order_list(session, user, mission, as_of)


@api.get("/resources/deliveries", summary="Deliveries against orders, with days after the due date (by mission scope)")
def deliveries_api(
    session: SessionDep, user: CurrentUser, mission: Mission = None, as_of: AsOf = None
) -> list[DeliveryOut]:
    return delivery_list(session, user, mission, as_of)


@api.get("/resources/budgets", summary="Budget lines per mission and period, with the cost per output where possible")
def budgets_api(session: SessionDep, user: CurrentUser, mission: Mission = None) -> list[BudgetOut]:
    return budget_list(session, user, mission)


@api.get("/resources/milestones", summary="Mission milestones: imported, from the missions register and frameworks")
def milestones_api(session: SessionDep, user: CurrentUser, mission: Mission = None) -> list[MilestoneOut]:
    return milestone_list(session, user, mission)


@api.get("/resources/risk", summary="Late and at-risk requirements beside rising conflict alerts in the same area")
def risk_api(session: SessionDep, user: CurrentUser, mission: Acronym, as_of: AsOf = None) -> RiskView:
    return risk(session, user, mission, as_of)
