"""The app factory: each call builds an independent app from the settings and database it is given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

import peaceops
from peaceops.geography import COUNTRIES_TOPOJSON
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import error_handlers
from peaceops.web.audit_trail import AuditTrail
from peaceops.web.dependencies import CurrentUser
from peaceops.web.language.middleware import LocaleMiddleware
from peaceops.web.observability import RequestLog, metrics, prefixed_templates
from peaceops.web.request_limits import BodyLimit
from peaceops.web.routers import ROUTERS
from peaceops.web.schemas import ErrorOut
from peaceops.web.security import SecurityHeaders, check_csrf, check_ids
from peaceops.web.templating import make_templates
from peaceops.web.view_cache import ViewCache

STATIC = Path(__file__).with_name("static")
TOPOJSON_URL = "/static/geo/countries-110m.json"
# Seconds a request waits for a lock another job holds before it answers 503 (SQLite's busy timeout; on
# PostgreSQL, where a connection otherwise waits without end, lock_timeout).
REQUEST_LOCK_TIMEOUT = 10.0
API_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not signed in."},
    403: {"model": ErrorOut, "description": "Signed in, but the role does not allow this."},
    413: {"model": ErrorOut, "description": "The request body is larger than the limit (PEACEOPS_MAX_BODY_KB)."},
    # Not FastAPI's default shape: web/error_handlers.py answers every invalid request in this one.
    422: {"model": ErrorOut, "description": "The request was not valid; the detail names each problem."},
    503: {"model": ErrorOut, "description": "The database is busy with another task; retry after Retry-After."},
}


def create_app(settings: Settings, *, db: Database | None = None, local_admin: bool = False) -> FastAPI:
    """Build the web app.

    ``db`` defaults to the settings' database URL. ``local_admin`` makes every request act as the
    built-in administrator "local-admin" without a login: only for in-process callers such as
    ``peaceops get``, never for a server that listens on a network.
    """
    app = FastAPI(
        title="peaceops",
        version=getattr(peaceops, "__version__", "0.1.0"),
        summary="Data-driven peace operations: missions, personnel, gender parity, fatalities, A4P framework.",
        docs_url=None,  # the stock docs pages load their JavaScript from a CDN; the schema is served below
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(check_csrf), Depends(check_ids)],
    )
    app.state.settings = settings
    app.state.db = db or Database(settings.db_url, lock_timeout=REQUEST_LOCK_TIMEOUT)
    app.state.local_admin = local_admin
    app.state.templates = make_templates()
    app.state.view_cache = ViewCache()
    app.state.topojson_url = TOPOJSON_URL

    # Innermost of ours: a refusal (413) gets the session, security headers and audit client like any answer.
    app.add_middleware(
        BodyLimit,
        max_body=settings.max_body_kb * 1024,
        max_upload=settings.max_upload_mb * 1024 * 1024,
    )
    app.add_middleware(LocaleMiddleware)  # inside the session, whose copy of the user's preference it reads
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret,
        session_cookie="peaceops_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.mode == "production",
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AuditTrail)
    app.add_middleware(RequestLog)  # outermost: every answer, refusals included, is logged and counted
    error_handlers.install(app)

    for tag, module in ROUTERS:
        app.include_router(module.pages)
        app.include_router(module.api, prefix="/api", tags=[tag], responses=API_ERRORS)
    included = [(prefix, router) for _, m in ROUTERS for prefix, router in (("", m.pages), ("/api", m.api))]
    app.state.route_templates = prefixed_templates(included)

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi_schema(user: CurrentUser) -> dict[str, Any]:
        return app.openapi()

    @app.get(TOPOJSON_URL, include_in_schema=False)
    def countries_topojson() -> FileResponse:
        """Natural Earth 1:110m countries (world-atlas 2.0.2), served from the geography package."""
        return FileResponse(COUNTRIES_TOPOJSON, media_type="application/json")

    app.add_api_route("/metrics", metrics, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
