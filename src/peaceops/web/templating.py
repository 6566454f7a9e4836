"""Jinja2 environment: the templates folder, display filters, and what every page is given."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from peaceops.web.navigation import navigation
from peaceops.web.security import CSRF_FIELD, csrf_token

TEMPLATES = Path(__file__).with_name("templates")


def month_label(value: str | None, short: bool = False) -> str:
    """'2014-02-01' or '2014-02' -> 'February 2014' (or 'Feb 2014'); an empty value reads as a dash."""
    if not value:
        return "–"
    return date.fromisoformat(f"{value[:7]}-01").strftime("%b %Y" if short else "%B %Y")


def day_label(value: str | None) -> str:
    if not value:
        return "–"
    return date.fromisoformat(value[:10]).strftime("%-d %b %Y")


def time_label(value: str | None) -> str:
    if not value:
        return "–"
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")


def number(value: int | float | None) -> str:
    return "–" if value is None else f"{value:,}"


def percent(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def json_text(value: object) -> str:
    """Compact, readable JSON for display (autoescaping makes it safe in HTML)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def mission_url(acronym: str) -> str:
    return "/missions/" + quote(acronym, safe="")


def _page_context(request: Request) -> dict[str, Any]:
    return {
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "csrf_field": CSRF_FIELD,
        "path": request.url.path,
        "navigation": navigation(getattr(request.state, "user", None)),
    }


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=TEMPLATES, context_processors=[_page_context])
    env = templates.env
    env.filters.update(
        month=month_label,
        day=day_label,
        time=time_label,
        number=number,
        percent=percent,
        mission_url=mission_url,
        json_text=json_text,
    )
    env.globals["mission_url"] = mission_url
    return templates


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """Render a page with the app's templates (kept on app.state so each app has its own)."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)
