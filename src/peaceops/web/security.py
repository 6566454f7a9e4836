"""Who is asking, and whether a write really came from one of our forms: sessions, CSRF, headers.

The signed session cookie holds only the token of a server-side session (``access/sessions.py``: logout and
an administrator end it everywhere) and a random CSRF token. A login replaces the whole
session (so a token or id planted before login is never carried over), and every unsafe request must
echo the token, as a ``csrf_token`` form field or an ``X-CSRF-Token`` header (htmx sends the header).

Between the password and the second factor (decision 024) the cookie holds a *pending* sign-in instead:
the user's id, the step awaited and when the password was given. It opens nothing: no server-side session
exists until the second step is done, and it lapses after ``SECOND_STEP_SECONDS``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peaceops.errors import NotFound, PeaceopsError, PermissionDenied
from peaceops.i18n import _

CSRF_KEY = "csrf"
SESSION_KEY = "sid"  # the token of the server-side session (access/sessions.py)
PENDING_KEY = "pending"  # a sign-in that passed the password and awaits its second step
FLASH_KEY = "flash"  # one message for the next page shown (after a redirect)
FORM_ERROR_KEY = "form_error"  # why a form posted from a page was refused, for that page to show beside the form
SECOND_STEP_SECONDS = 300
CODE_STEP, ENROL_STEP = "code", "enrol"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class LoginRequired(PeaceopsError):
    """Nobody is signed in (or the account was deactivated): pages redirect, the API answers 401."""

    status_code = 401


class CsrfFailed(PermissionDenied):
    """An unsafe request without the session's CSRF token."""


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (the login form needs one before any login)."""
    token = request.session.get(CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return token


def start_session(request: Request, token: str) -> None:
    """Rotate the cookie at login: drop everything it held, then set the server session's token and a
    fresh CSRF token."""
    request.session.clear()
    request.session[SESSION_KEY] = token
    request.session[CSRF_KEY] = secrets.token_urlsafe(32)


@dataclass(frozen=True)
class PendingLogin:
    """A sign-in half done: the password was right, the second factor (``stage``) is still awaited."""

    user_id: int
    stage: str
    next: str


def begin_second_step(request: Request, user_id: int, stage: str, next: str, *, now: float) -> None:
    """After the right password: rotate the cookie as a login does, and remember only who is half-way."""
    request.session.clear()
    request.session[PENDING_KEY] = {"user": user_id, "stage": stage, "at": int(now), "next": safe_next(next)}
    request.session[CSRF_KEY] = secrets.token_urlsafe(32)


def pending_login(request: Request, stage: str, *, now: float) -> PendingLogin | None:
    """The half-done sign-in awaiting ``stage``, or None (none, another step, or older than
    SECOND_STEP_SECONDS)."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or data.get("stage") != stage:
        return None
    user_id, at = data.get("user"), data.get("at")
    if not isinstance(user_id, int) or not isinstance(at, int) or not 0 <= now - at <= SECOND_STEP_SECONDS:
        return None
    return PendingLogin(user_id=user_id, stage=stage, next=safe_next(str(data.get("next") or "/")))


def flash(request: Request, message: str) -> None:
    """A confirmation for the page the browser is sent to next (kept in the signed cookie, not the URL,
    so nobody can make the page say something that did not happen)."""
    request.session[FLASH_KEY] = message


def take_flash(request: Request) -> str | None:
    message = request.session.pop(FLASH_KEY, None)
    return message if isinstance(message, str) else None


def flash_form_error(request: Request, form: str, message: str, hint: str = "") -> None:
    """Why the form ``form`` was refused, for the page the browser is sent back to: the page shows it beside
    that form (an upload refused on the pledges page stays on the pledges page), with ``hint`` saying
    what is expected."""
    request.session[FORM_ERROR_KEY] = {"form": form, "message": message, "hint": hint, "done": False, "link": ""}


def flash_form_done(request: Request, form: str, message: str, link: str = "") -> None:
    """What the form ``form`` did, for the page the browser is sent back to (shown beside that form, so the
    person stays where they were working), with ``link`` to the full record of it (a path on this site)."""
    request.session[FORM_ERROR_KEY] = {"form": form, "message": message, "hint": "", "done": True, "link": link}


def take_form_error(request: Request) -> dict[str, Any] | None:
    """The outcome ``flash_form_error`` or ``flash_form_done`` left for this page (once), or None."""
    error = request.session.pop(FORM_ERROR_KEY, None)
    if not isinstance(error, dict) or not all(isinstance(error.get(k), str) for k in ("form", "message", "hint")):
        return None
    link = error.get("link")
    return {
        "form": error["form"],
        "message": error["message"],
        "hint": error["hint"],
        "done": error.get("done") is True,
        "link": safe_next(link) if isinstance(link, str) and link else "",
    }


async def check_csrf(request: Request) -> None:
    """App-wide dependency: an unsafe request must carry this session's token, or it is refused (403)."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = request.session.get(CSRF_KEY)
    supplied: object = request.headers.get(CSRF_HEADER)
    if not supplied and request.headers.get("content-type", "").startswith(FORM_TYPES):
        supplied = (await request.form()).get(CSRF_FIELD)
    if not (
        isinstance(expected, str)
        and isinstance(supplied, str)
        and expected
        and secrets.compare_digest(expected.encode(), supplied.encode())
    ):
        raise CsrfFailed(
            _(
                "This form could not be accepted: it has expired or did not come from this site. "
                "Reload the page and try again."
            )
        )


# Record ids are SQL integers: the largest one PostgreSQL's INTEGER holds (SQLite's is larger).
MAX_ID = 2**31 - 1


async def check_ids(request: Request) -> None:
    """App-wide dependency: a path id too large for any record is "not found" (404), before a database
    driver refuses to bind it (a 500)."""
    for name, value in request.path_params.items():
        text = str(value).strip()
        if (name == "id" or name.endswith("_id")) and text.lstrip("+-").isdigit() and not 0 <= int(text) <= MAX_ID:
            raise NotFound(f"There is no record numbered {text[:40]}.")


def safe_next(target: str | None) -> str:
    """Where to go after login: only a path on this site, never another host (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    # Vega compiles its expression language with new Function(): it needs 'unsafe-eval', nothing else.
    "script-src 'self' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Adds a content security policy (no third-party origins at all) and the usual hardening headers.

    Every answer but the static assets is ``Cache-Control: no-store``: pages, API answers and exports may
    hold confidential records, and no browser or proxy cache should keep them. Served over HTTPS (directly,
    or behind a proxy with uvicorn's --proxy-headers), the session cookie is ``Secure`` and HSTS is sent.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                if not scope["path"].startswith("/static/"):
                    headers["Cache-Control"] = "no-store"
                if scope.get("scheme") == "https":
                    headers.setdefault("Strict-Transport-Security", HSTS)
                    _secure_cookies(headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure_cookies(headers: MutableHeaders) -> None:
    cookies = headers.getlist("set-cookie")
    if not cookies:
        return
    del headers["set-cookie"]
    for cookie in cookies:
        headers.append("set-cookie", cookie if "; secure" in cookie.lower() else cookie + "; secure")
