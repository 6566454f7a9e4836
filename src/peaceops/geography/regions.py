"""UN M49 sub-regions: their codes, names and countries, as a regional division or a sub-regional envoy sees
the world (the Blue Paper's regional analysis, ¶19-20). Names and membership come from country_converter's
M49 column; the three-digit codes are the UN Statistics Division's, which that table does not carry."""

from __future__ import annotations

from functools import cache

from peaceops.geography.codes import USER_ASSIGNED, country_name, un_region_pairs
from peaceops.i18n import N_

# UN Statistics Division, Standard country or area codes for statistical use (M49): the sub-regions.
SUBREGIONS: dict[str, str] = {
    "011": N_("Western Africa"),
    "014": N_("Eastern Africa"),
    "015": N_("Northern Africa"),
    "017": N_("Middle Africa"),
    "018": N_("Southern Africa"),
    "005": N_("South America"),
    "013": N_("Central America"),
    "021": N_("Northern America"),
    "029": N_("Caribbean"),
    "030": N_("Eastern Asia"),
    "034": N_("Southern Asia"),
    "035": N_("South-eastern Asia"),
    "143": N_("Central Asia"),
    "145": N_("Western Asia"),
    "039": N_("Southern Europe"),
    "151": N_("Eastern Europe"),
    "154": N_("Northern Europe"),
    "155": N_("Western Europe"),
    "053": N_("Australia and New Zealand"),
    "054": N_("Melanesia"),
    "057": N_("Micronesia"),
    "061": N_("Polynesia"),
}
BY_NAME = {name.lower(): code for code, name in SUBREGIONS.items()}  # names kept in English: data


def subregion_code(text: str) -> str | None:
    """The M49 code for a code ("17", "017") or a name in any case ("middle africa"), else None."""
    value = text.strip()
    if value.isdigit() and value.zfill(3) in SUBREGIONS:
        return value.zfill(3)
    return BY_NAME.get(value.lower())


@cache
def members() -> dict[str, tuple[str, ...]]:
    """M49 sub-region name -> the ISO3 codes of its countries and areas, sorted."""
    out: dict[str, list[str]] = {}
    for iso3, region in un_region_pairs():
        if region.lower() in BY_NAME:  # not Antarctica
            out.setdefault(region, []).append(iso3)
    out.setdefault("Southern Europe", []).extend(USER_ASSIGNED)  # Kosovo, as UN files write it
    return {name: tuple(sorted(set(codes))) for name, codes in sorted(out.items())}


def countries_in(code: str) -> list[dict[str, str]]:
    """The countries of sub-region ``code`` (M49), each with its ISO3 code and short name, by name."""
    name = SUBREGIONS[code]
    found = [{"iso3": iso3, "name": country_name(iso3) or iso3} for iso3 in members().get(name, ())]
    return sorted(found, key=lambda c: c["name"])
