"""Assessments: the page per mission and period with ratings, overrides, narrative and workflow buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access.policy import Actor, can_edit_mission, is_admin, may_approve
from peaceops.errors import NotFound, PeaceopsError
from peaceops.i18n import _
from peaceops.performance import assessments as workflow
from peaceops.performance.frameworks import find_mission
from peaceops.performance.models import RATINGS
from peaceops.performance.periods import parse_period
from peaceops.performance.rating import labels
from peaceops.performance.shapes import AssessmentList, AssessmentView
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.performance.schemas import AssessmentActionIn
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
ACTIONS = ("start", "narrative", "override", "submit", "return", "approve", "reopen")
Text = Annotated[str, Form(max_length=20000)]


def _act(session: Session, acronym: str, period: str, action: str, user: Actor, body: AssessmentActionIn) -> None:
    """Run one workflow action; the domain checks the role, the state and the reason."""
    steps: dict[str, Callable[[], object]] = {
        "start": lambda: workflow.open_assessment(session, acronym, period, user),
        "narrative": lambda: workflow.set_narrative(session, acronym, period, body.narrative or "", user),
        "override": lambda: workflow.override_rating(
            session, acronym, period, body.objective or "", body.rating or "", body.reason or "", user
        ),
        "submit": lambda: workflow.submit(session, acronym, period, user),
        "return": lambda: workflow.return_to_draft(session, acronym, period, body.reason or "", user),
        "approve": lambda: workflow.approve(session, acronym, period, user),
        "reopen": lambda: workflow.reopen(session, acronym, period, body.reason or "", user),
    }
    if action not in steps:
        raise NotFound(
            _("There is no assessment action {action!r}; the actions are {actions}.").format(
                action=action, actions=", ".join(ACTIONS)
            )
        )
    steps[action]()


def _page(request: Request, session: Session, user: Actor, acronym: str, period: str, **extra: Any) -> Response:
    status_code = int(extra.pop("status_code", 200))
    view = workflow.assessment_view(session, acronym, period)
    context = {
        "a": view,
        "can_edit": can_edit_mission(user, view.mission),
        "is_admin": is_admin(user),
        "can_approve": view.status == "submitted" and may_approve(user, view.submitted_by, workflow.APPROVED_THING),
        "is_submitter": view.submitted_by is not None and view.submitted_by == user.username,
        "ratings": [(r, labels()[r]) for r in RATINGS],
        "rating_labels": labels(),
        "status_labels": workflow.STATUS_LABELS,
        **extra,
    }
    return render(request, "missions/performance_assessment.html", context, status_code=status_code)


@pages.get("/performance/missions/{acronym}/assessments/{period}")
def assessment_page(request: Request, session: SessionDep, user: CurrentUser, acronym: str, period: str) -> Response:
    return _page(request, session, user, acronym, period)


@pages.post("/performance/missions/{acronym}/assessments/{period}/{action}")
def assessment_action_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    acronym: str,
    period: str,
    action: str,
    narrative: Text = "",
    objective: Annotated[str, Form(max_length=32)] = "",
    rating: Annotated[str, Form(max_length=12)] = "",
    reason: Text = "",
) -> Response:
    body = AssessmentActionIn(narrative=narrative, objective=objective, rating=rating, reason=reason)
    try:
        _act(session, acronym, period, action, user, body)
    except PeaceopsError as exc:
        session.rollback()
        return _page(request, session, user, acronym, period, error=str(exc), form=body, status_code=exc.status_code)
    mission = find_mission(session, acronym)
    key = parse_period(period).key
    return RedirectResponse(
        f"/performance/missions/{quote(mission.acronym)}/assessments/{key}?done={action}", status_code=303
    )


@api.get(
    "/performance/missions/{acronym}/assessments",
    response_model=AssessmentList,
    summary="A mission's assessments, newest first, with their status and ratings",
)
def assessments_api(session: SessionDep, user: CurrentUser, acronym: str) -> AssessmentList:
    return workflow.assessments_of(session, find_mission(session, acronym))


@api.get(
    "/performance/missions/{acronym}/assessments/{period}",
    response_model=AssessmentView,
    summary="One assessment: ratings per objective with their evidence, narrative, approval trail",
)
def assessment_api(session: SessionDep, user: CurrentUser, acronym: str, period: str) -> AssessmentView:
    return workflow.assessment_view(session, acronym, period)


@api.post(
    "/performance/missions/{acronym}/assessments/{period}/{action}",
    response_model=AssessmentView,
    summary="A workflow action: start, narrative, override, submit, return, approve or reopen",
)
def assessment_action_api(
    session: SessionDep, user: CurrentUser, acronym: str, period: str, action: str, body: AssessmentActionIn
) -> AssessmentView:
    _act(session, acronym, period, action, user, body)
    return workflow.assessment_view(session, acronym, period)
