"""The one mapping from errors to responses: JSON ``{"error", "detail"}`` under /api, a page elsewhere."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from peaceops.errors import PeaceopsError, PermissionDenied
from peaceops.web.audit_trail import record_denied
from peaceops.web.security import LoginRequired
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
TITLES = {
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed here",
    422: "Please check what you entered",
    500: "Something went wrong",
}


def is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def _respond(
    request: Request, status: int, code: str, detail: str, headers: Mapping[str, str] | None = None
) -> Response:
    if is_api(request):
        return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)
    title = TITLES.get(status, "Something went wrong" if status >= 500 else "The request could not be done")
    context = {"status": status, "title": title, "detail": detail}
    return render(request, "error.html", context, status_code=status)


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
    return _respond(request, exc.status_code, type(exc).__name__, str(exc))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"There is nothing at {request.url.path}."
    code = HTTP_CODES.get(exc.status_code, "HTTPError")
    return _respond(request, exc.status_code, code, detail, headers=exc.headers)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        where = " ".join(str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path"))
        problems.append(f"{where}: {error.get('msg', 'is not valid')}" if where else error.get("msg", ""))
    detail = "The request was not valid: " + "; ".join(problems) + "."
    return _respond(request, 422, "ValidationFailed", detail)


def install(app: FastAPI) -> None:
    app.add_exception_handler(PeaceopsError, peaceops_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
