"""Regional situation rooms: a page per UN M49 sub-region, its JSON twin and a printable brief (PDF)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from peaceops.regions.room import region_room, regions
from peaceops.reports.pdf import to_pdf
from peaceops.threats import KINDS
from peaceops.web.conflict.routes import KIND_NAMES
from peaceops.web.csv_export import download_headers
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()


ThreatArea = Annotated[str, Query(max_length=24, description="One threat area code: the sections narrowed to it.")]


def _room(
    request: Request, session: SessionDep, user: CurrentUser, code: str, threat_area: ThreatArea = ""
) -> dict[str, Any]:
    return region_room(session, request.app.state.settings.var_dir, user, code, threat_area=threat_area)


@pages.get("/regions")
def regions_page(request: Request, user: CurrentUser) -> Response:
    return render(request, "monitoring/regions.html", {"regions": regions()})


@pages.get("/regions/{code}.pdf")
def region_pdf(
    request: Request, session: SessionDep, user: CurrentUser, code: str, threat_area: ThreatArea = ""
) -> Response:
    room = _room(request, session, user, code, threat_area)
    template = request.app.state.templates.env.get_template("monitoring/region_print.html")
    pdf = to_pdf(template.render(room=room, kind_names=KIND_NAMES, threat_kinds=KINDS, today=date.today().isoformat()))
    name = f"region-{room['code']}-brief-{date.today():%Y-%m-%d}.pdf"
    return Response(pdf, media_type="application/pdf", headers=download_headers(name, inline=True))


@pages.get("/regions/{code}")
def region_page(
    request: Request, session: SessionDep, user: CurrentUser, code: str, threat_area: ThreatArea = ""
) -> Response:
    room = _room(request, session, user, code, threat_area)
    return render(request, "monitoring/region.html", {"room": room, "kind_names": KIND_NAMES, "threat_kinds": KINDS})


@api.get("/regions", summary="The UN M49 sub-regions a situation room can be opened for")
def regions_api(user: CurrentUser) -> dict[str, Any]:
    return {"regions": regions()}


@api.get(
    "/regions/{code}",
    summary="One sub-region's situation room: forecasts and alerts, processes and envoys, missions and partner "
    "operations, agreements, incidents and communications spikes the reader may see",
)
def region_api(
    request: Request, session: SessionDep, user: CurrentUser, code: str, threat_area: ThreatArea = ""
) -> dict[str, Any]:
    return _room(request, session, user, code, threat_area)
