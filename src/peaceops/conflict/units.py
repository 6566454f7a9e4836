"""Names and places of panel units: a country (Gleditsch-Ward code) or a PRIO-GRID cell.

``country_label`` and ``unit_label`` are the English names, also used as keys (a peace process is matched to
its country by name); ``country_text`` and ``unit_text`` write them in the reader's language, where a page,
an alert or a message shows them.
"""

from __future__ import annotations

from functools import cache

from peaceops.geography.codes import country_name, iso3_from_gw, local_country_name
from peaceops.geography.neighbours import GRID_COLUMNS
from peaceops.i18n import _, format_number

CELL = 0.5  # degrees


@cache
def country_label(gw: int) -> str:
    iso3 = iso3_from_gw(gw)
    return (country_name(iso3) if iso3 else None) or f"Country {gw}"


def cell_centre(gid: int) -> tuple[float, float]:
    """(latitude, longitude) of a PRIO-GRID cell's centre."""
    row, col = divmod(gid - 1, GRID_COLUMNS)
    return -90.0 + row * CELL + CELL / 2, -180.0 + col * CELL + CELL / 2


def unit_label(level: str, unit_id: int, country_gw: int | None = None) -> str:
    """ "Myanmar" for a country; "Cell 190383 (42.25N, 11.75E), Syria" for a grid cell."""
    if level == "cm":
        return country_label(unit_id)
    lat, lon = cell_centre(unit_id)
    place = f"{abs(lat):.2f}{'N' if lat >= 0 else 'S'}, {abs(lon):.2f}{'E' if lon >= 0 else 'W'}"
    where = f", {country_label(country_gw)}" if country_gw is not None else ""
    return f"Cell {unit_id} ({place}){where}"


def country_text(gw: int) -> str:
    """A country's name in the current language (CLDR's through Babel where ISO 3166 knows its code)."""
    iso3 = iso3_from_gw(gw)
    found = local_country_name(iso3) if iso3 else None
    return found or _("Country {code}").format(code=gw)


def unit_text(level: str, unit_id: int, country_gw: int | None = None) -> str:
    """``unit_label`` in the current language: « Cellule 190383 (42,25 N ; 11,75 E), Syrie » in French."""
    if level == "cm":
        return country_text(unit_id)
    lat, lon = cell_centre(unit_id)
    latitude = (_("{degrees}N") if lat >= 0 else _("{degrees}S")).format(degrees=format_number(abs(lat), 2))
    longitude = (_("{degrees}E") if lon >= 0 else _("{degrees}W")).format(degrees=format_number(abs(lon), 2))
    if country_gw is None:
        return _("Cell {gid} ({latitude}, {longitude})").format(gid=unit_id, latitude=latitude, longitude=longitude)
    return _("Cell {gid} ({latitude}, {longitude}), {country}").format(
        gid=unit_id, latitude=latitude, longitude=longitude, country=country_text(country_gw)
    )
