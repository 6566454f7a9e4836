"""Implementation tracking: commitments per agreement, country, status, category or process; one commitment
with its history and the form to record a status change; the implementation chart. Routes parse input and
call ``peaceops.commitments``, which applies the access policy and writes the audit log."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from pydantic import ValidationError
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import Actor
from peaceops.agreements.categories import category_label
from peaceops.agreements.models import Agreement
from peaceops.commitments import tracking
from peaceops.commitments.curves import ALL, GROUPINGS, implementation_curves
from peaceops.commitments.models import STATUS_LABELS, STATUSES
from peaceops.commitments.shapes import CommitmentDetail, CommitmentList, ShareRow
from peaceops.commitments.tracking import StatusDoc
from peaceops.errors import FormInvalid, PeaceopsError, form_invalid
from peaceops.i18n import N_, _
from peaceops.platform import may_upload
from peaceops.web.commitments.charts import STATUS_COLOURS, implementation_chart
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.templating import render
from peaceops.web.view_cache import cached

pages = APIRouter(include_in_schema=False)
api = APIRouter()
AgtId = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="PA-X AgtId of the agreement.")]
Country = Annotated[str | None, Query(max_length=3, description="ISO3 code of a country the agreements concern.")]
Status = Annotated[Literal[STATUSES] | None, Query(description="Current status.")]  # type: ignore[valid-type]
Category = Annotated[str | None, Query(max_length=16, description="PA-X provision category code (Ce, SsrDdr ...).")]
Process = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Peace process id in the registry.")]
By = Annotated[Literal["category", "party"], Query(description="Group the curves by category or by party.")]
FORM_LABELS = {  # in English here, translated when a sentence is made
    "status": N_("status"),
    "changed_on": N_("date the status took effect"),
    "evidence": N_("evidence"),
    "source": N_("source"),
}


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


@api.get("/commitments", response_model=CommitmentList, summary="Commitments of peace agreements, filtered")
def commitments_api(
    session: SessionDep,
    user: CurrentUser,
    agreement: AgtId = None,
    country: Country = None,
    status: Status = None,
    category: Category = None,
    process: Process = None,
) -> CommitmentList:
    return tracking.list_commitments(
        session, agreement=agreement, country=_blank(country), status=status, category=_blank(category),
        process=process,
    )  # fmt: skip


@api.get("/commitments/curves", response_model=list[ShareRow], summary="Implementation curves by category or party")
def curves_api(
    session: SessionDep, user: CurrentUser, agreement: AgtId = None, country: Country = None, by: By = "category"
) -> list[ShareRow]:
    return implementation_curves(session, agreement=agreement, country=_blank(country), by=by)


@api.get("/commitments/{commitment_id}", response_model=CommitmentDetail, summary="One commitment with its history")
def commitment_api(session: SessionDep, user: CurrentUser, commitment_id: int) -> CommitmentDetail:
    return tracking.commitment_detail(session, user, commitment_id)


@api.post(
    "/commitments/{commitment_id}/status",
    response_model=CommitmentDetail,
    status_code=201,
    summary="Record a status change (analysts and administrators)",
)
def record_status_api(session: SessionDep, user: CurrentUser, commitment_id: int, body: StatusDoc) -> CommitmentDetail:
    return tracking.record_status(session, user, commitment_id, body)


def _agreement(session: Any, agreement: int | None) -> Agreement | None:
    if agreement is None:
        return None
    return session.scalar(select(Agreement).where(Agreement.pax_id == agreement))


@pages.get("/commitments")
def commitments_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    agreement: AgtId = None,
    country: Country = None,
    status: Status = None,
    category: Category = None,
    process: Process = None,
) -> Response:
    found = tracking.list_commitments(
        session, agreement=agreement, country=_blank(country), status=status, category=_blank(category),
        process=process, limit=500,
    )  # fmt: skip
    context = {
        "found": found,
        "agreement": _agreement(session, agreement),
        "filters": {"agreement": agreement or "", "country": country or "", "status": status or "",
                    "category": category or "", "process": process or ""},
        "statuses": STATUS_LABELS,
        "colours": STATUS_COLOURS,
        "category_label": category_label,
        "can_upload": may_upload(user, "commitments"),
    }  # fmt: skip
    return render(request, "mediation/commitments.html", context)


@pages.get("/commitments/chart")
def chart_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    agreement: AgtId = None,
    country: Country = None,
    by: By = "category",
) -> Response:
    def compute() -> tuple[list[Any], list[ShareRow]]:
        rows = implementation_curves(session, agreement=agreement, country=_blank(country), by=by)
        groups = list(dict.fromkeys(r.group for r in rows))
        charts = [
            (group, implementation_chart(rows, group, legend=group == ALL, height=220 if group == ALL else 130))
            for group in groups
        ]
        latest = [r for r in rows if r.group == ALL and r.year == max(r.year for r in rows)] if rows else []
        return charts, latest

    # Every reader sees the same curves (commitments are open to all signed-in readers): one entry per filter.
    charts, latest = cached(request, session, "commitments chart", user, (agreement, country, by), compute)
    context = {
        "charts": charts,
        "latest": latest,
        "agreement": _agreement(session, agreement),
        "filters": {"agreement": agreement or "", "country": country or "", "by": by},
        "groupings": GROUPINGS,
        "category_label": category_label,
    }
    return render(request, "mediation/commitments_chart.html", context)


def _detail_page(
    request: Request,
    session: Any,
    user: Actor,
    commitment_id: int,
    *,
    form: dict[str, str] | None = None,
    error: PeaceopsError | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    detail = tracking.commitment_detail(session, user, commitment_id)
    context = {
        "d": detail,
        "c": detail.commitment,
        "form": form or {"status": "", "changed_on": date.today().isoformat(), "evidence": "", "source": ""},
        "error": str(error) if error else None,
        "field_errors": error.fields if isinstance(error, FormInvalid) else {},
        "statuses": STATUS_LABELS,
        "colours": STATUS_COLOURS,
        "notice": saved,
        "today": date.today().isoformat(),
        "category_label": category_label,
    }
    return render(request, "mediation/commitment.html", context, status_code=status_code)


@pages.get("/commitments/{commitment_id}")
def commitment_page(
    request: Request, session: SessionDep, user: CurrentUser, commitment_id: int, saved: str = ""
) -> Response:
    return _detail_page(request, session, user, commitment_id, saved=bool(saved))


@pages.post("/commitments/{commitment_id}")
def record_status_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    commitment_id: int,
    status: Annotated[str, Form(max_length=24)] = "",
    changed_on: Annotated[str, Form(max_length=10)] = "",
    evidence: Annotated[str, Form(max_length=20000)] = "",
    source: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    form = {"status": status, "changed_on": changed_on, "evidence": evidence, "source": source}
    try:
        try:
            doc = StatusDoc(**{k: v for k, v in form.items() if k != "changed_on" or v})
        except ValidationError as exc:
            raise form_invalid(exc.errors(), {k: _(v) for k, v in FORM_LABELS.items()}) from None
        tracking.record_status(session, user, commitment_id, doc)
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code in (403, 404):
            raise
        return _detail_page(request, session, user, commitment_id, form=form, error=exc, status_code=exc.status_code)
    return RedirectResponse(f"/commitments/{commitment_id}?saved=1", status_code=303)
