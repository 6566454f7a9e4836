"""Reader for ACLED exports (Armed Conflict Location & Event Data), old (2016) and current schemas.

ACLED's terms forbid redistributing its rows: peaceops reads a user's own export and never ships one.
ACLED has no date range per event, so ``date_start = date_end = event_date``; ``where_prec`` holds
ACLED's ``geo_precision`` (1..3) and ``date_prec`` its ``time_precision`` (1..3), not UCDP's scales.
Checked column-wise like GED files (``sources.columnar``, decision 053); ``_event`` is the rule for one
row and ``read_acled_by_row`` the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peaceops.geography.codes import gw_from_iso3, is_known_iso3, iso3_from_gw, iso3_from_name, iso3_from_numeric
from peaceops.geography.priogrid import priogrid_gid
from peaceops.sources.columnar import (
    Columns,
    blank_to_null,
    distinct_rule,
    drop_repeated,
    holds,
    ints,
    month_of,
    per_value,
    read_columns,
    settle,
)
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import collect_rows, csv_rows, parse_date, parse_int, read_text, require_columns
from peaceops.sources.ucdp import cells, coordinate_columns, coordinates

SOURCE = "acled"
COLUMNS = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "actor1",
    "actor2",
    "inter1",
    "inter2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "fatalities",
)
LAYOUT_2016 = "ACLED 2016 (gwno, ally_actor_*, ISO dates)"
LAYOUT_CURRENT = "ACLED current (iso, iso3, sub_event_type, '21 March 2020' dates)"

STATE_FORCES = 1  # ACLED ``inter`` code of state forces; 7 is civilians, 8 external/other forces
ACTORS = "actors"  # decided by who fought: a state force on either side -> 1, otherwise -> 2

# How each ACLED event type (current and 2016 names) maps to UCDP's type_of_violence.
# None: not organised violence in UCDP's sense (protests, riots, strategic developments).
VIOLENCE_RULES: dict[str, int | str | None] = {
    "Battles": ACTORS,
    "Battle-No change of territory": ACTORS,
    "Battle-Government regains territory": ACTORS,
    "Battle-Non-state actor overtakes territory": ACTORS,
    "Explosions/Remote violence": ACTORS,
    "Remote violence": ACTORS,
    "Violence against civilians": 3,
    "Protests": None,
    "Riots": None,
    "Riots/Protests": None,
    "Strategic developments": None,
    "Strategic development": None,
    "Non-violent transfer of territory": None,
    "Headquarters or base established": None,
}


def violence_type(event_type: str, inter1: int | None, inter2: int | None) -> int | None:
    """UCDP's type of violence for an ACLED event: state-based needs a state force as one of the actors."""
    rule = VIOLENCE_RULES[event_type]
    if rule != ACTORS:
        return rule if isinstance(rule, int) else None
    return 1 if STATE_FORCES in (inter1, inter2) else 2


def detect_layout(header: Sequence[str]) -> str:
    return LAYOUT_2016 if "gwno" in header else LAYOUT_CURRENT


def read_acled(path: Path) -> SourceRows:
    """Read one ACLED export into EVENT_SCHEMA records (``SourceRows.table``) plus rejected lines with reasons."""
    columns, digest = read_columns(path)
    return acled_rows(columns, digest, path)


def acled_rows(columns: Columns, digest: str, path: Path) -> SourceRows:
    """The work of ``read_acled`` on a file already parsed."""
    require_columns(columns.header, COLUMNS, path.name, "ACLED export")
    out = SourceRows(SOURCE, str(path), digest, detect_layout(columns.header))
    table = settle(out, columns, *_bulk(columns), _event)
    out.table = drop_repeated(out, table, ("event_id",), _repeated)
    out.rejections.sort(key=lambda r: r.line)
    return out


def read_acled_by_row(path: Path) -> SourceRows:
    """``read_acled`` one row at a time, as before decision 053: the reference the tests compare it with."""
    text, digest = read_text(path)
    header, rows = csv_rows(text, path.name)
    require_columns(header, COLUMNS, path.name, "ACLED export")
    out = SourceRows(SOURCE, str(path), digest, detect_layout(header))
    return collect_rows(out, rows, _event, "event_id", "event_id_cnty")


def _repeated(line: int, record: dict[str, Any], first: int) -> str:
    return f"Line {line}: event_id_cnty {record['event_id']} already appears on line {first}."


def event_date(value: str) -> date:
    """ACLED dates: "2016-07-02" in old exports, "21 March 2020" in current ones."""
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    parsed = parse_date(value, "event_date")
    if parsed is None:
        raise ValueError("event_date is empty")
    return parsed


def _country(row: dict[str, str]) -> tuple[str | None, int | None]:
    """ISO3 and Gleditsch-Ward code from whichever of iso3, iso (numeric), gwno, country the export has."""
    gw = parse_int(row.get("gwno", ""), "gwno")
    iso3 = (row.get("iso3") or "").upper() or None
    if iso3 and not is_known_iso3(iso3):
        raise ValueError(f"iso3 {iso3!r} is not an ISO 3166 alpha-3 code")
    if iso3 is None and (numeric := parse_int(row.get("iso", ""), "iso")):
        iso3 = iso3_from_numeric(numeric)
    if iso3 is None and gw is not None:
        iso3 = iso3_from_gw(gw)
    if iso3 is None:
        iso3 = iso3_from_name(row["country"])
    if gw is None and iso3 is not None:
        gw = gw_from_iso3(iso3)
    return iso3, gw


def _event(row: dict[str, str]) -> dict[str, Any]:
    event_id = row["event_id_cnty"]
    if not event_id:
        raise ValueError("event_id_cnty is empty")
    day = event_date(row["event_date"])
    kind = row["event_type"]
    if kind not in VIOLENCE_RULES:
        raise ValueError(f"event_type {kind!r} is not an ACLED event type peaceops knows ({', '.join(VIOLENCE_RULES)})")
    inter1 = parse_int(row["inter1"], "inter1")
    inter2 = parse_int(row["inter2"], "inter2")
    violence = violence_type(kind, inter1, inter2)
    fatalities = parse_int(row["fatalities"], "fatalities")
    if fatalities is None:
        raise ValueError("fatalities is empty")
    precision = parse_int(row["time_precision"], "time_precision")
    if precision not in (1, 2, 3):
        raise ValueError(f"time_precision {row['time_precision']!r} is not 1, 2 or 3")
    lat, lon = coordinates(row)
    iso3, gw = _country(row)
    sub = row.get("sub_event_type", "")
    return {
        "source": SOURCE,
        "event_id": event_id,
        "date_start": day,
        "date_end": day,
        "date_prec": precision,
        "month": day.replace(day=1),
        "year": day.year,
        "type_of_violence": violence,
        "event_type": f"{kind} / {sub}" if sub else kind,
        "best": fatalities,
        "low": fatalities,
        "high": fatalities,
        "deaths_civilians": fatalities if violence == 3 else 0,
        "latitude": lat,
        "longitude": lon,
        "where_prec": parse_int(row.get("geo_precision", ""), "geo_precision"),
        "priogrid_gid": priogrid_gid(lat, lon),
        "country_iso3": iso3,
        "country_gw": gw,
        "conflict_id": None,
        "side_a": row["actor1"] or None,
        "side_b": row["actor2"] or None,
        "admin1": row["admin1"] or None,
        "location": row["location"] or None,
    }


_COUNTRY_COLUMNS = ("gwno", "iso3", "iso", "country")


def _bulk(columns: Columns) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """``_event`` column-wise: which rows it would accept as they are, and their fields."""
    c = columns.column
    event_id = c("event_id_cnty")
    easy = holds(pc.not_equal(event_id, ""))
    day, ok = per_value(c("event_date"), event_date, pa.date32())
    kind = c("event_type")
    easy &= ok & holds(pc.is_in(kind, pa.array(list(VIOLENCE_RULES))))
    inter1, ok = ints(c("inter1"), "inter1")
    inter2, ok2 = ints(c("inter2"), "inter2")
    easy &= ok & ok2
    # VIOLENCE_RULES as numbers: 0 where the rule is ACTORS (decided below), null where it is None.
    rule, _ = per_value(kind, lambda k: _rule_code(VIOLENCE_RULES.get(k)), pa.int64())
    state = pc.or_(
        pc.fill_null(pc.equal(inter1, STATE_FORCES), False), pc.fill_null(pc.equal(inter2, STATE_FORCES), False)
    )
    violence = pc.if_else(pc.equal(rule, 0), pc.if_else(state, 1, 2), rule)
    fatalities, ok = ints(c("fatalities"), "fatalities")
    easy &= ok & holds(fatalities.is_valid())
    precision, ok = ints(c("time_precision"), "time_precision")
    easy &= ok & holds(pc.is_in(precision, pa.array([1, 2, 3])))
    lat, lon, ok = coordinate_columns(columns)
    easy &= ok
    results, codes, passed = distinct_rule(
        [c(name) for name in _COUNTRY_COLUMNS],
        lambda *values: _country(dict(zip(_COUNTRY_COLUMNS, values, strict=True))),
    )
    easy &= passed
    iso3 = pa.array([r[0] if r else None for r in results], pa.string()).take(codes)
    gw = pa.array([r[1] if r else None for r in results], pa.int64()).take(codes)
    sub = c("sub_event_type")
    where_prec, ok = ints(c("geo_precision"), "geo_precision")
    easy &= ok
    n = len(columns)
    return easy, {
        "source": pa.repeat(SOURCE, n) if n else pa.array([], pa.string()),
        "event_id": event_id,
        "date_start": day,
        "date_end": day,
        "date_prec": precision,
        "month": month_of(day),
        "year": pc.year(day),
        "type_of_violence": violence,
        "event_type": pc.if_else(pc.equal(sub, ""), kind, pc.binary_join_element_wise(kind, sub, " / ")),
        "best": fatalities,
        "low": fatalities,
        "high": fatalities,
        "deaths_civilians": pc.if_else(pc.fill_null(pc.equal(violence, 3), False), fatalities, 0),
        "latitude": lat,
        "longitude": lon,
        "where_prec": where_prec,
        "priogrid_gid": cells(lat, lon),
        "country_iso3": iso3,
        "country_gw": gw,
        "conflict_id": pa.nulls(n, pa.string()),
        "side_a": blank_to_null(c("actor1")),
        "side_b": blank_to_null(c("actor2")),
        "admin1": blank_to_null(c("admin1")),
        "location": blank_to_null(c("location")),
    }


def _rule_code(rule: int | str | None) -> int | None:
    return 0 if rule == ACTORS else rule if isinstance(rule, int) else None
