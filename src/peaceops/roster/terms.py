"""The roster's controlled vocabularies as data: expertise areas (and which are close to each other),
security clearance levels, language proficiency, request urgency, and places (ISO 3166 countries and UN
M49 sub-regions). Everything that validates or scores an expert reads these tables, so adding an area
is a one-line change here."""

from __future__ import annotations

from typing import Any

import pycountry
from babel import Locale, UnknownLocaleError

from peaceops import i18n
from peaceops.errors import ValidationFailed
from peaceops.geography import regions
from peaceops.geography.codes import country_name, un_region
from peaceops.i18n import N_, _

# Technical areas named in the IPI Blue Paper (land, constitutions, transitional justice, security
# arrangements) and the UN Standby Team of Senior Mediation Advisers' thematic list.
EXPERTISE_AREAS: dict[str, str] = {
    "land": N_("Land"),
    "constitution_making": N_("Constitution-making"),
    "transitional_justice": N_("Transitional justice"),
    "security_arrangements": N_("Security arrangements"),
    "ceasefire_monitoring": N_("Ceasefire monitoring"),
    "gender_inclusion": N_("Gender and inclusion"),
    "natural_resources": N_("Natural resources"),
    "power_sharing": N_("Power sharing"),
    "ddr": N_("DDR (disarmament, demobilization, reintegration)"),
    "elections": N_("Elections"),
    "process_design": N_("Process design"),
    "wealth_sharing": N_("Wealth sharing"),
    "human_rights": N_("Human rights"),
    "climate_security": N_("Climate and security"),
}

# Pairs of areas close enough that an expert in one is a fallback for the other (half the points).
RELATED_AREAS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("land", "natural_resources"),
        ("natural_resources", "wealth_sharing"),
        ("ceasefire_monitoring", "security_arrangements"),
        ("ddr", "security_arrangements"),
        ("constitution_making", "power_sharing"),
        ("constitution_making", "elections"),
        ("transitional_justice", "human_rights"),
        ("natural_resources", "climate_security"),
    )
)

# The rosters the Blue Paper asks for: technical experts for the helpdesk (¶21, ¶40-41), capable
# nongovernmental mediators (¶30) and candidates of high stature for envoy posts (¶38). Only technical
# experts are matched to helpdesk requests and counted in the gap report.
EXPERT_KIND_LABELS: dict[str, str] = {
    "technical": N_("Technical expert"),
    "ngo_mediator": N_("NGO mediator"),
    "envoy_candidate": N_("Senior envoy candidate"),
}
TECHNICAL = "technical"

# Ordered from lowest to highest: an expert meets a requirement when their level ranks at or above it.
CLEARANCES: dict[str, str] = {
    "none": N_("None"),
    "confidential": N_("UN confidential"),
    "strictly_confidential": N_("UN strictly confidential"),
}

# How much of a requested language an expert covers, by proficiency.
PROFICIENCY: dict[str, float] = {"native": 1.0, "fluent": 1.0, "working": 0.75, "basic": 0.4}

URGENCIES: dict[str, str] = {"routine": N_("Routine"), "priority": N_("Priority"), "urgent": N_("Urgent")}
# Proficiency levels as people read them (the codes above are what files and forms carry).
PROFICIENCY_NAMES = (N_("native"), N_("fluent"), N_("working"), N_("basic"))

# The six official UN languages are always part of the language gap report.
UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")


def expert_kind_code(text: str, where: str) -> str:
    """A roster kind from its code or label (any case): technical, ngo_mediator or envoy_candidate."""
    key = (text or "").strip().lower().replace("-", "_").replace(" ", "_") or "technical"
    for code, label in EXPERT_KIND_LABELS.items():
        if key in (code, label.lower().replace("-", "_").replace(" ", "_")):
            return code
    message = _("{where}: {value!r} is not a roster; use one of {accepted}.")
    raise ValidationFailed(message.format(where=where, value=text.strip(), accepted=", ".join(EXPERT_KIND_LABELS)))


def expert_kind_label(code: str) -> str:
    return _(EXPERT_KIND_LABELS[code]) if code in EXPERT_KIND_LABELS else code


def area_label(code: str) -> str:
    """An expertise area's name in the current language (an unknown code as it is)."""
    return _(EXPERTISE_AREAS[code]) if code in EXPERTISE_AREAS else code


def clearance_label(code: str) -> str:
    """A clearance level's name in the current language (an unknown code as it is)."""
    return _(CLEARANCES[code]) if code in CLEARANCES else code


def related(a: str, b: str) -> bool:
    return frozenset((a, b)) in RELATED_AREAS


def clearance_rank(code: str) -> int:
    return list(CLEARANCES).index(code)


def expertise_code(text: str, where: str) -> str:
    """An area code from its code or label (any case); the error lists the allowed codes."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    for code, label in EXPERTISE_AREAS.items():
        if key in (code, label.lower().replace("-", "_").replace(" ", "_")):
            return code
    message = _("{where}: {value!r} is not an expertise area; use one of {accepted}.")
    raise ValidationFailed(message.format(where=where, value=text.strip(), accepted=", ".join(EXPERTISE_AREAS)))


def clearances_accepted() -> str:
    """The clearance codes with their labels, as a sentence's list: what every clearance error names."""
    items = [f"{code} ({_(label)})" for code, label in CLEARANCES.items()]
    return _("{items} or {last}").format(items=", ".join(items[:-1]), last=items[-1])


def clearance_code(text: str, where: str) -> str:
    """A clearance code from its code or label (any case); the error names every accepted value."""
    key = (text.strip().lower().replace(" ", "_") or "none") if text is not None else "none"
    for code, label in CLEARANCES.items():
        if key in (code, label.lower().replace(" ", "_")):
            return code
    message = _("{where}: the clearance {value!r} is not one the roster records; use {accepted}.")
    raise ValidationFailed(message.format(where=where, value=text.strip(), accepted=clearances_accepted()))


def language_code(text: str, where: str) -> str:
    code = text.strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        message = _("{where}: {value!r} is not an ISO 639-1 language code (e.g. fr, ar).")
        raise ValidationFailed(message.format(where=where, value=text.strip()))
    return code


def language_name(code: str) -> str:
    """A language's name in the current language (CLDR through Babel: ``French``, ``français``), else
    pycountry's English name, else the code."""
    try:
        named = Locale.parse(i18n.current()).languages.get(code)
    except (UnknownLocaleError, ValueError):
        named = None
    if named:
        return str(named)
    found: Any = pycountry.languages.get(alpha_2=code)
    return str(found.name) if found is not None else code


def subregions() -> dict[str, tuple[str, ...]]:
    """UN M49 sub-region -> the ISO3 codes of its countries."""
    return regions.members()


def place_code(text: str, where: str) -> str:
    """An ISO3 country code (upper case) or a UN M49 sub-region name (canonical spelling)."""
    value = text.strip()
    if len(value) == 3 and value.isalpha() and country_name(value):
        return value.upper()
    for name in subregions():
        if name.lower() == value.lower():
            return name
    message = _(
        "{where}: {value!r} is neither an ISO 3166 alpha-3 country code (e.g. MLI) nor a UN sub-region "
        "(e.g. Western Africa)."
    )
    raise ValidationFailed(message.format(where=where, value=value))


def place_label(code: str) -> str:
    return (country_name(code) or code) if len(code) == 3 and code.isupper() else code


def place_region(code: str) -> str:
    """The UN sub-region of a place (a sub-region is its own)."""
    if len(code) == 3 and code.isupper():
        return un_region(code) or code
    return code
