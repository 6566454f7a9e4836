"""Reporting periods as short keys: ``2024-03`` (a month), ``2024-Q1`` (a quarter), ``2024`` (a year).

Keys sort in time order within one kind, read well in a CSV, and fit a URL; each key maps to a first and
last day, so a quarterly assessment can find the monthly values inside it with a date comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from peaceops.errors import ValidationFailed
from peaceops.i18n import _, format_date

PERIOD_KINDS = ("month", "quarter", "year")
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-\d{2})?$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
KIND_LABELS = {"month": "monthly", "quarter": "quarterly", "year": "yearly"}


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: its key, kind and first and last day."""

    start: date
    end: date
    kind: str
    key: str

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def label(self) -> str:
        """The period as a person reads it, in the current language: "March 2024" (« mars 2024 »), "Q1 2024"
        (« T1 2024 »), "2024"."""
        if self.kind == "month":
            return format_date(self.start, "MMMM y")
        if self.kind == "quarter":
            return _("Q{quarter} {year}").format(quarter=(self.start.month - 1) // 3 + 1, year=self.start.year)
        return str(self.start.year)

    def next(self) -> Period:
        return period_of(self.kind, self.end + timedelta(days=1))

    def previous(self) -> Period:
        return period_of(self.kind, self.start - timedelta(days=1))


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def month(year: int, month_: int) -> Period:
    return Period(date(year, month_, 1), _month_end(year, month_), "month", f"{year:04d}-{month_:02d}")


def quarter(year: int, q: int) -> Period:
    first = 3 * (q - 1) + 1
    return Period(date(year, first, 1), _month_end(year, first + 2), "quarter", f"{year:04d}-Q{q}")


def year(year_: int) -> Period:
    return Period(date(year_, 1, 1), date(year_, 12, 31), "year", f"{year_:04d}")


def period_of(kind: str, day: date) -> Period:
    """The period of the given kind that contains ``day``."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return year(day.year)
    raise ValidationFailed(
        _("Period kind {kind!r} is not one of {kinds}.").format(kind=kind, kinds=", ".join(PERIOD_KINDS))
    )


def parse_period(text: str) -> Period:
    """A period from its key; a full date (2024-03-31) is read as its month."""
    value = (text or "").strip()
    if found := _MONTH.match(value):
        y, m = int(found[1]), int(found[2])
        if 1 <= m <= 12 and y >= 1900:
            return month(y, m)
    elif found := _QUARTER.match(value):
        return quarter(int(found[1]), int(found[2]))
    elif (found := _YEAR.match(value)) and int(found[1]) >= 1900:
        return year(int(found[1]))
    raise ValidationFailed(
        _(
            "{text!r} is not a reporting period; write a month as 2024-03, a quarter as 2024-Q1 or a year as 2024."
        ).format(text=text)
    )


def periods_between(kind: str, first: date, last: date) -> list[Period]:
    """Every period of ``kind`` from the one containing ``first`` to the one containing ``last``."""
    out: list[Period] = []
    if last < first:
        return out
    current = period_of(kind, first)
    while current.start <= last:
        out.append(current)
        current = current.next()
    return out


def latest_complete(kind: str, today: date) -> Period:
    """The last period of ``kind`` that has ended before ``today``: the usual one to report on."""
    return period_of(kind, today).previous()
