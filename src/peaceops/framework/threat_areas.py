"""The new threat areas the seeds name (A4P+ closing reflections, New Agenda for Peace), one shared
vocabulary: courses, requirements, incidents, communications, processes and alerts tag with these codes."""

from __future__ import annotations

from peaceops.i18n import _l

THREAT_AREAS: dict[str, object] = {
    "organised_crime": _l("Transnational organised crime"),
    "terrorism": _l("Terrorism"),
    "climate_security": _l("Climate and environmental security"),
    "hybrid_threats": _l("Hybrid threats"),
    "cyber": _l("Cybersecurity"),
}


def threat_area_label(code: str) -> str:
    """The translated label of a threat area code (the code itself when unknown)."""
    return str(THREAT_AREAS.get(code, code))
