"""Import runs with their counts, and each run's rejected rows with line number and reason."""

from __future__ import annotations

from functools import partial
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import Actor
from peaceops.errors import ImportFileError, ValidationFailed
from peaceops.i18n import _
from peaceops.platform import MAX_UPLOAD, REGISTRY, UPLOAD_KINDS, expected_file, import_upload
from peaceops.store.provenance import ImportReport, import_run_detail, import_runs
from peaceops.web.dependencies import CurrentUser, Page, SessionDep
from peaceops.web.request_limits import UPLOAD
from peaceops.web.schemas import ErrorOut, ImportReportOut, ImportRunDetailOut, ImportRunsOut
from peaceops.web.security import flash_form_done, flash_form_error, safe_next
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
PAGE_SIZE = 50


@pages.get("/imports")
def imports_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    uploadable = [(name, _(REGISTRY[name].description)) for name in UPLOAD_KINDS]
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


def imported(report: ImportReport, name: str) -> str:
    """What an upload did, in one sentence for the page it came from (the run's page has every line)."""
    message = _("{name} is imported: {inserted} added, {updated} updated, {unchanged} unchanged, {rejected} rejected.")
    return message.format(
        name=name,
        inserted=report.inserted,
        updated=report.updated + report.removed,
        unchanged=report.unchanged,
        rejected=report.rejected,
    )


@pages.post("/imports/upload", openapi_extra=UPLOAD)
async def upload_page(
    request: Request,
    user: CurrentUser,
    kind: Annotated[str, Form(max_length=40)],
    file: Annotated[UploadFile | None, File()] = None,
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Import an uploaded file like `peaceops import KIND FILE`.

    From a page's upload form (``back``, a path on this site), the browser goes back to that page, which
    shows the outcome beside its upload form: what was imported (with a link to the run's page, which lists
    every rejected line), or why the file was refused as a whole and which file is expected; the person stays
    in the section they were working in. Without ``back``, a refusal is the error page and an import the run's
    page."""
    form = f"upload-{kind}"
    if file is None or not file.filename:
        if not back:
            raise ValidationFailed(_("Choose a file to import."), field="file")
        flash_form_error(request, form, _("Choose a file to import."), expected_file(kind))
        return RedirectResponse(safe_next(back), status_code=303)
    try:
        report = await _upload(request, user, kind, file)
    except (ImportFileError, ValidationFailed) as exc:
        if not back:
            raise
        hint = getattr(exc, "hint", "") or (expected_file(kind) if kind in UPLOAD_KINDS else "")
        flash_form_error(request, form, str(exc), hint)
        return RedirectResponse(safe_next(back), status_code=303)
    if not back:
        return RedirectResponse(f"/imports/{report.run_id}", status_code=303)
    flash_form_done(
        request, form, imported(report, PurePath(report.source.replace("\\", "/")).name), f"/imports/{report.run_id}"
    )
    return RedirectResponse(safe_next(back), status_code=303)


@api.post(
    "/imports/{kind}",
    response_model=ImportReportOut,
    summary="Import an uploaded file of an uploadable kind (multipart field `file`)",
    responses={422: {"model": ErrorOut, "description": "The kind cannot be uploaded, or the file is too large."}},
    openapi_extra=UPLOAD,
)
async def upload_api(request: Request, user: CurrentUser, kind: str, file: Annotated[UploadFile, File()]) -> Any:
    return (await _upload(request, user, kind, file)).as_dict()
