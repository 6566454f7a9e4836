"""Rules a value must pass before it is stored (they block), and the outlier check (it only warns).

Blocking rules know the unit (a count is a whole number of zero or more, a share lies in 0-100) and the
relations between values: a disaggregated figure (women, one category, one region) cannot exceed the
total of the same indicator and period, and an indicator declared ``not_above`` another (women in
delegations <= delegates) cannot exceed it. The outlier check compares a value with the indicator's own
history for the same disaggregation using the median and the median absolute deviation.
"""

from __future__ import annotations

import math
from statistics import median

from peaceops.errors import ValidationFailed
from peaceops.i18n import N_, _

UNITS: dict[str, str] = {  # what a value of each unit may be, in English here, translated where a sentence is made
    "count": N_("a whole number of zero or more"),
    "percent": N_("a share from 0 to 100"),
    "per_1000": N_("a rate per 1,000 of zero or more"),
    "number": N_("any number"),
    "days": N_("a number of days, zero or more"),
    "usd": N_("an amount in US dollars, zero or more"),
}
# In English here (the JSON); pages show them with _().
UNIT_LABELS = {"count": "", "percent": "%", "per_1000": N_("per 1,000"), "number": "", "days": N_("days"), "usd": "USD"}
# Disaggregation dimensions and the keys a value may carry ('' is the total).
SEX_KEYS = ("female", "male")
CATEGORY_KEYS = ("military_contingents", "staff_officers_observers", "formed_police_units", "individual_police")
DIMENSIONS = ("sex", "category", "region")
DIMENSION_WORDS = {"sex": N_("sex"), "category": N_("category"), "region": N_("region")}  # shown with _()
OUTLIER_MIN_HISTORY = 4
OUTLIER_Z = 3.5


class ValueRejected(ValidationFailed):
    """A value broke a blocking rule; the message says which and what would be accepted."""


def parse_number(text: str | float | int | None) -> float | None:
    """A typed figure ('1,234', ' 12.5 ', '45%') as a float; empty means no value."""
    if text is None:
        return None
    if isinstance(text, int | float):
        value = float(text)
    else:
        cleaned = text.strip().replace(",", "").replace("\u00a0", "").replace(" ", "").removesuffix("%")
        if not cleaned:
            return None
        try:
            value = float(cleaned)
        except ValueError:
            raise ValueRejected(_("{text!r} is not a number.").format(text=text)) from None
    if not math.isfinite(value):
        raise ValueRejected(_("{text!r} is not a finite number.").format(text=text))
    return value


def check_unit(unit: str, value: float, what: str) -> None:
    """Block a value its unit cannot take, naming the indicator and the accepted range."""
    if unit not in UNITS:
        raise ValueRejected(_("{what} has unit {unit!r}, which peaceops does not know.").format(what=what, unit=unit))
    if unit == "number":
        return
    if value < 0:
        raise ValueRejected(
            _("{what} is {unit}; {value} is below zero.").format(what=what, unit=_(UNITS[unit]), value=f"{value:g}")
        )
    if unit == "count" and value != int(value):
        raise ValueRejected(
            _("{what} counts whole items; {value} is not a whole number.").format(what=what, value=f"{value:g}")
        )
    if unit == "percent" and value > 100:
        raise ValueRejected(
            _("{what} is {unit}; {value} is above 100 (enter 45 for 45%, not 0.45 x 100 twice).").format(
                what=what, unit=_(UNITS[unit]), value=f"{value:g}"
            )
        )


def check_disaggregation(key: str, dimensions: list[str], regions: list[str], what: str) -> str:
    """Normalise and check a disaggregation key ('', 'sex:female', 'category:formed_police_units', 'region:X')."""
    key = (key or "").strip()
    if key in ("", "total"):
        return ""
    dimension, _sep, member = key.partition(":")
    dimension, member = dimension.strip().lower(), member.strip()
    if dimension not in dimensions:
        allowed = ", ".join(dimensions) if dimensions else _("none (only the total)")
        raise ValueRejected(
            _("{what} is not disaggregated by {dimension!r}; its disaggregations: {allowed}.").format(
                what=what, dimension=dimension, allowed=allowed
            )
        )
    members: tuple[str, ...] | list[str] = {"sex": SEX_KEYS, "category": CATEGORY_KEYS}.get(dimension, regions)
    if member.lower() in [m.lower() for m in members]:
        member = next(m for m in members if m.lower() == member.lower())
        return f"{dimension}:{member}"
    raise ValueRejected(
        _("{what}: {member!r} is not a {dimension} here; choose one of {members}.").format(
            what=what,
            member=member,
            dimension=_(DIMENSION_WORDS.get(dimension, dimension)),
            members=", ".join(members) or "-",
        )
    )


def check_not_above(value: float, limit: float | None, what: str, limit_what: str) -> None:
    """Block a part larger than its whole (women above the total, answered alerts above all alerts)."""
    if limit is not None and value > limit + 1e-9:
        raise ValueRejected(
            _("{what} is {value}, more than {limit_what} ({limit}) for the same period.").format(
                what=what, value=f"{value:g}", limit_what=limit_what, limit=f"{limit:g}"
            )
        )


def outlier_warning(history: list[float], value: float) -> str | None:
    """A warning when ``value`` lies far from the indicator's own history (robust z-score above 3.5).

    The scale is 1.4826 x the median absolute deviation; when the history does not vary at all, a change
    of more than half the usual value (or any change from a constant zero) is flagged instead.
    """
    if len(history) < OUTLIER_MIN_HISTORY:
        return None
    centre = median(history)
    mad = median(abs(x - centre) for x in history)
    if mad > 0:
        z = abs(value - centre) / (1.4826 * mad)
        if z <= OUTLIER_Z:
            return None
        reason = _("{z} robust deviations from the median").format(z=f"{z:.1f}")
    else:
        if abs(value - centre) <= 0.5 * abs(centre) and not (centre == 0 and value != 0):
            return None
        reason = _("every earlier value was the same")
    low, high = min(history), max(history)
    return _(
        "{value} is unusual for this indicator: its {count} earlier values range {low}-{high} (median {median}; "
        "{reason}). It was saved; check it."
    ).format(
        value=f"{value:g}", count=len(history), low=f"{low:g}", high=f"{high:g}", median=f"{centre:g}", reason=reason
    )
