"""Conduct and discipline: allegations of sexual exploitation and abuse in aggregate for everyone, and the
allegation records for the roles allowed to read them (page, JSON twin and CSV export alike)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from peaceops.access.policy import Actor
from peaceops.conduct.analysis import conduct_summary
from peaceops.conduct.models import Allegation
from peaceops.conduct.overview import conduct_overview
from peaceops.conduct.rates import allegation_rates
from peaceops.conduct.records import RECORD_FIELDS, allegation_detail, allegation_records
from peaceops.conduct.shapes import AllegationDetail, AllegationRecords, AllegationSummary, ConductOverview
from peaceops.i18n import _
from peaceops.web.accountability import charts
from peaceops.web.accountability.schemas import CountryQuery, MissionQuery, YearQuery
from peaceops.web.csv_export import csv_response
from peaceops.web.dependencies import CurrentUser, Offset, Page, SessionDep
from peaceops.web.templating import render
from peaceops.web.view_cache import cached, serialized

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CSV = {"content": {"text/csv": {}}, "description": "CSV with a header line."}
PAGE_SIZE = 50
TOP = 15
RATE_FIELDS = ("mission", "year", "months_covered", "personnel_years", "allegations", "per_1000", "per_1000_interval")


def _options(session: Session) -> tuple[list[str], list[int]]:
    missions = [r.value("mission") for r in conduct_summary(session, "mission").rows]
    years = sorted({m.year for m in session.scalars(select(Allegation.reported_month).distinct())}, reverse=True)
    return missions, years


@pages.get("/conduct")
def conduct_page(
    request: Request, session: SessionDep, user: CurrentUser, mission: MissionQuery = None, year: YearQuery = None
) -> Response:
    context = cached(request, session, "conduct", user, (mission, year), lambda: _conduct(session, user, mission, year))
    return render(request, "accountability/conduct.html", context)


def _conduct(session: Session, user: Actor, mission: str | None, year: int | None) -> dict[str, Any]:
    conduct = conduct_overview(session, user, mission=mission, year=year)
    scope = _("in {mission}").format(mission=conduct.mission) if conduct.mission else _("in all missions")
    specs: dict[str, Any] = {}
    if conduct.by_year:
        specs["years"] = charts.allegations_by_year_chart(conduct.by_year, scope)
        specs["outcomes"] = charts.outcomes_chart(conduct.outcomes.by_year)
    if any(r.median_days is not None for r in conduct.timeliness.by_year):
        specs["timeliness"] = charts.timeliness_chart(conduct.timeliness.by_year, conduct.timeliness.prompt_days)
    if conduct.by_mission and not conduct.mission:
        specs["missions"] = charts.horizontal_bars(
            _("Allegations by mission, the fifteen with most."),
            conduct.by_mission[:TOP],
            "mission",
            "count",
            _("Allegations"),
            label_title=_("Mission"),
        )
    named = [r for r in conduct.by_country if r.value("country")]
    if named:
        specs["countries"] = charts.horizontal_bars(
            _("Allegations by country of the personnel involved, the fifteen with most."),
            named[:TOP],
            "name",
            "count",
            _("Allegations"),
            "#CC79A7",
            label_title=_("Country"),
        )
    missions, years = _options(session)
    query = urlencode({k: v for k, v in (("mission", conduct.mission), ("year", year)) if v})
    return {
        "conduct": conduct,
        "charts": serialized(specs),
        "missions": missions,
        "years": years,
        "query": query,
        "top": TOP,
    }


@api.get(
    "/conduct", response_model=ConductOverview, summary="Allegations of sexual exploitation and abuse in aggregate"
)
def conduct_api(
    session: SessionDep, user: CurrentUser, mission: MissionQuery = None, year: YearQuery = None
) -> ConductOverview:
    return conduct_overview(session, user, mission=mission, year=year)


@api.get(
    "/conduct/summary",
    response_model=AllegationSummary,
    summary="Allegations grouped by mission, year, personnel category, country, allegation category or outcome",
)
def conduct_summary_api(
    session: SessionDep, user: CurrentUser, by: str = "mission", mission: MissionQuery = None, year: YearQuery = None
) -> AllegationSummary:
    return conduct_summary(session, by, mission=mission, year=year)


@api.get("/conduct/summary.csv", responses={200: CSV}, summary="The allegations summary as CSV")
def conduct_summary_csv(
    session: SessionDep, user: CurrentUser, by: str = "mission", mission: MissionQuery = None, year: YearQuery = None
) -> Response:
    summary = conduct_summary(session, by, mission=mission, year=year)
    fields = [by, *(["name"] if by == "country" else []), "count", "substantiated", "pending", "child_victims"]
    return csv_response(summary.rows, fields, f"allegations-by-{by}.csv")


@api.get("/conduct/rates.csv", responses={200: CSV}, summary="Allegations per 1,000 deployed by mission and year")
def conduct_rates_csv(
    session: SessionDep, user: CurrentUser, mission: MissionQuery = None, year: YearQuery = None
) -> Response:
    return csv_response(allegation_rates(session, mission=mission, year=year), RATE_FIELDS, "allegation-rates.csv")


# ------------------------------------------------------------------ records (role-restricted)
@pages.get("/conduct/allegations")
def allegations_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    mission: MissionQuery = None,
    year: YearQuery = None,
    country: CountryQuery = None,
    page: Page = 1,
) -> Response:
    records = allegation_records(
        session, user, mission=mission, year=year, country=country, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    missions, years = cached(request, session, "conduct filters", user, (), lambda: _options(session))
    if records.scope:
        missions = [records.scope]
    filters = {"mission": records.mission if not records.scope else None, "year": year, "country": country}
    query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "records": records,
        "page": page,
        "pages": max(1, -(-records.total // PAGE_SIZE)),
        "missions": missions,
        "years": years,
        "query": query,
    }
    return render(request, "accountability/conduct_allegations.html", context)


@api.get("/conduct/allegations", response_model=AllegationRecords, summary="Allegation records the user may read")
def allegations_api(
    session: SessionDep,
    user: CurrentUser,
    mission: MissionQuery = None,
    year: YearQuery = None,
    country: CountryQuery = None,
    offset: Offset = 0,
    limit: Annotated[int | None, Query(ge=1, le=5000)] = None,
) -> AllegationRecords:
    return allegation_records(session, user, mission=mission, year=year, country=country, offset=offset, limit=limit)


@api.get("/conduct/allegations.csv", responses={200: CSV}, summary="Allegation records the user may read, as CSV")
def allegations_csv(
    session: SessionDep,
    user: CurrentUser,
    mission: MissionQuery = None,
    year: YearQuery = None,
    country: CountryQuery = None,
) -> Response:
    records = allegation_records(session, user, mission=mission, year=year, country=country)
    return csv_response(records.rows, RECORD_FIELDS, "allegations.csv")


@api.get("/conduct/allegations/{allegation_id}", response_model=AllegationDetail, summary="One allegation")
def allegation_api(session: SessionDep, user: CurrentUser, allegation_id: int) -> AllegationDetail:
    return allegation_detail(session, user, allegation_id)
