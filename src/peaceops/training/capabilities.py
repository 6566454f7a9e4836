"""The capabilities training builds, the performance indicators that show each at work, and the areas a
course may serve (A4P+ priorities from the framework file, or a threat area)."""

from __future__ import annotations

import tomllib
from functools import cache

from peaceops.framework.loader import FRAMEWORK_FILE
from peaceops.framework.threat_areas import threat_area_label
from peaceops.i18n import _l

# capability -> (label, the default template's indicators whose off-track rating points at it)
CAPABILITIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "protection_of_civilians": (_l("Protection of civilians"), ("POC_ALERT_RESPONSE", "INC_ATTACKS_CIVILIANS")),
    "conduct": (_l("Conduct and discipline"), ("SEA_ALLEGATIONS_RATE",)),
    "casualty_evacuation": (_l("Casualty evacuation"), ("SAF_CASEVAC_60",)),
    "safety_security": (_l("Safety and security of peacekeepers"), ("FAT_MALICIOUS_RATE", "INC_ATTACKS_PEACEKEEPERS")),
    "strategic_communications": (_l("Strategic communications"), ("COMMS_RESPONSE_RATE",)),
    "mediation": (_l("Mediation"), ()),
    "induction": (_l("Induction"), ()),
}
PARTNER_KINDS: dict[str, object] = {
    "member_state": _l("Member State"),
    "training_centre": _l("Training centre"),
    "partner_organisation": _l("Partner organisation"),
}


@cache
def priority_codes() -> frozenset[str]:
    """The A4P+ priority codes of the framework file (A4P+.P1 ...), read once."""
    data = tomllib.loads(FRAMEWORK_FILE.read_text(encoding="utf-8"))
    return frozenset(e["code"] for v in data["versions"] for e in v.get("elements", []) if e.get("kind") == "priority")


def capability_label(code: str) -> str:
    return str(CAPABILITIES[code][0]) if code in CAPABILITIES else code


def area_label(code: str) -> str:
    return threat_area_label(code)


def linked_indicators(capability: str, listed: str = "") -> list[str]:
    """The indicators a requirement names (``;``-separated), else the capability's defaults."""
    named = [c.strip().upper() for c in listed.split(";") if c.strip()]
    return named or list(CAPABILITIES.get(capability, ("", ()))[1])
