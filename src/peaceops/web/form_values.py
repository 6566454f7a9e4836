"""HTML forms: their text fields read as dates and numbers (messages name the field), every problem kept by
field (``FormReader``), what a refused form shows (``form_problem``) and their writes (``submit``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from peaceops.errors import PeaceopsError, ValidationFailed, problems_invalid
from peaceops.i18n import _

T = TypeVar("T")


def form_date(text: str, field: str, *, required: bool = True, name: str | None = None) -> date | None:
    """A YYYY-MM-DD date; blank gives None unless the field is required. ``field`` is how the sentence names
    the field ("The pledge date"), ``name`` the form's name for it (the page shows the sentence beside it)."""
    text = text.strip()
    if not text:
        if required:
            raise ValidationFailed(_("{field} is required (YYYY-MM-DD).").format(field=field), field=name)
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            _("{field} {text!r} is not a date (YYYY-MM-DD).").format(field=field, text=text), field=name
        ) from None


def form_number(text: str, field: str, *, percent: bool = False, name: str | None = None) -> float | None:
    """A number (decimal point or comma); blank gives None; ``percent`` turns 45 into 0.45."""
    text = text.strip().rstrip("%").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        message = _("{field} {text!r} is not a number.").format(field=field, text=text)
        raise ValidationFailed(message, field=name) from None
    if value < 0:
        raise ValidationFailed(_("{field} cannot be negative.").format(field=field), field=name)
    if percent:
        if value > 100:
            raise ValidationFailed(_("{field} is a percentage: 0 to 100.").format(field=field), field=name)
        return round(value / 100.0, 6)
    return value


class FormReader:
    """Reads a form's text fields and keeps every problem with the field it is about, so that one answer
    tells a person everything to correct (``check`` raises them together, as one FormInvalid)."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def add(self, name: str, sentence: str) -> None:
        """A problem of the field ``name`` (empty: of the form as a whole)."""
        self.problems.append((name, sentence))

    def date(self, name: str, text: str, field: str, *, required: bool = True) -> date | None:
        try:
            return form_date(text, field, required=required, name=name)
        except ValidationFailed as exc:
            self.add(name, str(exc))
            return None

    def number(self, name: str, text: str, field: str, *, percent: bool = False) -> float | None:
        try:
            return form_number(text, field, percent=percent, name=name)
        except ValidationFailed as exc:
            self.add(name, str(exc))
            return None

    def check(self, more: Iterable[tuple[str, str]] = ()) -> None:
        """Raise every problem found (and ``more``) as one FormInvalid; nothing when there is none."""
        if invalid := problems_invalid([*self.problems, *more]):
            raise invalid


def form_problem(error: PeaceopsError | str | None) -> dict[str, Any]:
    """What a form page shows for a refusal: ``error``, the line above the form (a short summary when the
    fields say the rest), and ``field_errors``, each field's own sentence, shown beside it."""
    if error is None:
        return {"error": None, "field_errors": {}}
    if isinstance(error, ValidationFailed):
        return {"error": error.summary(), "field_errors": error.field_errors()}
    return {"error": str(error), "field_errors": {}}


def submit(
    session: Session,
    write: Callable[[], T],
    done: Callable[[T], str],
    again: Callable[[PeaceopsError], Response],
    *,
    passthrough: tuple[int, ...] = (),
    refusals: type[PeaceopsError] = PeaceopsError,
) -> Response:
    """A form's write, post-redirect-get: on success, see ``done(result)``; on a refusal, roll back and show
    the form again, as it was filled in, with the reason (``again(error)``: ``form_problem`` says what to show
    and where; its status is ``error.status_code``). Refusals whose status is in ``passthrough`` (403, 404)
    go to the error page instead: the form itself is not for this person."""
    try:
        result = write()
    except refusals as exc:
        session.rollback()
        if exc.status_code in passthrough:
            raise
        return again(exc)
    return RedirectResponse(done(result), status_code=303)
