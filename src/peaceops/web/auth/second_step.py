"""The second step of signing in (decision 024): the TOTP or recovery code after the password, or, where a
second factor is mandatory and not yet set up, its set-up. The server-side session starts only here.

Between the steps the cookie holds a pending sign-in (``security.pending_login``) that opens no page and
no API route. A wrong code is audited as a failed sign-in and counts toward the back-off of
``access.sessions``; so a six-digit code cannot be guessed in the minutes the step stays open.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access import second_factor, sessions
from peaceops.access.models import User
from peaceops.errors import ValidationFailed
from peaceops.i18n import LANGUAGES, N_, _
from peaceops.store import audit
from peaceops.web.audit_trail import client_address
from peaceops.web.dependencies import SessionDep
from peaceops.web.language.middleware import SESSION_LOCALE
from peaceops.web.qr import qr_svg
from peaceops.web.security import CODE_STEP, ENROL_STEP, PendingLogin, pending_login, start_session
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
EXPIRED = N_("Your sign-in was not finished in time, or was interrupted. Enter your user name and password again.")


def finish_login(request: Request, session: Session, user: User, factor: str | None = None) -> None:
    """The sign-in is complete: audit it, start the server-side session and rotate the cookie."""
    after = {"username": user.username} | ({"second_factor": factor} if factor else {})
    audit.record(session, user.username, "login", "user", user.id, after=after)
    start_session(request, sessions.start(session, user.id, client_address(request.scope)))
    if user.locale in LANGUAGES:  # the account's language from now on, whatever the browser asks for
        request.session[SESSION_LOCALE] = user.locale


def _pending_user(request: Request, session: Session, stage: str) -> tuple[PendingLogin, User] | None:
    pending = pending_login(request, stage, now=second_factor.clock())
    if pending is None:
        return None
    user = session.get(User, pending.user_id)
    if user is None or not user.active:
        return None
    return pending, user


def _start_again(request: Request) -> Response:
    request.session.clear()
    return render(request, "login.html", {"next": "/", "username": "", "error": _(EXPIRED)}, status_code=401)


def enrolment_context(enrolment: second_factor.Enrolment) -> dict[str, object]:
    """What the set-up pages show: the QR code, the secret in groups of four, and the otpauth:// URI."""
    secret = " ".join(enrolment.secret[i : i + 4] for i in range(0, len(enrolment.secret), 4))
    return {
        "qr": qr_svg(enrolment.uri, title="QR code to add peaceops to an authenticator app"),
        "secret": secret,
        "uri": enrolment.uri,
    }


@pages.get("/login/code")
def code_form(request: Request, session: SessionDep) -> Response:
    if _pending_user(request, session, CODE_STEP) is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "login_code.html", {})


@pages.post("/login/code")
def code(request: Request, session: SessionDep, code: Annotated[str, Form(max_length=64)]) -> Response:
    """Check the code; on success the session starts. Wrong and reused codes count as failed sign-ins."""
    found = _pending_user(request, session, CODE_STEP)
    if found is None:
        return _start_again(request)
    pending, user = found
    try:
        sessions.check_allowed(session, user.username, user.id, client_address(request.scope))
    except sessions.TooManyAttempts as exc:
        audit.record(session, user.username, "login_blocked", "user", user.username)
        return render(request, "login_code.html", {"error": _(str(exc))}, status_code=exc.status_code)
    result = second_factor.check(session, user.id, code)
    if not result.accepted:
        after = {"username": user.username, "second_factor": result.factor, "reason": result.reason}
        audit.record(session, user.username, "login_failed", "user", user.username, after=after)
        return render(request, "login_code.html", {"error": _(second_factor.WRONG_CODE)}, status_code=401)
    if result.factor == second_factor.RECOVERY:
        audit.record(session, user.username, "recovery_code_used", "user", user.id)
    finish_login(request, session, user, result.factor)
    return RedirectResponse(pending.next, status_code=303)


@pages.get("/login/enrol")
def enrol_form(request: Request, session: SessionDep) -> Response:
    """A second factor is mandatory for this account and not set up: set it up before anything else."""
    found = _pending_user(request, session, ENROL_STEP)
    enrolment = second_factor.pending(session, found[1]) if found else None
    if enrolment is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "login_enrol.html", enrolment_context(enrolment))


@pages.post("/login/enrol")
def enrol(request: Request, session: SessionDep, code: Annotated[str, Form(max_length=64)]) -> Response:
    """Confirm the set-up with one code: the second factor is on, the session starts, the recovery codes
    are shown once."""
    found = _pending_user(request, session, ENROL_STEP)
    if found is None:
        return _start_again(request)
    pending, user = found
    try:
        codes = second_factor.confirm(session, user, code, actor=user.username)
    except ValidationFailed as exc:
        enrolment = second_factor.pending(session, user)
        if enrolment is None:
            return _start_again(request)
        audit.record(session, user.username, "totp_confirm_failed", "user", user.id)
        context = enrolment_context(enrolment) | {"error": _(str(exc))}
        return render(request, "login_enrol.html", context, status_code=exc.status_code)
    finish_login(request, session, user, second_factor.TOTP)
    return render(request, "recovery_codes.html", {"codes": codes, "next": pending.next, "new": True})
