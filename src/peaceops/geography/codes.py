"""Country codes from the standards (pycountry, country_converter), never from a hand-written table."""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

import pycountry

from peaceops.i18n import DEFAULT, current, territory_name

# Codes in real UN files that ISO 3166-1 does not list but users expect to see accepted:
# Kosovo (UN practice "XKX"/"KSV"), and ISO 3166-3 withdrawn codes such as YUG and SCG.
USER_ASSIGNED = {"XKX": "Kosovo", "KSV": "Kosovo"}


@cache
def country_name(iso3: str) -> str | None:
    """The short name of a current or historic ISO 3166 alpha-3 code, or None when unknown."""
    code = iso3.upper()
    if code in USER_ASSIGNED:
        return USER_ASSIGNED[code]
    found: Any = pycountry.countries.get(alpha_3=code)
    if found is None:
        found = pycountry.historic_countries.get(alpha_3=code)
    if found is None:
        return None
    short = _converter().convert(code, src="ISO3", to="name_short", not_found=None)
    if isinstance(short, str) and short and short.upper() != code:
        return short  # "DR Congo" rather than ISO's "Congo, The Democratic Republic of the"
    return str(getattr(found, "common_name", None) or found.name)


def local_country_name(iso3: str) -> str | None:
    """A country's name in the current language: CLDR's (through Babel) for a code ISO 3166 knows, else the
    English short name (``country_name``, also the name English pages keep); None for an unknown code."""
    english = country_name(iso3)
    if english is None or current() == DEFAULT:
        return english
    found: Any = pycountry.countries.get(alpha_3=iso3.upper())
    return territory_name(str(found.alpha_2), english) if found is not None else english


def country_choices() -> list[tuple[str, str]]:
    """(ISO3, name in the current language) of every current country, by name: the choices a form lists where
    a country is entered by its code."""
    named = [(str(c.alpha_3), territory_name(str(c.alpha_2), country_name(str(c.alpha_3)) or str(c.name)))
             for c in pycountry.countries]  # fmt: skip
    return sorted(named, key=lambda pair: pair[1])


def is_known_iso3(iso3: str) -> bool:
    return len(iso3) == 3 and country_name(iso3) is not None


@cache
def _converter() -> Any:
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    import country_converter

    return country_converter.CountryConverter()


@cache
def iso3_from_name(name: str) -> str | None:
    """ISO3 for a country name in any common spelling ("Côte dIvoire", "DR Congo"), else None."""
    if not name or name.startswith("ZZ"):
        return None
    try:
        found = pycountry.countries.lookup(name)
        return str(found.alpha_3)
    except LookupError:
        pass
    result = _converter().convert(name, to="ISO3", not_found=None)
    return result if isinstance(result, str) and len(result) == 3 else None


def un_region_pairs() -> list[tuple[str, str]]:
    """(ISO3, M49 sub-region name) for every country and area country_converter's table places in one."""
    table = _converter().data
    return [
        (iso3, region)
        for iso3, region in zip(table["ISO3"], table["UNregion"], strict=True)
        if isinstance(iso3, str) and isinstance(region, str)
    ]


@cache
def un_region(iso3: str) -> str | None:
    """The UN M49 sub-region ("Eastern Africa") for an ISO3 code."""
    if iso3.upper() in USER_ASSIGNED:
        return "Southern Europe"
    result = _converter().convert(iso3, src="ISO3", to="UNregion", not_found=None)
    return result if isinstance(result, str) else None


@cache
def numeric_code(iso3: str) -> int | None:
    found: Any = pycountry.countries.get(alpha_3=iso3.upper())
    return int(found.numeric) if found is not None else None


@cache
def iso3_from_gw(code: int) -> str | None:
    """ISO3 for a Gleditsch-Ward code (UCDP ``country_id``, ACLED ``gwno``), or None when the standard lacks it."""
    result = _converter().convert(int(code), src="GWcode", to="ISO3", not_found=None)
    return result if isinstance(result, str) and len(result) == 3 and result.isalpha() else None


@cache
def gw_from_iso3(iso3: str) -> int | None:
    """The Gleditsch-Ward code of an ISO3 country, so ACLED events join UCDP's country ids."""
    result = _converter().convert(iso3.upper(), src="ISO3", to="GWcode", not_found=None)
    try:
        return int(float(result))
    except (TypeError, ValueError):
        return None


@cache
def iso3_from_numeric(code: int) -> str | None:
    """ISO3 for an ISO 3166 numeric code (ACLED's ``iso`` column: 4 is Afghanistan)."""
    found: Any = pycountry.countries.get(numeric=f"{int(code):03d}")
    return str(found.alpha_3) if found is not None else None


@cache
def gw_from_iso_numeric(code: int) -> int | None:
    """Gleditsch-Ward code (UCDP's country_id, ViEWS' cm unit) for an ISO 3166 numeric code, else None."""
    result = _converter().convert(f"{code:03d}", src="ISOnumeric", to="GWcode", not_found=None)
    return int(result) if isinstance(result, int | float) and result == result else None


@cache
def gw_from_name(name: str) -> int | None:
    """Gleditsch-Ward code for a country name in any common spelling ("Kosovo", "Somaliland" -> Somalia)."""
    result = _converter().convert(name, to="GWcode", not_found=None)
    return int(result) if isinstance(result, int | float) and result == result else None
