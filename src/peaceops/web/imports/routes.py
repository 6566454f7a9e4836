"""Import runs with their counts, and each run's rejected rows with line number and reason."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import Actor
from peaceops.errors import ImportFileError, ValidationFailed
from peaceops.platform import MAX_UPLOAD, REGISTRY, UPLOAD_KINDS, import_upload
from peaceops.store.provenance import ImportReport, import_run_detail, import_runs
from peaceops.web.dependencies import CurrentUser, Page, SessionDep
from peaceops.web.request_limits import UPLOAD
from peaceops.web.schemas import ErrorOut, ImportReportOut, ImportRunDetailOut, ImportRunsOut
from peaceops.web.security import flash_form_error, safe_next
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
PAGE_SIZE = 50
UPLOAD_HINT = "The file expected: {description}"


@pages.get("/imports")
def imports_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    uploadable = [(name, REGISTRY[name].description) for name in UPLOAD_KINDS]
    return render(request, "data/imports.html", {"runs": import_runs(session), "uploadable": uploadable})


@pages.get("/imports/{run_id}")
def import_run_page(request: Request, session: SessionDep, user: CurrentUser, run_id: int, page: Page = 1) -> Response:
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


async def _upload(request: Request, user: Actor, kind: str, file: UploadFile) -> ImportReport:
    """The one call every upload makes: the registry says whether the kind may be uploaded and by whom."""
    content = await file.read(MAX_UPLOAD + 1)
    db, var_dir = request.app.state.db, request.app.state.settings.var_dir
    upload = partial(import_upload, db, kind, file.filename or "upload.csv", content, user, var_dir=var_dir)
    return await run_in_threadpool(upload)


@pages.post("/imports/upload", openapi_extra=UPLOAD)
async def upload_page(
    request: Request,
    user: CurrentUser,
    kind: Annotated[str, Form(max_length=40)],
    file: Annotated[UploadFile, File()],
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Import an uploaded file like `peaceops import KIND FILE`; the run's page lists every rejected line.

    A file refused as a whole goes back to the page it was uploaded from (``back``, a path on this site):
    that page shows why beside its upload form, and what file is expected; the form is ready for another."""
    try:
        report = await _upload(request, user, kind, file)
    except (ImportFileError, ValidationFailed) as exc:
        if not back:
            raise
        spec = REGISTRY.get(kind)
        hint = UPLOAD_HINT.format(description=spec.description) if spec is not None and spec.uploadable else ""
        flash_form_error(request, f"upload-{kind}", str(exc), hint)
        return RedirectResponse(safe_next(back), status_code=303)
    return RedirectResponse(f"/imports/{report.run_id}", status_code=303)


@api.post(
    "/imports/{kind}",
    response_model=ImportReportOut,
    summary="Import an uploaded file of an uploadable kind (multipart field `file`)",
    responses={422: {"model": ErrorOut, "description": "The kind cannot be uploaded, or the file is too large."}},
    openapi_extra=UPLOAD,
)
async def upload_api(request: Request, user: CurrentUser, kind: str, file: Annotated[UploadFile, File()]) -> Any:
    return (await _upload(request, user, kind, file)).as_dict()
