"""The job queue for administrators: what runs, what waits, what failed and why; queue a monitoring run,
a retraining or an embedding; retry a failed job (decision 051).

Imports are queued from the command line only (`peaceops jobs import KIND FILE`): a job reads a file the
workers can see, and a web form that named a server path would let anyone signed in as an administrator
make the server read any file it can.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from peaceops.errors import NotFound
from peaceops.i18n import N_, _
from peaceops.jobs import submit
from peaceops.store import jobs
from peaceops.web.dependencies import AdminUser, SessionDep
from peaceops.web.security import flash
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()

WEB_KINDS: dict[str, str] = {
    "monitor": N_("Monitoring run (forecasts and alerts)"),
    "retrain": N_("Retrain the communications classifiers"),
    "embed": N_("Embed new agreements for search"),
}
KIND_LABELS: dict[str, str] = {"import": N_("File import"), **WEB_KINDS}
STATUS_LABELS: dict[str, str] = {
    "queued": N_("Queued"),
    "running": N_("Running"),
    "done": N_("Done"),
    "failed": N_("Failed"),
}


class JobOut(BaseModel):
    id: int
    kind: str
    status: str = Field(description="queued, running, done or failed")
    actor: str
    attempts: int
    max_attempts: int
    step: str = Field(description="What the job is doing now")
    done_units: int
    total_units: int | None
    created_at: Any
    started_at: Any | None
    finished_at: Any | None
    run_after: Any = Field(description="A queued job waits until then (back-off after a failed attempt)")
    error: str = Field(description="Why the last attempt failed")
    result: dict[str, Any]


class JobsOut(BaseModel):
    jobs: list[JobOut]


class JobIn(BaseModel):
    kind: Literal["monitor", "retrain", "embed"]
    level: Literal["all", "cm", "pgm"] = "all"


def _out(job: jobs.Job) -> dict[str, Any]:
    fields = {name: getattr(job, name) for name in JobOut.model_fields if name != "result"}
    return {**fields, "result": job.summary}


def _params(kind: str, level: str) -> dict[str, Any]:
    return {"level": level} if kind == "monitor" else {}


@pages.get("/admin/jobs")
def jobs_page(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    rows = [_out(job) for job in jobs.recent(session)]
    context = {
        "jobs": rows,
        "kinds": [(kind, _(label)) for kind, label in WEB_KINDS.items()],
        "kind_labels": {kind: _(label) for kind, label in KIND_LABELS.items()},
        "status_labels": {status: _(label) for status, label in STATUS_LABELS.items()},
        "active": any(row["status"] in ("queued", "running") for row in rows),
    }
    return render(request, "data/admin_jobs.html", context)


@pages.post("/admin/jobs")
def queue_form(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    kind: Annotated[Literal["monitor", "retrain", "embed"], Form()],
    level: Annotated[Literal["all", "cm", "pgm"], Form()] = "all",
) -> Response:
    job = submit(session, kind, _params(kind, level), admin.username)
    flash(request, _("Job {id} is queued; this page shows its progress.").format(id=job.id))
    return RedirectResponse("/admin/jobs", status_code=303)


@pages.post("/admin/jobs/{job_id}/retry")
def retry_form(request: Request, session: SessionDep, admin: AdminUser, job_id: int) -> Response:
    if jobs.retry(session, job_id) is None:
        raise NotFound(_("There is no failed job {id} to retry.").format(id=job_id))
    flash(request, _("Job {id} is queued again.").format(id=job_id))
    return RedirectResponse("/admin/jobs", status_code=303)


@api.get(
    "/admin/jobs", response_model=JobsOut, summary="The newest jobs with status and progress (administrators only)"
)
def jobs_api(session: SessionDep, admin: AdminUser) -> dict[str, Any]:
    return {"jobs": [_out(job) for job in jobs.recent(session)]}


@api.post("/admin/jobs", response_model=JobOut, status_code=201, summary="Queue a job (administrators only)")
def queue_api(session: SessionDep, admin: AdminUser, body: JobIn) -> dict[str, Any]:
    job = submit(session, body.kind, _params(body.kind, body.level), admin.username)
    return _out(job)
