"""Peace processes (registry, coordination warnings, timeline) and their confidential debriefs: pages,
forms and JSON twins. Routes parse input and call the mediation package, which checks roles and
compartments and writes the audit log."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, Query, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access import compartments
from peaceops.access.policy import Actor, check_editor, is_viewer, may_edit_shared
from peaceops.assignments.due import debriefs_due
from peaceops.assignments.shapes import DebriefsDue
from peaceops.errors import FormInvalid, PeaceopsError, ValidationFailed, form_invalid
from peaceops.framework.threat_areas import ThreatAreaCount
from peaceops.i18n import N_, _
from peaceops.processes import debriefs, forum, mandates
from peaceops.processes import registry as processes
from peaceops.processes.debriefs import FIELD_LABELS, DebriefDoc
from peaceops.processes.inputs import FriendDoc, MediatorDoc, PartyDoc, ProcessDoc
from peaceops.processes.models import MEDIATOR_KIND_LABELS, PHASE_LABELS, TRACK_LABELS
from peaceops.processes.shapes import (
    DebriefDetail,
    DebriefList,
    DebriefSearch,
    ForumShopping,
    MandateReview,
    ProcessDetail,
    ProcessList,
    Timeline,
)
from peaceops.processes.timeline import timeline, timeline_events, timeline_lanes
from peaceops.web.csv_export import csv_response
from peaceops.web.dependencies import CurrentUser, QueryNumber, SessionDep
from peaceops.web.form_values import form_problem
from peaceops.web.processes.charts import timeline_chart
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CSV = {"content": {"text/csv": {}}, "description": "CSV with a header line."}
CSV_FIELDS = (
    "id name conflict country region tracks phase phase_since active_mediators agreements warnings threat_areas"
).split()
ThreatArea = Annotated[str, Query(max_length=24, description="One threat area code: the processes tagged with it.")]
Text = Annotated[str, Form(max_length=8000)]
Short = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=20000)]


T = TypeVar("T", bound=BaseModel)


# What the process forms call their fields, in the sentences that tell what is wrong with one.
FORM_LABELS = {
    "name": N_("name of the process"),
    "conflict": N_("conflict the process is about"),
    "phase_since": N_("date the phase began"),
    "phase_note": N_("note on the phase change"),
    "organisation": N_("mandating organisation"),
    "kind": N_("kind of mediator"),
    "started_on": N_("date the mandate began"),
    "ended_on": N_("date the mandate ended"),
    "armed_groups": N_("armed groups"),
}


# A field that several forms have, named for the form it is on.
DOC_LABELS: dict[type[BaseModel], dict[str, str]] = {
    MediatorDoc: {"name": N_("name of the mediator")},
    PartyDoc: {"name": N_("name of the party")},
    FriendDoc: {"name": N_("name of the friend")},
    DebriefDoc: {"author": N_("author of the debrief")},
}


def _doc(cls: type[T], **values: Any) -> T:
    """Build a document from form values; each problem becomes a plain sentence, kept for its field."""
    try:
        return cls(**values)
    except ValidationError as exc:
        labels = {**FORM_LABELS, **DOC_LABELS.get(cls, {})}
        raise form_invalid(exc.errors(), {k: _(v) for k, v in labels.items()}) from None


def _ids(text: str, field: str) -> list[int]:
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    bad = [p for p in parts if not p.isdigit()]
    if bad:
        message = _("{field}: {value!r} is not a number; give ids separated by commas.")
        raise ValidationFailed(message.format(field=field, value=bad[0]))
    return [int(p) for p in parts]


def _blank(value: str) -> str | None:
    return value.strip() or None


# ---- the registry -------------------------------------------------------------------------------------------


@pages.get("/processes")
def processes_page(request: Request, session: SessionDep, user: CurrentUser, threat_area: ThreatArea = "") -> Response:
    context = {
        "processes": processes.list_processes(session, threat_area=threat_area),
        "area_counts": processes.threat_area_counts(session),
        "threat_area": threat_area,
        "can_edit": may_edit_shared(user),
        "phases": PHASE_LABELS,
    }
    return render(request, "mediation/processes.html", context)


@api.get("/processes", response_model=ProcessList, summary="Peace processes with their warnings and threat areas")
def processes_api(session: SessionDep, user: CurrentUser, threat_area: ThreatArea = "") -> ProcessList:
    return ProcessList(
        processes=processes.list_processes(session, threat_area=threat_area),
        threat_areas=[ThreatAreaCount(**c) for c in processes.threat_area_counts(session)],
    )


@api.get("/processes.csv", responses={200: CSV}, summary="Peace processes, as CSV")
def processes_csv(session: SessionDep, user: CurrentUser, threat_area: ThreatArea = "") -> Response:
    rows = [
        {
            **row.model_dump(),
            "tracks": " ".join(row.tracks),
            "warnings": " ".join(row.warnings),
            "threat_areas": ";".join(row.threat_areas),
        }
        for row in processes.list_processes(session, threat_area=threat_area)
    ]
    return csv_response(rows, CSV_FIELDS, "peace-processes.csv")


# ---- the Blue Paper's system-wide checks (decision 042) -------------------------------------------------------
# Declared before /processes/{process_id}, whose path would otherwise take their names for a process id.
OnDay = Annotated[date | None, Query(description="The day to look at (default: today).")]


@pages.get("/processes/mandates")
def mandates_page(request: Request, session: SessionDep, user: CurrentUser, on: OnDay = None) -> Response:
    context = {"review": mandates.review(session, today=on), "on": on.isoformat() if on else ""}
    return render(request, "mediation/process_mandates.html", context)


@api.get("/processes/mandates", response_model=MandateReview, summary="System-wide review of envoys' mandates")
def mandates_api(session: SessionDep, user: CurrentUser, on: OnDay = None) -> MandateReview:
    return mandates.review(session, today=on)


@pages.get("/processes/forum-shopping")
def forum_page(request: Request, session: SessionDep, user: CurrentUser, on: OnDay = None) -> Response:
    context = {"found": forum.forum_shopping(session, today=on), "on": on.isoformat() if on else ""}
    return render(request, "mediation/process_forum.html", context)


@api.get(
    "/processes/forum-shopping", response_model=ForumShopping,
    summary="Parties in several peacemaking processes at once, or facing uncoordinated mediators",
)  # fmt: skip
def forum_api(session: SessionDep, user: CurrentUser, on: OnDay = None) -> ForumShopping:
    return forum.forum_shopping(session, today=on)


@pages.get("/processes/debriefs-due")
def debriefs_due_page(
    request: Request, session: SessionDep, user: CurrentUser, process: QueryNumber = None
) -> Response:
    context = {"found": debriefs_due(session, user, process_id=process), "can_write": not is_viewer(user)}
    return render(request, "mediation/process_debriefs_due.html", context)


@api.get(
    "/processes/debriefs-due", response_model=DebriefsDue,
    summary="Ended assignments without a debrief, in the processes whose compartments you hold",
)  # fmt: skip
def debriefs_due_api(session: SessionDep, user: CurrentUser, process: QueryNumber = None) -> DebriefsDue:
    return debriefs_due(session, user, process_id=process)


@api.post("/processes", response_model=ProcessDetail, status_code=201, summary="Record a peace process")
def create_process_api(session: SessionDep, user: CurrentUser, body: ProcessDoc) -> ProcessDetail:
    process = processes.create_process(session, user, body)
    return processes.process_detail(session, process.id)


@api.get("/processes/{process_id}", response_model=ProcessDetail, summary="One peace process and its warnings")
def process_api(session: SessionDep, user: CurrentUser, process_id: int) -> ProcessDetail:
    return processes.process_detail(session, process_id)


@api.patch(
    "/processes/{process_id}",
    response_model=ProcessDetail,
    summary="Change a peace process (fields left out keep their value; lists given replace the stored ones)",
)
def update_process_api(session: SessionDep, user: CurrentUser, process_id: int, body: ProcessDoc) -> ProcessDetail:
    processes.update_process(session, user, process_id, body)
    return processes.process_detail(session, process_id)


@api.get("/processes/{process_id}/timeline", response_model=Timeline, summary="A process's dated events")
def timeline_api(session: SessionDep, user: CurrentUser, process_id: int) -> Timeline:
    return timeline(processes.process_detail(session, process_id))


def _process_form(
    request: Request,
    user: Actor,
    *,
    form: dict[str, Any],
    process_id: int | None = None,
    error: PeaceopsError | None = None,
    status_code: int = 200,
) -> Response:
    if not may_edit_shared(user):
        check_editor(user, processes.WHAT)
    context = {
        "form": form,
        "process_id": process_id,
        "error": str(error) if error else None,
        "field_errors": error.fields if isinstance(error, FormInvalid) else {},
        "phases": PHASE_LABELS,
        "tracks": TRACK_LABELS,
        "today": date.today().isoformat(),
    }
    return render(request, "mediation/process_form.html", context, status_code=status_code)


def _form_doc(form: dict[str, Any]) -> ProcessDoc:
    return _doc(
        ProcessDoc,
        name=form["name"],
        conflict=form["conflict"],
        country=form["country"].strip(),
        region=form["region"].strip(),
        tracks=form["tracks"],
        description=form["description"],
        phase=form["phase"] or None,
        phase_since=_blank(form["phase_since"]),
        phase_note=form["phase_note"],
        ucdp_conflicts=_ids(form["ucdp_conflicts"], _("UCDP conflict ids")),
        agreements=_ids(form["agreements"], _("PA-X agreement ids")),
        ucdp_agreements=_ids(form["ucdp_agreements"], _("UCDP agreement ids")),
        threat_areas=form["threat_areas"],
    )


def _form_values(
    name: str, conflict: str, country: str, region: str, tracks: list[str], description: str, phase: str,
    phase_since: str, phase_note: str, ucdp_conflicts: str, agreements: str, ucdp_agreements: str,
    threat_areas: list[str],
) -> dict[str, Any]:  # fmt: skip
    return dict(locals())


@pages.get("/processes/new")
def new_process_page(request: Request, user: CurrentUser) -> Response:
    form = _form_values("", "", "", "", [], "", "pre-negotiation", date.today().isoformat(), "", "", "", "", [])
    return _process_form(request, user, form=form)


def _submitted(
    name: Short,
    conflict: Short,
    phase: Annotated[str, Form(max_length=24)],
    country: Short = "",
    region: Short = "",
    tracks: Annotated[list[str] | None, Form()] = None,
    description: Text = "",
    phase_since: Annotated[str, Form(max_length=10)] = "",
    phase_note: Text = "",
    ucdp_conflicts: Short = "",
    agreements: Text = "",
    ucdp_agreements: Text = "",
    threat_areas: Annotated[list[str] | None, Form()] = None,
) -> dict[str, Any]:
    """The process form as posted (one place for the create and the edit forms)."""
    return _form_values(name, conflict, country, region, tracks or [], description, phase, phase_since, phase_note,
                        ucdp_conflicts, agreements, ucdp_agreements, threat_areas or [])  # fmt: skip


SubmittedProcess = Annotated[dict[str, Any], Depends(_submitted)]


@pages.post("/processes")
def create_process_form(request: Request, session: SessionDep, user: CurrentUser, form: SubmittedProcess) -> Response:
    try:
        process = processes.create_process(session, user, _form_doc(form))
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code == 403:
            raise
        return _process_form(request, user, form=form, error=exc, status_code=exc.status_code)
    return RedirectResponse(f"/processes/{process.id}?saved=1", status_code=303)


@pages.get("/processes/{process_id}/edit")
def edit_process_page(request: Request, session: SessionDep, user: CurrentUser, process_id: int) -> Response:
    d = processes.process_detail(session, process_id)
    pax = [str(a.pax_id) for a in d.agreements if a.pax_id]
    ucdp = [str(a.ucdp_paid) for a in d.agreements if not a.pax_id and a.ucdp_paid]
    form = _form_values(d.name, d.conflict, d.country or "", d.region or "", d.tracks, d.description,
                        d.phase or "", d.phase_since or "", "", ", ".join(str(c) for c in d.ucdp_conflicts),
                        ", ".join(pax), ", ".join(ucdp), d.threat_areas)  # fmt: skip
    return _process_form(request, user, form=form, process_id=process_id)


@pages.post("/processes/{process_id}")
def update_process_form(
    request: Request, session: SessionDep, user: CurrentUser, process_id: int, form: SubmittedProcess
) -> Response:
    try:
        processes.update_process(session, user, process_id, _form_doc(form))
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code in (403, 404):
            raise
        return _process_form(request, user, form=form, process_id=process_id, error=exc, status_code=exc.status_code)
    return RedirectResponse(f"/processes/{process_id}?saved=1", status_code=303)


def _process_page(
    request: Request,
    session: Session,
    user: Actor,
    process_id: int,
    *,
    error: PeaceopsError | None = None,
    notice: str | None = None,
    mediator: dict[str, Any] | None = None,
) -> Response:
    """The process page; ``error`` is a refusal of one of its forms, told beside the mediator form's fields when
    it was that form (``mediator``: its values as sent), else in full above the page."""
    detail = processes.process_detail(session, process_id)
    problem = form_problem(error) if mediator else {"error": str(error) if error else None, "field_errors": {}}
    status_code = error.status_code if error else 200
    lanes = timeline_lanes(detail)
    charts = {"timeline": timeline_chart(lanes)} if lanes["phases"] or lanes["tenures"] else {}
    holds = compartments.holds(user.compartments, detail.compartment)
    context = {
        "process": detail,
        "charts": charts,
        "can_edit": may_edit_shared(user),
        "holds": holds,
        # whether a debrief exists is need-to-know: the due list is for the compartment's holders only
        "due": debriefs_due(session, user, process_id=detail.id).due if holds else None,
        "party_names": processes.party_names(session) if may_edit_shared(user) else [],
        **problem,
        "notice": notice,
        "kinds": MEDIATOR_KIND_LABELS,
        "mediator": mediator or {"started_on": date.today().isoformat(), "mandate_area": detail.conflict},
        "today": date.today().isoformat(),
    }
    return render(request, "mediation/process.html", context, status_code=status_code)


@pages.get("/processes/{process_id}")
def process_page(
    request: Request, session: SessionDep, user: CurrentUser, process_id: int, saved: str = ""
) -> Response:
    return _process_page(request, session, user, process_id, notice=_("The process is saved.") if saved else None)


@pages.get("/processes/{process_id}/timeline")
def timeline_page(request: Request, session: SessionDep, user: CurrentUser, process_id: int) -> Response:
    detail = processes.process_detail(session, process_id)
    lanes = timeline_lanes(detail)
    charts = {"timeline": timeline_chart(lanes)} if lanes["phases"] or lanes["tenures"] else {}
    context = {"process": detail, "events": timeline_events(detail), "charts": charts}
    return render(request, "mediation/process_timeline.html", context)


def _after_change(request: Request, session: Session, user: Actor, process_id: int, action: Any) -> Response:
    """Run a change from one of the process page's small forms; show the page again with the error if any."""
    try:
        action()
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code in (403, 404):
            raise
        return _process_page(request, session, user, process_id, error=exc)
    return RedirectResponse(f"/processes/{process_id}?saved=1", status_code=303)


@pages.post("/processes/{process_id}/parties")
def add_party_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    process_id: int,
    name: Short,
    armed_groups: Text = "",
) -> Response:
    def act() -> None:
        groups = [g for g in re.split(r"[,;\n]", armed_groups) if g.strip()]
        processes.add_party(session, user, process_id, _doc(PartyDoc, name=name, armed_groups=groups))

    return _after_change(request, session, user, process_id, act)


@pages.post("/processes/{process_id}/friends")
def add_friend_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    process_id: int,
    name: Short,
    circle: Annotated[str, Form(max_length=16)] = "core",
) -> Response:
    def act() -> None:
        processes.add_friend(session, user, process_id, _doc(FriendDoc, name=name, circle=circle))

    return _after_change(request, session, user, process_id, act)


def _mediator_values(
    name: Short,
    organisation: Short,
    kind: Annotated[str, Form(max_length=16)],
    started_on: Annotated[str, Form(max_length=10)],
    title: Short = "",
    mandate: Text = "",
    mandate_area: Short = "",
    ended_on: Annotated[str, Form(max_length=10)] = "",
    lead: Annotated[str, Form(max_length=5)] = "",
    core_team: Annotated[str, Form(max_length=5)] = "",
) -> dict[str, Any]:
    """The mediator form's fields, shared by the add and edit routes."""
    return {
        "name": name, "organisation": organisation, "kind": kind, "title": title, "mandate": mandate,
        "mandate_area": _blank(mandate_area), "started_on": _blank(started_on), "ended_on": _blank(ended_on),
        "lead": bool(lead), "core_team": bool(core_team),
    }  # fmt: skip


SubmittedMediator = Annotated[dict[str, Any], Depends(_mediator_values)]


@pages.post("/processes/{process_id}/mediators")
def add_mediator_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    process_id: int,
    values: SubmittedMediator,
) -> Response:
    try:
        processes.save_mediator(session, user, process_id, _doc(MediatorDoc, **values))
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code in (403, 404):
            raise
        return _process_page(request, session, user, process_id, error=exc, mediator=values)
    return RedirectResponse(f"/processes/{process_id}?saved=1", status_code=303)


@pages.get("/processes/{process_id}/mediators/{mediator_id}/edit")
def edit_mediator_page(
    request: Request, session: SessionDep, user: CurrentUser, process_id: int, mediator_id: int
) -> Response:
    check_editor(user, processes.WHAT)
    process = processes.load(session, process_id)
    doc = processes.mediator_doc(process, mediator_id)
    context = {"process": process, "mediator_id": mediator_id, "mediator": doc.model_dump(),
               "kinds": MEDIATOR_KIND_LABELS, **form_problem(None)}  # fmt: skip
    return render(request, "mediation/process_mediator_form.html", context)


@pages.post("/processes/{process_id}/mediators/{mediator_id}")
def update_mediator_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    process_id: int,
    mediator_id: int,
    values: SubmittedMediator,
) -> Response:
    try:
        processes.save_mediator(session, user, process_id, _doc(MediatorDoc, **values), mediator_id)
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code in (403, 404):
            raise
        process = processes.load(session, process_id)
        context = {"process": process, "mediator_id": mediator_id, "mediator": values, "kinds": MEDIATOR_KIND_LABELS,
                   **form_problem(exc)}  # fmt: skip
        return render(request, "mediation/process_mediator_form.html", context, status_code=exc.status_code)
    return RedirectResponse(f"/processes/{process_id}?saved=1", status_code=303)


@pages.post("/processes/{process_id}/{kind}/{item_id}/delete")
def remove_item_form(
    request: Request, session: SessionDep, user: CurrentUser, process_id: int, kind: str, item_id: int
) -> Response:
    return _after_change(
        request, session, user, process_id, lambda: processes.remove_item(session, user, process_id, kind, item_id)
    )


# ---- debriefs -----------------------------------------------------------------------------------------------


@api.get("/debriefs/search", response_model=DebriefSearch, summary="Search the debriefs you may read")
def search_debriefs_api(
    session: SessionDep,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=400)] = "",
    process: QueryNumber = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> DebriefSearch:
    return debriefs.search_debriefs(session, user, q, process_id=process, limit=limit)


@api.get("/debriefs/{debrief_id}", response_model=DebriefDetail, summary="One debrief (its compartment needed)")
def debrief_api(session: SessionDep, user: CurrentUser, debrief_id: int) -> DebriefDetail:
    return debriefs.read_debrief(session, user, debrief_id, via="api")


@api.put("/debriefs/{debrief_id}", response_model=DebriefDetail, summary="Change a debrief (its compartment needed)")
def update_debrief_api(session: SessionDep, user: CurrentUser, debrief_id: int, body: DebriefDoc) -> DebriefDetail:
    debriefs.update_debrief(session, user, debrief_id, body)
    return debriefs.read_debrief(session, user, debrief_id, via="api")


@api.get("/processes/{process_id}/debriefs", response_model=DebriefList, summary="A process's debriefs (compartment)")
def debriefs_api(session: SessionDep, user: CurrentUser, process_id: int) -> DebriefList:
    return debriefs.list_debriefs(session, user, process_id)


@api.post("/processes/{process_id}/debriefs", response_model=DebriefDetail, status_code=201, summary="File a debrief")
def create_debrief_api(session: SessionDep, user: CurrentUser, process_id: int, body: DebriefDoc) -> DebriefDetail:
    debrief = debriefs.create_debrief(session, user, process_id, body)
    return debriefs.read_debrief(session, user, debrief.id, via="api")


@pages.get("/debriefs")
def search_debriefs_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=400)] = "",
    process: QueryNumber = None,
) -> Response:
    found = debriefs.search_debriefs(session, user, q, process_id=process) if q.strip() else None
    allowed = debriefs.readable_processes(user.compartments)
    context = {"q": q, "found": found, "process": process, "holds_any": allowed is None or bool(allowed)}
    return render(request, "mediation/process_debriefs.html", context)


@pages.get("/processes/{process_id}/debriefs")
def process_debriefs_page(request: Request, session: SessionDep, user: CurrentUser, process_id: int) -> Response:
    rows = debriefs.list_debriefs(session, user, process_id).debriefs
    process = processes.load(session, process_id)
    context = {"process": process, "rows": rows, "can_write": not is_viewer(user)}
    return render(request, "mediation/process_debrief_list.html", context)


def _debrief_form(
    request: Request,
    process_name: str,
    process_id: int,
    form: dict[str, Any],
    *,
    debrief_id: int | None = None,
    error: PeaceopsError | None = None,
) -> Response:
    context = {"process_name": process_name, "process_id": process_id, "form": form, "debrief_id": debrief_id,
               **form_problem(error), "labels": FIELD_LABELS}  # fmt: skip
    status_code = error.status_code if error else 200
    return render(request, "mediation/process_debrief_form.html", context, status_code=status_code)


@pages.get("/processes/{process_id}/debriefs/new")
def new_debrief_page(request: Request, session: SessionDep, user: CurrentUser, process_id: int) -> Response:
    process = processes.load(session, process_id)
    compartments.require(
        user.compartments, process.compartment, _("The debriefs of process {id}").format(id=process_id)
    )
    form = {"author": user.username, "period_start": "", "period_end": date.today().isoformat()}
    return _debrief_form(request, process.name, process_id, form)


def _debrief_values(
    author: str, period_start: str, period_end: str, what_worked: str, tacit_understandings: str, open_issues: str,
    contacts: str,
) -> dict[str, Any]:  # fmt: skip
    return dict(locals())


@pages.post("/processes/{process_id}/debriefs")
def create_debrief_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    process_id: int,
    author: Short,
    period_start: Annotated[str, Form(max_length=10)],
    period_end: Annotated[str, Form(max_length=10)],
    what_worked: LongText = "",
    tacit_understandings: LongText = "",
    open_issues: LongText = "",
    contacts: LongText = "",
) -> Response:
    form = _debrief_values(author, period_start, period_end, what_worked, tacit_understandings, open_issues, contacts)
    try:
        debrief = debriefs.create_debrief(session, user, process_id, _doc(DebriefDoc, **form))
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code in (403, 404):
            raise
        name = processes.load(session, process_id).name
        return _debrief_form(request, name, process_id, form, error=exc)
    return RedirectResponse(f"/debriefs/{debrief.id}?saved=1", status_code=303)


@pages.get("/debriefs/{debrief_id}")
def debrief_page(
    request: Request, session: SessionDep, user: CurrentUser, debrief_id: int, saved: str = ""
) -> Response:
    debrief = debriefs.read_debrief(session, user, debrief_id)
    holders = compartments.holders(session, debrief.compartment)
    context = {"debrief": debrief, "labels": FIELD_LABELS, "holders": holders, "notice": bool(saved),
               "can_write": not is_viewer(user)}  # fmt: skip
    return render(request, "mediation/process_debrief.html", context)


@pages.get("/debriefs/{debrief_id}/edit")
def edit_debrief_page(request: Request, session: SessionDep, user: CurrentUser, debrief_id: int) -> Response:
    process_id, doc = debriefs.debrief_doc(session, user, debrief_id)
    form = doc.model_dump(mode="json")
    name = processes.load(session, process_id).name
    return _debrief_form(request, name, process_id, form, debrief_id=debrief_id)


@pages.post("/debriefs/{debrief_id}")
def update_debrief_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    debrief_id: int,
    author: Short,
    period_start: Annotated[str, Form(max_length=10)],
    period_end: Annotated[str, Form(max_length=10)],
    what_worked: LongText = "",
    tacit_understandings: LongText = "",
    open_issues: LongText = "",
    contacts: LongText = "",
) -> Response:
    form = _debrief_values(author, period_start, period_end, what_worked, tacit_understandings, open_issues, contacts)
    try:
        debriefs.update_debrief(session, user, debrief_id, _doc(DebriefDoc, **form))
    except PeaceopsError as exc:
        session.rollback()
        if exc.status_code in (403, 404):
            raise
        process_id, _doc_form = debriefs.debrief_doc(session, user, debrief_id)
        name = processes.load(session, process_id).name
        return _debrief_form(request, name, process_id, form, debrief_id=debrief_id, error=exc)
    return RedirectResponse(f"/debriefs/{debrief_id}?saved=1", status_code=303)
