"""The rosters (technical experts, NGO mediators, senior envoy candidates: list, forms, CSV import, periodic
review, gap report) and the mediation helpdesk (requests, ranked experts with their reasons, the open →
matched → deployed → closed workflow, the peace process a request serves), with JSON twins and CSV.

The helpdesk routes admit partner accounts (``AnyUser``): the helpdesk functions show them their own
organisation's requests and nothing else; every other route here is closed to them (``CurrentUser``)."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import Actor, is_partner, may_edit_shared
from peaceops.errors import ImportFileError, PeaceopsError, ValidationFailed
from peaceops.i18n import _
from peaceops.platform import expected_file, import_upload
from peaceops.processes import registry as processes
from peaceops.roster import review, terms
from peaceops.roster.experts import (
    can_see_contacts,
    check_roster_editor,
    clean_expert,
    expert_out,
    get_expert,
    list_experts,
    readable_kinds,
    save_expert,
)
from peaceops.roster.gaps import DEFAULT_HORIZON, DEFAULT_THRESHOLD, gap_report
from peaceops.roster.helpdesk import (
    can_read_requests,
    check_reader,
    clean_request,
    file_request,
    link_process,
    list_requests,
    move_request,
    request_detail,
)
from peaceops.roster.importing import upload_summary
from peaceops.roster.models import REQUEST_STATUSES
from peaceops.roster.shapes import (
    ExpertImportSummary,
    ExpertProfile,
    GapReport,
    HelpdeskQueue,
    HelpRequestDetail,
    Roster,
)
from peaceops.web.csv_export import csv_response
from peaceops.web.dependencies import AnyUser, CurrentUser, SessionDep
from peaceops.web.form_values import form_problem
from peaceops.web.request_limits import UPLOAD
from peaceops.web.roster.schemas import ExpertIn, LinkIn, MoveIn, RequestIn
from peaceops.web.security import flash_form_error
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CSV = {"content": {"text/csv": {}}, "description": "CSV with a header line."}
MAX_UPLOAD = 2 * 1024 * 1024
ROSTER_CSV = ("id name kind affiliation email phone clearance expertise languages regions availability "
              "last_reviewed_on review_overdue").split()  # fmt: skip
EXPERT_FIELDS = "name email affiliation phone clearance languages regions availability notes kind last_reviewed".split()
GAPS_CSV = "kind code label on_roster available gap".split()
Horizon = Annotated[int, Query(ge=1, le=730, description="Days ahead in which an expert must be available.")]
Threshold = Annotated[int, Query(ge=1, le=50, description="Fewer available experts than this is a gap.")]
Code = Annotated[str | None, Query(max_length=40)]
OnDay = Annotated[date | None, Query(description="The day the horizon starts (default: today).")]


def _terms() -> dict[str, Any]:
    return {
        "areas": [(code, _(label)) for code, label in terms.EXPERTISE_AREAS.items()],
        "clearances": [(code, _(label)) for code, label in terms.CLEARANCES.items()],
        "proficiency": list(terms.PROFICIENCY),
        "urgencies": [(code, _(label)) for code, label in terms.URGENCIES.items()],
        "subregions": list(terms.subregions()),
        "kinds": [(code, _(label)) for code, label in terms.EXPERT_KIND_LABELS.items()],
    }


def _labels(detail: HelpRequestDetail) -> dict[str, Any]:
    return {
        "clearance_labels": {code: _(label) for code, label in terms.CLEARANCES.items()},
        "language_names": {c: terms.language_name(c) for c in detail.languages},
    }


def _blank(value: str | None) -> str | None:
    return value or None


# ------------------------------------------------------------------ roster
Kind = Annotated[str | None, Query(max_length=24, description="technical, ngo_mediator or envoy_candidate.")]
Overdue = Annotated[bool, Query(description="Only the entries due a review.")]


def _kind(user: Actor, kind: str | None) -> str | None:
    """The roster asked for, if it is one ``user`` may read (an unknown or closed one is refused)."""
    if not kind:
        return None
    if kind not in readable_kinds(user):
        raise ValidationFailed(
            _("{kind!r} is not a roster you can read; choose one of {accepted}.").format(
                kind=kind, accepted=", ".join(readable_kinds(user))
            )
        )
    return kind


@pages.get("/roster")
def roster_page(
    request: Request, session: SessionDep, user: CurrentUser, expertise: Code = None, language: Code = None,
    kind: Kind = None, overdue: Overdue = False,
) -> Response:  # fmt: skip
    chosen = _kind(user, kind)
    context = {
        "experts": list_experts(
            session, user, expertise=_blank(expertise), language=_blank(language), kind=chosen, overdue=overdue
        ),  # fmt: skip
        "contacts": can_see_contacts(user),
        "can_edit": may_edit_shared(user),
        "filters": {
            "expertise": expertise or "",
            "language": language or "",
            "kind": chosen or "",
            "overdue": overdue,
        },  # fmt: skip
        "gaps": gap_report(session),
        "review": review.review_summary(session, readable_kinds(user)),
        **_terms(),
        "kinds": [(code, label) for code, label in _terms()["kinds"] if code in readable_kinds(user)],
    }
    return render(request, "mediation/roster.html", context)


@api.get("/roster", response_model=Roster, summary="The rosters (contacts only for allowed roles), with their review")
def roster_api(
    session: SessionDep, user: CurrentUser, expertise: Code = None, language: Code = None, kind: Kind = None,
    overdue: Overdue = False,
) -> Roster:  # fmt: skip
    experts = list_experts(session, user, expertise=_blank(expertise), language=_blank(language),
                           kind=_kind(user, kind), overdue=overdue)  # fmt: skip
    summary = review.review_summary(session, readable_kinds(user))
    return Roster(experts=experts, contacts_visible=can_see_contacts(user), review=summary)


@api.get("/roster.csv", responses={200: CSV}, summary="The rosters, as CSV")
def roster_csv(session: SessionDep, user: CurrentUser, kind: Kind = None) -> Response:
    rows = []
    for e in list_experts(session, user, kind=_kind(user, kind)):
        rows.append({
            **e.model_dump(),
            "expertise": "; ".join(e.expertise),
            "languages": "; ".join(f"{x.code}:{x.level}" for x in e.languages),
            "regions": "; ".join(e.regions),
            "availability": "; ".join(f"{w.from_}..{w.to}" for w in e.availability),
        })  # fmt: skip
    return csv_response(
        rows,
        ROSTER_CSV if can_see_contacts(user) else [f for f in ROSTER_CSV if f not in ("email", "phone")],
        "roster.csv",
    )


@api.get("/roster/terms", summary="The controlled lists: expertise areas, clearances, proficiency, urgency, regions")
def terms_api(user: CurrentUser) -> dict[str, Any]:
    return {k: dict(v) if k in ("areas", "clearances", "urgencies") else v for k, v in _terms().items()}


@pages.get("/roster/gaps")
def gaps_page(
    request: Request, session: SessionDep, user: CurrentUser, horizon: Horizon = DEFAULT_HORIZON,
    threshold: Threshold = DEFAULT_THRESHOLD, on: OnDay = None,
) -> Response:  # fmt: skip
    return render(request, "mediation/roster_gaps.html", {"report": gap_report(session, on, horizon, threshold)})


@api.get(
    "/roster/gaps", response_model=GapReport, summary="Expertise, languages and regions with too few available experts"
)
def gaps_api(
    session: SessionDep,
    user: CurrentUser,
    horizon: Horizon = DEFAULT_HORIZON,
    threshold: Threshold = DEFAULT_THRESHOLD,
    on: OnDay = None,
) -> GapReport:
    return gap_report(session, on, horizon, threshold)


@api.get("/roster/gaps.csv", responses={200: CSV}, summary="The gap report, as CSV")
def gaps_csv(
    session: SessionDep,
    user: CurrentUser,
    horizon: Horizon = DEFAULT_HORIZON,
    threshold: Threshold = DEFAULT_THRESHOLD,
    on: OnDay = None,
) -> Response:
    report = gap_report(session, on, horizon, threshold)
    return csv_response(report.expertise + report.languages + report.regions, GAPS_CSV, "roster-gaps.csv")


async def _import(request: Request, user: Actor, file: UploadFile) -> ExpertImportSummary:
    """The upload as an ``experts`` import run (the pipeline every upload goes through), in the roster's words."""
    check_roster_editor(user)
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise ValidationFailed(_("The file is larger than 2 MB; split it."))
    db = request.app.state.db
    report = await run_in_threadpool(partial(import_upload, db, "experts", file.filename or "upload", content, user))
    return upload_summary(report)


@api.post(
    "/roster/import",
    response_model=ExpertImportSummary,
    summary="Import experts from CSV (upsert by email)",
    openapi_extra=UPLOAD,
)
async def import_api(request: Request, user: CurrentUser, file: Annotated[UploadFile, File()]) -> ExpertImportSummary:
    return await _import(request, user, file)


@pages.post("/roster/import", openapi_extra=UPLOAD)
async def import_page(
    request: Request, user: CurrentUser, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    """Import experts; the report page lists each rejected line. A file refused as a whole (or none chosen) goes
    back to the roster, which says why beside its import form, and which file is expected."""
    if file is None or not file.filename:
        flash_form_error(request, "roster-import", _("Choose a file to import."), expected_file("experts"))
        return RedirectResponse("/roster#import-title", status_code=303)
    try:
        report = await _import(request, user, file)
    except (ImportFileError, ValidationFailed) as exc:
        flash_form_error(request, "roster-import", str(exc), getattr(exc, "hint", "") or expected_file("experts"))
        return RedirectResponse("/roster#import-title", status_code=303)
    return render(request, "mediation/roster_import.html", {"report": report, "error": None, "filename": file.filename})


def _expert_form(
    request: Request, user: Actor, form: dict[str, Any], expert_id: int | None = None,
    error: PeaceopsError | None = None,
) -> Response:  # fmt: skip
    check_roster_editor(user)
    context = {"form": form, "expert_id": expert_id, **form_problem(error), **_terms()}
    return render(request, "mediation/roster_form.html", context, status_code=error.status_code if error else 200)


def _form_values(e: ExpertProfile) -> dict[str, Any]:
    return {
        **e.model_dump(),
        "last_reviewed": e.last_reviewed_on.isoformat() if e.last_reviewed_on else "",
        "expertise": e.expertise,
        "languages": "; ".join(f"{x.code}:{x.level}" for x in e.languages),
        "regions": "; ".join(e.regions),
        "availability": "; ".join(f"{w.from_}..{w.to}" for w in e.availability),
    }


@pages.get("/roster/new")
def new_expert_page(request: Request, user: CurrentUser, kind: Kind = None) -> Response:
    return _expert_form(request, user, {"expertise": [], "clearance": "none", "kind": _kind(user, kind) or "technical"})


@pages.get("/roster/{expert_id:int}")
def expert_page(
    request: Request, session: SessionDep, user: CurrentUser, expert_id: int, saved: str = "", reviewed: str = ""
) -> Response:
    expert = expert_out(get_expert(session, expert_id, user), user)
    context = {"expert": expert, "contacts": can_see_contacts(user), "can_edit": may_edit_shared(user),
               "saved": bool(saved), "reviewed": bool(reviewed), "period": review.REVIEW_PERIOD_DAYS}  # fmt: skip
    return render(request, "mediation/roster_expert.html", context)


@pages.post("/roster/{expert_id:int}/reviewed")
def reviewed_form(request: Request, session: SessionDep, user: CurrentUser, expert_id: int) -> Response:
    check_roster_editor(user)
    review.mark_reviewed(session, user, get_expert(session, expert_id, user))
    return RedirectResponse(f"/roster/{expert_id}?reviewed=1", status_code=303)


@api.post("/roster/{expert_id}/reviewed", response_model=ExpertProfile, summary="Record today's review of an entry")
def reviewed_api(session: SessionDep, user: CurrentUser, expert_id: int) -> ExpertProfile:
    check_roster_editor(user)
    return expert_out(review.mark_reviewed(session, user, get_expert(session, expert_id, user)), user)


@pages.get("/roster/{expert_id:int}/edit")
def edit_expert_page(request: Request, session: SessionDep, user: CurrentUser, expert_id: int) -> Response:
    check_roster_editor(user)
    expert = get_expert(session, expert_id, user)
    return _expert_form(request, user, _form_values(expert_out(expert, user)), expert_id)


async def _save_form(request: Request, session: Session, user: Actor, expert_id: int | None) -> Response:
    check_roster_editor(user)
    form = await request.form()
    raw: dict[str, Any] = {k: str(form.get(k) or "") for k in EXPERT_FIELDS}
    raw["expertise"] = [str(v) for v in form.getlist("expertise")]
    try:
        expert, _outcome = save_expert(session, user, clean_expert(raw), expert_id)
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code == 403:
            raise
        return _expert_form(request, user, raw, expert_id, exc)
    return RedirectResponse(f"/roster/{expert.id}?saved=1", status_code=303)


@pages.post("/roster")
async def create_expert_form(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return await _save_form(request, session, user, None)


@pages.post("/roster/{expert_id:int}")
async def edit_expert_form(request: Request, session: SessionDep, user: CurrentUser, expert_id: int) -> Response:
    return await _save_form(request, session, user, expert_id)


def _expert_raw(body: ExpertIn) -> dict[str, Any]:
    raw = body.model_dump(by_alias=True, mode="json")
    raw["languages"] = [dict(x) for x in raw["languages"]]
    return raw


@api.post("/roster", response_model=ExpertProfile, status_code=201, summary="Add an expert (or update by email)")
def create_expert_api(session: SessionDep, user: CurrentUser, body: ExpertIn) -> ExpertProfile:
    expert, _outcome = save_expert(session, user, clean_expert(_expert_raw(body)))
    return expert_out(expert, user)


@api.get("/roster/{expert_id}", response_model=ExpertProfile, summary="One expert")
def expert_api(session: SessionDep, user: CurrentUser, expert_id: int) -> ExpertProfile:
    return expert_out(get_expert(session, expert_id, user), user)


@api.put("/roster/{expert_id}", response_model=ExpertProfile, summary="Replace an expert's record")
def update_expert_api(session: SessionDep, user: CurrentUser, expert_id: int, body: ExpertIn) -> ExpertProfile:
    expert, _outcome = save_expert(session, user, clean_expert(_expert_raw(body)), expert_id)
    return expert_out(expert, user)


# ------------------------------------------------------------------ helpdesk
StatusQuery = Annotated[str | None, Query(max_length=16)]


def _process_exists(session: Session, process_id: int | None) -> int | None:
    """A process id the registry knows (NotFound otherwise): the helpdesk links requests to real processes."""
    if process_id is not None:
        processes.load(session, process_id)
    return process_id


def _process_choices(session: Session, user: Actor) -> list[tuple[int, str]]:
    """The registry's processes for the helpdesk's process menus; none for partner accounts."""
    if is_partner(user):
        return []
    return processes.process_names(session)


@pages.get("/helpdesk")
def helpdesk_page(request: Request, session: SessionDep, user: AnyUser, status: StatusQuery = None) -> Response:
    if not can_read_requests(user):
        context: dict[str, Any] = {"allowed": False}
    else:
        queue = list_requests(session, user, _blank(status))
        context = {"allowed": True, "requests": queue.requests, "counts": queue.counts,
                   "response_times": queue.response_times, "status": status or "",
                   "statuses": REQUEST_STATUSES}  # fmt: skip
    context["can_file"] = can_read_requests(user)
    context["partner"] = is_partner(user)
    return render(request, "mediation/helpdesk.html", context)


@api.get(
    "/helpdesk", response_model=HelpdeskQueue, summary="Helpdesk requests with age, status and median response times"
)
def helpdesk_api(session: SessionDep, user: AnyUser, status: StatusQuery = None) -> HelpdeskQueue:
    return list_requests(session, user, _blank(status))


@api.get("/helpdesk.csv", responses={200: CSV}, summary="Helpdesk requests, as CSV")
def helpdesk_csv(session: SessionDep, user: AnyUser, status: StatusQuery = None) -> Response:
    rows = list_requests(session, user, _blank(status)).requests
    fields = ("id title expertise region urgency needed_from needed_to status requested_by partner expert_name "
              "created_at age_days hours_to_match hours_to_deploy hours_to_close context").split()  # fmt: skip
    return csv_response(rows, fields, "helpdesk.csv")


def _request_form(
    request: Request, session: Session, user: Actor, form: dict[str, Any], error: PeaceopsError | None = None
) -> Response:
    context = {"form": form, "today": date.today().isoformat(), **form_problem(error), **_terms(),
               "processes": _process_choices(session, user), "partner": is_partner(user)}  # fmt: skip
    return render(request, "mediation/helpdesk_form.html", context, status_code=error.status_code if error else 200)


@pages.get("/helpdesk/new")
def new_request_page(request: Request, session: SessionDep, user: AnyUser) -> Response:
    check_reader(user)
    return _request_form(request, session, user, {"urgency": "routine", "clearance": "none"})


@pages.post("/helpdesk")
async def file_request_form(request: Request, session: SessionDep, user: AnyUser) -> Response:
    form = await request.form()
    raw: dict[str, Any] = {k: str(form.get(k) or "") for k in
                           ("title", "expertise", "languages", "region", "urgency", "needed_from", "needed_to",
                            "clearance", "description", "context", "process_id")}  # fmt: skip
    try:
        data = clean_request(raw)
        if not is_partner(user):  # a partner naming a process is refused by file_request, found or not
            _process_exists(session, data.process_id)
        filed = file_request(session, user, data)
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code == 403:
            raise
        return _request_form(request, session, user, raw, exc)
    return RedirectResponse(f"/helpdesk/{filed.id}?filed=1", status_code=303)


def _request_page(
    request: Request, session: Session, user: Actor, request_id: int, *, notice: str | None = None,
    error: PeaceopsError | None = None, move: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    """The request's page; ``error`` is a refusal of one of its forms (``move``: the move form as it was sent)."""
    detail = request_detail(session, user, request_id)
    linked = processes.load(session, detail.process_id).name if detail.process_id is not None else None
    choices = _process_choices(session, user) if may_edit_shared(user) else []
    context = {"r": detail, "notice": notice, **form_problem(error), "move": move, "can_move": may_edit_shared(user),
               **_labels(detail), "is_requester": user.username == detail.requested_by, "partner": is_partner(user),
               "process_name": linked, "processes": choices}  # fmt: skip
    return render(request, "mediation/helpdesk_request.html", context, status_code=error.status_code if error else 200)


@pages.get("/helpdesk/{request_id:int}")
def request_page(
    request: Request, session: SessionDep, user: AnyUser, request_id: int, filed: str = "", moved: str = ""
) -> Response:
    notice = _("The request is filed.") if filed else (_("The request has moved.") if moved else None)
    return _request_page(request, session, user, request_id, notice=notice)


@pages.post("/helpdesk/{request_id:int}/move")
async def move_form(request: Request, session: SessionDep, user: AnyUser, request_id: int) -> Response:
    form = await request.form()
    expert = str(form.get("expert_id") or "")
    try:
        move_request(session, user, request_id, str(form.get("to") or ""),
                     expert_id=int(expert) if expert.isdigit() else None, note=str(form.get("note") or ""))  # fmt: skip
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code in (403, 404):
            raise
        move = {"to": str(form.get("to") or ""), "note": str(form.get("note") or "")}
        return _request_page(request, session, user, request_id, error=exc, move=move)
    return RedirectResponse(f"/helpdesk/{request_id}?moved=1", status_code=303)


@pages.post("/helpdesk/{request_id:int}/process")
async def link_form(request: Request, session: SessionDep, user: CurrentUser, request_id: int) -> Response:
    form = await request.form()
    chosen = str(form.get("process_id") or "").strip()
    try:
        process_id = _process_exists(session, int(chosen)) if chosen.isdigit() and len(chosen) < 10 else None
        if chosen and process_id is None:
            raise ValidationFailed(_("Peace process {value!r} is not a process number.").format(value=chosen[:20]))
        link_process(session, user, request_id, process_id)
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code in (403, 404):
            raise
        return _request_page(request, session, user, request_id, error=exc)
    return RedirectResponse(f"/helpdesk/{request_id}?moved=1", status_code=303)


@api.post("/helpdesk", response_model=HelpRequestDetail, status_code=201, summary="File a request for expert support")
def file_request_api(session: SessionDep, user: AnyUser, body: RequestIn) -> HelpRequestDetail:
    data = clean_request(body.model_dump())
    if not is_partner(user):  # a partner naming a process is refused by file_request, found or not
        _process_exists(session, data.process_id)
    filed = file_request(session, user, data)
    return request_detail(session, user, filed.id)


@api.get(
    "/helpdesk/{request_id}", response_model=HelpRequestDetail, summary="One request, its history and ranked experts"
)
def request_api(session: SessionDep, user: AnyUser, request_id: int) -> HelpRequestDetail:
    return request_detail(session, user, request_id)


@api.post("/helpdesk/{request_id}/move", response_model=HelpRequestDetail, summary="Move a request along the workflow")
def move_api(session: SessionDep, user: AnyUser, request_id: int, body: MoveIn) -> HelpRequestDetail:
    move_request(session, user, request_id, body.to, expert_id=body.expert_id, note=body.note)
    return request_detail(session, user, request_id)


@api.put(
    "/helpdesk/{request_id}/process", response_model=HelpRequestDetail,
    summary="Link a request to the peace process its expert serves (null unlinks; the helpdesk only)",
)  # fmt: skip
def link_api(session: SessionDep, user: CurrentUser, request_id: int, body: LinkIn) -> HelpRequestDetail:
    link_process(session, user, request_id, _process_exists(session, body.process_id))
    return request_detail(session, user, request_id)
