"""Country contribution profiles: personnel over time and the share of women, deaths of nationals in peace
operations, allegations against the country's personnel, and its pledges (open to every role)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from peaceops.countries.profile import countries_list, country_profile
from peaceops.countries.shapes import CountryList, CountryProfile
from peaceops.i18n import _
from peaceops.partnerships.pledges import progress_long
from peaceops.web.accountability import charts, partnership_charts
from peaceops.web.csv_export import csv_response
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.templating import render
from peaceops.web.view_cache import cached

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CSV = {"content": {"text/csv": {}}, "description": "CSV with a header line."}


@pages.get("/countries")
def countries_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    countries = cached(request, session, "countries", user, (), lambda: countries_list(session))
    return render(request, "accountability/countries.html", {"countries": countries})


@api.get("/countries", response_model=CountryList, summary="Contributing countries with their headline figures")
def countries_api(session: SessionDep, user: CurrentUser) -> CountryList:
    return CountryList(countries=countries_list(session))


@api.get("/countries.csv", responses={200: CSV}, summary="Contributing countries as CSV")
def countries_csv(session: SessionDep, user: CurrentUser) -> Response:
    fields = ("iso3", "country", "peak_deployed", "fatalities", "allegations", "pledges")
    return csv_response(countries_list(session), fields, "countries.csv")


@pages.get("/countries/{iso3}")
def country_page(request: Request, session: SessionDep, user: CurrentUser, iso3: str) -> Response:
    profile = country_profile(session, iso3)
    specs: dict[str, Any] = {}
    if profile.personnel_series:
        specs["personnel"] = charts.personnel_chart(profile.personnel_series)
    if profile.women_share_series:
        specs["women"] = charts.women_share_line(profile.women_share_series)
    if profile.fatalities.by_year:
        specs["fatalities"] = charts.fatalities_by_year_chart(
            profile.fatalities.by_year, f"among nationals of {profile.country}"
        )
    if profile.allegations.by_year:
        specs["allegations"] = charts.allegations_by_year_chart(
            profile.allegations.by_year, f"against personnel of {profile.country}"
        )
    if profile.pledges["by_area"]:
        specs["pledges"] = partnership_charts.progress_chart(
            progress_long(profile.pledges["by_area"], "area"),
            _("Pledges of {country} per A4P area, by status.").format(country=profile.country),
        )
    return render(request, "accountability/country.html", {"profile": profile, "charts": specs})


@api.get("/countries/{iso3}", response_model=CountryProfile, summary="One country's contribution profile")
def country_api(session: SessionDep, user: CurrentUser, iso3: str) -> CountryProfile:
    return country_profile(session, iso3)


@api.get("/countries/{iso3}/personnel.csv", responses={200: CSV}, summary="A country's personnel per month, as CSV")
def country_personnel_csv(session: SessionDep, user: CurrentUser, iso3: str) -> Response:
    profile = country_profile(session, iso3)
    fields = ("month", "personnel_type", "label", "total")
    return csv_response(profile.personnel_series, fields, f"personnel-{profile.iso3}.csv")
