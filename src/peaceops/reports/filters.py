"""Display filters every page, report and brief uses: months, days, numbers, shares."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from urllib.parse import quote


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


FILTERS: dict[str, Any] = {
    "month": month_label,
    "day": day_label,
    "time": time_label,
    "number": number,
    "percent": percent,
    "mission_url": mission_url,
    "json_text": json_text,
}
