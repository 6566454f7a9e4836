"""Display filters every page, report and brief uses: months, days, numbers, shares, in the current language
(``février 2014``, ``12 345``, ``12,5 %`` in French; the same as before in English)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from peaceops import i18n
from peaceops.access.policy import ROLE_NAMES


def month_label(value: str | None, short: bool = False) -> str:
    """'2014-02-01' or '2014-02' -> 'February 2014' (or 'Feb 2014'); an empty value reads as a dash."""
    if not value:
        return "–"
    return i18n.format_date(date.fromisoformat(f"{value[:7]}-01"), "MMM y" if short else "MMMM y")


def day_label(value: str | None) -> str:
    """'2014-02-03' -> '3 Feb 2014' ('3 févr. 2014' in French); an empty value reads as a dash."""
    if not value:
        return "–"
    return i18n.format_date(date.fromisoformat(value[:10]), "d MMM y")


def time_label(value: str | None) -> str:
    if not value:
        return "–"
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")


def number(value: int | float | None) -> str:
    """12345 -> '12,345' ('12 345' in French); 20.0 stays '20.0' in English as it always read; none is a dash."""
    if value is None:
        return "–"
    if i18n.current() != i18n.DEFAULT:
        return i18n.format_number(value)
    return f"{value:,}"


def percent(value: float | None, digits: int = 1) -> str:
    return i18n.format_percent(value, digits)


def translated(value: object) -> str:
    """A stored English term of a closed vocabulary (an outcome or a personnel category of the UN table, a
    status label kept in English) in the current language when the catalogue has it, else as it is. Plain
    text, escaped like any value: unlike ``_()`` in a template, a data value is never taken for markup or
    for a format string."""
    if value is None or value == "":
        return ""
    return i18n.gettext(str(value))


def role_name(role: str | None) -> str:
    """A role's name in the current language ("mission officer", « chargé de mission »), from its code."""
    if not role:
        return ""
    return i18n.gettext(ROLE_NAMES[role]) if role in ROLE_NAMES else role.replace("_", " ")


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
    "translated": translated,
    "role_name": role_name,
}
