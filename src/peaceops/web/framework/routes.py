"""The A4P / A4P+ framework: versions, commitment areas, priorities and themes, linked both ways."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from peaceops.framework import framework_tree
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.schemas import FrameworkOut
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()


@pages.get("/framework")
def framework_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    tree = framework_tree(session)
    elements = tree["commitment_areas"] + tree["priorities"] + tree["themes"]
    titles = {e["code"]: e["title"] for e in elements}
    return render(request, "missions/framework.html", {"tree": tree, "titles": titles})


@api.get("/framework", response_model=FrameworkOut, summary="The A4P and A4P+ framework as data")
def framework_api(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return framework_tree(session)
