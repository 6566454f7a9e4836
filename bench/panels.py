"""Seconds to build the cm and pgm panels (Ibis on DuckDB) for the four GED country files.

Run: .venv/bin/python bench/panels.py [--repeat N] [--data DIR]
The reference, measured in the same run on the same events, is hand-written DuckDB SQL for the cm base
aggregation (counts and fatalities per country-month over the zero-filled calendar, no features), so
the ratio says what the portable Ibis layer and the features cost on top of the plain query.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import pyarrow.compute as pc

from peaceops.conflict.panels import BASE_COLUMNS, country_month_panel, grid_month_panel, month_id
from peaceops.store.events import load_events

FILES = ["ged_mexico.csv.gz", "ged_myanmar.csv.gz", "ged_syria_2016_2019.csv.gz", "ged_central_african_republic.csv.gz"]

CM_BASE_SQL = """
WITH base AS (
    SELECT CAST(country_gw AS BIGINT) AS unit_id,
           (year(month) - 1980) * 12 + month(month) AS month_id,
           sum(CASE WHEN type_of_violence = 1 THEN coalesce(best, 0) ELSE 0 END) AS sb_best,
           sum(CASE WHEN type_of_violence = 2 THEN coalesce(best, 0) ELSE 0 END) AS ns_best,
           sum(CASE WHEN type_of_violence = 3 THEN coalesce(best, 0) ELSE 0 END) AS os_best,
           count(*) FILTER (WHERE type_of_violence = 1) AS sb_count,
           count(*) FILTER (WHERE type_of_violence = 2) AS ns_count,
           count(*) FILTER (WHERE type_of_violence = 3) AS os_count,
           sum(coalesce(deaths_civilians, 0)) AS civ_deaths
    FROM events WHERE country_gw IS NOT NULL GROUP BY ALL
),
calendar AS (
    SELECT unit_id, m AS month_id
    FROM (SELECT DISTINCT unit_id FROM base), range($first, $last + 1) AS r(m)
)
SELECT c.unit_id, c.month_id,
       coalesce(sb_best, 0) AS sb_best, coalesce(ns_best, 0) AS ns_best, coalesce(os_best, 0) AS os_best,
       coalesce(sb_count, 0) AS sb_count, coalesce(ns_count, 0) AS ns_count, coalesce(os_count, 0) AS os_count,
       coalesce(civ_deaths, 0) AS civ_deaths
FROM calendar c LEFT JOIN base b USING (unit_id, month_id)
"""


def timed(run: Callable[[], pa.Table], repeat: int) -> tuple[int, float]:
    """Rows and the median seconds over ``repeat`` runs (after one warm-up run)."""
    rows = run().num_rows
    seconds = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - began)
    return rows, statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data/ucdp/ged"))
    args = parser.parse_args()

    began = time.perf_counter()
    events = load_events([args.data / name for name in FILES])
    print(f"events: {events.num_rows} rows read in {time.perf_counter() - began:.2f} s")
    months = events.column("month")
    start = date(pc.min(months).as_py().year, 1, 1)
    end = date(pc.max(months).as_py().year, 12, 1)
    print(f"calendar: {start} .. {end}")

    con = ibis.duckdb.connect()
    table = ibis.memtable(events)
    cm = country_month_panel(table, start, end)
    pgm = grid_month_panel(table, start, end)
    cm_base = cm.select("unit_id", "month_id", *BASE_COLUMNS)

    raw = duckdb.connect()
    raw.register("events", events)
    sql = CM_BASE_SQL.replace("$first", str(month_id(start))).replace("$last", str(month_id(end)))

    cases: list[tuple[str, Callable[[], pa.Table]]] = [
        ("ibis cm panel (all features)", lambda: con.to_pyarrow(cm)),
        ("ibis pgm panel (all features)", lambda: con.to_pyarrow(pgm)),
        ("ibis cm base columns only", lambda: con.to_pyarrow(cm_base)),
        ("duckdb SQL cm base (reference)", lambda: raw.sql(sql).to_arrow_table()),
    ]
    results = {name: timed(run, args.repeat) for name, run in cases}
    reference = results["duckdb SQL cm base (reference)"][1]
    print(f"{'case':34} {'rows':>10} {'seconds':>9} {'x SQL':>7}")
    for name, (rows, seconds) in results.items():
        print(f"{name:34} {rows:>10} {seconds:>9.4f} {seconds / reference:>7.1f}")


if __name__ == "__main__":
    main()
