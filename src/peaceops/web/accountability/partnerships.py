"""Partnerships: cooperation frameworks monitored through their milestones (overdue computed), and
partner-led or joint operations and support offices with their support arrangements; forms, JSON twins, CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from peaceops.access.policy import Actor, may_edit_shared
from peaceops.i18n import _
from peaceops.partnerships.cooperation import (
    ArrangementInput,
    FrameworkInput,
    MilestoneInput,
    OperationInput,
    add_arrangement,
    add_milestone,
    change_milestone,
    framework_detail,
    list_frameworks,
    list_operations,
    operation_detail,
    overdue_milestones,
    partnerships_overview,
    record_framework,
    record_operation,
)
from peaceops.partnerships.models import (
    MILESTONE_STATUS_LABELS,
    MILESTONE_STATUSES,
    OPERATION_KIND_LABELS,
    SUPPORT_KINDS,
)
from peaceops.web.accountability import partnership_charts as charts
from peaceops.web.accountability.partnership_schemas import (
    ArrangementIn,
    CooperationFrameworkIn,
    CooperationFrameworkOut,
    MilestoneIn,
    MilestoneOut,
    MilestoneStatusIn,
    OperationIn,
    OperationOut,
    OverdueOut,
    PartnershipsOut,
)
from peaceops.web.csv_export import csv_response
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.form_values import form_date, submit
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CSV = {"content": {"text/csv": {}}, "description": "CSV with a header line."}
MILESTONE_FIELDS = "framework title owner due_on status completed_on overdue days_overdue note updated_by".split()
OPERATION_FIELDS = "acronym name kind_label lead host mandate started_on ended_on active arrangements".split()


def _overview_page(
    request: Request,
    session: Session,
    user: Actor,
    *,
    error: str | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    overview = partnerships_overview(session)
    specs = (
        {"milestones": charts.milestones_chart(overview["frameworks"])}
        if any(f["milestones"] for f in overview["frameworks"])
        else {}
    )
    context = {
        "p": overview,
        "charts": specs,
        "can_edit": may_edit_shared(user),
        "kinds": list(OPERATION_KIND_LABELS.items()),
        "error": error,
        "form": form or {},
        "today": date.today().isoformat(),
    }
    return render(request, "accountability/partnerships.html", context, status_code=status_code)


@pages.get("/partnerships")
def partnerships_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _overview_page(request, session, user)


@api.get("/partnerships", response_model=PartnershipsOut, summary="Cooperation frameworks and partner operations")
def partnerships_api(session: SessionDep, user: CurrentUser) -> Any:
    return partnerships_overview(session)


@api.get("/partnerships/overdue", response_model=list[OverdueOut], summary="Open milestones past their due date")
def overdue_api(session: SessionDep, user: CurrentUser) -> Any:
    return overdue_milestones(session)


@api.get("/partnerships/milestones.csv", responses={200: CSV}, summary="Every milestone with its status, as CSV")
def milestones_csv(session: SessionDep, user: CurrentUser) -> Response:
    rows = [{**m, "framework": f["code"]} for f in list_frameworks(session) for m in f["milestones"]]
    return csv_response(rows, MILESTONE_FIELDS, "milestones.csv")


@api.get("/partnerships/operations.csv", responses={200: CSV}, summary="Partner operations, as CSV")
def operations_csv(session: SessionDep, user: CurrentUser) -> Response:
    rows = [
        {**o, "arrangements": [f"{a['provider']} ({a['kind']})" for a in o["arrangements"]]}
        for o in list_operations(session)
    ]
    return csv_response(rows, OPERATION_FIELDS, "partner-operations.csv")


@api.get("/partnerships/frameworks/{framework_id}", response_model=CooperationFrameworkOut, summary="One framework")
def framework_api(session: SessionDep, user: CurrentUser, framework_id: int) -> Any:
    return framework_detail(session, framework_id)


@api.post(
    "/partnerships/frameworks", response_model=CooperationFrameworkOut, status_code=201, summary="Record a framework"
)
def create_framework_api(session: SessionDep, user: CurrentUser, body: CooperationFrameworkIn) -> Any:
    framework = record_framework(session, user, FrameworkInput(**body.model_dump()))
    return framework_detail(session, framework.id)


@api.post(
    "/partnerships/frameworks/{framework_id}/milestones",
    response_model=MilestoneOut,
    status_code=201,
    summary="Add a milestone to a framework",
)
def create_milestone_api(session: SessionDep, user: CurrentUser, framework_id: int, body: MilestoneIn) -> Any:
    milestone = add_milestone(session, user, framework_id, MilestoneInput(**body.model_dump()))
    return next(m for m in framework_detail(session, framework_id)["milestones"] if m["id"] == milestone.id)


@api.post("/partnerships/milestones/{milestone_id}/status", response_model=MilestoneOut, summary="Move a milestone")
def milestone_status_api(session: SessionDep, user: CurrentUser, milestone_id: int, body: MilestoneStatusIn) -> Any:
    milestone = change_milestone(
        session, user, milestone_id, body.status, on=body.on, due_on=body.due_on, note=body.note
    )
    return next(m for m in framework_detail(session, milestone.framework_id)["milestones"] if m["id"] == milestone_id)


@api.get("/partnerships/operations/{operation_id}", response_model=OperationOut, summary="One partner operation")
def operation_api(session: SessionDep, user: CurrentUser, operation_id: int) -> Any:
    return operation_detail(session, operation_id)


@api.post("/partnerships/operations", response_model=OperationOut, status_code=201, summary="Record an operation")
def create_operation_api(session: SessionDep, user: CurrentUser, body: OperationIn) -> Any:
    operation = record_operation(session, user, OperationInput(**body.model_dump()))
    return operation_detail(session, operation.id)


@api.post(
    "/partnerships/operations/{operation_id}/arrangements",
    response_model=OperationOut,
    status_code=201,
    summary="Add a support arrangement to an operation",
)
def create_arrangement_api(session: SessionDep, user: CurrentUser, operation_id: int, body: ArrangementIn) -> Any:
    add_arrangement(session, user, operation_id, ArrangementInput(**body.model_dump()))
    return operation_detail(session, operation_id)


# ------------------------------------------------------------------ HTML forms
@pages.post("/partnerships/frameworks")
def create_framework_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    code: Annotated[str, Form(max_length=40)],
    title: Annotated[str, Form(max_length=200)],
    partner: Annotated[str, Form(max_length=120)],
    signed_on: Annotated[str, Form(max_length=10)] = "",
    description: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    form = {k: v for k, v in locals().items() if k not in ("request", "session", "user")}

    def write() -> Any:
        data = FrameworkInput(
            code, title, partner, form_date(signed_on, _("The signature date"), required=False), description
        )
        return record_framework(session, user, data)

    return submit(
        session,
        write,
        lambda framework: f"/partnerships/frameworks/{framework.id}?saved=1",
        lambda error: _overview_page(
            request, session, user, error=str(error), form=form, status_code=error.status_code
        ),
        passthrough=(403,),
    )


@pages.post("/partnerships/operations")
def create_operation_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    acronym: Annotated[str, Form(max_length=32)],
    name: Annotated[str, Form(max_length=200)],
    kind: Annotated[str, Form(max_length=16)],
    lead: Annotated[str, Form(max_length=120)],
    host: Annotated[str, Form(max_length=3)] = "",
    mandate: Annotated[str, Form(max_length=200)] = "",
    started_on: Annotated[str, Form(max_length=10)] = "",
    ended_on: Annotated[str, Form(max_length=10)] = "",
    description: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    form = {k: v for k, v in locals().items() if k not in ("request", "session", "user")}

    def write() -> Any:
        data = OperationInput(
            acronym=acronym,
            name=name,
            kind=kind,
            lead=lead,
            host=host or None,
            mandate=mandate,
            started_on=form_date(started_on, _("The start date"), required=False),
            ended_on=form_date(ended_on, _("The end date"), required=False),
            description=description,
        )
        return record_operation(session, user, data)

    return submit(
        session,
        write,
        lambda operation: f"/partnerships/operations/{operation.id}?saved=1",
        lambda error: _overview_page(
            request, session, user, error=str(error), form=form, status_code=error.status_code
        ),
        passthrough=(403,),
    )


def _framework_page(
    request: Request,
    session: Session,
    user: Actor,
    framework_id: int,
    *,
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "f": framework_detail(session, framework_id),
        "statuses": [(s, MILESTONE_STATUS_LABELS[s]) for s in MILESTONE_STATUSES],
        "can_edit": may_edit_shared(user),
        "error": error,
        "notice": notice,
        "today": date.today().isoformat(),
    }
    return render(request, "accountability/partnership_framework.html", context, status_code=status_code)


@pages.get("/partnerships/frameworks/{framework_id}")
def framework_page(
    request: Request, session: SessionDep, user: CurrentUser, framework_id: int, saved: str = ""
) -> Response:
    notice = _("Saved; the change is in the audit log.") if saved else None
    return _framework_page(request, session, user, framework_id, notice=notice)


@pages.post("/partnerships/frameworks/{framework_id}/milestones")
def create_milestone_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    framework_id: int,
    title: Annotated[str, Form(max_length=200)],
    owner: Annotated[str, Form(max_length=120)],
    due_on: Annotated[str, Form(max_length=10)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def write() -> Any:
        due = form_date(due_on, _("The due date"))
        assert due is not None
        add_milestone(session, user, framework_id, MilestoneInput(title, owner, due, note))

    return submit(
        session,
        write,
        lambda _: f"/partnerships/frameworks/{framework_id}?saved=1",
        lambda error: _framework_page(
            request, session, user, framework_id, error=str(error), status_code=error.status_code
        ),
        passthrough=(403, 404),
    )


@pages.post("/partnerships/milestones/{milestone_id}/status")
def milestone_status_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    milestone_id: int,
    framework_id: Annotated[int, Form()],
    status: Annotated[str, Form(max_length=16)],
    on: Annotated[str, Form(max_length=10)] = "",
    due_on: Annotated[str, Form(max_length=10)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def write() -> Any:
        change_milestone(
            session,
            user,
            milestone_id,
            status,
            on=form_date(on, _("The completion date"), required=False),
            due_on=form_date(due_on, _("The new due date"), required=False),
            note=note,
        )

    return submit(
        session,
        write,
        lambda _: f"/partnerships/frameworks/{framework_id}?saved=1",
        lambda error: _framework_page(
            request, session, user, framework_id, error=str(error), status_code=error.status_code
        ),
        passthrough=(403, 404),
    )


def _operation_page(
    request: Request,
    session: Session,
    user: Actor,
    operation_id: int,
    *,
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "o": operation_detail(session, operation_id),
        "kinds": SUPPORT_KINDS,
        "can_edit": may_edit_shared(user),
        "error": error,
        "notice": notice,
    }
    return render(request, "accountability/partnership_operation.html", context, status_code=status_code)


@pages.get("/partnerships/operations/{operation_id}")
def operation_page(
    request: Request, session: SessionDep, user: CurrentUser, operation_id: int, saved: str = ""
) -> Response:
    notice = _("Saved; the change is in the audit log.") if saved else None
    return _operation_page(request, session, user, operation_id, notice=notice)


@pages.post("/partnerships/operations/{operation_id}/arrangements")
def create_arrangement_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    operation_id: int,
    provider: Annotated[str, Form(max_length=120)],
    kind: Annotated[str, Form(max_length=16)],
    basis: Annotated[str, Form(max_length=200)] = "",
    started_on: Annotated[str, Form(max_length=10)] = "",
    ended_on: Annotated[str, Form(max_length=10)] = "",
    description: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    def write() -> Any:
        data = ArrangementInput(
            provider=provider,
            kind=kind,
            basis=basis,
            started_on=form_date(started_on, _("The start date"), required=False),
            ended_on=form_date(ended_on, _("The end date"), required=False),
            description=description,
        )
        add_arrangement(session, user, operation_id, data)

    return submit(
        session,
        write,
        lambda _: f"/partnerships/operations/{operation_id}?saved=1",
        lambda error: _operation_page(
            request, session, user, operation_id, error=str(error), status_code=error.status_code
        ),
        passthrough=(403, 404),
    )
