"""Member State pledges: progress by country, by A4P area and by type, the record of each pledge with its
audited status history, forms to record and move them, JSON twins and CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from pydantic import BeforeValidator, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from peaceops.access.policy import Actor, check_editor, may_edit_shared
from peaceops.errors import PeaceopsError
from peaceops.framework.models import FrameworkElement
from peaceops.geography.codes import country_choices, country_name
from peaceops.i18n import _
from peaceops.partnerships.models import PLEDGE_STATUS_LABELS, PLEDGE_STATUSES, PLEDGE_TYPE_LABELS
from peaceops.partnerships.pledges import (
    PledgeInput,
    change_pledge_status,
    list_pledges,
    pledge_detail,
    pledge_progress,
    progress_long,
    record_pledge,
)
from peaceops.web.accountability import partnership_charts as charts
from peaceops.web.accountability.partnership_schemas import (
    PledgeDetailOut,
    PledgeIn,
    PledgesOut,
    PledgeStatusIn,
    ProgressOut,
)
from peaceops.web.accountability.schemas import CountryQuery
from peaceops.web.csv_export import csv_response
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.form_values import FormReader, form_date, form_problem, submit
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CSV = {"content": {"text/csv": {}}, "description": "CSV with a header line."}
CSV_FIELDS = (
    "id country_iso3 country event pledged_on area area_title pledge_type title quantity unit status status_since "
    "evidence created_by"
).split()
WHAT = "pledges"


def _blank(value: object) -> object:
    return None if value == "" else value


TextQuery = Annotated[Annotated[str, Field(max_length=32)] | None, BeforeValidator(_blank), Query()]


def _areas(session: Session) -> list[tuple[str, str]]:
    return [
        (code, f"{code} {_(title)}")
        for code, title in session.execute(
            select(FrameworkElement.code, FrameworkElement.title).order_by(FrameworkElement.id)
        )
    ]


def _pledges(
    session: Session, country: str | None, area: str | None, status: str | None, pledge_type: str | None
) -> dict[str, Any]:
    pledges = list_pledges(session, country=country, area=area, status=status, pledge_type=pledge_type)
    return {"pledges": pledges, "progress": pledge_progress(session, "country")}


@pages.get("/pledges")
def pledges_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    country: CountryQuery = None,
    area: TextQuery = None,
    status: TextQuery = None,
    pledge_type: TextQuery = None,
) -> Response:
    data = _pledges(session, country, area, status, pledge_type)
    areas = _areas(session)
    by_area = pledge_progress(session, "area")
    named = dict(areas)  # each area's code and title in the current language
    by_area["rows"] = [{**r, "label": named.get(r["area"], r["label"])} for r in by_area["rows"]]
    by_type = pledge_progress(session, "pledge_type")
    specs: dict[str, Any] = {}
    if data["progress"]["rows"]:
        specs["countries"] = charts.progress_chart(
            progress_long(data["progress"]["rows"], "country"), _("Pledges per pledging country, by status.")
        )
        specs["areas"] = charts.progress_chart(
            progress_long(by_area["rows"], "area"), _("Pledges per A4P / A4P+ area, by status.")
        )
    filters = {"country": country, "area": area, "status": status, "pledge_type": pledge_type}
    context = {
        **data,
        "by_area": by_area,
        "by_type": by_type,
        "charts": specs,
        "filters": filters,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "areas": areas,
        "statuses": [(s, PLEDGE_STATUS_LABELS[s]) for s in PLEDGE_STATUSES],
        "types": list(PLEDGE_TYPE_LABELS.items()),
        "can_edit": may_edit_shared(user),
    }
    return render(request, "accountability/pledges.html", context)


@api.get("/pledges", response_model=PledgesOut, summary="Pledges (filtered) and progress by country")
def pledges_api(
    session: SessionDep,
    user: CurrentUser,
    country: CountryQuery = None,
    area: TextQuery = None,
    status: TextQuery = None,
    pledge_type: TextQuery = None,
) -> Any:
    return _pledges(session, country, area, status, pledge_type)


@api.get("/pledges/progress", response_model=ProgressOut, summary="Pledges by country, area, type or event")
def progress_api(session: SessionDep, user: CurrentUser, by: str = "country", country: CountryQuery = None) -> Any:
    return pledge_progress(session, by, country=country)


@api.get("/pledges.csv", responses={200: CSV}, summary="Pledges (filtered), as CSV")
def pledges_csv(
    session: SessionDep,
    user: CurrentUser,
    country: CountryQuery = None,
    area: TextQuery = None,
    status: TextQuery = None,
    pledge_type: TextQuery = None,
) -> Response:
    rows = list_pledges(session, country=country, area=area, status=status, pledge_type=pledge_type)
    return csv_response(rows, CSV_FIELDS, "pledges.csv")


@api.get("/pledges/{pledge_id}", response_model=PledgeDetailOut, summary="One pledge and its status history")
def pledge_api(session: SessionDep, user: CurrentUser, pledge_id: int) -> Any:
    return pledge_detail(session, pledge_id)


@api.post("/pledges", response_model=PledgeDetailOut, status_code=201, summary="Record a pledge")
def create_pledge_api(session: SessionDep, user: CurrentUser, body: PledgeIn) -> Any:
    pledge = record_pledge(session, user, PledgeInput(**body.model_dump()))
    return pledge_detail(session, pledge.id)


@api.post("/pledges/{pledge_id}/status", response_model=PledgeDetailOut, summary="Change a pledge's status")
def pledge_status_api(session: SessionDep, user: CurrentUser, pledge_id: int, body: PledgeStatusIn) -> Any:
    change_pledge_status(session, user, pledge_id, body.status, body.effective_on, body.note, body.evidence)
    return pledge_detail(session, pledge_id)


def _form(
    request: Request,
    session: Session,
    user: Actor,
    *,
    form: dict[str, Any] | None = None,
    error: PeaceopsError | None = None,
) -> Response:
    check_editor(user, WHAT)
    context = {
        "areas": _areas(session),
        "countries": country_choices(),
        "types": [(code, _(label)) for code, label in PLEDGE_TYPE_LABELS.items()],
        "form": form or {"pledged_on": date.today().isoformat()},
        "today": date.today().isoformat(),
        **form_problem(error),
    }
    status_code = error.status_code if error else 200
    return render(request, "accountability/pledge_form.html", context, status_code=status_code)


@pages.get("/pledges/new")
def new_pledge_page(request: Request, session: SessionDep, user: CurrentUser, country: CountryQuery = None) -> Response:
    form = {"pledged_on": date.today().isoformat(), "country": (country or "").upper()}
    return _form(request, session, user, form=form)


@pages.post("/pledges")
def create_pledge_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    country: Annotated[str, Form(max_length=3)],
    event: Annotated[str, Form(max_length=160)],
    pledged_on: Annotated[str, Form(max_length=10)],
    area: Annotated[str, Form(max_length=32)],
    pledge_type: Annotated[str, Form(max_length=16)],
    title: Annotated[str, Form(max_length=200)],
    quantity: Annotated[str, Form(max_length=20)] = "",
    unit: Annotated[str, Form(max_length=40)] = "",
    evidence: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Record a pledge as announced; record_pledge checks the role and writes the audit entry."""
    form = {k: v for k, v in locals().items() if k not in ("request", "session", "user")}

    def write() -> Any:
        read = FormReader()  # a field that cannot be read is told with every other problem of the pledge
        day = read.date("pledged_on", pledged_on, _("The pledge date"))
        amount = read.number("quantity", quantity, _("The quantity"))
        data = PledgeInput(
            country=country,
            event=event,
            pledged_on=day or date.today(),
            area=area,
            pledge_type=pledge_type,
            title=title,
            quantity=amount,
            unit=unit,
            evidence=evidence,
        )
        return record_pledge(session, user, data, read.problems)

    return submit(
        session,
        write,
        lambda pledge: f"/pledges/{pledge.id}?recorded=1",
        lambda error: _form(request, session, user, form=form, error=error),
    )


def _pledge_page(
    request: Request,
    session: Session,
    user: Actor,
    pledge_id: int,
    *,
    error: PeaceopsError | None = None,
    notice: str | None = None,
    move: dict[str, str] | None = None,
) -> Response:
    pledge = pledge_detail(session, pledge_id)
    status_code = error.status_code if error else 200
    context = {
        "pledge": pledge,
        "statuses": [(s, PLEDGE_STATUS_LABELS[s]) for s in PLEDGE_STATUSES if s != pledge["status"]],
        "today": date.today().isoformat(),
        **form_problem(error),
        "move": move or {},
        "notice": notice,
        "can_edit": may_edit_shared(user),
        "country_known": country_name(pledge["country_iso3"]) is not None,
    }
    return render(request, "accountability/pledge.html", context, status_code=status_code)


@pages.get("/pledges/{pledge_id}")
def pledge_page(
    request: Request, session: SessionDep, user: CurrentUser, pledge_id: int, recorded: str = "", moved: str = ""
) -> Response:
    notice = _("The pledge is recorded.") if recorded else (_("The status is changed.") if moved else None)
    return _pledge_page(request, session, user, pledge_id, notice=notice)


@pages.post("/pledges/{pledge_id}/status")
def pledge_status_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    pledge_id: int,
    status: Annotated[str, Form(max_length=16)],
    effective_on: Annotated[str, Form(max_length=10)],
    note: Annotated[str, Form(max_length=2000)] = "",
    evidence: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    move = {"status": status, "effective_on": effective_on, "note": note, "evidence": evidence}

    def write() -> Any:
        day = form_date(effective_on, _("The date"), name="effective_on")
        assert day is not None
        change_pledge_status(session, user, pledge_id, status, day, note, evidence)

    return submit(
        session,
        write,
        lambda _: f"/pledges/{pledge_id}?moved=1",
        lambda error: _pledge_page(request, session, user, pledge_id, error=error, move=move),
        passthrough=(403,),
    )
