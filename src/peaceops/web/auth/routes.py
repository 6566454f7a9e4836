"""Signing in and out; every attempt, good or bad, goes to the audit log (never the password)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import RedirectResponse, Response

from peaceops.access.models import User
from peaceops.access.users import authenticate
from peaceops.store import audit
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.security import USER_KEY, safe_next, start_session
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
FAILED = "The user name or password is not right. Check both and try again."


@pages.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if request.session.get(USER_KEY) is not None and not request.app.state.local_admin:
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
    user = authenticate(session, username, password)
    name = username.strip()[:80] or "(blank)"
    if user is None:
        audit.record(session, name, "login_failed", "user", after={"username": name})
        context = {"next": safe_next(next), "username": username, "error": FAILED}
        return render(request, "login.html", context, status_code=401)
    audit.record(session, user.username, "login", "user", user.id, after={"username": user.username})
    start_session(request, user.id)
    return RedirectResponse(safe_next(next), status_code=303)


@pages.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    user_id = request.session.get(USER_KEY)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is not None:
        audit.record(session, user.username, "logout", "user", user.id)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


class MeOut(BaseModel):
    username: str
    role: str
    mission: str | None


@api.get("/me", response_model=MeOut, summary="The signed-in user")
def me(user: CurrentUser) -> MeOut:
    return MeOut(username=user.username, role=user.role, mission=user.mission)
