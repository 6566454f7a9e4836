"""The new threat areas the seeds name (A4P+ closing reflections, New Agenda for Peace), one shared
vocabulary: courses, requirements, incidents, communications, processes and alerts tag with these codes.

Every surface reads and checks tags through this module, so a form, the API and an import file accept the
same codes and refuse the same mistakes with the same sentence (decision 046).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, Field

from peaceops.errors import ValidationFailed
from peaceops.i18n import _, _l

THREAT_AREAS: dict[str, object] = {
    "organised_crime": _l("Transnational organised crime"),
    "terrorism": _l("Terrorism"),
    "climate_security": _l("Climate and environmental security"),
    "hybrid_threats": _l("Hybrid threats"),
    "cyber": _l("Cybersecurity"),
}
SEPARATOR = ";"  # between codes in one import cell or form field


class ThreatAreaCount(BaseModel):
    """One threat area and how many records the reader may see carry it."""

    code: str
    label: str = Field(description="The area's name in the reader's language.")
    count: int


def threat_area_label(code: str) -> str:
    """The translated label of a threat area code (the code itself when unknown)."""
    return str(THREAT_AREAS.get(code, code))


def threat_area_choices() -> list[tuple[str, str]]:
    """(code, translated label) in the vocabulary's order: the options of every filter and form."""
    return [(code, str(label)) for code, label in THREAT_AREAS.items()]


def parse_threat_areas(value: str | Iterable[str] | None) -> list[str]:
    """The codes ``value`` gives (``;``-separated text, or a list), checked, without repeats, in the
    vocabulary's order; ValidationFailed naming every unknown code and the codes there are."""
    if value is None:
        return []
    parts = value.split(SEPARATOR) if isinstance(value, str) else [str(v) for v in value]
    given = [p.strip().lower() for p in parts if p and p.strip()]
    unknown = sorted({code for code in given if code not in THREAT_AREAS})
    if unknown:
        raise ValidationFailed(
            _("{codes} is not a threat area; use {choices} (separated by ;).").format(
                codes=", ".join(repr(code) for code in unknown), choices=", ".join(THREAT_AREAS)
            )
        )
    return [code for code in THREAT_AREAS if code in given]


def check_threat_area(code: str | None) -> str | None:
    """A ``?threat_area=`` filter: the code (None when empty), or ValidationFailed for an unknown one."""
    if code is None or not code.strip():
        return None
    found = parse_threat_areas([code])
    return found[0]


def counts_out(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """Counts by threat area as pages and the API show them: every area in order, zeros included."""
    return [
        {"code": code, "label": threat_area_label(code), "count": int(counts.get(code, 0))} for code in THREAT_AREAS
    ]
