"""Reading the text fields of HTML forms as dates and numbers, with messages that name the field."""

from __future__ import annotations

from datetime import date

from peaceops.errors import ValidationFailed


def form_date(text: str, field: str, *, required: bool = True) -> date | None:
    """A YYYY-MM-DD date; blank gives None unless the field is required."""
    text = text.strip()
    if not text:
        if required:
            raise ValidationFailed(f"{field} is required (YYYY-MM-DD).")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"{field} {text!r} is not a date (YYYY-MM-DD).") from None


def form_number(text: str, field: str, *, percent: bool = False) -> float | None:
    """A number (decimal point or comma); blank gives None; ``percent`` turns 45 into 0.45."""
    text = text.strip().rstrip("%").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationFailed(f"{field} {text!r} is not a number.") from None
    if value < 0:
        raise ValidationFailed(f"{field} cannot be negative.")
    if percent:
        if value > 100:
            raise ValidationFailed(f"{field} is a percentage: 0 to 100.")
        return round(value / 100.0, 6)
    return value
