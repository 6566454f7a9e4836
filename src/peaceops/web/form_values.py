"""HTML forms: their text fields read as dates and numbers (messages name the field), and their writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from peaceops.errors import PeaceopsError, ValidationFailed
from peaceops.i18n import _

T = TypeVar("T")


def form_date(text: str, field: str, *, required: bool = True) -> date | None:
    """A YYYY-MM-DD date; blank gives None unless the field is required."""
    text = text.strip()
    if not text:
        if required:
            raise ValidationFailed(_("{field} is required (YYYY-MM-DD).").format(field=field))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            _("{field} {text!r} is not a date (YYYY-MM-DD).").format(field=field, text=text)
        ) from None


def form_number(text: str, field: str, *, percent: bool = False) -> float | None:
    """A number (decimal point or comma); blank gives None; ``percent`` turns 45 into 0.45."""
    text = text.strip().rstrip("%").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationFailed(_("{field} {text!r} is not a number.").format(field=field, text=text)) from None
    if value < 0:
        raise ValidationFailed(_("{field} cannot be negative.").format(field=field))
    if percent:
        if value > 100:
            raise ValidationFailed(_("{field} is a percentage: 0 to 100.").format(field=field))
        return round(value / 100.0, 6)
    return value


def submit(
    session: Session,
    write: Callable[[], T],
    done: Callable[[T], str],
    again: Callable[[str, int], Response],
    *,
    passthrough: tuple[int, ...] = (),
    refusals: type[PeaceopsError] = PeaceopsError,
) -> Response:
    """A form's write, post-redirect-get: on success, see ``done(result)``; on a refusal, roll back and show
    the form again with the reason (``again(message, status)``). Refusals whose status is in
    ``passthrough`` (403, 404) go to the error page instead: the form itself is not for this person."""
    try:
        result = write()
    except refusals as exc:
        session.rollback()
        if exc.status_code in passthrough:
            raise
        return again(str(exc), exc.status_code)
    return RedirectResponse(done(result), status_code=303)
