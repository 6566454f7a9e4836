"""Names and places of panel units: a country (Gleditsch-Ward code) or a PRIO-GRID cell."""

from __future__ import annotations

from functools import cache

from peaceops.geography.codes import country_name, iso3_from_gw
from peaceops.geography.neighbours import GRID_COLUMNS

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
