"""What an alert says, written when it is read, in the reader's language (decision 009).

An alert stores facts, not a sentence: its kind, level, unit and country are columns, and its evidence holds
the risk now and a month earlier, the deaths expected in the next three months, the deaths in the last three
(``sb_best_roll3``) and the violent neighbours (unit and country). ``summary_text`` writes one whole sentence
per kind from them, with numbers, percentages, names and lists in the current language, the way
``performance.rating.rule_text`` writes a default-target rule. An alert stored before its evidence held
these facts (no ``sb_best_roll3``) shows the English sentence stored with it.

``title_text`` names an alert in a message ("Escalation alert: Mali"); the notifications write it in each
recipient's language.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from peaceops.conflict.models import ConflictAlert
from peaceops.conflict.units import unit_text
from peaceops.i18n import _, _n, format_list, format_number, format_percent

__all__ = ["FACT_KEYS", "has_facts", "summary_from", "summary_text", "title_text"]

# What the evidence must hold for the sentence to be written from facts: alerts stored before did not keep
# the last three months' deaths nor the neighbours' countries.
FACT_KEYS = ("risk", "risk_before", "expected_next_3", "sb_best_roll3", "neighbours")
NEIGHBOURS_NAMED = 3  # a spillover summary names the first three violent neighbours


def has_facts(evidence: dict[str, Any] | None) -> TypeGuard[dict[str, Any]]:
    """Whether ``evidence`` holds every fact a summary is written from."""
    return isinstance(evidence, dict) and all(key in evidence for key in FACT_KEYS)


def summary_text(alert: ConflictAlert) -> str:
    """The alert's summary in the current language; the stored English text for an alert without facts."""
    return summary_from(alert.kind, alert.level, alert.unit_id, alert.country_gw, alert.evidence, alert.summary)


def summary_from(
    kind: str, level: str, unit_id: int, country_gw: int | None, evidence: dict[str, Any] | None, stored: str = ""
) -> str:
    """The summary of an alert of ``kind`` on a unit, from its evidence's facts; ``stored`` without them."""
    if not has_facts(evidence) or kind not in ("early_entry", "escalation", "spillover"):
        return stored
    unit = unit_text(level, unit_id, country_gw)
    risk, before = format_percent(float(evidence["risk"])), format_percent(float(evidence["risk_before"]))
    if kind == "early_entry":
        return _(
            "{unit}: no month with 25+ deaths in the past year, but the risk of one in the next 3 months is {risk} "
            "(was {before} a month earlier)."
        ).format(unit=unit, risk=risk, before=before)
    if kind == "escalation":
        expected = round(float(evidence["expected_next_3"]))
        return _n(
            "{unit}: {expected} death expected in the next 3 months against {recent} in the last 3; risk of a 25+ "
            "month {risk} (was {before} a month earlier).",
            "{unit}: {expected} deaths expected in the next 3 months against {recent} in the last 3; risk of a 25+ "
            "month {risk} (was {before} a month earlier).",
            expected,
        ).format(
            unit=unit,
            expected=format_number(expected, 0),
            recent=format_number(int(evidence["sb_best_roll3"]), 0),
            risk=risk,
            before=before,
        )
    named = evidence["neighbours"][:NEIGHBOURS_NAMED]
    names = [unit_text(level, int(n["unit_id"]), n.get("country_gw")) for n in named]
    return _(
        "{unit}: next to {neighbours} (25+ deaths in a recent month); own risk {risk} (was {before} a month earlier)."
    ).format(unit=unit, neighbours=format_list(names), risk=risk, before=before)


_TITLES = {
    "early_entry": lambda: _("Early entry alert: {unit}"),
    "escalation": lambda: _("Escalation alert: {unit}"),
    "spillover": lambda: _("Spillover alert: {unit}"),
}


def title_text(kind: str, level: str, unit_id: int, country_gw: int | None) -> str:
    """An alert's name in a message, in the current language: "Spillover alert: Cell 1 (…), Chad"."""
    unit = unit_text(level, unit_id, country_gw)
    if kind in _TITLES:
        return _TITLES[kind]().format(unit=unit)
    return _("Alert: {unit}").format(unit=unit)
