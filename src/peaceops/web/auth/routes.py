"""Signing in and out; every attempt, good or bad, goes to the audit log (never the password).

With a second factor on (or mandatory and not yet set up) the right password leads to the second step
(``second_step.py``), which alone starts the session.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from peaceops.access import second_factor, sessions
from peaceops.access.models import User
from peaceops.access.users import authenticate
from peaceops.i18n import N_, _
from peaceops.store import audit
from peaceops.web.audit_trail import client_address
from peaceops.web.auth.second_step import finish_login
from peaceops.web.dependencies import AnyUser, SessionDep
from peaceops.web.security import CODE_STEP, ENROL_STEP, SESSION_KEY, begin_second_step, safe_next
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
FAILED = N_("The user name or password is not right. Check both and try again.")


@pages.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if request.session.get(SESSION_KEY) is not None and not request.app.state.local_admin:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "username": ""})


@pages.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    name = username.strip()[:80] or "(blank)"
    client = client_address(request.scope)
    context = {"next": safe_next(next), "username": username}
    known = session.scalar(select(User.id).where(User.username == name))
    try:
        sessions.check_allowed(session, name, known, client)
    except sessions.TooManyAttempts as exc:
        audit.record(session, name, "login_blocked", "user", name)
        return render(request, "login.html", context | {"error": _(str(exc))}, status_code=exc.status_code)
    user = authenticate(session, username, password)
    if user is None:
        audit.record(session, name, "login_failed", "user", name, after={"username": name})
        return render(request, "login.html", context | {"error": _(FAILED)}, status_code=401)
    settings = request.app.state.settings
    if second_factor.enabled(session, user.id):
        stage = CODE_STEP
    elif second_factor.required(session, user, settings.totp_required_for):
        stage = ENROL_STEP
        second_factor.begin(session, user)
    else:
        finish_login(request, session, user)
        return RedirectResponse(safe_next(next), status_code=303)
    audit.record(session, user.username, "login_password_ok", "user", user.id, after={"next_step": stage})
    begin_second_step(request, user.id, stage, next, now=second_factor.clock())
    return RedirectResponse(f"/login/{stage}", status_code=303)


@pages.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    """End the server session (a copied cookie stops working too), then forget the cookie."""
    token = request.session.get(SESSION_KEY)
    row = sessions.find(session, token, idle=timedelta.max, absolute=timedelta.max)
    user = session.get(User, row.user_id) if row is not None else None
    if user is not None:
        audit.record(session, user.username, "logout", "user", user.id)
    sessions.end(session, token)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


class MeOut(BaseModel):
    username: str
    role: str
    mission: str | None


@api.get("/me", response_model=MeOut, summary="The signed-in user")
def me(user: AnyUser) -> MeOut:
    return MeOut(username=user.username, role=user.role, mission=user.mission)
