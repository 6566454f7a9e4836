"""Situational awareness: the incident map, timeline and weekly counts, the report form, each incident's
page with its workflow, and the JSON API, CSV/GeoJSON exports and CSV import behind them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse, RedirectResponse, Response

from peaceops.access import compartments
from peaceops.access.policy import Actor, own_mission
from peaceops.conflict.pipeline import month_start
from peaceops.errors import FormInvalid, NotFound, PeaceopsError, PermissionDenied, ValidationFailed
from peaceops.i18n import N_, _
from peaceops.incidents import access, analysis, duplicates, gazetteer, reports, taxonomy, verification, views
from peaceops.incidents.importing import import_incidents
from peaceops.incidents.models import (
    CASUALTY_FIELDS,
    CREDIBILITY,
    GROUPS,
    HARMS,
    NAMES,
    PRECISIONS,
    RELIABILITY,
    SOURCE_TYPES,
    STATUSES,
    GazetteerPlace,
    Incident,
)
from peaceops.missions.lookup import mission_by_acronym
from peaceops.missions.models import Mission
from peaceops.web.basemap import WATER_URL, basemap_url
from peaceops.web.charts import chart, count_axis, period_axis
from peaceops.web.csv_export import csv_response, download_headers
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.incidents.schemas import (
    ReportCategoryIn,
    ReportDetailOut,
    ReportEditIn,
    ReportImportOut,
    ReportIn,
    ReportMapOut,
    ReportMergeIn,
    ReportsOut,
    ReportStepIn,
    ReportWeeklyOut,
)
from peaceops.web.request_limits import UPLOAD
from peaceops.web.templating import render
from peaceops.web.view_cache import cached, serialized

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CSV = {"content": {"text/csv": {}}, "description": "CSV with a header line."}
GEOJSON = {"content": {"application/geo+json": {}}, "description": "GeoJSON FeatureCollection of points."}
PAGE_ROWS = 200


def _day(text: str | None, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            _("{name} {value} is not a date (YYYY-MM-DD).").format(name=name, value=repr(text))
        ) from None


def filters_dep(
    mission: str | None = None,
    start: Annotated[str | None, Query(description="First day, YYYY-MM-DD")] = None,
    end: Annotated[str | None, Query(description="Last day, YYYY-MM-DD")] = None,
    category: str | None = None,
    actor: str | None = None,
    status: Annotated[str | None, Query(description="One status; empty: all but merged")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
    threat_area: Annotated[str | None, Query(max_length=24, description="One threat area code")] = None,
) -> views.Filters:
    return views.Filters(
        mission=mission or None,
        start=_day(start, "start"),
        end=_day(end, "end"),
        category=category or None,
        actor=actor or None,
        status=status or None,
        bbox=views.parse_bbox(bbox),
        threat_area=threat_area or None,
    )


FiltersDep = Annotated[views.Filters, Depends(filters_dep)]


def _input(body: ReportIn) -> reports.IncidentInput:
    return reports.IncidentInput(**body.model_dump(exclude={"submit", "reason"}))


def _missions(session: Session, user: Actor) -> list[Mission]:
    own = access.scope(user)
    query = select(Mission).order_by(Mission.acronym)
    query = query.where(Mission.acronym == own) if own else query.where(Mission.active.is_(True))
    return list(session.scalars(query))


def _query_string(filters: views.Filters) -> str:
    pairs = [(k, v) for k, v in filters.__dict__.items() if v and k != "bbox"]
    return urlencode([(k, v.isoformat() if isinstance(v, date) else v) for k, v in pairs])


# ------------------------------------------------------------------ API (fixed paths before /{id})
@api.get("/incidents", response_model=ReportsOut, summary="Incidents the user may read, filtered")
def incidents_api(session: SessionDep, user: CurrentUser, filters: FiltersDep, limit: int = 1000) -> Any:
    rows = views.incident_rows(session, user, filters, how="api", limit=min(max(limit, 1), 10000))
    return {"incidents": rows, "threat_areas": views.threat_area_counts(session, user, filters)}


@api.get("/incidents.csv", responses={200: CSV}, summary="Incidents the user may read, as CSV")
def incidents_csv(session: SessionDep, user: CurrentUser, filters: FiltersDep) -> Response:
    rows = views.incident_rows(session, user, filters, how="csv export")
    rows = [{**r, "threat_areas": ";".join(r["threat_areas"])} for r in rows]  # as the import reads them
    return csv_response(rows, views.CSV_FIELDS, "incidents.csv")


@api.get("/incidents.geojson", responses={200: GEOJSON}, summary="Incidents the user may read, as GeoJSON")
def incidents_geojson(session: SessionDep, user: CurrentUser, filters: FiltersDep) -> Response:
    rows = views.incident_rows(session, user, filters, how="geojson export")
    return JSONResponse(
        views.geojson(rows),
        media_type="application/geo+json",
        headers=download_headers("incidents.geojson"),
    )


@api.get("/incidents/map", response_model=ReportMapOut, summary="Compact points for the incident map")
def map_api(session: SessionDep, user: CurrentUser, filters: FiltersDep) -> Any:
    points = views.map_points(session, user, filters)
    return {**points, "basemaps": [url for url in map(basemap_url, points["countries"]) if url]}


@api.get("/incidents/weekly", response_model=ReportWeeklyOut, summary="Incidents per admin-1 area and week")
def weekly_api(session: SessionDep, user: CurrentUser, filters: FiltersDep) -> Any:
    return views.weekly_counts(session, user, filters)


def _readable_mission(session: Session, user: Actor, mission: str | None) -> Mission:
    """The mission named (or the user's own), refused when its incidents are outside the user's scope."""
    name = mission or access.scope(user)
    if not name:
        raise ValidationFailed(_("Say which mission: ?mission=ACRONYM."))
    target = mission_by_acronym(session, name)
    access.check_read_mission(user, target.acronym)
    return target


@api.get("/incidents/beside-ucdp", summary="Published reports per month beside UCDP GED events in the host country")
def beside_ucdp_api(request: Request, session: SessionDep, user: CurrentUser, mission: str | None = None) -> Any:
    target = _readable_mission(session, user, mission)
    rows = analysis.beside_ucdp(session, user, target, request.app.state.settings.var_dir)
    return {"mission": target.acronym, "host_iso3": target.host_iso3, "months": rows}


@dataclass
class MissionPanel:
    mission: str
    level: str
    frame: Any  # pandas DataFrame: the panel's rows

    def rows(self) -> list[dict[str, Any]]:
        out = self.frame.astype(object).where(self.frame.notna(), None)
        out["month"] = [m.strftime("%Y-%m") for m in self.frame["month"]]
        return out.to_dict(orient="records")


def _mission_panel(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    mission: str | None = None,
    level: Annotated[str, Query(pattern="^(cm|pgm)$")] = "cm",
    start: Annotated[str | None, Query(description="First month, YYYY-MM")] = None,
) -> MissionPanel:
    """The panel a request asks for, shared by the JSON and CSV routes."""
    target = _readable_mission(session, user, mission)
    first = month_start(start) if start else None
    frame = analysis.mission_panel(session, user, target, request.app.state.settings.var_dir, level, first)
    return MissionPanel(target.acronym, level, frame)


PanelDep = Annotated[MissionPanel, Depends(_mission_panel)]
PANEL_HELP = (
    "The host country's monthly panel (cm) or its PRIO-GRID cells (pgm), with every event feature, and the "
    "mission's published reports beside it in mission_reports and mission_deaths (never added to the event "
    "counts). Event columns are empty in months the loaded event files do not cover."
)


@api.get(
    "/incidents/panel", summary="The mission's conflict panel, its reports beside the events", description=PANEL_HELP
)
def panel_api(panel: PanelDep) -> Any:
    return {"mission": panel.mission, "level": panel.level, "columns": list(panel.frame.columns), "rows": panel.rows()}


@api.get(
    "/incidents/panel.csv", responses={200: CSV}, summary="The mission's conflict panel as CSV", description=PANEL_HELP
)
def panel_csv(panel: PanelDep) -> Response:
    return csv_response(panel.rows(), list(panel.frame.columns), f"{panel.mission.lower()}-panel-{panel.level}.csv")


@api.get("/incidents/taxonomy", summary="A mission's categories and subcategories")
def taxonomy_api(session: SessionDep, user: CurrentUser, mission: str | None = None) -> Any:
    target = _readable_mission(session, user, mission)
    return {"mission": target.acronym, "categories": taxonomy.taxonomy_tree(session, target)}


@api.post("/incidents/taxonomy", status_code=201, summary="Add or change a category of a mission's taxonomy")
def category_api(session: SessionDep, user: CurrentUser, body: ReportCategoryIn) -> Any:
    mission = access.reporting_mission(session, user, body.mission)
    taxonomy.save_category(
        session,
        mission,
        user,
        code=body.code,
        label=body.label,
        parent=body.parent,
        sensitive=body.sensitive,
        required_fields=body.required_fields,
    )
    return {"mission": mission.acronym, "categories": taxonomy.taxonomy_tree(session, mission)}


@api.get("/incidents/gazetteer", summary="Places and admin-1 areas whose name starts with q")
def gazetteer_api(session: SessionDep, user: CurrentUser, q: str, mission: str | None = None) -> Any:
    own = access.scope(user) or mission
    country = mission_by_acronym(session, own).host_iso3 if own else None
    return {"places": gazetteer.search(session, country, q)}


@api.post("/incidents/gazetteer/rebuild", summary="Rebuild the gazetteer from the event store (analysts, admins)")
def gazetteer_rebuild_api(request: Request, session: SessionDep, user: CurrentUser) -> Any:
    from peaceops.access.policy import check_editor

    check_editor(user, "the gazetteer")
    return gazetteer.build_gazetteer(session, request.app.state.settings.var_dir, user.username)


@api.post(
    "/incidents/import",
    response_model=ReportImportOut,
    summary="Import incidents from CSV (the request body)",
    openapi_extra=UPLOAD,
)
async def import_api(request: Request, session: SessionDep, user: CurrentUser, mission: str | None = None) -> Any:
    result = import_incidents(session, user, mission, await request.body(), source="api upload")
    return result.as_dict()


@api.post("/incidents", response_model=ReportDetailOut, status_code=201, summary="File an incident report")
def create_api(request: Request, session: SessionDep, user: CurrentUser, body: ReportIn) -> Any:
    incident = reports.file_incident(session, user, _input(body))
    if body.submit:
        verification.transition(session, user, incident.id, "submit")
    return reports.detail(session, user, incident.id)


@api.get("/incidents/{incident_id}", response_model=ReportDetailOut, summary="One incident with its history")
def incident_api(session: SessionDep, user: CurrentUser, incident_id: int) -> Any:
    return reports.detail(session, user, incident_id)


@api.put("/incidents/{incident_id}", response_model=ReportDetailOut, summary="Edit a report (versions kept)")
def edit_api(request: Request, session: SessionDep, user: CurrentUser, incident_id: int, body: ReportEditIn) -> Any:
    reports.edit_incident(session, user, incident_id, _input(body), body.reason)
    return reports.detail(session, user, incident_id)


@api.get("/incidents/{incident_id}/duplicates", summary="Possible duplicates: same category, within km and hours")
def duplicates_api(
    session: SessionDep,
    user: CurrentUser,
    incident_id: int,
    km: float = duplicates.DEFAULT_KM,
    hours: float = duplicates.DEFAULT_HOURS,
) -> Any:
    return {"km": km, "hours": hours, "duplicates": duplicates.find_duplicates(session, user, incident_id, km, hours)}


@api.post("/incidents/{incident_id}/merge", response_model=ReportDetailOut, summary="Merge a duplicate into it")
def merge_api(request: Request, session: SessionDep, user: CurrentUser, incident_id: int, body: ReportMergeIn) -> Any:
    duplicates.merge(session, user, incident_id, body.duplicate_id, body.note)
    return reports.detail(session, user, incident_id)


@api.post(
    "/incidents/{incident_id}/{action}",
    response_model=ReportDetailOut,
    summary="Workflow step: submit, verify, reject (with a reason) or publish",
)
def transition_api(
    request: Request, session: SessionDep, user: CurrentUser, incident_id: int, action: str, body: ReportStepIn
) -> Any:
    verification.transition(session, user, incident_id, action, body.note)
    return reports.detail(session, user, incident_id)


# ------------------------------------------------------------------ pages
def _timeline_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    days = sorted(r["occurred_at"][:10] for r in rows)
    first = date.fromisoformat(days[0]) - timedelta(days=3)
    last = date.fromisoformat(days[-1]) + timedelta(days=3)
    return chart(
        _("Incidents per day, coloured by category."),
        180,
        data={"values": views.timeline(rows)},
        mark={"type": "bar", "tooltip": True},
        encoding={
            "x": {
                "field": "day",
                "type": "temporal",
                "title": None,
                "timeUnit": "yearmonthdate",
                "scale": {"domain": [first.isoformat(), last.isoformat()]},
            },
            "y": {
                "field": "count",
                "type": "quantitative",
                "title": _("Incidents"),
                "stack": True,
                "axis": count_axis(),
            },
            "color": {
                "field": "category",
                "type": "nominal",
                "title": _("Category"),
                "legend": {"orient": "bottom", "columns": 3},
            },
        },
    )


def _beside_chart(rows: list[dict[str, Any]], host: str | None) -> dict[str, Any]:
    labels = {
        "mission_reports": _("Mission reports (published)"),
        "ucdp_events": _("UCDP GED events ({country})").format(country=host),
    }
    values = [
        {"month": r["month"], "series": labels[key], "count": r[key]}
        for r in rows
        for key in labels
        if r[key] is not None
    ]
    months = sorted(v["month"] for v in values)
    axis = period_axis(str(months[0]), str(months[-1])) if months else period_axis("", "")
    return chart(
        _("Published mission reports per month beside UCDP GED events in the host country."),
        200,
        data={"values": values},
        mark={"type": "line", "point": True, "tooltip": True},
        encoding={
            "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": None, "axis": axis},
            "y": {"field": "count", "type": "quantitative", "title": _("Per month"), "axis": count_axis()},
            "color": {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
        },
    )


@pages.get("/incidents")
def incidents_page(request: Request, session: SessionDep, user: CurrentUser, filters: FiltersDep) -> Response:
    context = cached(
        request, session, "incidents", user, astuple(filters), lambda: _incidents(request, session, user, filters)
    )
    return render(request, "monitoring/incidents.html", {**context, "filters": filters, "names": NAMES})


def _incidents(request: Request, session: Session, user: Actor, filters: views.Filters) -> dict[str, Any]:
    missions = _missions(session, user)
    selected = next((m for m in missions if filters.mission and m.acronym == filters.mission.upper()), None)
    if selected is None and len(missions) == 1:
        selected = missions[0]
    rows = views.incident_rows(session, user, filters, how="page", limit=PAGE_ROWS)
    weekly = views.weekly_counts(session, user, filters)
    query = _query_string(filters)
    centre = [selected.hq_longitude, selected.hq_latitude] if selected and selected.hq_longitude is not None else None
    beside = analysis.beside_ucdp(session, user, selected, request.app.state.settings.var_dir) if selected else []
    specs: dict[str, Any] = {"timeline": _timeline_chart(rows)} if rows else {}
    if any(r["ucdp_events"] is not None for r in beside):
        specs["beside"] = _beside_chart(beside, selected.host_iso3 if selected else None)
    options = views.filter_options(session, user, selected)
    return {
        "missions": missions,
        "selected": selected,
        "options": options,
        "map_labels": _map_labels(options["categories"]),
        "water_url": WATER_URL,
        "rows": rows,
        "weekly": weekly,
        "area_counts": views.threat_area_counts(session, user, filters),
        "query": query,
        "map_url": "/api/incidents/map" + (f"?{query}" if query else ""),
        "centre": centre,
        "charts": serialized(specs),
        "beside": beside,
        "page_rows": PAGE_ROWS,
        "can_upload": _can_report(user),
    }


def _map_labels(categories: list[tuple[str, str]]) -> dict[str, Any]:
    """The incident map's words, in the reader's language, for static/incidents.js (which has none of its own)."""
    return {
        "incident": _("Incident {id}"),
        "count": _("Incidents on the map: {count}."),
        "truncated": _("Incidents on the map: {count} (the newest only)."),
        "error": _("The map could not be drawn: {error}"),
        "categories": dict(categories),
        "statuses": {code: _(NAMES[code]) for code in STATUSES if code in NAMES},
    }


def _can_report(user: Actor) -> bool:
    try:
        access.check_reporter(user)
    except PeaceopsError:
        return False
    return True


def _form(
    request: Request,
    session: Session,
    user: Actor,
    *,
    form: dict[str, Any] | None = None,
    error: PeaceopsError | None = None,
    status_code: int = 200,
    editing: dict[str, Any] | None = None,
) -> Response:
    """The report form, empty for a new report or, with ``editing`` (the stored report, already checked
    for edit rights), for changing that report. A FormInvalid ``error`` is shown as a short summary above
    the form and each field's sentence beside that field."""
    if editing is None:
        missions = _missions(session, user)
        access.check_reporter(user)
        chosen = ((form or {}).get("mission") or (missions[0].acronym if len(missions) == 1 else "")).upper()
    else:
        missions = [mission_by_acronym(session, editing["mission"])]
        chosen = editing["mission"]
    mission = next((m for m in missions if m.acronym == chosen), None)
    if chosen and mission is None:
        access.check_reporting_for(user, chosen)  # another mission's form: refused, naming the user's own
    tree = taxonomy.taxonomy_tree(session, mission) if mission else []
    places: list[str] = []
    actors: list[str] = []
    if mission is not None:
        if mission.host_iso3:
            places = list(
                session.scalars(
                    select(GazetteerPlace.name)
                    .where(GazetteerPlace.country_iso3 == mission.host_iso3)
                    .order_by(GazetteerPlace.events.desc())
                    .limit(600)
                )
            )
        actors = views.filter_options(session, user, mission)["actors"]
    now = datetime.now()
    context = {
        "missions": missions,
        "mission": mission,
        "taxonomy": tree,
        "extra_fields": taxonomy.EXTRA_FIELDS,
        "places": sorted(places),
        "actors": actors,
        "casualty_groups": GROUPS,
        "harms": HARMS,
        "names": NAMES,
        "casualty_labels": reports.CASUALTY_LABELS,
        "precisions": PRECISIONS,
        "source_types": SOURCE_TYPES,
        "reliability": RELIABILITY,
        "credibility": CREDIBILITY,
        "form": form
        or {"mission": chosen, "date": now.date().isoformat(), "time": now.strftime("%H:%M"), "precision": "hour"},
        "centre": [mission.hq_longitude, mission.hq_latitude] if mission and mission.hq_longitude is not None else None,
        "basemaps": [url for url in [basemap_url(mission.host_iso3 if mission else None)] if url],
        "water_url": WATER_URL,
        "error": (error.summary() if isinstance(error, FormInvalid) else str(error)) if error else None,
        "field_errors": error.fields if isinstance(error, FormInvalid) else {},
        "editing": editing,
        "form_action": f"/incidents/{editing['id']}/edit" if editing else "/incidents",
    }
    return render(request, "monitoring/incident_form.html", context, status_code=status_code)


def _form_fields(raw: Any) -> dict[str, str]:
    """The posted report form as one string per field; the threat area boxes ticked become one ``;`` list."""
    form = {k: str(v) for k, v in raw.items()}
    form["threat_areas"] = ";".join(str(v) for v in raw.getlist("threat_areas"))
    return form


def _form_input(form: dict[str, str]) -> reports.IncidentInput:
    """The report form's fields as the domain's input (the same for filing and editing)."""
    return reports.IncidentInput(
        mission=form.get("mission") or None,
        occurred_at=f"{day} {form.get('time') or '00:00'}" if (day := form.get("date", "").strip()) else "",
        precision=form.get("precision", "hour"),
        longitude=form.get("longitude") or None,
        latitude=form.get("latitude") or None,
        place=form.get("place") or None,
        category=form.get("category", ""),
        subcategory=form.get("subcategory") or None,
        actors=[a for a in form.get("actors", "").split(";") if a.strip()],
        casualties={name: form.get(name, "") for name in CASUALTY_FIELDS},
        extra={name: form.get(f"extra_{name}", "") for name in taxonomy.EXTRA_FIELDS},
        description=form.get("description", ""),
        source_type=form.get("source_type", ""),
        reliability=form.get("reliability", ""),
        credibility=form.get("credibility", ""),
        threat_areas=form.get("threat_areas", ""),
    )


def _prefill(incident: dict[str, Any]) -> dict[str, str]:
    """The stored report in the form's field names, so the edit form opens with the current values."""
    when = str(incident["occurred_at"])
    form = {
        "mission": incident["mission"],
        "date": when[:10],
        "time": when[11:16],
        "precision": incident["precision"],
        "longitude": "" if incident["longitude"] is None else str(incident["longitude"]),
        "latitude": "" if incident["latitude"] is None else str(incident["latitude"]),
        "place": incident["place_name"] or "",
        "category": incident["category"] or "",
        "subcategory": incident["subcategory"] or "",
        "actors": "; ".join(incident["actors"]),
        "description": incident["description"] or "",
        "source_type": incident["source_type"],
        "reliability": incident["reliability"],
        "credibility": str(incident["credibility"]),
        "threat_areas": ";".join(incident["threat_areas"]),
    }
    form |= {name: str(incident[name]) for name in CASUALTY_FIELDS if incident[name]}
    form |= {f"extra_{name}": str(value) for name, value in incident["extra"].items()}
    return form


def _editing(session: Session, user: Actor, incident_id: int) -> dict[str, Any]:
    """The edit rule (mission, compartment, not merged) for the report, and what the form shows about
    it: status, version, whether a version is kept and whether a reason is required."""
    row = session.get(Incident, incident_id)
    mission = session.get(Mission, row.mission_id) if row is not None else None
    if row is None or mission is None:
        raise NotFound(_("There is no incident {id}.").format(id=incident_id))
    access.check_reporting_for(user, mission.acronym)  # first: the refusal names only the user's own mission
    access.check_read_mission(user, mission.acronym)
    if row.compartment:
        compartments.require(user.compartments, row.compartment, _("Incident {id}").format(id=row.id))
    reports.check_edit(session, user, row, mission)
    return {
        "id": row.id,
        "mission": mission.acronym,
        "status": row.status,
        "version": row.version,
        "needs_reason": reports.needs_reason(row),
        "keeps_version": row.status != "draft",
    }


def _taxonomy_page(
    request: Request,
    session: Session,
    user: Actor,
    mission: str | None,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    missions = _missions(session, user)
    name = mission or (missions[0].acronym if len(missions) == 1 else None)
    target = mission_by_acronym(session, name) if name else None
    if target is not None:
        access.check_read_mission(user, target.acronym)
    context = {
        "missions": missions,
        "mission": target,
        "taxonomy": taxonomy.taxonomy_tree(session, target) if target else [],
        "extra_fields": taxonomy.EXTRA_FIELDS,
        "error": error,
    }
    return render(request, "monitoring/incident_taxonomy.html", context, status_code=status_code)


@pages.get("/incidents/taxonomy")
def taxonomy_page(request: Request, session: SessionDep, user: CurrentUser, mission: str | None = None) -> Response:
    return _taxonomy_page(request, session, user, mission)


@pages.post("/incidents/taxonomy")
async def taxonomy_form(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """Add a category or subcategory (or change one) in the mission's taxonomy."""
    raw = await request.form()
    mission = str(raw.get("mission") or "") or None
    try:
        target = access.reporting_mission(session, user, mission)
        taxonomy.save_category(
            session,
            target,
            user,
            code=str(raw.get("code") or ""),
            label=str(raw.get("label") or ""),
            parent=str(raw.get("parent") or "") or None,
            sensitive=raw.get("sensitive") == "on",
            required_fields=[str(v) for v in raw.getlist("required_fields")],
        )
    except PeaceopsError as exc:
        session.rollback()
        return _taxonomy_page(request, session, user, mission, error=str(exc), status_code=exc.status_code)
    return RedirectResponse(f"/incidents/taxonomy?mission={target.acronym}", status_code=303)


@contextmanager
def _back_to_own_mission(user: Actor) -> Iterator[None]:
    """A refused report form points a mission officer to their own mission's form and incidents."""
    try:
        yield
    except PermissionDenied as exc:
        own = own_mission(user)
        if own:
            exc.next_steps = (
                (_("Report an incident for {mission}").format(mission=own), "/incidents/new"),
                (_("{mission}'s incidents").format(mission=own), f"/incidents?mission={own}"),
            )
        raise


@pages.get("/incidents/new")
def new_page(request: Request, session: SessionDep, user: CurrentUser, mission: str | None = None) -> Response:
    with _back_to_own_mission(user):
        return _form(request, session, user, form={"mission": mission} if mission else None)


@pages.post("/incidents")
async def create_form(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """The report form: every field is read here and checked by the domain (reports.validate)."""
    raw = await request.form()
    form = _form_fields(raw)
    data = _form_input(form)
    try:
        with _back_to_own_mission(user):
            incident = reports.file_incident(session, user, data)
        if form.get("action") == "submit":
            verification.transition(session, user, incident.id, "submit")
    except PermissionDenied:
        raise
    except PeaceopsError as exc:
        session.rollback()
        return _form(request, session, user, form=form, error=exc, status_code=exc.status_code)
    return RedirectResponse(f"/incidents/{incident.id}?filed=1", status_code=303)


def _incident_page(
    request: Request,
    session: Session,
    user: Actor,
    incident_id: int,
    *,
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
    km: float = duplicates.DEFAULT_KM,
    hours: float = duplicates.DEFAULT_HOURS,
) -> Response:
    incident = reports.detail(session, user, incident_id)
    row = session.get(Incident, incident_id)
    assert row is not None
    dupes = duplicates.find_duplicates(session, user, incident_id, km, hours) if incident["status"] != "merged" else []
    mission = session.get(Mission, row.mission_id)
    assert mission is not None
    context = {
        "incident": incident,
        "can_edit": reports.may_edit(session, user, row, mission),
        "actions": verification.allowed_actions(row, user),
        "duplicates": dupes,
        "km": km,
        "hours": hours,
        "casualty_groups": GROUPS,
        "harms": HARMS,
        "reliability": RELIABILITY,
        "credibility": CREDIBILITY,
        "extra_fields": taxonomy.EXTRA_FIELDS,
        "names": NAMES,
        "error": error,
        "notice": notice,
    }
    return render(request, "monitoring/incident.html", context, status_code=status_code)


NOTICES = {
    "filed": N_("The report is saved."),
    "moved": N_("The workflow step is recorded."),
    "merged": N_("The duplicate is merged into this incident."),
    "edited": N_("The changes are saved."),
}


@pages.get("/incidents/{incident_id}")
def incident_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    incident_id: int,
    done: str = "",
    filed: str = "",
    km: float = duplicates.DEFAULT_KM,
    hours: float = duplicates.DEFAULT_HOURS,
) -> Response:
    notice = NOTICES["filed"] if filed else NOTICES.get(done)
    notice = _(notice) if notice else None
    with _back_to_own_mission(user):  # another mission's link: say why, and point to the officer's own
        return _incident_page(request, session, user, incident_id, notice=notice, km=km, hours=hours)


@pages.get("/incidents/{incident_id}/edit")
def edit_page(request: Request, session: SessionDep, user: CurrentUser, incident_id: int) -> Response:
    """The report form filled with the stored report; only for those who may edit it (checked before any of
    the report is read)."""
    with _back_to_own_mission(user):
        editing = _editing(session, user, incident_id)
    incident = reports.detail(session, user, incident_id)  # mission and compartment checked, reads audited
    return _form(request, session, user, form=_prefill(incident), editing=editing)


@pages.post("/incidents/{incident_id}/edit")
async def edit_form(request: Request, session: SessionDep, user: CurrentUser, incident_id: int) -> Response:
    """Save the edit form. A refused edit (rights, unknown report) raises and shows no data; invalid input
    comes back on the form as typed, with the message, and nothing is changed."""
    raw = await request.form()
    form = _form_fields(raw)
    try:
        with _back_to_own_mission(user):
            _editing(session, user, incident_id)  # refused before anything of the report is read
            reports.edit_incident(session, user, incident_id, _form_input(form), form.get("reason", ""))
    except (PermissionDenied, NotFound):
        raise
    except PeaceopsError as exc:
        session.rollback()
        editing = _editing(session, user, incident_id)
        form["mission"] = editing["mission"]
        return _form(request, session, user, form=form, editing=editing, error=exc, status_code=exc.status_code)
    return RedirectResponse(f"/incidents/{incident_id}?done=edited", status_code=303)


@pages.post("/incidents/{incident_id}/step")
def step_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    incident_id: int,
    action: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        verification.transition(session, user, incident_id, action, note)
    except ValidationFailed as exc:
        session.rollback()
        return _incident_page(request, session, user, incident_id, error=str(exc), status_code=exc.status_code)
    return RedirectResponse(f"/incidents/{incident_id}?done=moved", status_code=303)


@pages.post("/incidents/{incident_id}/merge")
def merge_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    incident_id: int,
    duplicate_id: Annotated[int, Form()],
) -> Response:
    try:
        duplicates.merge(session, user, incident_id, duplicate_id)
    except ValidationFailed as exc:
        session.rollback()
        return _incident_page(request, session, user, incident_id, error=str(exc), status_code=exc.status_code)
    return RedirectResponse(f"/incidents/{incident_id}?done=merged", status_code=303)
