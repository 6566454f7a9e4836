"""How large a request body may be: refused with 413 before a byte of it is stored (issue 15, finding 11).

Two limits from the settings: ``PEACEOPS_MAX_BODY_KB`` for forms and JSON, ``PEACEOPS_MAX_UPLOAD_MB`` for
the routes that take a file, which are declared with ``openapi_extra=UPLOAD`` (the one mark; the OpenAPI
description shows it as ``x-upload``), and only for a client with a signed-in session cookie: nobody
anonymous makes the server store more than the small limit. The route is known once the router has
chosen it, so:

- a body that announces (``Content-Length``) more than the larger limit is refused before anything runs;
- otherwise the route's limit applies from the first read: an announced length over it is refused then,
  and a body sent without one (chunked) is counted as it arrives and refused at the first chunk that
  would pass it, so the route, the form parser and its temporary files never see more than the limit;
- a route that answers without reading an over-limit body answers 413 instead (decision 025).
"""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peaceops.web import error_handlers
from peaceops.web.security import SESSION_KEY

UPLOAD_KEY = "x-upload"
UPLOAD: dict[str, Any] = {UPLOAD_KEY: True}  # openapi_extra of every route that takes a file


class BodyTooLarge(StarletteHTTPException):
    """The request body passes its route's limit; answered by ``error_handlers.http_error`` (413, or 401
    for a file sent without signing in)."""

    def __init__(self, detail: str, status_code: int = 413) -> None:
        super().__init__(status_code=status_code, detail=detail)


def _size(limit: int) -> str:
    mb, kb = 1024 * 1024, 1024
    if limit >= mb and limit % mb == 0:
        return f"{limit // mb} MB"
    if limit >= kb and limit % kb == 0:
        return f"{limit // kb} KB"
    return f"{limit} bytes"


def is_upload_route(route: object) -> bool:
    """Whether ``route`` was declared with ``openapi_extra=UPLOAD`` (it takes a file)."""
    return isinstance(route, APIRoute) and bool((route.openapi_extra or {}).get(UPLOAD_KEY))


def _signed_in(scope: Scope) -> bool:
    """The request carries a signed session cookie from a login (checked against the server's sessions
    later, by the route), or the app is the in-process local administrator."""
    app_state = getattr(scope.get("app"), "state", None)
    return bool(getattr(app_state, "local_admin", False)) or SESSION_KEY in scope.get("session", {})


class BodyLimit:
    """ASGI middleware holding each request body to its route's limit (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    def too_large(self, scope: Scope | None) -> BodyTooLarge:
        """The refusal for this request's route (``None``: not chosen yet), saying what to do instead."""
        if scope is None:
            return BodyTooLarge(
                f"This request is too large: at most {_size(self.max_body)} is accepted for a form or an API "
                f"request, and {_size(self.max_upload)} for a file upload. Send less at once, or split the file."
            )
        if is_upload_route(scope.get("route")) and not _signed_in(scope):
            return BodyTooLarge("Please sign in, then upload the file again.", status_code=401)
        if is_upload_route(scope.get("route")):
            return BodyTooLarge(
                f"This file is too large to upload: at most {_size(self.max_upload)} is accepted in one "
                "request. Split it into smaller files and upload each one."
            )
        return BodyTooLarge(
            f"This request is too large: at most {_size(self.max_body)} is accepted here. Send less at once; "
            "files go through an upload form or an import route."
        )

    def limit(self, scope: Scope) -> int:
        return self.max_upload if is_upload_route(scope.get("route")) and _signed_in(scope) else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        announced = _content_length(scope)
        if announced is not None and announced > max(self.max_body, self.max_upload):
            await self._refuse(scope, receive, send, self.too_large(None))
            return

        received = 0
        read = started = replaced = False

        async def counted_receive() -> Message:
            nonlocal received, read
            limit = self.limit(scope)  # the router has chosen the route by the first read
            if not read and announced is not None and announced > limit:
                raise self.too_large(scope)
            read = True
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise self.too_large(scope)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started, replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                started = True
                if not read and announced is not None and announced > self.limit(scope):
                    replaced = True  # the route did not read the body: the client still learns it was too large
                    await self._refuse(scope, receive, send, self.too_large(scope))
                    return
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as exc:  # the error handlers answer it inside the app; this is the fallback
            if started:
                raise
            await self._refuse(scope, receive, send, exc)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, exc: BodyTooLarge) -> None:
        response = await error_handlers.http_error(Request(scope, receive), exc)
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)
