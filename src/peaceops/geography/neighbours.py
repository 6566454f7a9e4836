"""Who borders whom: countries sharing a border, and the 8 queen neighbours of a PRIO-GRID cell.

Spatial lags and spillover alerts sum over these neighbours. Country borders come from the
world-atlas TopoJSON (two countries are neighbours when their outlines share an arc), never from a
hand-written table; grid neighbours are arithmetic on the cell id (rows of 720 half-degree cells).
"""

from __future__ import annotations

import json
from functools import cache

import ibis
import ibis.expr.types as ir

from peaceops.geography.codes import gw_from_iso_numeric, gw_from_name
from peaceops.geography.countries import COUNTRIES_TOPOJSON

__all__ = [
    "GRID_COLUMNS",
    "GRID_ROWS",
    "country_neighbour_pairs",
    "country_neighbour_table",
    "country_neighbours",
    "grid_neighbour_table",
    "grid_neighbours",
]

GRID_COLUMNS = 720  # 0.5-degree cells from -180 eastwards
GRID_ROWS = 360  # from -90 northwards
_QUEEN_MOVES = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]


def _geometry_gw(geometry: dict) -> int | None:
    if "id" in geometry:
        return gw_from_iso_numeric(int(geometry["id"]))
    # Kosovo, Somaliland and N. Cyprus carry no ISO id; their names map to GW codes (Somaliland is Somalia).
    name = geometry.get("properties", {}).get("name")
    return gw_from_name(name) if name else None


def _rings(geometry: dict) -> list[list[int]]:
    if geometry["type"] == "Polygon":
        return geometry["arcs"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


@cache
def country_neighbour_pairs() -> frozenset[tuple[int, int]]:
    """(gw, neighbour_gw) in both directions for every pair of countries whose outlines share an arc."""
    topo = json.loads(COUNTRIES_TOPOJSON.read_text())
    users: dict[int, set[int]] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        gw = _geometry_gw(geometry)
        if gw is None:
            continue
        for ring in _rings(geometry):
            for index in ring:
                users.setdefault(index if index >= 0 else ~index, set()).add(gw)
    return frozenset((a, b) for codes in users.values() for a in codes for b in codes if a != b)


def country_neighbours(gw: int) -> set[int]:
    """Gleditsch-Ward codes of the countries sharing a border with ``gw``."""
    return {b for a, b in country_neighbour_pairs() if a == gw}


def country_neighbour_table() -> ir.Table:
    """The pairs as a small in-memory Ibis table (unit_id, neighbour_id), runnable on any backend."""
    pairs = sorted(country_neighbour_pairs())
    return ibis.memtable(
        {"unit_id": [a for a, _ in pairs], "neighbour_id": [b for _, b in pairs]},
        schema={"unit_id": "int64", "neighbour_id": "int64"},
    )


def grid_neighbours(gid: int) -> list[int]:
    """The 8 queen neighbours of a cell, wrapping at the ±180° seam; cells next to a pole have 5."""
    row, col = divmod(gid - 1, GRID_COLUMNS)
    found = []
    for dr, dc in _QUEEN_MOVES:
        r = row + dr
        if 0 <= r < GRID_ROWS:
            found.append(r * GRID_COLUMNS + (col + dc) % GRID_COLUMNS + 1)
    return sorted(found)


def grid_neighbour_table(cells: ir.Table) -> ir.Table:
    """(unit_id, neighbour_id) for every cell in ``cells.unit_id``, as an Ibis expression.

    The same arithmetic as ``grid_neighbours``; the column is shifted by +720 before the modulo so no
    negative operand reaches ``%`` (engines disagree on its sign).
    """
    moves = ibis.memtable(
        {"dr": [dr for dr, _ in _QUEEN_MOVES], "dc": [dc for _, dc in _QUEEN_MOVES]},
        schema={"dr": "int64", "dc": "int64"},
    )
    index = cells.unit_id.cast("int64") - 1
    located = cells.select(unit_id=cells.unit_id.cast("int64"), row=index // GRID_COLUMNS, col=index % GRID_COLUMNS)
    both = located.cross_join(moves)
    row = both.row + both.dr
    col = (both.col + both.dc + GRID_COLUMNS) % GRID_COLUMNS
    return both.filter((row >= 0) & (row < GRID_ROWS)).select(
        unit_id=both.unit_id, neighbour_id=row * GRID_COLUMNS + col + 1
    )
