"""The closed lists of the support-office model: the services the UN provides to a partner-led operation,
the sources that finance it, the compliance and oversight areas of resolution 2719 (2023), and the states of
a partner's request. Each code is what files and the API carry; each label is translated where shown."""

from __future__ import annotations

from peaceops.i18n import _l

# service -> (label, the unit a file uses when it names none)
SERVICES: dict[str, tuple[object, str]] = {
    "rations": (_l("Rations"), "person-days"),
    "fuel": (_l("Fuel"), "litres"),
    "water": (_l("Water"), "litres"),
    "medical_evacuation": (_l("Medical evacuation"), "evacuations"),
    "engineering": (_l("Engineering"), "projects"),
    "communications": (_l("Communications and IT"), "sites"),
    "transport": (_l("Transport"), "movements"),
}

FINANCING_SOURCES: dict[str, object] = {
    "un_assessed": _l("UN assessed contributions"),
    "un_trust_fund": _l("UN trust fund (voluntary)"),
    "au_peace_fund": _l("AU Peace Fund"),
    "au_member_states": _l("AU Member States"),
    "partner": _l("Partners (bilateral or multilateral)"),
    "other": _l("Other"),
}
# Resolution 2719 (2023) lets the Security Council finance an AU-led peace support operation from UN
# assessed contributions for up to 75 per cent of its annual budget; a period whose recorded financing
# draws more than this share from them is flagged.
ASSESSED_CEILING = 0.75

# The compliance and oversight areas the resolution sets for an operation financed under it.
MILESTONE_AREAS: dict[str, object] = {
    "joint_planning": _l("Joint planning and mandate"),
    "budget": _l("Joint budget and financing"),
    "human_rights": _l("Compliance with human rights and humanitarian law"),
    "conduct_discipline": _l("Conduct and discipline"),
    "financial_accountability": _l("Financial transparency and accountability"),
    "reporting": _l("Reporting to the Security Council"),
    "other": _l("Other"),
}

# A request is open until it is met, partly met, not met or cancelled.
REQUEST_STATUSES: dict[str, object] = {
    "open": _l("Pending"),
    "met": _l("Met"),
    "partly_met": _l("Partly met"),
    "not_met": _l("Not met"),
    "cancelled": _l("Cancelled"),
}


def service_label(code: str) -> str:
    return str(SERVICES[code][0]) if code in SERVICES else code


def source_label(code: str) -> str:
    return str(FINANCING_SOURCES.get(code, code))


def area_label(code: str) -> str:
    return str(MILESTONE_AREAS.get(code, code))


def request_status_label(code: str) -> str:
    return str(REQUEST_STATUSES.get(code, code))
