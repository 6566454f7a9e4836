"""Bounding boxes of countries decoded from the world-atlas TopoJSON, used to sanity-check coordinates."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from peaceops.geography.codes import numeric_code

COUNTRIES_TOPOJSON = Path(__file__).with_name("countries-110m.json")
BBox = tuple[float, float, float, float]  # west, south, east, north
_MARGIN = 0.5  # degrees; the 1:110m outlines cut off small coastal features


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _arc_indexes(geometry: dict[str, Any]) -> list[int]:
    if geometry["type"] == "Polygon":
        rings = geometry["arcs"]
    elif geometry["type"] == "MultiPolygon":
        rings = [ring for polygon in geometry["arcs"] for ring in polygon]
    else:
        return []
    return [i if i >= 0 else ~i for ring in rings for i in ring]


@cache
def _bboxes() -> dict[int, list[BBox]]:
    """Per ISO numeric code, one box per polygon, so France's box is not stretched to French Guiana."""
    topo = json.loads(COUNTRIES_TOPOJSON.read_text())
    arcs = _decode_arcs(topo)
    boxes: dict[int, list[BBox]] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        if "id" not in geometry:
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        for polygon in polygons:
            points = [p for i in _arc_indexes({"type": "Polygon", "arcs": polygon}) for p in arcs[i]]
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            boxes.setdefault(int(geometry["id"]), []).append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def country_bbox(iso3: str) -> list[BBox]:
    """The boxes around each part of a country, or an empty list when the map does not have it."""
    code = numeric_code(iso3)
    return _bboxes().get(code, []) if code is not None else []


def in_country(iso3: str, longitude: float, latitude: float) -> bool | None:
    """Whether a point lies in (a box around) the country; None when the country is not on the map."""
    boxes = country_bbox(iso3)
    if not boxes:
        return None
    return any(
        w - _MARGIN <= longitude <= e + _MARGIN and s - _MARGIN <= latitude <= n + _MARGIN for w, s, e, n in boxes
    )
