"""Training and readiness: the courses and sessions, each mission's readiness page with its capability gaps,
the JSON twins, and CSV/XLSX exports of the registers (decision 041)."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from peaceops.access.policy import can_read_records, editable_missions
from peaceops.errors import NotFound
from peaceops.framework.threat_areas import THREAT_AREAS
from peaceops.missions.lookup import find_mission
from peaceops.training import capability_gaps, course_list, readiness, record_list, session_list
from peaceops.training.capabilities import CAPABILITIES
from peaceops.training.listing import course_threat_counts, missions_with_training
from peaceops.training.shapes import CourseOut, Gaps, Readiness, RecordOut, SessionOut
from peaceops.web.csv_export import csv_response, download_headers
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()

Acronym = Annotated[str, Query(min_length=1, max_length=32, description="Mission acronym, e.g. UNMISS.")]
PeriodKey = Annotated[str | None, Query(max_length=10, description="Assessment period: 2024-Q1, 2024-03 or 2024.")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS: dict[str, type[BaseModel]] = {"courses": CourseOut, "sessions": SessionOut, "records": RecordOut}


ThreatArea = Annotated[str, Query(max_length=24, description="One threat area code: only the courses serving it.")]


@pages.get("/training")
def training_page(request: Request, session: SessionDep, user: CurrentUser, threat_area: ThreatArea = "") -> Response:
    return render(
        request,
        "missions/training.html",
        {
            "courses": course_list(session, threat_area),
            "threat_area": threat_area,
            "area_counts": course_threat_counts(session),
            "sessions": session_list(session),
            "missions": missions_with_training(session),
            "threat_areas": THREAT_AREAS,
            "capabilities": CAPABILITIES,
        },
    )


@pages.get("/training/export/{what}.{fmt}")
def training_export(
    session: SessionDep,
    user: CurrentUser,
    what: str,
    fmt: str,
    mission: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    if what not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise NotFound(f"There is no export {what}.{fmt}; choose courses, sessions or records, as .csv or .xlsx.")
    rows: list[BaseModel]
    if what == "courses":
        rows = list(course_list(session))
    elif what == "sessions":
        rows = list(session_list(session))
    else:
        rows = list(record_list(session, user, mission))
    fields = list(EXPORTS[what].model_fields)
    name = f"training-{what}{'-' + mission.upper() if mission else ''}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, fields, name)
    return Response(_xlsx(rows, fields, what), media_type=XLSX, headers=download_headers(name))


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


@pages.get("/training/{acronym}")
def readiness_page(request: Request, session: SessionDep, user: CurrentUser, acronym: str) -> Response:
    mission = find_mission(session, acronym)
    return render(
        request,
        "missions/training_readiness.html",
        {
            "ready": readiness(session, mission.acronym),
            "gaps": capability_gaps(session, mission.acronym),
            "may_read_records": can_read_records(user),
            "may_import": mission.acronym in editable_missions(user, [mission.acronym]),
        },
    )


@api.get(
    "/training/courses", summary="Training courses with the capability and A4P+ priority or threat area each builds"
)
def courses_api(session: SessionDep, user: CurrentUser, threat_area: ThreatArea = "") -> list[CourseOut]:
    return course_list(session, threat_area)


@api.get("/training/sessions", summary="Training sessions: course, dates, place and provider")
def sessions_api(session: SessionDep, user: CurrentUser) -> list[SessionOut]:
    return session_list(session)


@api.get("/training/records", summary="Training records per unit or person the reader may see (by mission scope)")
def records_api(
    session: SessionDep, user: CurrentUser, mission: Annotated[str | None, Query(max_length=32)] = None
) -> list[RecordOut]:
    return record_list(session, user, mission)


@api.get(
    "/training/readiness", summary="Pre-deployment readiness of each contingent against the mission's requirements"
)
def readiness_api(session: SessionDep, user: CurrentUser, mission: Acronym) -> Readiness:
    return readiness(session, mission)


@api.get(
    "/training/gaps",
    summary="Capability gaps: an off-track indicator or a pattern of allegations, with low training coverage",
)
def gaps_api(session: SessionDep, user: CurrentUser, mission: Acronym, period: PeriodKey = None) -> Gaps:
    return capability_gaps(session, mission, period)
