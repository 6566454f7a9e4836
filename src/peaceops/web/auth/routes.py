"""Signing in and out; every attempt, good or bad, goes to the audit log (never the password)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from peaceops.access import sessions
from peaceops.access.models import User
from peaceops.access.users import authenticate
from peaceops.store import audit
from peaceops.web.audit_trail import client_address
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.security import SESSION_KEY, safe_next, start_session
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
FAILED = "The user name or password is not right. Check both and try again."


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
        return render(request, "login.html", context | {"error": str(exc)}, status_code=exc.status_code)
    user = authenticate(session, username, password)
    if user is None:
        audit.record(session, name, "login_failed", "user", name, after={"username": name})
        return render(request, "login.html", context | {"error": FAILED}, status_code=401)
    audit.record(session, user.username, "login", "user", user.id, after={"username": user.username})
    start_session(request, sessions.start(session, user.id, client))
    return RedirectResponse(safe_next(next), status_code=303)


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
def me(user: CurrentUser) -> MeOut:
    return MeOut(username=user.username, role=user.role, mission=user.mission)
