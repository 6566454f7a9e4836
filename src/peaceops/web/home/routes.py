"""The home page: where missions are deployed, the headline figures, and how fresh the data is."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from peaceops.personnel.overview import home_overview
from peaceops.web import maps
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.schemas import HomeOut
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()


@pages.get("/")
def home_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    data = home_overview(session)
    map_spec = maps.mission_map(data["map"], request.app.state.topojson_url)
    return render(request, "overview/home.html", {"home": data, "charts": {"map": map_spec}})


@api.get("/home", response_model=HomeOut, summary="Headline figures, map points and data freshness")
def home_api(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return home_overview(session)
