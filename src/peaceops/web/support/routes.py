"""Support to partner-led operations: the list of supported operations with their delivery rates, one page
per operation, the JSON twins, and CSV/XLSX exports of each register (decision 044)."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from peaceops.access.policy import can_read_records, may_edit_shared
from peaceops.errors import NotFound
from peaceops.support import (
    deliveries,
    financing,
    milestones,
    operation_support,
    requests,
    services,
    supported_operations,
)
from peaceops.support.shapes import (
    DeliveryOut,
    FinancingOut,
    MilestoneOut,
    OperationSupport,
    RequestOut,
    ServiceOut,
    SupportedOperation,
)
from peaceops.support.vocabulary import ASSESSED_CEILING, FINANCING_SOURCES, MILESTONE_AREAS, SERVICES
from peaceops.web.csv_export import FORMULA_STARTS, csv_response, download_headers
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.schemas import ErrorOut
from peaceops.web.support.charts import delivery_chart
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()

Operation = Annotated[str | None, Query(max_length=32, description="A partner operation's acronym.")]
UNKNOWN: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No partner operation with this acronym."}
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS: dict[str, type[BaseModel]] = {
    "services": ServiceOut,
    "deliveries": DeliveryOut,
    "requests": RequestOut,
    "financing": FinancingOut,
    "milestones": MilestoneOut,
}


@pages.get("/support")
def support_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(
        request,
        "missions/support.html",
        {
            "operations": supported_operations(session),
            "services": SERVICES,
            "sources": FINANCING_SOURCES,
            "areas": MILESTONE_AREAS,
            "ceiling": ASSESSED_CEILING,
            "may_import": may_edit_shared(user),
        },
    )


@pages.get("/support/export/{what}.{fmt}")
def support_export(
    session: SessionDep, user: CurrentUser, what: str, fmt: str, operation: Operation = None
) -> Response:
    if what not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise NotFound(
            f"There is no export {what}.{fmt}; choose services, deliveries, requests, financing or milestones, "
            "as .csv or .xlsx."
        )
    rows: list[BaseModel] = list(_rows(session, user, what, operation))
    fields = list(EXPORTS[what].model_fields)
    name = f"support-{what}{'-' + operation.upper() if operation else ''}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, fields, name)
    return Response(_xlsx(rows, fields, what), media_type=XLSX, headers=download_headers(name))


def _rows(session: Any, user: Any, what: str, operation: str | None) -> list[Any]:
    if what == "services":
        return services(session, operation)
    if what == "deliveries":
        return deliveries(session, operation)
    if what == "requests":
        return requests(session, user, operation)
    if what == "financing":
        return financing(session, operation)
    return milestones(session, operation)


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
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # never a formula
    return value


@pages.get("/support/{acronym}")
def operation_page(request: Request, session: SessionDep, user: CurrentUser, acronym: str) -> Response:
    support = operation_support(session, acronym)
    may_read = can_read_records(user)
    rated = any(d.rate is not None for d in support.deliveries)
    return render(
        request,
        "missions/support_operation.html",
        {
            "s": support,
            "o": support.operation,
            "charts": {"delivery": delivery_chart(support.deliveries)} if rated else {},
            "requests": requests(session, user, support.operation.acronym) if may_read else None,
            "ceiling": ASSESSED_CEILING,
            "may_import": may_edit_shared(user),
        },
    )


@api.get(
    "/support/operations",
    summary="Partner-led operations the UN supports, each with its delivery rate, requests, financing and milestones",
)
def operations_api(session: SessionDep, user: CurrentUser) -> list[SupportedOperation]:
    return supported_operations(session)


@api.get(
    "/support/operations/{acronym}",
    responses=UNKNOWN,
    summary="One partner operation's support: services, deliveries, request counts, financing, 2719 milestones",
)
def operation_api(session: SessionDep, user: CurrentUser, acronym: str) -> OperationSupport:
    return operation_support(session, acronym)


@api.get(
    "/support/services",
    responses=UNKNOWN,
    summary="Services the UN provides to partner operations, with their delivery rates",
)
def services_api(session: SessionDep, user: CurrentUser, operation: Operation = None) -> list[ServiceOut]:
    return services(session, operation)


@api.get(
    "/support/deliveries", responses=UNKNOWN, summary="Agreed levels and delivered quantities per service and period"
)
def deliveries_api(session: SessionDep, user: CurrentUser, operation: Operation = None) -> list[DeliveryOut]:
    return deliveries(session, operation)


@api.get(
    "/support/requests",
    responses=UNKNOWN,
    summary="The partners' requests for support the reader may see (by role and scope)",
)
def requests_api(session: SessionDep, user: CurrentUser, operation: Operation = None) -> list[RequestOut]:
    return requests(session, user, operation)


@api.get(
    "/support/financing", responses=UNKNOWN, summary="Financing of partner operations per budget period and source"
)
def financing_api(session: SessionDep, user: CurrentUser, operation: Operation = None) -> list[FinancingOut]:
    return financing(session, operation)


@api.get(
    "/support/milestones", responses=UNKNOWN, summary="Compliance and oversight milestones of resolution 2719 (2023)"
)
def milestones_api(session: SessionDep, user: CurrentUser, operation: Operation = None) -> list[MilestoneOut]:
    return milestones(session, operation)
