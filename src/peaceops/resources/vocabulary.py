"""The closed lists the resources files use (categories, milestone kinds, statuses), their labels, and the two
small languages of the files: budget periods (a UN financial year ``2025/26`` or a reporting period) and the
area of a conflict alert (``pgm:149426``, ``cm:625``)."""

from __future__ import annotations

import re
from datetime import date

from peaceops.errors import ValidationFailed
from peaceops.i18n import _l
from peaceops.performance.periods import parse_period

CATEGORIES: dict[str, object] = {
    "rations": _l("Rations"),
    "fuel": _l("Fuel"),
    "water": _l("Water"),
    "medical": _l("Medical"),
    "engineering": _l("Engineering"),
    "communications": _l("Communications and IT"),
    "vehicles": _l("Vehicles"),
    "aviation": _l("Aviation"),
    "accommodation": _l("Accommodation"),
    "equipment": _l("Equipment"),
    "services": _l("Services"),
    "other": _l("Other"),
}
MILESTONE_KINDS: dict[str, object] = {
    "mandate_renewal": _l("Mandate renewal"),
    "deployment": _l("Deployment"),
    "drawdown": _l("Drawdown step"),
    "closure": _l("Closure"),
    "other": _l("Other milestone"),
}
REQUIREMENT_STATUSES = ("open", "cancelled")
ORDER_STATUSES = ("planned", "placed", "in_transit", "delivered", "cancelled")
DELIVERY_STATUSES = ("received", "rejected")
STATES: dict[str, object] = {
    "late": _l("late"),
    "at_risk": _l("at risk"),
    "on_track": _l("on track"),
    "delivered": _l("delivered"),
    "delivered_late": _l("delivered late"),
    "cancelled": _l("cancelled by the mission"),
}
ALERT_LEVELS = ("pgm", "cm")

_FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_AREA = re.compile(r"^(pgm|cm):(\d{1,7})$", re.IGNORECASE)


def label(vocabulary: dict[str, object], code: str) -> str:
    """The translated label of ``code`` in ``vocabulary`` (the code itself when unknown)."""
    return str(vocabulary.get(code, code))


def budget_period(text: str) -> tuple[str, date, date]:
    """(key, first day, last day) of a budget period: ``2025/26`` is the UN peacekeeping financial year
    1 July 2025 - 30 June 2026; otherwise a reporting period key (``2026``, ``2026-Q1``, ``2026-03``).
    ValueError says what is accepted."""
    value = text.strip()
    if found := _FINANCIAL_YEAR.match(value):
        first = int(found.group(1))
        if (first + 1) % 100 != int(found.group(2)):
            raise ValueError(f"{value!r} is not a financial year: the second year must follow the first (2025/26)")
        return value, date(first, 7, 1), date(first + 1, 6, 30)
    try:
        period = parse_period(value)
    except ValidationFailed:
        raise ValueError(
            f"{value!r} is not a budget period; write a UN financial year (2025/26, July to June), a year (2026), "
            "a quarter (2026-Q1) or a month (2026-03)"
        ) from None
    return period.key, period.start, period.end


def parse_area(text: str) -> tuple[str, int]:
    """``pgm:149426`` (a PRIO-GRID cell) or ``cm:625`` (a country by its Gleditsch-Ward code) -> (level, id)."""
    found = _AREA.match(text.strip())
    if not found:
        raise ValueError(
            f"alert_area {text!r} is not an alert unit; write pgm:<PRIO-GRID cell> (pgm:149426) or "
            "cm:<Gleditsch-Ward country code> (cm:625), as the conflict pages show them"
        )
    level, unit = found.group(1).lower(), int(found.group(2))
    if level == "pgm" and not 1 <= unit <= 259200:
        raise ValueError(f"alert_area {text!r}: a PRIO-GRID cell is numbered 1 to 259200")
    return level, unit
