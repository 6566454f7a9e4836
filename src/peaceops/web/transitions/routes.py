"""Transitions: the plans of every mission, each mission's transition page (benchmarks, tasks handed over,
drawdown, bases, and whether protection holds), the JSON twins and the CSV/XLSX exports (decision 045)."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from peaceops.access.policy import editable_missions, may_read_mission
from peaceops.errors import NotFound
from peaceops.missions.lookup import find_mission
from peaceops.transitions import (
    base_list,
    benchmark_list,
    drawdown_list,
    plan_list,
    protection,
    task_list,
    transition_list,
)
from peaceops.transitions.listing import WHAT, strength_series
from peaceops.transitions.shapes import (
    BaseOut,
    BenchmarkOut,
    DrawdownStepOut,
    PlanOut,
    Protection,
    TaskOut,
    TransitionOut,
)
from peaceops.transitions.vocabulary import CATEGORIES, label
from peaceops.web.csv_export import csv_response, download_headers
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.templating import render
from peaceops.web.transitions.charts import drawdown_chart

pages = APIRouter(include_in_schema=False)
api = APIRouter()

Acronym = Annotated[str, Query(min_length=1, max_length=32, description="Mission acronym, e.g. UNMISS.")]
MaybeAcronym = Annotated[str | None, Query(max_length=32, description="Mission acronym; every mission without it.")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The registers exported; plans and drawdown steps are aggregates, the others the mission's records.
EXPORTS: dict[str, type[BaseModel]] = {
    "plans": PlanOut, "benchmarks": BenchmarkOut, "tasks": TaskOut, "drawdown": DrawdownStepOut, "bases": BaseOut,
}  # fmt: skip
IMPORT_KINDS = ("transition-plans", "transition-benchmarks", "transition-tasks", "transition-drawdown",
                "transition-bases")  # fmt: skip


@pages.get("/transitions")
def transitions_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "missions/transitions.html", {"plans": transition_list(session), "kinds": IMPORT_KINDS})


@pages.get("/transitions/export/{register}.{fmt}")
def transitions_export(
    session: SessionDep, user: CurrentUser, register: str, fmt: str, mission: MaybeAcronym = None
) -> Response:
    if register not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise NotFound(
            f"There is no export {register}.{fmt}; choose plans, benchmarks, tasks, drawdown or bases, "
            "as .csv or .xlsx."
        )
    rows: list[BaseModel]
    if register == "plans":
        rows = list(plan_list(session, mission))
    elif register == "drawdown":
        rows = list(drawdown_list(session, mission))
    elif register == "benchmarks":
        rows = list(benchmark_list(session, user, mission))
    elif register == "tasks":
        rows = list(task_list(session, user, mission))
    else:
        rows = list(base_list(session, user, mission))
    fields = list(EXPORTS[register].model_fields)
    name = f"transition-{register}{'-' + mission.upper() if mission else ''}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, fields, name)
    return Response(_xlsx(rows, fields, register), media_type=XLSX, headers=download_headers(name))


def _xlsx(rows: list[BaseModel], fields: list[str], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(fields)
    for row in rows:
        values = row.model_dump()
        sheet.append([_cell(values.get(f)) for f in fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value  # never a formula
    return value


@pages.get("/transitions/{acronym}")
def transition_page(request: Request, session: SessionDep, user: CurrentUser, acronym: str) -> Response:
    mission = find_mission(session, acronym)
    plans = transition_list(session, mission.acronym)
    records = may_read_mission(user, mission.acronym, WHAT)
    steps = plans[0].drawdown if plans else []
    categories = {code: label(CATEGORIES, code) for code in CATEGORIES}
    series = strength_series(session, mission.acronym) if steps else []
    return render(
        request,
        "missions/transition.html",
        {
            "mission": mission,
            "plan": plans[0] if plans else None,
            "protection": protection(session, user, mission.acronym, request.app.state.settings.var_dir),
            "records": records,
            "benchmarks": benchmark_list(session, user, mission.acronym) if records else [],
            "tasks": task_list(session, user, mission.acronym) if records else [],
            "bases": base_list(session, user, mission.acronym) if records else [],
            "charts": {"drawdown": drawdown_chart(series, steps, categories)} if steps else None,
            "ipi_months": len({r["month"] for r in series}),
            "may_import": mission.acronym in editable_missions(user, [mission.acronym]),
        },
    )


@api.get("/transitions", summary="Transition plans with their benchmarks, tasks, bases and drawdown at a glance")
def transitions_api(session: SessionDep, user: CurrentUser, mission: MaybeAcronym = None) -> list[TransitionOut]:
    return transition_list(session, mission)


@api.get("/transitions/benchmarks", summary="Transition benchmarks the reader may see (by mission scope)")
def benchmarks_api(session: SessionDep, user: CurrentUser, mission: MaybeAcronym = None) -> list[BenchmarkOut]:
    return benchmark_list(session, user, mission)


@api.get(
    "/transitions/tasks",
    summary="Tasks handed over to the UN country team or the host government: who, by when, status",
)
def tasks_api(session: SessionDep, user: CurrentUser, mission: MaybeAcronym = None) -> list[TaskOut]:
    return task_list(session, user, mission)


@api.get("/transitions/drawdown", summary="Drawdown steps: planned ceilings against the IPI totals and reports")
def drawdown_api(session: SessionDep, user: CurrentUser, mission: MaybeAcronym = None) -> list[DrawdownStepOut]:
    return drawdown_list(session, mission)


@api.get("/transitions/bases", summary="Bases the mission closes, where they are and who takes them over")
def bases_api(session: SessionDep, user: CurrentUser, mission: MaybeAcronym = None) -> list[BaseOut]:
    return base_list(session, user, mission)


@api.get(
    "/transitions/protection",
    summary="Whether protection holds as the mission leaves: evidence around closed bases and protection indicators",
)
def protection_api(request: Request, session: SessionDep, user: CurrentUser, mission: Acronym) -> Protection:
    return protection(session, user, mission, request.app.state.settings.var_dir)
