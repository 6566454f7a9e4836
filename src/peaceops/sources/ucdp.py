"""Reader for UCDP GED event files (Georeferenced Event Dataset), in every published column layout.

Each event is counted in the month of its ``date_end`` (``month`` is the first day of that month,
``year`` its year): the ViEWS convention, so an event from 28 January to 2 February counts in February.
Citation: Sundberg & Melander 2013, JPR 50(4); Davies et al. 2023, JPR 60(4). Licence CC BY 4.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from peaceops.geography.codes import iso3_from_gw, iso3_from_name
from peaceops.geography.priogrid import priogrid_gid
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import (
    collect_rows,
    csv_rows,
    parse_date,
    parse_float,
    parse_int,
    read_text,
    require_columns,
)

SOURCE = "ucdp-ged"
COLUMNS = (
    "id",
    "type_of_violence",
    "conflict_new_id",
    "side_a",
    "side_b",
    "where_prec",
    "where_coordinates",
    "adm_1",
    "latitude",
    "longitude",
    "country",
    "country_id",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_civilians",
    "best",
    "low",
    "high",
)
EVENT_TYPES = {1: "state-based", 2: "non-state", 3: "one-sided"}

# Layouts seen in published GED files, told apart by their header.
LAYOUT_19_1 = "GED 19.1 special release (41 columns, no relid)"
LAYOUT_GEOJSON = "GED 23.1 converted from GeoJSON (longitude, latitude last)"
LAYOUT_CSV = "GED 23.1/24.1 CSV (49 columns, geom_wkt)"
LAYOUT_OTHER = "GED (other column order)"


def detect_layout(header: Sequence[str]) -> str:
    """Which GED layout a header belongs to; only reported, since columns are read by name."""
    if "relid" not in header:
        return LAYOUT_19_1
    if "geom_wkt" in header:
        return LAYOUT_CSV
    if list(header[-2:]) == ["longitude", "latitude"]:
        return LAYOUT_GEOJSON
    return LAYOUT_OTHER


def read_ged(path: Path) -> SourceRows:
    """Read one GED CSV (gzip or not) into EVENT_SCHEMA records plus rejected lines with reasons."""
    text, digest = read_text(path)
    return parse_ged(text, digest, path)


def parse_ged(text: str, digest: str, path: Path) -> SourceRows:
    """The work of ``read_ged`` on text already read, so a caller that sniffed the header reads once."""
    header, rows = csv_rows(text, path.name)
    require_columns(header, COLUMNS, path.name, "UCDP GED")
    out = SourceRows(SOURCE, str(path), digest, detect_layout(header))
    return collect_rows(out, rows, _event, "event_id", "event id")


def day(value: str, field: str) -> date:
    """A GED date, with or without a time part ("2009-02-20T00:00:00" in the GeoJSON conversion)."""
    if len(value) > 10 and value[10] in "T ":
        value = value[:10]
    parsed = parse_date(value, field)
    if parsed is None:
        raise ValueError(f"{field} is empty")
    return parsed


def coordinates(row: dict[str, str]) -> tuple[float, float]:
    """Latitude and longitude, both present and on the globe."""
    lat = parse_float(row["latitude"], "latitude")
    lon = parse_float(row["longitude"], "longitude")
    if lat is None or lon is None:
        raise ValueError("latitude or longitude is empty")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat} is outside -90..90")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude {lon} is outside -180..180")
    return lat, lon


def _code(value: str, field: str) -> int | None:
    """An integer code that some conversions write as a float ("299.0")."""
    return parse_int(value, field)


def _ranged(value: str, field: str, low: int, high: int) -> int:
    number = parse_int(value, field)
    if number is None or not low <= number <= high:
        raise ValueError(f"{field} {value!r} is not one of {low}..{high}")
    return number


def _event(row: dict[str, str]) -> dict[str, Any]:
    event_id = _code(row["id"], "id")
    if event_id is None:
        raise ValueError("id is empty")
    start = day(row["date_start"], "date_start")
    end = day(row["date_end"], "date_end")
    if end < start:
        raise ValueError(f"date_end {end} is before date_start {start}")
    violence = parse_int(row["type_of_violence"], "type_of_violence")
    if violence not in EVENT_TYPES:
        raise ValueError(f"type_of_violence {row['type_of_violence']!r} is not 1, 2 or 3")
    best = parse_int(row["best"], "best")
    if best is None:
        raise ValueError("best (the fatality estimate) is empty")
    low = parse_int(row["low"], "low")
    high = parse_int(row["high"], "high")
    # Some published rows have low and high swapped, or a best estimate outside them (Mexico: 19% of all
    # deaths). `best` is UCDP's estimate and what panels count, so the row is kept and the range is
    # repaired to contain it rather than dropping real deaths.
    if low is not None and high is not None and low > high:
        low, high = high, low
    if low is not None:
        low = min(low, best)
    if high is not None:
        high = max(high, best)
    lat, lon = coordinates(row)
    cell = parse_int(row.get("priogrid_gid", ""), "priogrid_gid")
    gw = _code(row["country_id"], "country_id")
    if gw is None:
        raise ValueError("country_id is empty")
    conflict = _code(row["conflict_new_id"], "conflict_new_id")
    return {
        "source": SOURCE,
        "event_id": str(event_id),
        "date_start": start,
        "date_end": end,
        "date_prec": _ranged(row["date_prec"], "date_prec", 1, 5),
        "month": end.replace(day=1),
        "year": end.year,
        "type_of_violence": violence,
        "event_type": EVENT_TYPES[violence],
        "best": best,
        "low": low,
        "high": high,
        "deaths_civilians": parse_int(row["deaths_civilians"], "deaths_civilians"),
        "latitude": lat,
        "longitude": lon,
        "where_prec": _ranged(row["where_prec"], "where_prec", 1, 7),
        "priogrid_gid": cell if cell else priogrid_gid(lat, lon),
        "country_iso3": iso3_from_gw(gw) or iso3_from_name(row["country"]),
        "country_gw": gw,
        "conflict_id": None if conflict is None else str(conflict),
        "side_a": row["side_a"] or None,
        "side_b": row["side_b"] or None,
        "admin1": row["adm_1"] or None,
        "location": row["where_coordinates"] or None,
    }
