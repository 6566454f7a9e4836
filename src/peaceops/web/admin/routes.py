"""Administration (administrators only): user accounts, their sessions and second factors, and the audit log."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access import compartments, second_factor, sessions
from peaceops.access.models import User
from peaceops.access.policy import ROLE_DESCRIPTIONS, ROLES, VIEWER
from peaceops.access.users import add_user, list_users
from peaceops.errors import NotFound, PeaceopsError
from peaceops.i18n import _, _n
from peaceops.missions.lookup import mission_choices
from peaceops.store import audit
from peaceops.web.dependencies import AdminUser, QueryNumber, SessionDep
from peaceops.web.schemas import AuditEntryOut, AuditOut, CompartmentIn, UsersOut
from peaceops.web.security import flash
from peaceops.web.templating import render
from peaceops.web.view_cache import cached

AUDIT_PAGE = 100  # entries per page of /admin/audit
pages = APIRouter(include_in_schema=False)
api = APIRouter()


def _users_page(
    request: Request,
    session: Session,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    created: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "users": list_users(session),
        "roles": [(role, _(ROLE_DESCRIPTIONS.get(role, role))) for role in ROLES],
        "missions": mission_choices(session),
        "form": form or {"username": "", "role": VIEWER, "mission": "", "organisation": ""},
        "grants": compartments.grants_by_user(session),
        "required": second_factor.required_user_ids(session, request.app.state.settings.totp_required_for),
        "error": error,
        "created": created,
    }
    return render(request, "data/admin_users.html", context, status_code=status_code)


@pages.get("/admin/users")
def users_page(request: Request, session: SessionDep, admin: AdminUser, created: str | None = None) -> Response:
    return _users_page(request, session, created=created)


@pages.post("/admin/users")
def add_user_form(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=40)],
    mission: Annotated[str, Form(max_length=40)] = "",
    organisation: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Create an account; add_user writes the audit entry, with the administrator as the actor."""
    try:
        user = add_user(session, username, password, role, mission=mission or None,
                        organisation=organisation or None, actor=admin.username)  # fmt: skip
    except PeaceopsError as exc:
        session.rollback()
        form = {"username": username, "role": role, "mission": mission, "organisation": organisation}
        return _users_page(request, session, form=form, error=_(str(exc)), status_code=exc.status_code)
    return RedirectResponse(f"/admin/users?created={quote(user.username)}", status_code=303)


@pages.post("/admin/compartments")
def compartment_form(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    username: Annotated[str, Form(max_length=200)],
    compartment: Annotated[str, Form(max_length=200)],
    action: Annotated[str, Form(pattern="^(grant|revoke)$")] = "grant",
) -> Response:
    """Grant or revoke a compartment; both are audited with the administrator as the actor."""
    try:
        change = compartments.grant if action == "grant" else compartments.revoke
        change(session, username, compartment, actor=admin.username)
    except PeaceopsError as exc:
        session.rollback()
        return _users_page(request, session, error=_(str(exc)), status_code=exc.status_code)
    return RedirectResponse("/admin/users", status_code=303)


@api.get("/admin/compartments", summary="Compartment grants by user (administrators only)")
def compartments_api(session: SessionDep, admin: AdminUser) -> dict[str, dict[str, list[str]]]:
    return {"grants": compartments.grants_by_user(session)}


@api.post("/admin/compartments", summary="Grant a user a compartment (administrators only)")
def grant_api(session: SessionDep, admin: AdminUser, body: CompartmentIn) -> dict[str, Any]:
    added = compartments.grant(session, body.username, body.compartment, actor=admin.username)
    return {"username": body.username, "compartment": compartments.check_name(body.compartment), "changed": added}


@api.delete("/admin/compartments", summary="Revoke a user's compartment (administrators only)")
def revoke_api(session: SessionDep, admin: AdminUser, body: CompartmentIn) -> dict[str, Any]:
    gone = compartments.revoke(session, body.username, body.compartment, actor=admin.username)
    return {"username": body.username, "compartment": compartments.check_name(body.compartment), "changed": gone}


def _end_sessions(session: Session, admin: AdminUser, user_id: int) -> dict[str, Any]:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no user {user_id}.").format(user_id=user_id))
    return {"username": user.username, "ended": sessions.end_all(session, user.id, actor=admin.username)}


@api.delete("/admin/users/{user_id}/sessions", summary="Sign a user out everywhere (administrators only)")
def end_sessions_api(session: SessionDep, admin: AdminUser, user_id: int) -> dict[str, Any]:
    """End every live session of the user: their browsers, and any copied cookie, must sign in again."""
    return _end_sessions(session, admin, user_id)


@pages.post("/admin/users/{user_id}/sessions/end")
def end_sessions_form(request: Request, session: SessionDep, admin: AdminUser, user_id: int) -> Response:
    """The users page's "End sessions" button: the same domain function as the API route."""
    ended = _end_sessions(session, admin, user_id)
    name, count = ended["username"], ended["ended"]
    flash(
        request,
        _n(
            "Ended {count} session of {name}: their browsers, and any copy of their cookie, must sign in again. "
            "This is in the audit log.",
            "Ended {count} sessions of {name}: their browsers, and any copy of their cookie, must sign in again. "
            "This is in the audit log.",
            count,
        ).format(count=count, name=name)
        if count
        else _("{name} had no session open; nothing to end. This is in the audit log.").format(name=name),
    )
    return RedirectResponse("/admin/users", status_code=303)


@api.delete("/admin/users/{user_id}/totp", summary="Reset a user's second factor (administrators only)")
def reset_totp_api(session: SessionDep, admin: AdminUser, user_id: int) -> dict[str, Any]:
    """Remove the user's second factor (a lost phone) and end their sessions; they set it up again."""
    username, removed = second_factor.reset(session, user_id, actor=admin.username)
    return {"username": username, "removed": removed}


@pages.post("/admin/users/{user_id}/totp/reset")
def reset_totp_form(request: Request, session: SessionDep, admin: AdminUser, user_id: int) -> Response:
    username, removed = second_factor.reset(session, user_id, actor=admin.username)
    flash(
        request,
        _(
            "Reset the second factor of {username} and ended their sessions. At the next sign-in the password is "
            "enough, or, where a second factor is required, they set a new one up. This is in the audit log."
        ).format(username=username)
        if removed
        else _("{username} had no second factor to reset; their sessions were ended. This is in the audit log.").format(
            username=username
        ),
    )
    return RedirectResponse("/admin/users", status_code=303)


@pages.get("/admin/audit")
def audit_page(request: Request, session: SessionDep, admin: AdminUser, before: QueryNumber = None) -> Response:
    def page() -> dict[str, Any]:
        rows = audit.recent(session, limit=AUDIT_PAGE + 1, before=before)
        entries = [AuditEntryOut.model_validate(e).model_dump() for e in rows[:AUDIT_PAGE]]
        return {"entries": entries, "before": before, "older": entries[-1]["id"] if len(rows) > AUDIT_PAGE else None}

    # The audit log is outside the data generation (reads are logged); a page is as fresh as the newest entry.
    context = cached(request, session, "admin-audit", admin, (before, audit.newest_id(session)), page)
    return render(request, "data/admin_audit.html", context)


@api.get("/admin/users", response_model=UsersOut, summary="User accounts (administrators only)")
def users_api(session: SessionDep, admin: AdminUser) -> dict[str, Any]:
    return {"users": list_users(session)}


@api.get("/admin/audit", response_model=AuditOut, summary="Recent audit log entries (administrators only)")
def audit_api(
    session: SessionDep,
    admin: AdminUser,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before: Annotated[QueryNumber, Query(description="Only entries older than this id (the next page)")] = None,
) -> dict[str, Any]:
    return {"entries": [AuditEntryOut.model_validate(e) for e in audit.recent(session, limit=limit, before=before)]}
