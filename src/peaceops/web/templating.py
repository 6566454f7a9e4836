"""Jinja2 environment: the templates folder, display filters, and what every page is given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from peaceops import i18n
from peaceops.reports.environment import make_environment
from peaceops.web.navigation import current_link, navigation
from peaceops.web.security import CSRF_FIELD, csrf_token, take_flash, take_form_error

TEMPLATES = Path(__file__).with_name("templates")


def _navigation_context(request: Request) -> dict[str, Any]:
    """The groups the user sees and the group and link the page falls under (marked current in the header)."""
    groups = navigation(getattr(request.state, "user", None))
    # an error page for a form sent from a page stays in that page's section (error_handlers sets nav_path)
    group, link = current_link(getattr(request.state, "nav_path", None) or request.url.path, groups)
    return {"navigation": groups, "nav_group": group, "nav_link": link}


def _page_context(request: Request) -> dict[str, Any]:
    locale = i18n.current()
    return {
        "locale": locale,
        "direction": i18n.direction(locale),
        "languages": i18n.LANGUAGES,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "csrf_field": CSRF_FIELD,
        "path": request.url.path,
        **_navigation_context(request),
        "flash": take_flash(request),
        "form_error": take_form_error(request),
    }


def make_templates() -> Jinja2Templates:
    return Jinja2Templates(env=make_environment(TEMPLATES), context_processors=[_page_context])


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """Render a page with the app's templates (kept on app.state so each app has its own), in the request's
    language (``request.state.locale``: set by the locale middleware, or by the user's preference)."""
    templates: Jinja2Templates = request.app.state.templates
    with i18n.use_locale(getattr(request.state, "locale", None) or i18n.current()):
        return templates.TemplateResponse(request, name, context or {}, status_code=status_code)
