"""What operators watch: one structured log line per request with a request id, and Prometheus metrics.

Every request gets an id — the caller's ``X-Request-ID`` when it is a short token, otherwise a new one — sent
back in the response header and written in the request's log line, so a user's report ("request 7f3a…
failed") finds its line. The line holds the method, the route's *template* (``/incidents/{incident_id}``,
never the filled-in path or the query string: those can name people or search terms), the status and
the duration; nothing a confidential record holds.

``/metrics`` serves the Prometheus text format: requests by method, route template and status, and their
durations. The labels are route templates and status codes only, so the endpoint reveals how the app is
used, never what any record says. With several server processes (``peaceops serve --workers N``) each
process writes its figures to ``PROMETHEUS_MULTIPROC_DIR`` and ``/metrics`` sums them (the client
library's multiprocess mode), whichever worker answers.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.routing import iter_route_contexts
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
LOG = logging.getLogger("peaceops.requests")

REQUESTS = Counter(
    "peaceops_http_requests_total",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
DURATION = Histogram(
    "peaceops_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def prefixed_templates(routers: Iterable[tuple[str, APIRouter]]) -> dict[int, str]:
    """Each route's full path template by the route's id, from the prefix its router is included with.

    ``create_app`` stores it in ``app.state.route_templates``: FastAPI's route contexts give the same
    templates, but only after building every route's dependencies and models (half a second per app).
    """
    return {id(route): prefix + route.path_format for prefix, router in routers for route in router.routes}


def route_template(scope: Scope) -> str:
    """The matched route's full path template; ``unmatched`` when no route took the request (a 404)."""
    route = scope.get("route")
    if route is None:
        return "unmatched"
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    app = scope.get("app")
    paths = getattr(getattr(app, "state", None), "route_templates", None)
    if paths is None and app is not None:
        # A route of an included router knows its path without the router's prefix (/missions, not
        # /api/missions); FastAPI's route contexts give the full one. Built once per app, for an app that
        # create_app did not make (create_app records them at once: prefixed_templates).
        paths = {id(c.original_route): c.path_format for c in iter_route_contexts(app.routes) if c.path_format}
        app.state.route_templates = paths
    return str((paths or {}).get(id(route), getattr(route, "path", "unmatched")))


class RequestLog:
    """Outermost middleware: gives each request its id, then logs and counts it once it is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = given if _SAFE_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500  # what is logged when the app fails before it answers
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (REQUEST_ID_HEADER.encode(), request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            DURATION.labels(scope["method"], route).observe(elapsed)
            LOG.info(
                "%s %s %s %.1f ms [%s]",
                scope["method"],
                route,
                status,
                elapsed * 1000,
                request_id,
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )


def metrics(request: Request) -> Response:
    """The Prometheus exposition of this process's figures, or of every worker's in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return Response(body, media_type=CONTENT_TYPE_LATEST)


# A record's own attributes, and uvicorn's coloured copy of its message: not repeated as fields.
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and whatever ``extra`` the call gave."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(fmt: str = "json", level: int = logging.INFO) -> None:
    """Send peaceops' and the server's logs to stderr, as JSON lines (``json``) or plain text (``text``)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if fmt == "json" else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    for name in ("peaceops", "uvicorn.error", "gunicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
