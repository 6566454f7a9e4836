"""Editing a framework's tree: forms on the framework page and the JSON API, both through performance.editing."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import require_mission_editor
from peaceops.errors import NotFound, PeaceopsError
from peaceops.framework.models import FrameworkElement
from peaceops.i18n import _
from peaceops.performance import editing
from peaceops.performance.derived import DERIVATIONS
from peaceops.performance.frameworks import (
    current_framework,
    find_mission,
    framework_tree,
    indicator_fields,
)
from peaceops.performance.models import AGGREGATIONS, DIRECTIONS, FREQUENCIES, KINDS, ResultsFramework
from peaceops.performance.shapes import FrameworkTree
from peaceops.performance.validation import DIMENSIONS, UNITS
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.performance.schemas import IndicatorIn, IndicatorPatch, ResultIn, ResultPatch
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
_CHILD_LEVEL = {"objective": "outcome", "outcome": "output"}
_PARENT_LEVEL = {"outcome": "objective", "output": "outcome"}


def _framework(session: Session, acronym: str) -> tuple[str, ResultsFramework]:
    mission = find_mission(session, acronym)
    return mission.acronym, current_framework(session, mission)


def _page_url(acronym: str, anchor: str = "") -> str:
    return f"/performance/missions/{quote(acronym)}" + (f"#{anchor}" if anchor else "")


# ---------------------------------------------------------------------------------------------- forms
def _choices(session: Session, framework: ResultsFramework) -> dict[str, Any]:
    elements = session.scalars(select(FrameworkElement).order_by(FrameworkElement.kind, FrameworkElement.position))
    return {
        "results": [(r.code, r.level, r.title) for r in framework.results],
        "indicator_codes": [i.code for i in framework.indicators],
        "elements": [(e.code, e.kind, e.title) for e in elements],
        "units": list(UNITS),
        "directions": DIRECTIONS,
        "frequencies": FREQUENCIES,
        "kinds": KINDS,
        "aggregations": AGGREGATIONS,
        "dimensions": DIMENSIONS,
        "derivations": sorted(DERIVATIONS),
    }


def _form_page(
    request: Request,
    session: Session,
    user: Any,
    acronym: str,
    *,
    what: str,
    item: dict[str, Any],
    new: bool,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    mission, framework = _framework(session, acronym)
    require_mission_editor(user, mission)
    context = {
        "mission": mission,
        "version": framework.version,
        "what": what,
        "item": item,
        "new": new,
        "error": error,
        **_choices(session, framework),
    }
    return render(request, "missions/performance_framework_edit.html", context, status_code=status_code)


def _result_item(framework: ResultsFramework, code: str) -> dict[str, Any]:
    for r in framework.results:
        if r.code == code.upper():
            parent = next((p.code for p in framework.results if p.id == r.parent_id), None)
            return {
                "code": r.code,
                "level": r.level,
                "parent": parent,
                "title": r.title,
                "description": r.description,
                "mandate_task": r.mandate_task or "",
                "tags": [],
                "tag_ids": {t.element_id for t in r.tags},
            }
    raise NotFound(_("There is no result {code!r} in the current framework version.").format(code=code))


def _indicator_item(framework: ResultsFramework, code: str) -> dict[str, Any]:
    for i in framework.indicators:
        if i.code == code.upper():
            result = next(r.code for r in framework.results if r.id == i.result_id)
            return {**indicator_fields(i), "result": result}
    raise NotFound(_("There is no indicator {code!r} in the current framework version.").format(code=code))


def _tags_of(session: Session, item: dict[str, Any]) -> dict[str, Any]:
    ids = item.pop("tag_ids", set())
    if ids:
        codes = session.scalars(select(FrameworkElement.code).where(FrameworkElement.id.in_(ids)))
        item["tags"] = sorted(codes)
    return item


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    fields: dict[str, Any] = {k: str(v) for k, v in form.items() if k not in ("csrf_token", "tags", "disaggregations")}
    fields["tags"] = [str(v) for v in form.getlist("tags")]
    fields["disaggregations"] = [str(v) for v in form.getlist("disaggregations")]
    return fields


def _result_fields(form: dict[str, Any], level: str) -> dict[str, Any]:
    fields = {k: form.get(k, "") for k in ("title", "description")}
    if level == "objective":
        fields |= {"mandate_task": form.get("mandate_task", ""), "tags": form.get("tags", [])}
    else:
        fields["parent"] = form.get("parent", "")
    return fields


def _indicator_form(form: dict[str, Any]) -> dict[str, Any]:
    return {k: form.get(k) for k in editing.INDICATOR_FIELDS if k in form or k == "disaggregations"}


@pages.get("/performance/missions/{acronym}/framework/results/new")
def new_result_page(
    request: Request, session: SessionDep, user: CurrentUser, acronym: str, level: str = "objective", parent: str = ""
) -> Response:
    item: dict[str, Any] = {"code": "", "level": level, "parent": parent.upper() or None, "title": ""}
    item |= {"description": "", "tags": []}
    return _form_page(request, session, user, acronym, what="result", item=item, new=True)


@pages.post("/performance/missions/{acronym}/framework/results/new")
async def add_result_form(request: Request, session: SessionDep, user: CurrentUser, acronym: str) -> Response:
    form = await _form(request)
    level = form.get("level", "")
    fields = {"code": form.get("code", ""), "level": level, **_result_fields(form, level)}
    try:
        _, framework = _framework(session, acronym)
        added = editing.add_result(session, framework, user, fields)
    except PeaceopsError as exc:
        session.rollback()
        item = {**fields, "parent": fields.get("parent") or None}
        return _form_page(
            request,
            session,
            user,
            acronym,
            what="result",
            item=item,
            new=True,
            error=str(exc),
            status_code=exc.status_code,
        )
    return RedirectResponse(_page_url(acronym, added["code"]), status_code=303)


@pages.get("/performance/missions/{acronym}/framework/results/{code}/edit")
def edit_result_page(request: Request, session: SessionDep, user: CurrentUser, acronym: str, code: str) -> Response:
    _, framework = _framework(session, acronym)
    item = _tags_of(session, _result_item(framework, code))
    return _form_page(request, session, user, acronym, what="result", item=item, new=False)


@pages.post("/performance/missions/{acronym}/framework/results/{code}/edit")
async def edit_result_form(
    request: Request, session: SessionDep, user: CurrentUser, acronym: str, code: str
) -> Response:
    form = await _form(request)
    _, framework = _framework(session, acronym)
    current = _result_item(framework, code)
    try:
        if form.get("remove"):
            editing.remove_result(session, framework, user, code)
            return RedirectResponse(_page_url(acronym), status_code=303)
        editing.update_result(session, framework, user, code, _result_fields(form, current["level"]))
    except PeaceopsError as exc:
        session.rollback()
        item = {**current, **_result_fields(form, current["level"])}
        item.pop("tag_ids", None)
        return _form_page(
            request,
            session,
            user,
            acronym,
            what="result",
            item=item,
            new=False,
            error=str(exc),
            status_code=exc.status_code,
        )
    return RedirectResponse(_page_url(acronym, code.upper()), status_code=303)


@pages.get("/performance/missions/{acronym}/framework/indicators/new")
def new_indicator_page(
    request: Request, session: SessionDep, user: CurrentUser, acronym: str, result: str = ""
) -> Response:
    item = {f: None for f in editing.INDICATOR_FIELDS} | {
        "code": "",
        "result": result.upper(),
        "direction": "higher",
        "frequency": "quarter",
        "kind": "entered",
        "aggregation": "last",
        "unit": "count",
        "factor": 1.0,
        "disaggregations": [],
    }
    return _form_page(request, session, user, acronym, what="indicator", item=item, new=True)


@pages.post("/performance/missions/{acronym}/framework/indicators/new")
async def add_indicator_form(request: Request, session: SessionDep, user: CurrentUser, acronym: str) -> Response:
    form = await _form(request)
    fields = {"code": form.get("code", ""), **_indicator_form(form)}
    try:
        _, framework = _framework(session, acronym)
        added = editing.add_indicator(session, framework, user, fields)
    except PeaceopsError as exc:
        session.rollback()
        return _form_page(
            request, session, user, acronym, what="indicator", item=fields, new=True, error=str(exc),
            status_code=exc.status_code,
        )  # fmt: skip
    return RedirectResponse(_page_url(acronym, added["result"]), status_code=303)


@pages.get("/performance/missions/{acronym}/framework/indicators/{code}/edit")
def edit_indicator_page(request: Request, session: SessionDep, user: CurrentUser, acronym: str, code: str) -> Response:
    _, framework = _framework(session, acronym)
    item = _indicator_item(framework, code)
    return _form_page(request, session, user, acronym, what="indicator", item=item, new=False)


@pages.post("/performance/missions/{acronym}/framework/indicators/{code}/edit")
async def edit_indicator_form(
    request: Request, session: SessionDep, user: CurrentUser, acronym: str, code: str
) -> Response:
    form = await _form(request)
    _, framework = _framework(session, acronym)
    current = _indicator_item(framework, code)
    try:
        if form.get("remove"):
            editing.remove_indicator(session, framework, user, code)
            return RedirectResponse(_page_url(acronym, current["result"]), status_code=303)
        updated = editing.update_indicator(session, framework, user, code, _indicator_form(form))
    except PeaceopsError as exc:
        session.rollback()
        item = {**current, **_indicator_form(form)}
        return _form_page(
            request, session, user, acronym, what="indicator", item=item, new=False, error=str(exc),
            status_code=exc.status_code,
        )  # fmt: skip
    return RedirectResponse(_page_url(acronym, updated.get("result") or current["result"]), status_code=303)


# ------------------------------------------------------------------------------------------------ API
def _tree(session: Session, acronym: str) -> FrameworkTree:
    session.flush()
    return framework_tree(session, _framework(session, acronym)[1])


@api.post(
    "/performance/missions/{acronym}/framework/results",
    summary="Add a result to the current version",
    response_model=FrameworkTree,
)
def add_result_api(session: SessionDep, user: CurrentUser, acronym: str, body: ResultIn) -> FrameworkTree:
    editing.add_result(session, _framework(session, acronym)[1], user, body.model_dump(exclude_none=True))
    return _tree(session, acronym)


@api.patch(
    "/performance/missions/{acronym}/framework/results/{code}",
    summary="Change or move a result",
    response_model=FrameworkTree,
)
def update_result_api(
    session: SessionDep, user: CurrentUser, acronym: str, code: str, body: ResultPatch
) -> FrameworkTree:
    editing.update_result(session, _framework(session, acronym)[1], user, code, body.model_dump(exclude_unset=True))
    return _tree(session, acronym)


@api.delete(
    "/performance/missions/{acronym}/framework/results/{code}",
    summary="Remove an empty result",
    response_model=FrameworkTree,
)
def remove_result_api(session: SessionDep, user: CurrentUser, acronym: str, code: str) -> FrameworkTree:
    editing.remove_result(session, _framework(session, acronym)[1], user, code)
    return _tree(session, acronym)


@api.post(
    "/performance/missions/{acronym}/framework/indicators",
    summary="Add an indicator to the current version",
    response_model=FrameworkTree,
)
def add_indicator_api(session: SessionDep, user: CurrentUser, acronym: str, body: IndicatorIn) -> FrameworkTree:
    editing.add_indicator(session, _framework(session, acronym)[1], user, body.model_dump(exclude_none=True))
    return _tree(session, acronym)


@api.patch(
    "/performance/missions/{acronym}/framework/indicators/{code}",
    summary="Change an indicator",
    response_model=FrameworkTree,
)
def update_indicator_api(
    session: SessionDep, user: CurrentUser, acronym: str, code: str, body: IndicatorPatch
) -> FrameworkTree:
    fields = body.model_dump(exclude_unset=True)
    editing.update_indicator(session, _framework(session, acronym)[1], user, code, fields)
    return _tree(session, acronym)


@api.delete(
    "/performance/missions/{acronym}/framework/indicators/{code}",
    summary="Remove an indicator without values",
    response_model=FrameworkTree,
)
def remove_indicator_api(session: SessionDep, user: CurrentUser, acronym: str, code: str) -> FrameworkTree:
    editing.remove_indicator(session, _framework(session, acronym)[1], user, code)
    return _tree(session, acronym)
