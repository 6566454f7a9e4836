"""The home page: where missions are deployed, the headline figures, and how fresh the data is."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import check_full_access, is_partner
from peaceops.personnel.overview import home_overview
from peaceops.web import maps
from peaceops.web.dependencies import AnyUser, CurrentUser, SessionDep
from peaceops.web.schemas import HomeOut
from peaceops.web.templating import render
from peaceops.web.view_cache import cached, serialized

pages = APIRouter(include_in_schema=False)
api = APIRouter()


@pages.get("/")
def home_page(request: Request, session: SessionDep, user: AnyUser) -> Response:
    if is_partner(user):  # a partner account's home is its organisation's helpdesk requests
        return RedirectResponse("/helpdesk", status_code=303)
    check_full_access(user)
    context = cached(request, session, "home", user, (), lambda: _home(request, session))
    return render(request, "overview/home.html", context)


def _home(request: Request, session: Session) -> dict[str, Any]:
    data = home_overview(session)
    return {"home": data, "charts": serialized({"map": maps.mission_map(data["map"], request.app.state.topojson_url)})}


@api.get("/home", response_model=HomeOut, summary="Headline figures, map points and data freshness")
def home_api(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return home_overview(session)
