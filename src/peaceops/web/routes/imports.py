"""Import runs with their counts, and each run's rejected rows with line number and reason."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from peaceops.store.provenance import import_run_detail, import_runs
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.schemas import ImportRunDetailOut, ImportRunsOut
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
PAGE_SIZE = 50


@pages.get("/imports")
def imports_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "imports.html", {"runs": import_runs(session)})


@pages.get("/imports/{run_id}")
def import_run_page(
    request: Request, session: SessionDep, user: CurrentUser, run_id: int, page: Annotated[int, Query(ge=1)] = 1
) -> Response:
    detail = import_run_detail(session, run_id, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    total = detail["run"]["rejected"]  # type: ignore[index]
    pages_count = max(1, -(-total // PAGE_SIZE))
    context = {"detail": detail, "page": page, "pages": pages_count, "page_size": PAGE_SIZE}
    return render(request, "import_run.html", context)


@api.get("/imports", response_model=ImportRunsOut, summary="Import runs, newest first")
def imports_api(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return {"runs": import_runs(session)}


@api.get(
    "/imports/{run_id}",
    response_model=ImportRunDetailOut,
    summary="One import run and every rejected row",
    responses={404: {"description": "No import run with this id."}},
)
def import_run_api(session: SessionDep, user: CurrentUser, run_id: int) -> dict[str, Any]:
    return import_run_detail(session, run_id)
