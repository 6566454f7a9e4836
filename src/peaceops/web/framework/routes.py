"""The A4P / A4P+ framework: versions, commitment areas, priorities and themes, linked both ways."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from peaceops.framework import framework_tree
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.schemas import FrameworkOut
from peaceops.web.templating import render
from peaceops.web.view_cache import cached

pages = APIRouter(include_in_schema=False)
api = APIRouter()


@pages.get("/framework")
def framework_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    def page() -> dict[str, Any]:
        tree = framework_tree(session)
        elements = tree["commitment_areas"] + tree["priorities"] + tree["themes"]
        return {"tree": tree, "titles": {e["code"]: e["title"] for e in elements}}

    return render(request, "missions/framework.html", cached(request, session, "framework", user, (), page))


@api.get("/framework", response_model=FrameworkOut, summary="The A4P and A4P+ framework as data")
def framework_api(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return framework_tree(session)
