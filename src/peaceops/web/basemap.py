"""The offline basemap under the incident and conflict maps (decision 047): per country, its admin-1 areas
and populated places; for the world, rivers and lakes. ``scripts/basemap/build.mjs`` builds the files from
npm packages (Natural Earth, GeoNames) into ``static/geo/``; the app serves them and nothing is fetched from
outside. Here: their URLs, the admin-1 area and nearest town of a point (for the maps' tooltips), and a
projection fitted to an extent of the data."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

GEO = Path(__file__).with_name("static") / "geo"
WATER_URL = "/static/geo/water-50m.json"
ATTRIBUTION = "Natural Earth; GeoNames (CC BY 4.0)"  # a source name, shown as it is in every language
Extent = tuple[float, float, float, float]  # west, south, east, north
NEAR_KM = 40.0  # a town further than this from a point is not what the point is "near"
MIN_SPAN = 2.0  # degrees: a map of one event is still a map of its surroundings
MAX_LAT = 80.0  # Mercator stretches without end towards the poles


def basemap_url(iso3: str | None) -> str | None:
    """The URL of a country's admin-1 areas and places, or None when the basemap has no such country."""
    if not iso3 or len(iso3) != 3 or not iso3.isalpha():
        return None
    code = iso3.upper()
    return f"/static/geo/basemap/{code}.json" if (GEO / "basemap" / f"{code}.json").is_file() else None


@cache
def _country(iso3: str) -> dict[str, Any]:
    """The country's file decoded: areas as (name, box, rings) and places as (name, rank, lon, lat)."""
    path = GEO / "basemap" / f"{iso3}.json"
    if not path.is_file():
        return {"areas": [], "places": []}
    topo = json.loads(path.read_text(encoding="utf-8"))
    (kx, ky), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * kx + tx, y * ky + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            out.extend(arcs[i] if i >= 0 else arcs[~i][::-1])
        return out

    areas = []
    for g in topo["objects"]["admin1"].get("geometries", []):
        polygons = [g["arcs"]] if g.get("type") == "Polygon" else g.get("arcs", []) if g.get("type") else []
        rings = [ring(r) for polygon in polygons for r in polygon]
        points = [p for r in rings for p in r]
        if points:
            box = (
                min(p[0] for p in points),
                min(p[1] for p in points),
                max(p[0] for p in points),
                max(p[1] for p in points),
            )
            areas.append((g.get("properties", {}).get("name", ""), box, rings))
    places = [
        (g["properties"]["name"], g["properties"]["rank"], g["coordinates"][0] * kx + tx, g["coordinates"][1] * ky + ty)
        for g in topo["objects"]["places"].get("geometries", [])
        if g.get("type") == "Point"
    ]
    return {"areas": areas, "places": places}


def _inside(rings: list[list[tuple[float, float]]], x: float, y: float) -> bool:
    """Even-odd rule over every ring of an area, so holes (an enclave) are outside."""
    inside = False
    for r in rings:
        for (x1, y1), (x2, y2) in zip(r, r[1:] + r[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def admin1_at(iso3: str | None, longitude: float, latitude: float) -> str | None:
    """The name of the country's admin-1 area the point lies in (None: outside them all, or no basemap)."""
    if not basemap_url(iso3):
        return None
    for name, (w, s, e, n), rings in _country(str(iso3).upper())["areas"]:
        if w <= longitude <= e and s <= latitude <= n and _inside(rings, longitude, latitude):
            return str(name) or None
    return None


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    dx = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(dx, math.radians(lat2 - lat1))


def nearest_place(iso3: str | None, longitude: float, latitude: float, within_km: float = NEAR_KM) -> str | None:
    """The basemap's nearest populated place of the country within ``within_km`` (None: none that near)."""
    if not basemap_url(iso3):
        return None
    best: tuple[float, str] | None = None
    for name, _rank, lon, lat in _country(str(iso3).upper())["places"]:
        if abs(lat - latitude) > 1 or abs(lon - longitude) > 1.5:
            continue
        d = _km(longitude, latitude, lon, lat)
        if d <= within_km and (best is None or d < best[0]):
            best = (d, name)
    return best[1] if best else None


def labels(iso3s: Iterable[str], box: Extent, tiers: tuple[int, ...] = (340, 520)) -> list[dict[str, Any]]:
    """Populated places to name on a map of ``box``, chosen so that names do not overlap: the capital first,
    then seats of admin-1 areas and the largest towns. Each has the least map width (``minwidth``, pixels)
    at which it is named, one tier per width in ``tiers``: a phone shows fewer names than a wide screen.

    Vega-Lite places text without avoiding collisions, so the choice is made here, for the box's scale."""
    w, s, e, n = box
    candidates = sorted(
        (
            (rank, order, name, lon, lat)
            for code in iso3s
            if basemap_url(code)
            for order, (name, rank, lon, lat) in enumerate(_country(code.upper())["places"])
            if w <= lon <= e and s <= lat <= n
        ),
        key=lambda c: (c[0], c[1]),
    )
    chosen: list[tuple[str, float, float, int]] = []
    # Pixels per degree as fitted_projection gives them in a slot of the maps' shape (CSS: 1.3 wide for 1 high)
    across = max(e - w, MIN_SPAN) * 1.12
    down = max(math.degrees(_mercator_y(n) - _mercator_y(s)), MIN_SPAN) * 1.12
    for tier, width in enumerate(tiers):
        per_degree = min(width / across, width / 1.3 / down)
        boxes = [_label_box(name, lon, lat, per_degree) for name, lon, lat, _ in chosen]
        for rank, _order, name, lon, lat in candidates:
            if any(c[0] == name and c[1] == lon for c in chosen) or (rank > 2 and tier == 0):
                continue
            mine = _label_box(name, lon, lat, per_degree)
            if all(mine[2] < b[0] or b[2] < mine[0] or mine[3] < b[1] or b[3] < mine[1] for b in boxes):
                boxes.append(mine)
                chosen.append((name, lon, lat, 0 if tier == 0 else tiers[tier - 1] + (width - tiers[tier - 1]) // 2))
    return [{"place": name, "lon": round(lon, 4), "lat": round(lat, 4), "minwidth": m} for name, lon, lat, m in chosen]


def _label_box(name: str, lon: float, lat: float, per_degree: float) -> Extent:
    """The box a dot and its name (11 px type, to the right) cover, in degrees of longitude and of
    Mercator y expressed in degrees, with a few pixels' margin."""
    y = math.degrees(_mercator_y(lat))
    return (lon - 4 / per_degree, y - 9 / per_degree, lon + (6.3 * len(name) + 12) / per_degree, y + 9 / per_degree)


def country_extent(iso3: str | None) -> Extent | None:
    """The box around the country's admin-1 areas (None: not in the basemap)."""
    areas = _country(str(iso3).upper())["areas"] if basemap_url(iso3) else []
    if not areas:
        return None
    boxes = [box for _name, box, _rings in areas]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def extent(points: Iterable[tuple[float, float]], *boxes: Extent | None, half: float = 0.0) -> Extent | None:
    """The box around the points (each grown by ``half`` degrees: a grid cell's half side) and the boxes."""
    parts = [(x - half, y - half, x + half, y + half) for x, y in points]
    parts += [b for b in boxes if b is not None]
    if not parts:
        return None
    return (min(p[0] for p in parts), min(p[1] for p in parts), max(p[2] for p in parts), max(p[3] for p in parts))


def _mercator_y(latitude: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(max(-MAX_LAT, min(MAX_LAT, latitude))) / 2))


def fitted_projection(box: Extent, padding: float = 0.06) -> dict[str, Any]:
    """A Mercator projection that fits ``box`` (plus ``padding`` of its size) into whatever width and height
    the chart gets, and clips everything else at the view's edge.

    Vega-Lite fits a projection to all the data of all its layers: with the world's countries and rivers
    drawn for context, that is the whole world. The scale and centre are computed here instead, as
    expressions of the chart's width and height, so the map stays fitted on a phone and on a wide screen."""
    w, s, e, n = box
    if e - w < MIN_SPAN:
        w, e = (w + e - MIN_SPAN) / 2, (w + e + MIN_SPAN) / 2
    if n - s < MIN_SPAN:
        s, n = (s + n - MIN_SPAN) / 2, (s + n + MIN_SPAN) / 2
    pad_x, pad_y = (e - w) * padding, (n - s) * padding
    w, e, s, n = w - pad_x, e + pad_x, max(-MAX_LAT, s - pad_y), min(MAX_LAT, n + pad_y)
    y0, y1 = _mercator_y(s), _mercator_y(n)
    centre_lat = math.degrees(2 * math.atan(math.exp((y0 + y1) / 2)) - math.pi / 2)
    dx, dy = math.radians(e - w), y1 - y0
    return {
        "type": "mercator",
        "center": [round((w + e) / 2, 4), round(centre_lat, 4)],
        "scale": {"expr": f"min(width / {dx:.6f}, height / {dy:.6f})"},
        "translate": {"expr": "[width / 2, height / 2]"},
        "clipExtent": {"expr": "[[0, 0], [width, height]]"},
    }
