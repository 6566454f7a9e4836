"""Strategic communications: overview (models, narratives, alerts, tasks), review queue, items, lexicon.

Every signed-in user reads the items in their scope (comms/scope.py: analysts and administrators every
mission's, mission officers their own mission's and the shared pool, viewers the pool); ``?mission=``
narrows any page or answer to one mission. Analysts and administrators decide and edit the lexicon;
they import for any mission, mission officers for their own. Author handles show only to holders of
the ``comms:authors`` compartment (everyone else sees the keyed hash).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import Actor, check_editor, may_edit_shared, own_mission
from peaceops.comms import classifier, items, lexicon, narratives, privacy, review, spikes, threats
from peaceops.comms.models import ITEM_STATUS_NAMES, CommsItem, CommsNarrative
from peaceops.comms.scope import Scope, check_item, mission_acronym, scope_for
from peaceops.comms.shapes import ItemImport
from peaceops.errors import ImportFileError, NotFound, PeaceopsError
from peaceops.framework.threat_areas import check_threat_area
from peaceops.i18n import _
from peaceops.sources.tabular import decode
from peaceops.web import charts
from peaceops.web.csv_export import csv_response
from peaceops.web.dependencies import CurrentUser, Offset, Page, SessionDep
from peaceops.web.form_values import form_date
from peaceops.web.request_limits import UPLOAD
from peaceops.web.security import flash_form_error
from peaceops.web.templating import render
from peaceops.web.view_cache import cached

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CSV = {"content": {"text/csv": {}}, "description": "CSV with a header line."}
QUEUE_FIELDS = (
    "id status language source provenance label score gold_label lexicon_terms narrative threat_areas author text"
).split()
ThreatArea = Annotated[str, Query(max_length=24, description="One threat area code: only what is tagged with it.")]
LEXICON_FIELDS = "term language country_iso3 variants meaning why_harmful severity source active".split()


class CommsItemIn(BaseModel):
    text: str = Field(min_length=1, max_length=items.MAX_TEXT)
    source: str = Field(min_length=1, max_length=80)
    external_id: str = ""
    language: str = ""
    platform: str = ""
    author: str = ""
    posted_at: str = ""
    place: str = ""
    country_iso3: str = ""
    latitude: float | None = None
    longitude: float | None = None
    url: str = ""
    mission: str = Field("", description="Acronym of the mission the item was collected for; empty: the shared pool.")
    threat_areas: list[str] | None = Field(None, description="Threat area codes; left out: a stored item's stay.")


class CommsReviewIn(BaseModel):
    action: str = Field(description="confirm, dismiss or escalate")
    label: str = ""
    note: str = ""
    task_title: str = ""
    task_owner: str = ""
    task_due: date | None = None


class CommsTermIn(BaseModel):
    term: str
    language: str
    country_iso3: str = ""
    variants: list[str] = []
    meaning: str = ""
    why_harmful: str = ""
    severity: int = 2


class CommsTaskStatusIn(BaseModel):
    status: str


class ThreatAreasIn(BaseModel):
    threat_areas: list[str] = Field(
        description="Threat area codes (organised_crime, terrorism, climate_security, hybrid_threats, cyber); "
        "an empty list removes every tag."
    )


def _secret(request: Request) -> bytes:
    return privacy.author_key(request.app.state.settings.session_secret)


def _var_dir(request: Request) -> Any:
    return request.app.state.settings.var_dir


def overview(request: Request, session: Session, scope: Scope, threat_area: str = "") -> dict[str, Any]:
    visible = scope.where()
    area = check_threat_area(threat_area)
    return {
        "mission": scope.mission,
        "threat_area": area,
        "threat_areas": {
            "items": threats.item_counts(session, visible),
            "narratives": threats.narrative_counts(session, visible),
        },
        "timing": spikes.timing_summary(session, visible),
        "provenance": review.provenance_counts(session, visible),
        "queue_counts": review.queue(session, frozenset(), limit=0, visible=visible)["counts"],
        "models": classifier.model_infos(_var_dir(request)),
        "narratives": narratives.list_narratives(session, visible, area),
        "alerts": spikes.alerts(session, _var_dir(request), visible),
        "tasks": review.list_tasks(session, visible),
        "spike_rule": _(
            "A harmful narrative (≥50% hate/offensive items) spikes on a day with at least max({minimum}, "
            "mean + {z}×max(sd, 1)) items, mean and sd over the {window} days before."
        ).format(minimum=spikes.MIN_COUNT, z=f"{spikes.Z:g}", window=spikes.WINDOW),
    }


def _lexicon_report(result: lexicon.LexiconImport) -> dict[str, Any]:
    return {
        "rows_read": result.rows_read,
        "added": result.added,
        "unchanged": result.unchanged,
        "updated": result.updated,
        "rejected": [{"line": line, "reason": reason} for line, reason in result.rejected],
    }


def _can_import(user: Actor) -> bool:
    return may_edit_shared(user) or own_mission(user) is not None


def _import_mission(user: Actor, mission: str) -> str:
    """The import's default mission: the one asked for, else a mission officer's own (never the pool)."""
    if not _can_import(user):
        check_editor(user, "monitored items")  # refuses, saying who may import
    if not mission and not may_edit_shared(user):
        return (user.mission or "").upper()
    return mission.strip().upper()


def _ingest(
    request: Request, session: Session, user: Actor, content: str, fmt: str, mission: str = "", source: str = ""
) -> ItemImport:
    default = _import_mission(user, mission)
    result = items.import_text(
        session, user.username, content, fmt, author_key=_secret(request), who=user, mission=default, source=source
    )
    if result.added:
        items.regroup_duplicates(session)
        classifier.score_items(session, classifier.current_models(_var_dir(request)))
    return result


# ------------------------------------------------------------------ pages
@pages.get("/comms")
def comms_page(
    request: Request, session: SessionDep, user: CurrentUser, mission: str = "", threat_area: ThreatArea = ""
) -> Response:
    scope = scope_for(session, user, mission)
    o = cached(
        request, session, "comms", user, (scope, threat_area), lambda: overview(request, session, scope, threat_area)
    )
    return render(
        request, "monitoring/comms.html", {"o": o, "can_edit": may_edit_shared(user), "can_import": _can_import(user)}
    )


@pages.get("/comms/queue")
def queue_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    status: str = "flagged",
    language: str = "",
    page: Page = 1,
    mission: str = "",
    threat_area: ThreatArea = "",
) -> Response:
    scope = scope_for(session, user, mission)
    asked = (scope, status, language, page, threat_area)
    q = cached(
        request,
        session,
        "comms queue",
        user,
        asked,
        lambda: review.queue(
            session, user.compartments, status=status, language=language, limit=25, offset=(page - 1) * 25,
            visible=scope.where(), threat_area=threat_area,
        ),
    )  # fmt: skip
    context = {
        "q": q,
        "area_counts": threats.item_counts(session, scope.where()),
        "held_out": review.provenance_counts(session, scope.where()).get("held_out", 0),
        "page": page,
        "language": language,
        "mission": scope.mission,
        "can_edit": may_edit_shared(user),
        "labels": review.LABELS,
        "saved": request.query_params.get("saved"),
        "status_names": ITEM_STATUS_NAMES,
    }
    return render(request, "monitoring/comms_queue.html", context)


@pages.post("/comms/items/{item_id}/review")
def review_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    item_id: int,
    action: Annotated[str, Form(max_length=16)],
    label: Annotated[str, Form(max_length=24)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    task_owner: Annotated[str, Form(max_length=80)] = "",
    task_due: Annotated[str, Form(max_length=10)] = "",
    back: Annotated[str, Form(max_length=200)] = "/comms/queue",
) -> Response:
    due = form_date(task_due, _("The task's due date"), required=False)
    review.decide(session, user, item_id, review.Decision(action, label, note, "", task_owner, due))
    target = back if back.startswith("/comms") else "/comms/queue"
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}saved={item_id}", status_code=303)


@pages.get("/comms/items/{item_id}")
def item_page(request: Request, session: SessionDep, user: CurrentUser, item_id: int) -> Response:
    item = _item(session, user, item_id)
    context = {
        "i": item,
        "reviews": review.reviews_of(session, item_id),
        "can_edit": may_edit_shared(user),
        "may_tag": threats.may_tag_item(user, item["mission"]),
        "tagged": bool(request.query_params.get("tagged")),
        "labels": review.LABELS,
        "status_names": ITEM_STATUS_NAMES,
    }
    return render(request, "monitoring/comms_item.html", context)


@pages.post("/comms/items/{item_id}/threat-areas")
def item_threat_areas_form(
    session: SessionDep,
    user: CurrentUser,
    item_id: int,
    threat_areas: Annotated[list[str] | None, Form()] = None,
) -> Response:
    threats.tag_item(session, user, item_id, threat_areas or [])
    return RedirectResponse(f"/comms/items/{item_id}?tagged=1", status_code=303)


@pages.post("/comms/narratives/{narrative_id}/threat-areas")
def narrative_threat_areas_form(
    session: SessionDep,
    user: CurrentUser,
    narrative_id: int,
    threat_areas: Annotated[list[str] | None, Form()] = None,
) -> Response:
    threats.tag_narrative(session, user, narrative_id, threat_areas or [])
    return RedirectResponse(f"/comms/narratives/{narrative_id}?tagged=1", status_code=303)


@pages.get("/comms/narratives/{narrative_id}")
def narrative_page(
    request: Request, session: SessionDep, user: CurrentUser, narrative_id: int, mission: str = ""
) -> Response:
    n = _narrative(session, user, narrative_id, mission)
    chart = None
    if n["series"]["days"]:
        chart = charts.chart(
            _("Bar chart of the narrative's items per day."),
            180,
            data={"values": n["series"]["days"]},
            mark={"type": "bar"},
            encoding={
                "x": {
                    "field": "day",
                    "type": "temporal",
                    "title": _("Day"),
                    "axis": {"format": "%-d %b %Y", "labelOverlap": "greedy", "labelSeparation": 8},
                },
                "y": {"field": "items", "type": "quantitative", "title": _("Items"), "axis": charts.count_axis()},
            },
        )
    context = {
        "n": n,
        "charts": {"volume": chart} if chart else {},
        "status_names": ITEM_STATUS_NAMES,
        "may_tag": may_edit_shared(user),
        "tagged": bool(request.query_params.get("tagged")),
    }
    return render(request, "monitoring/comms_narrative.html", context)


@pages.get("/comms/lexicon")
def lexicon_page(request: Request, session: SessionDep, user: CurrentUser, language: str = "") -> Response:
    context = {
        "terms": cached(
            request, session, "lexicon", user, language, lambda: lexicon.list_terms(session, language or None)
        ),
        "language": language,
        "can_edit": may_edit_shared(user),
        "severities": lexicon.SEVERITY_LABELS,
        "report": None,
        "error": None,
    }
    return render(request, "monitoring/comms_lexicon.html", context)


@pages.post("/comms/lexicon")
def lexicon_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    term: Annotated[str, Form(max_length=200)],
    language: Annotated[str, Form(max_length=8)],
    country_iso3: Annotated[str, Form(max_length=3)] = "",
    variants: Annotated[str, Form(max_length=2000)] = "",
    meaning: Annotated[str, Form(max_length=2000)] = "",
    why_harmful: Annotated[str, Form(max_length=2000)] = "",
    severity: Annotated[int, Form()] = 2,
) -> Response:
    check_editor(user, "lexicon terms")
    try:
        lexicon.upsert_term(
            session,
            user.username,
            lexicon.TermInput(
                term,
                language,
                country_iso3,
                tuple(variants.split("|")),
                meaning,
                why_harmful,
                severity,
                "entered in peaceops",
            ),
        )
    except PeaceopsError as exc:
        session.rollback()
        context = {
            "terms": lexicon.list_terms(session),
            "language": "",
            "can_edit": True,
            "severities": lexicon.SEVERITY_LABELS,
            "report": None,
            "error": str(exc),
        }
        return render(request, "monitoring/comms_lexicon.html", context, status_code=exc.status_code)
    return RedirectResponse("/comms/lexicon?saved=1", status_code=303)


@pages.post("/comms/lexicon/{term_id}/deactivate")
def lexicon_deactivate_form(request: Request, session: SessionDep, user: CurrentUser, term_id: int) -> Response:
    check_editor(user, "lexicon terms")
    lexicon.deactivate_term(session, user.username, term_id)
    return RedirectResponse("/comms/lexicon?saved=1", status_code=303)


@pages.post("/comms/lexicon/import", openapi_extra=UPLOAD)
async def lexicon_import_form(
    request: Request, session: SessionDep, user: CurrentUser, file: Annotated[UploadFile, File()]
) -> Response:
    check_editor(user, "lexicon terms")
    content = decode(await file.read())  # a line that is not UTF-8 is rejected alone
    error, report = None, None
    try:
        report = _lexicon_report(lexicon.import_csv(session, user.username, content, source=file.filename or ""))
    except ImportFileError as exc:
        error = str(exc)
    context = {
        "terms": lexicon.list_terms(session),
        "language": "",
        "can_edit": True,
        "severities": lexicon.SEVERITY_LABELS,
        "report": report,
        "error": error,
    }
    return render(request, "monitoring/comms_lexicon.html", context, status_code=400 if error else 200)


@pages.post("/comms/items/import", openapi_extra=UPLOAD)
async def items_import_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    file: Annotated[UploadFile | None, File()] = None,
    fmt: Annotated[str, Form(max_length=8)] = "",
    mission: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Import and score items; the report page lists what was added and every rejected line. A file refused as
    a whole goes back to the communications page, which says why beside its import form, and which file is
    expected."""
    name = (file.filename or "") if file is not None else ""
    if file is None or not name:
        flash_form_error(request, "comms-items", _("Choose a file to import."), items.expected_items())
        return RedirectResponse("/comms#import-title", status_code=303)
    content = decode(await file.read())  # a line that is not UTF-8 is rejected alone
    fmt = fmt or ("jsonl" if name.endswith((".jsonl", ".json")) else "csv")
    try:
        report = _ingest(request, session, user, content, fmt, mission, source=name)
    except ImportFileError as exc:
        session.rollback()
        flash_form_error(request, "comms-items", str(exc), items.expected_items())
        return RedirectResponse("/comms#import-title", status_code=303)
    return render(request, "monitoring/comms_import.html", {"report": report, "error": None, "filename": name})


@pages.post("/comms/tasks/{task_id}/status")
def task_status_form(
    request: Request, session: SessionDep, user: CurrentUser, task_id: int, status: Annotated[str, Form(max_length=16)]
) -> Response:
    review.move_task(session, user, task_id, status)
    return RedirectResponse("/comms#tasks", status_code=303)


# ------------------------------------------------------------------ helpers shared by pages and API
def _item(session: Session, user: Actor, item_id: int) -> dict[str, Any]:
    item = session.get(CommsItem, item_id)
    if item is None or item.provenance == "training":  # training rows are learnt from, never shown
        raise NotFound(_("There is no item {id}.").format(id=item_id))
    check_item(scope_for(session, user), item, mission_acronym(session, item.mission_id))
    return review.item_view(session, item, user.compartments)


def _narrative(session: Session, user: Actor, narrative_id: int, mission: str = "") -> dict[str, Any]:
    n = session.get(CommsNarrative, narrative_id)
    if n is None:
        raise NotFound(_("There is no narrative {id}.").format(id=narrative_id))
    from sqlalchemy import func, select

    visible = scope_for(session, user, mission).where()
    query = select(CommsItem).where(CommsItem.narrative_id == n.id)
    if visible is not None:
        query = query.where(visible)
        if not session.scalar(select(func.count()).select_from(query.subquery())):
            raise NotFound(_("Narrative {id} has no item you can read here.").format(id=narrative_id))
    members = session.scalars(query.order_by(CommsItem.score.desc().nulls_last(), CommsItem.id).limit(100))
    return {
        "id": n.id,
        "label": n.label,
        "language": n.language,
        "terms": n.terms,
        "harmful_share": n.harmful_share,
        "method": n.method,
        "threat_areas": threats.narrative_areas(session, [n.id]).get(n.id, []),
        "series": spikes.series(session, n.id, visible),
        "items": [review.item_view(session, i, user.compartments) for i in members],
    }


# ------------------------------------------------------------------ JSON API
@api.get(
    "/comms", summary="Models, narratives, spike alerts, response tasks, timing coverage and counts by threat area"
)
def comms_api(
    request: Request, session: SessionDep, user: CurrentUser, mission: str = "", threat_area: ThreatArea = ""
) -> dict[str, Any]:
    return overview(request, session, scope_for(session, user, mission), threat_area)


@api.get("/comms/queue", summary="Items waiting for review, most harmful first")
def queue_api(
    session: SessionDep,
    user: CurrentUser,
    status: str = "flagged",
    language: str = "",
    limit: Annotated[int, Query(ge=0, le=500, description="Items to return (0: only the counts).")] = 50,
    offset: Offset = 0,
    mission: str = "",
    threat_area: ThreatArea = "",
) -> dict[str, Any]:
    visible = scope_for(session, user, mission).where()
    q = review.queue(
        session,
        user.compartments,
        status=status,
        language=language,
        limit=limit,
        offset=offset,
        visible=visible,
        threat_area=threat_area,
    )
    return {**q, "threat_areas": threats.item_counts(session, visible)}


@api.get("/comms/queue.csv", responses={200: CSV}, summary="The review queue as CSV")
def queue_csv(
    session: SessionDep,
    user: CurrentUser,
    status: str = "flagged",
    language: str = "",
    mission: str = "",
    threat_area: ThreatArea = "",
) -> Response:
    visible = scope_for(session, user, mission).where()
    q = review.queue(
        session, user.compartments, status=status, language=language, limit=5000, visible=visible,
        threat_area=threat_area,
    )  # fmt: skip
    rows = [
        {
            **i,
            "lexicon_terms": sorted({h["term"] for h in i["lexicon_hits"]}),
            "threat_areas": ";".join(i["threat_areas"]),
        }
        for i in q["items"]
    ]
    return csv_response(rows, QUEUE_FIELDS, f"comms-queue-{status}.csv")


@api.get("/comms/items/{item_id}", summary="One item with its scores, lexicon hits and reviews")
def item_api(session: SessionDep, user: CurrentUser, item_id: int) -> dict[str, Any]:
    return {**_item(session, user, item_id), "reviews": review.reviews_of(session, item_id)}


@api.post("/comms/items", response_model=ItemImport, status_code=201, summary="Add items (scored on arrival)")
def items_api(
    request: Request, session: SessionDep, user: CurrentUser, body: list[CommsItemIn], mission: str = ""
) -> ItemImport:
    default = _import_mission(user, mission)
    rows = [(n, b.model_dump()) for n, b in enumerate(body, start=1)]
    result = items.add_items(session, user.username, rows, author_key=_secret(request), who=user, mission=default)
    if result.added:
        items.regroup_duplicates(session)
        classifier.score_items(session, classifier.current_models(_var_dir(request)))
    return result


@api.post("/comms/items/{item_id}/review", summary="Confirm, dismiss or escalate an item")
def review_api(session: SessionDep, user: CurrentUser, item_id: int, body: CommsReviewIn) -> dict[str, Any]:
    review.decide(session, user, item_id, review.Decision(**body.model_dump()))
    return {**_item(session, user, item_id), "reviews": review.reviews_of(session, item_id)}


@api.get("/comms/narratives", summary="Narratives with their size, harmful share and threat areas")
def narratives_api(
    session: SessionDep, user: CurrentUser, mission: str = "", threat_area: ThreatArea = ""
) -> list[dict[str, Any]]:
    return narratives.list_narratives(session, scope_for(session, user, mission).where(), threat_area)


@api.put("/comms/items/{item_id}/threat-areas", summary="Set an item's threat areas (audited)")
def item_threat_areas_api(session: SessionDep, user: CurrentUser, item_id: int, body: ThreatAreasIn) -> dict[str, Any]:
    return {"id": item_id, "threat_areas": threats.tag_item(session, user, item_id, body.threat_areas)}


@api.put("/comms/narratives/{narrative_id}/threat-areas", summary="Set a narrative's threat areas (audited)")
def narrative_threat_areas_api(
    session: SessionDep, user: CurrentUser, narrative_id: int, body: ThreatAreasIn
) -> dict[str, Any]:
    return {"id": narrative_id, "threat_areas": threats.tag_narrative(session, user, narrative_id, body.threat_areas)}


@api.get("/comms/narratives/{narrative_id}", summary="One narrative: items, daily volume, spikes")
def narrative_api(session: SessionDep, user: CurrentUser, narrative_id: int, mission: str = "") -> dict[str, Any]:
    return _narrative(session, user, narrative_id, mission)


@api.get("/comms/alerts", summary="Spike alerts of harmful narratives, with nearby conflict events")
def alerts_api(request: Request, session: SessionDep, user: CurrentUser, mission: str = "") -> list[dict[str, Any]]:
    return spikes.alerts(session, _var_dir(request), scope_for(session, user, mission).where())


@api.get("/comms/lexicon", summary="Lexicon terms")
def lexicon_api(session: SessionDep, user: CurrentUser, language: str = "") -> list[dict[str, Any]]:
    return lexicon.list_terms(session, language or None)


@api.get("/comms/lexicon.csv", responses={200: CSV}, summary="Lexicon terms as CSV (re-importable)")
def lexicon_csv(session: SessionDep, user: CurrentUser) -> Response:
    rows = [{**t, "variants": "|".join(t["variants"])} for t in lexicon.list_terms(session)]
    return csv_response(rows, LEXICON_FIELDS, "comms-lexicon.csv")


@api.post("/comms/lexicon", status_code=201, summary="Add or update a lexicon term")
def lexicon_post_api(session: SessionDep, user: CurrentUser, body: CommsTermIn) -> dict[str, Any]:
    check_editor(user, "lexicon terms")
    row, outcome = lexicon.upsert_term(
        session,
        user.username,
        lexicon.TermInput(
            body.term,
            body.language,
            body.country_iso3,
            tuple(body.variants),
            body.meaning,
            body.why_harmful,
            body.severity,
            "entered in peaceops",
        ),
    )
    return {"id": row.id, "outcome": outcome}


@api.post("/comms/lexicon/{term_id}/deactivate", summary="Stop matching a lexicon term (kept, audited)")
def lexicon_deactivate_api(session: SessionDep, user: CurrentUser, term_id: int) -> dict[str, Any]:
    check_editor(user, "lexicon terms")
    lexicon.deactivate_term(session, user.username, term_id)
    return {"id": term_id, "active": False}


@api.get("/comms/tasks", summary="Response tasks opened by escalations")
def tasks_api(session: SessionDep, user: CurrentUser, mission: str = "") -> list[dict[str, Any]]:
    return review.list_tasks(session, scope_for(session, user, mission).where())


@api.post("/comms/tasks/{task_id}/status", summary="Move a response task (open, in_progress, done)")
def task_status_api(session: SessionDep, user: CurrentUser, task_id: int, body: CommsTaskStatusIn) -> dict[str, Any]:
    task = review.move_task(session, user, task_id, body.status)
    return review.task_view(session, task)
