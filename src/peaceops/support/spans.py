"""The periods support figures are given for: a reporting period key (``2025-03``, ``2025-Q1``, ``2025``, as
performance reads them), a UN peacekeeping budget year (``2024/25``: 1 July 2024 to 30 June 2025, as the
budget documents write it) or any span of days written as an ISO 8601 interval (``2024-07-01/2024-12-31``).
Stored as a first and last day; shown as the key or budget year where there is one."""

from __future__ import annotations

import re
from datetime import date

from peaceops.errors import ValidationFailed
from peaceops.performance.periods import parse_period, period_of

MAX_DAYS = 2 * 366  # a period longer than two years is a typing slip, not a reporting period
BUDGET_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def parse_span(text: str) -> tuple[date, date]:
    """(first day, last day) of ``text``; ValueError saying how to write it."""
    value = (text or "").strip()
    if found := BUDGET_YEAR.match(value):
        first_year = int(found[1])
        if int(found[2]) != (first_year + 1) % 100:
            raise ValueError(f"period {value!r} is not a budget year; write July 2024 to June 2025 as 2024/25")
        return date(first_year, 7, 1), date(first_year + 1, 6, 30)
    if "/" in value:
        first, _, last = value.partition("/")
        try:
            start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
        except ValueError:
            raise ValueError(f"period {value!r} is not two dates YYYY-MM-DD/YYYY-MM-DD") from None
        if end < start:
            raise ValueError(f"period {value!r} ends before it starts")
        if (end - start).days > MAX_DAYS:
            raise ValueError(f"period {value!r} is longer than two years; give one budget or reporting period")
        return start, end
    try:
        period = parse_period(value)
    except ValidationFailed:
        raise ValueError(
            f"period {value!r} is not a month (2025-03), a quarter (2025-Q1), a year (2025), a budget year "
            "(2024/25) or two dates (2024-07-01/2024-12-31)"
        ) from None
    return period.start, period.end


def span_label(start: date, end: date) -> str:
    """The period's key where the span is exactly a month, a quarter, a year or a budget year, else ``start/end``."""
    if (start.month, start.day, end.month, end.day) == (7, 1, 6, 30) and end.year == start.year + 1:
        return f"{start.year}/{end.year % 100:02d}"
    for kind in ("month", "quarter", "year"):
        period = period_of(kind, start)
        if (period.start, period.end) == (start, end):
            return period.key
    return f"{start.isoformat()}/{end.isoformat()}"
