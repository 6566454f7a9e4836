"""The one mapping from errors to responses: JSON ``{"error", "detail"}`` under /api, a page elsewhere.

A database that another job holds locked answers 503 with ``Retry-After`` on every route, never a 500; a
value the database refuses to store (a NUL byte, a text or number too large for its column) is a 422; any
other unexpected error is a 500 in the same shape, its cause only in the server's log.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlsplit

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from peaceops.errors import PeaceopsError, PermissionDenied, form_invalid
from peaceops.i18n import N_, _
from peaceops.store.database import is_busy, is_unstorable
from peaceops.web.audit_trail import record_denied
from peaceops.web.security import LoginRequired, safe_next
from peaceops.web.templating import render

HTTP_CODES = {
    400: "BadRequest",
    401: "LoginRequired",
    403: "PermissionDenied",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "TooLarge",
    422: "ValidationFailed",
}
# In English here (N_ marks them for the catalogue; tests compare with them), translated where answered.
TITLES = {
    400: N_("This could not be done"),
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not allowed here"),
    413: N_("Too large"),
    422: N_("Please check what you entered"),
    500: N_("Something went wrong"),
    503: N_("Busy, try again soon"),
}
BUSY = N_("The database is busy with another task; try again in a minute.")
RETRY_AFTER = "60"  # seconds, as BUSY says
UNSTORABLE = N_(
    "A value in this request cannot be stored: a text holds a character that is not allowed (such as a NUL "
    "byte) or is too long, or a number is too large. Correct it and send the request again."
)
# How a page's form names its fields, for the sentences of a form the browser sent incomplete (a required field
# left out, a value too long): the form's own labels, in the current language. A field not listed reads as its
# name with spaces.
FORM_LABELS = {
    "file": N_("file to import"),
    "kind": N_("kind of file"),
    "mission": N_("mission"),
    "country": N_("country"),
    "event": N_("event"),
    "title": N_("title"),
    "name": N_("name"),
    "status": N_("status"),
    "action": N_("action"),
    "note": N_("note"),
    "reason": N_("reason"),
    "area": N_("area"),
    "pledge_type": N_("type of pledge"),
    "pledged_on": N_("date of the pledge"),
    "effective_on": N_("date it takes effect"),
    "occurred_on": N_("date it happened"),
    "period_start": N_("first day of the period"),
    "period_end": N_("last day of the period"),
    "period": N_("period"),
    "location": N_("location"),
    "incident_type": N_("type of incident"),
    "author": N_("author"),
    "username": N_("user name"),
    "password": N_("password"),
    "role": N_("role"),
    "code": N_("code"),
}
SERVER_ERROR = N_(
    "Something went wrong on our side and this request was not completed. Try again; if it happens again, "
    "tell your administrator the time it happened (the server's log has the details)."
)


def is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def came_from(request: Request) -> str | None:
    """The page of this site the browser was on when it sent the request (its ``Referer``), as a path with its
    query; None for another site, no referrer, or the failing page itself."""
    referer = request.headers.get("referer", "")[:2000]
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.scheme not in ("http", "https") or parts.netloc != request.url.netloc:
        return None
    path = safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return None if path == here else path


def _respond(
    request: Request,
    status: int,
    code: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    next_steps: tuple[tuple[str, str], ...] = (),
) -> Response:
    """The error as JSON under /api; elsewhere the error page, with a way back to the page the person came from.
    A form sent from a page (any method but GET) keeps that page's section highlighted in the navigation:
    the upload refused on the pledges page is an error of the pledges page, not of the imports."""
    if is_api(request):
        return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)
    title = _(TITLES[status]) if status in TITLES else _("The request could not be done")
    back = came_from(request)
    if back and request.method not in ("GET", "HEAD"):
        request.state.nav_path = urlsplit(back).path
    context = {"status": status, "title": title, "detail": detail, "next_steps": next_steps, "back": back}
    response = render(request, "error.html", context, status_code=status)
    response.headers.update(headers or {})
    return response


async def peaceops_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PeaceopsError)
    if isinstance(exc, LoginRequired) and not is_api(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login = f"/login?next={quote(target, safe='')}"
        if request.headers.get("hx-request"):  # htmx would swap the login page into a fragment
            return Response(status_code=200, headers={"HX-Redirect": login})
        return RedirectResponse(login, status_code=303)
    if isinstance(exc, PermissionDenied):
        await record_denied(request, type(exc).__name__)
    return _respond(request, exc.status_code, type(exc).__name__, str(exc), next_steps=exc.next_steps)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = _("There is nothing at {path}.").format(path=request.url.path)
    code = HTTP_CODES.get(exc.status_code, "HTTPError")
    return _respond(request, exc.status_code, code, detail, headers=exc.headers)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    labels = {} if is_api(request) else {name: _(label) for name, label in FORM_LABELS.items()}
    detail = str(form_invalid(exc.errors(), labels))  # plain sentences naming each field, never the validator's
    return _respond(request, 422, "ValidationFailed", detail)


async def database_error(request: Request, exc: Exception) -> Response:
    """A busy database (another job holds the lock) is a 503 the client may retry; any other database
    failure is a server error. Neither repeats the statement or its values."""
    if is_busy(exc):
        return _respond(request, 503, "DatabaseBusy", _(BUSY), headers={"Retry-After": RETRY_AFTER})
    raise exc


async def unstorable_value(request: Request, exc: Exception) -> Response:
    """The last guard against hostile input: a value the database refuses to bind or store is the client's
    to correct (422), whichever route let it through; the driver's text is not repeated."""
    if is_unstorable(exc):
        return _respond(request, 422, "ValidationFailed", _(UNSTORABLE))
    raise exc


async def server_error(request: Request, exc: Exception) -> Response:
    """The last resort (Starlette's ServerErrorMiddleware, which then re-raises for the log): an error a
    middleware hit (the export audit while the database is busy: Starlette reports it as "response already
    started", caused by the database error), or any bug, in the usual shape."""
    if _caused_by_busy(exc):
        status, code, detail, headers = 503, "DatabaseBusy", _(BUSY), {"Retry-After": RETRY_AFTER}
    else:
        status, code, detail, headers = 500, "ServerError", _(SERVER_ERROR), {}
    try:
        return _respond(request, status, code, detail, headers=headers)
    except Exception:  # the error page itself may be what fails (outside the session middleware): plain text
        return PlainTextResponse(detail, status_code=status, headers=headers)


def _caused_by_busy(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if is_busy(exc):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def install(app: FastAPI) -> None:
    app.add_exception_handler(PeaceopsError, peaceops_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(OperationalError, database_error)
    app.add_exception_handler(DataError, unstorable_value)
    app.add_exception_handler(OverflowError, unstorable_value)
    app.add_exception_handler(Exception, server_error)
