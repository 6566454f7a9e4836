"""Import runs with their counts, and each run's rejected rows with line number and reason."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import check_editor
from peaceops.errors import ValidationFailed
from peaceops.platform import import_file
from peaceops.store.provenance import import_run_detail, import_runs
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.schemas import ImportRunDetailOut, ImportRunsOut
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
PAGE_SIZE = 50
# Kinds people upload through the pages; the large public files are loaded by `peaceops import` / the demo.
UPLOAD_KINDS = {"environment": "environmental figures", "pledges": "pledges", "incidents": "incident reports"}
# Kinds whose rows belong to a mission: mission officers upload them for their own mission.
MISSION_KINDS = frozenset({"incidents"})
MAX_UPLOAD = 20 * 1024 * 1024


@pages.get("/imports")
def imports_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "data/imports.html", {"runs": import_runs(session)})


@pages.get("/imports/{run_id}")
def import_run_page(
    request: Request, session: SessionDep, user: CurrentUser, run_id: int, page: Annotated[int, Query(ge=1)] = 1
) -> Response:
    detail = import_run_detail(session, run_id, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    total = detail["run"]["rejected"]  # type: ignore[index]
    pages_count = max(1, -(-total // PAGE_SIZE))
    context = {"detail": detail, "page": page, "pages": pages_count, "page_size": PAGE_SIZE}
    return render(request, "data/import_run.html", context)


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


@pages.post("/imports/upload")
async def upload_page(
    request: Request,
    user: CurrentUser,
    kind: Annotated[str, Form(max_length=40)],
    file: Annotated[UploadFile, File()],
) -> Response:
    """Import an uploaded CSV like `peaceops import KIND FILE`; the run's page lists every rejected line."""
    if kind not in UPLOAD_KINDS:
        raise ValidationFailed(f"Files of kind {kind!r} are not uploaded here; choose {', '.join(UPLOAD_KINDS)}.")
    check_editor(user, UPLOAD_KINDS[kind], user.mission if kind in MISSION_KINDS else None)
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise ValidationFailed(f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB; split it.")
    name = Path(file.filename or "upload.csv").name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        report = await run_in_threadpool(
            partial(import_file, request.app.state.db, kind, path, user.username, who=user)
        )
    return RedirectResponse(f"/imports/{report.run_id}", status_code=303)
