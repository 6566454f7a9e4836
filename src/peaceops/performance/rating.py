"""The rating rule: from indicator values and targets to an objective's rating (see decision record 007).

1. An indicator's value for an assessment period combines the values inside the period by the indicator's
   aggregation: ``last`` (latest period), ``sum``, ``mean``, or ``ratio`` (sum of numerators over sum of
   denominators, times the factor: a rate over the whole period rather than a mean of monthly rates).
2. Its target is the one whose period contains the assessment period, the finest such one first.
3. Progress: 1 when the value is at or beyond the target (in the indicator's direction); otherwise the
   share of the way from the baseline to the target, ``(value - baseline) / (target - baseline)``; without
   a usable baseline, ``value / target`` (higher is better) or ``target / value`` (lower is better).
4. Indicator status: on track at progress >= 0.9, at risk at >= 0.5, off track below; an indicator with
   a target but no value is "no data"; one without a target is not rated (it is shown as context).
5. Objective: the mean of its rated indicators' points (on track 1, at risk 0.5, off track 0) gives on
   track at >= 0.75, at risk at >= 0.4, off track below; no rated indicator gives "no data". If fewer than
   half of the indicators with a target have a value, the objective cannot be better than at risk.

``explain`` says in one line why a rating is what it is (objectives, scorecard cells): how many indicators
were rated, the weakest against its target, and that target's rule (``defaults``) or who set it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from peaceops.i18n import DEFAULT, N_, _, _n, current, format_number
from peaceops.performance.shapes import Evidence

ON_TRACK_PROGRESS = 0.9
AT_RISK_PROGRESS = 0.5
ON_TRACK_SCORE = 0.75
AT_RISK_SCORE = 0.4
POINTS = {"on_track": 1.0, "at_risk": 0.5, "off_track": 0.0}
# In English here (the JSON, the tests); shown with _(label) or through ``labels()``.
RATING_LABELS = {
    "on_track": N_("On track"),
    "at_risk": N_("At risk"),
    "off_track": N_("Off track"),
    "no_data": N_("No data"),
    "no_target": N_("No target"),
}


def aggregate(
    how: str, values: list[tuple[str, float, float | None, float | None]], factor: float = 1.0
) -> float | None:
    """Combine (period, value, numerator, denominator) rows of one indicator inside an assessment period."""
    if not values:
        return None
    ordered = sorted(values, key=lambda row: row[0])
    if how == "sum":
        return sum(v for _, v, _, _ in ordered)
    if how == "mean":
        return sum(v for _, v, _, _ in ordered) / len(ordered)
    if how == "ratio":
        parts = [(n, d) for _, _, n, d in ordered if n is not None and d is not None]
        if len(parts) == len(ordered):
            bottom = sum(d for _, d in parts)
            if bottom:
                return sum(n for n, _ in parts) / bottom * factor
        return sum(v for _, v, _, _ in ordered) / len(ordered)
    return ordered[-1][1]


def progress(value: float, target: float, baseline: float | None, direction: str) -> float:
    """How far the value has come towards the target (1 = reached); see the module docstring, step 3."""
    higher = direction == "higher"
    if (value >= target) if higher else (value <= target):
        return 1.0
    if baseline is not None and baseline != target:
        return (value - baseline) / (target - baseline)
    if higher:
        return value / target if target > 0 else 0.0
    return target / value if value > 0 else 1.0


def indicator_status(
    value: float | None, target: float | None, baseline: float | None, direction: str
) -> tuple[str, float | None]:
    if target is None:
        return "no_target", None
    if value is None:
        return "no_data", None
    p = progress(value, target, baseline, direction)
    if p >= ON_TRACK_PROGRESS:
        return "on_track", p
    if p >= AT_RISK_PROGRESS:
        return "at_risk", p
    return "off_track", p


def objective_rating(evidence: list[Evidence]) -> str:
    """An objective's computed rating from its indicators' evidence (module docstring, step 5)."""
    targeted = [e for e in evidence if e.status != "no_target"]
    rated = [e for e in targeted if e.status in POINTS]
    return rating_from_points(sum(POINTS[e.status] for e in rated), len(rated), len(targeted))


def rating_from_points(points: float, rated: int, targeted: int) -> str:
    """Step 5 from counts: ``points`` summed over ``rated`` indicators, of ``targeted`` that have a target.
    Scorecards apply it to counts their SQL GROUP BY returns."""
    if not rated:
        return "no_data"
    score = points / rated
    rating = "on_track" if score >= ON_TRACK_SCORE else "at_risk" if score >= AT_RISK_SCORE else "off_track"
    if rating == "on_track" and rated * 2 < targeted:
        return "at_risk"
    return rating


UNIT_TEXT = {"percent": " %", "per_1000": N_(" per 1,000")}


def amount(value: float, unit: str) -> str:
    """A figure with its unit, to three significant digits, as reasons and default-target rules write it
    (in the current language: ``12,5 %`` and ``pour 1 000`` in French)."""
    if current() != DEFAULT:
        text = format_number(round(value) if abs(value) >= 100 else float(f"{value:.3g}"), every_digit=True)
    else:
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return text + (_(UNIT_TEXT[unit]) if unit in UNIT_TEXT else "")


_OWN: dict[tuple[str, Any], Callable[[int], str]] = {
    ("higher", "share"): lambda n: _n(
        "at least {target}: the mission's own share over {first}-{last} ({months} month; higher is better)",
        "at least {target}: the mission's own share over {first}-{last} ({months} months; higher is better)",
        n,
    ),
    ("lower", "share"): lambda n: _n(
        "at most {target}: the mission's own share over {first}-{last} ({months} month; lower is better)",
        "at most {target}: the mission's own share over {first}-{last} ({months} months; lower is better)",
        n,
    ),
    ("higher", "rate"): lambda n: _n(
        "at least {target}: the mission's own rate over {first}-{last} ({months} month; higher is better)",
        "at least {target}: the mission's own rate over {first}-{last} ({months} months; higher is better)",
        n,
    ),
    ("lower", "rate"): lambda n: _n(
        "at most {target}: the mission's own rate over {first}-{last} ({months} month; lower is better)",
        "at most {target}: the mission's own rate over {first}-{last} ({months} months; lower is better)",
        n,
    ),
    ("higher", "mean"): lambda n: _n(
        "at least {target}: the mission's own monthly mean over {first}-{last} ({months} month; higher is better)",
        "at least {target}: the mission's own monthly mean over {first}-{last} ({months} months; higher is better)",
        n,
    ),
    ("lower", "mean"): lambda n: _n(
        "at most {target}: the mission's own monthly mean over {first}-{last} ({months} month; lower is better)",
        "at most {target}: the mission's own monthly mean over {first}-{last} ({months} months; lower is better)",
        n,
    ),
    ("higher", 1): lambda n: _n(
        "at least {target} in a month: the mission's own monthly mean over {first}-{last} "
        "({months} month; higher is better)",
        "at least {target} in a month: the mission's own monthly mean over {first}-{last} "
        "({months} months; higher is better)",
        n,
    ),
    ("lower", 1): lambda n: _n(
        "at most {target} in a month: the mission's own monthly mean over {first}-{last} "
        "({months} month; lower is better)",
        "at most {target} in a month: the mission's own monthly mean over {first}-{last} "
        "({months} months; lower is better)",
        n,
    ),
    ("higher", "n"): lambda n: _n(
        "at least {target} in {length} months: the mission's own monthly mean over {first}-{last} "
        "({months} month; higher is better)",
        "at least {target} in {length} months: the mission's own monthly mean over {first}-{last} "
        "({months} months; higher is better)",
        n,
    ),
    ("lower", "n"): lambda n: _n(
        "at most {target} in {length} months: the mission's own monthly mean over {first}-{last} "
        "({months} month; lower is better)",
        "at most {target} in {length} months: the mission's own monthly mean over {first}-{last} "
        "({months} months; lower is better)",
        n,
    ),
}


def rule_text(rule: str | None) -> str:
    """How a default target was computed, in the reader's language ('' for a target a person set).
    A rule stored as plain text (before rules were stored as facts) is shown as it is."""
    if not rule:
        return ""
    try:
        facts = json.loads(rule)
    except ValueError:
        return rule
    if not isinstance(facts, dict) or "kind" not in facts:
        return rule
    target = amount(float(facts["target"]), str(facts.get("unit", "")))
    if facts["kind"] == "milestone":
        return _("at least {target}: the Strategy's milestone for {year}").format(target=target, year=facts["year"])
    if facts["kind"] == "interpolated":
        return _("at least {target}: interpolated between the Strategy's {before} and {after} milestones").format(
            target=target, before=facts["before"], after=facts["after"]
        )
    side = "higher" if facts["side"] == "higher" else "lower"
    if facts["kind"] == "own_sum":
        key: tuple[str, Any] = (side, 1 if facts["length"] == 1 else "n")
    else:
        key = (side, facts["what"])
    return _OWN[key](int(facts["months"])).format(
        target=target, first=facts["first"], last=facts["last"], months=facts["months"], length=facts.get("length")
    )


def labels() -> dict[str, str]:
    """The rating labels in the current language, by rating code."""
    return {code: _(label) for code, label in RATING_LABELS.items()}


def explain(rating: str, evidence: list[Evidence], indicators: int | None = None) -> str:
    """Why a rating (objective or scorecard cell) is what it is, in one line, in the current language: how many
    indicators were rated, the weakest one against its target, and the target's rule (or who set it)."""
    indicators = len(evidence) if indicators is None else indicators
    targeted = [e for e in evidence if e.status != "no_target"]
    rated = [e for e in targeted if e.status in POINTS]
    if not rated:
        if targeted:
            return _n(
                "{targeted} of {indicators} indicator has a target but none has a value for the period.",
                "{targeted} of {indicators} indicators have a target but none has a value for the period.",
                indicators,
            ).format(targeted=len(targeted), indicators=indicators)
        return _n(
            "None of the {indicators} indicator has a target for the period.",
            "None of the {indicators} indicators has a target for the period.",
            indicators,
        ).format(indicators=indicators)
    counted = {s: sum(e.status == s for e in rated) for s in ("on_track", "at_risk", "off_track")}
    counts = ", ".join(
        text.format(n=counted[s])
        for s, text in (
            ("on_track", _n("{n} on track", "{n} on track", counted["on_track"])),
            ("at_risk", _n("{n} at risk", "{n} at risk", counted["at_risk"])),
            ("off_track", _n("{n} off track", "{n} off track", counted["off_track"])),
        )
        if counted[s]
    )
    weakest = min(rated, key=lambda e: (POINTS[e.status], e.progress if e.progress is not None else 1.0))
    assert weakest.value is not None and weakest.target is not None
    if weakest.target_rule:
        against = rule_text(weakest.target_rule)
    else:
        against_text = (
            _("at least {target} set by {who}") if weakest.direction == "higher" else _("at most {target} set by {who}")
        )
        against = against_text.format(
            target=amount(weakest.target, weakest.unit), who=weakest.target_set_by or _("the mission")
        )
    if len(rated) > 1:
        text = _n(
            "{rated} of {indicators} indicators rated ({counts}); weakest {code}: {value} against {against}",
            "{rated} of {indicators} indicators rated ({counts}); weakest {code}: {value} against {against}",
            indicators,
        )
    else:
        text = _n(
            "{rated} of {indicators} indicators rated ({counts}); rated on {code}: {value} against {against}",
            "{rated} of {indicators} indicators rated ({counts}); rated on {code}: {value} against {against}",
            indicators,
        )
    line = text.format(
        rated=len(rated),
        indicators=indicators,
        counts=counts,
        code=weakest.code,
        value=amount(weakest.value, weakest.unit),
        against=against,
    )
    score = sum(POINTS[e.status] for e in rated) / len(rated)
    if rating == "at_risk" and score >= ON_TRACK_SCORE and len(rated) * 2 < len(targeted):
        return _("{line}; capped at at risk: fewer than half of the targeted indicators have a value.").format(
            line=line
        )
    return _("{line}.").format(line=line)
