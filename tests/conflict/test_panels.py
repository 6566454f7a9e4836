"""Panels: complete calendars, each feature by hand on tiny inputs, real GED sums, and DuckDB == Spark."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from support.requirements import DATA_DIR

from peaceops.conflict import panels
from peaceops.conflict.panels import NEVER, country_month_panel, grid_month_panel, month_id, panel_frame
from peaceops.geography.neighbours import country_neighbours, grid_neighbour_table, grid_neighbours
from peaceops.geography.priogrid import priogrid_gid
from peaceops.store.event_schema import EVENT_SCHEMA

GED = DATA_DIR / "ucdp" / "ged"  # tests reading it are marked `data`
CAR = 482
SEAM_WEST = priogrid_gid(10.2, -179.8)  # column 0
SEAM_EAST = priogrid_gid(10.2, 179.8)  # column 719, same row: neighbours across the ±180° seam


def event(month: date, violence: int | None, best: int, unit: int = CAR, cell: int | None = 1000, **more: Any) -> dict:
    return {
        "month": month,
        "type_of_violence": violence,
        "best": best,
        "country_gw": unit,
        "priogrid_gid": cell,
        **more,
    }


def table(rows: list[dict]) -> ir.Table:
    """Events in EVENT_SCHEMA's exact types (int8, int16, date32...), as an importer would store them."""
    return ibis.memtable(pa.Table.from_pylist(rows, schema=EVENT_SCHEMA))


@pytest.fixture
def duck() -> Any:
    return ibis.duckdb.connect()


def frame(con: Any, rows: list[dict], level: str, start: date, end: date, **kw: Any) -> pd.DataFrame:
    events = table(rows)
    expr = country_month_panel(events, start, end) if level == "cm" else grid_month_panel(events, start, end, **kw)
    return panel_frame(expr, con)


def series(df: pd.DataFrame, unit: int, column: str) -> list:
    return df[df.unit_id == unit][column].tolist()


# --- completeness -------------------------------------------------------------------------------------


def test_months_without_events_are_zero_rows(duck: Any) -> None:
    rows = [event(date(2020, 1, 1), 1, 4), event(date(2020, 4, 1), 1, 7)]
    df = frame(duck, rows, "cm", date(2020, 1, 1), date(2020, 4, 1))
    assert series(df, CAR, "month_id") == [481, 482, 483, 484]
    assert series(df, CAR, "sb_best") == [4, 0, 0, 7]
    assert series(df, CAR, "sb_count") == [1, 0, 0, 1]


@pytest.mark.parametrize("level", ["cm", "pgm"])
def test_calendar_covers_start_to_end_exactly_for_every_unit(duck: Any, level: str) -> None:
    rows = [event(date(2019, 11, 1), 1, 3, unit=483, cell=5000), event(date(2021, 6, 1), 2, 1, cell=9000)]
    df = frame(duck, rows, level, date(2020, 2, 15), date(2020, 12, 31))
    months = pd.date_range("2020-02-01", "2020-12-01", freq="MS")
    units = df.unit_id.unique()
    assert len(units) == (2 if level == "cm" else 18)
    assert len(df) == len(units) * len(months)
    for unit in units:
        assert pd.DatetimeIndex(series(df, unit, "month")).equals(months)
    assert df.duplicated(["unit_id", "month"]).sum() == 0
    assert (df.sb_best == 0).all()  # both events fall outside the calendar


def test_grid_panel_has_the_eight_neighbours_of_event_cells_and_honours_cells(duck: Any) -> None:
    cell = priogrid_gid(5.25, 20.25)
    rows = [event(date(2020, 3, 1), 1, 2, cell=cell)]
    df = frame(duck, rows, "pgm", date(2020, 1, 1), date(2020, 3, 1))
    assert sorted(df.unit_id.unique()) == sorted([cell, *grid_neighbours(cell)])
    assert len(grid_neighbours(cell)) == 8
    quiet = df[df.unit_id != cell]
    assert (quiet[["sb_best", "sb_count", "civ_deaths"]] == 0).all().all()
    assert (quiet[quiet.month_id == month_id(date(2020, 3, 1))].sb_best_splag1 == 2).all()

    chosen = frame(duck, rows, "pgm", date(2020, 1, 1), date(2020, 3, 1), cells=[cell + 1, 7])
    assert sorted(chosen.unit_id.unique()) == [7, cell + 1]
    assert series(chosen, cell + 1, "sb_best_splag1") == [0, 0, 2]  # a neighbour outside the panel still counts


def test_cell_is_derived_from_coordinates_when_missing(duck: Any) -> None:
    rows = [event(date(2020, 1, 1), 1, 5, cell=None, latitude=5.3, longitude=20.7)]
    df = frame(duck, rows, "pgm", date(2020, 1, 1), date(2020, 1, 1))
    assert series(df, priogrid_gid(5.3, 20.7), "sb_best") == [5]


# --- features -----------------------------------------------------------------------------------------


def test_counts_and_fatalities_are_split_by_type_of_violence(duck: Any) -> None:
    jan = date(2020, 1, 1)
    rows = [
        event(jan, 1, 10, deaths_civilians=2),
        event(jan, 1, 5),
        event(jan, 2, 3, deaths_civilians=1),
        event(jan, 3, 4, deaths_civilians=4),
        event(jan, None, 100),  # not organised violence: in no type's count
    ]
    row = frame(duck, rows, "cm", jan, jan).iloc[0]
    assert (row.sb_best, row.ns_best, row.os_best) == (15, 3, 4)
    assert (row.sb_count, row.ns_count, row.os_count) == (2, 1, 1)
    assert row.civ_deaths == 7
    assert row.month_id == 481 and month_id(date(1980, 1, 1)) == 1
    assert row.sb_log1p == pytest.approx(np.log1p(15))


def test_lags_and_rolling_sums_use_history_before_start(duck: Any) -> None:
    start = date(2020, 1, 1)
    values = {date(2019, 1, 1): 1, date(2019, 7, 1): 2, date(2019, 12, 1): 4, date(2020, 1, 1): 8, date(2020, 6, 1): 16}
    rows = [event(m, 1, v) for m, v in values.items()] + [
        event(date(2019, 12, 1), 2, 3),
        event(date(2019, 12, 1), 3, 9),
    ]
    df = frame(duck, rows, "cm", start, date(2020, 12, 1))
    monthly = [8, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0]
    history = [1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 4] + monthly  # Jan 2019 .. Dec 2020

    def lagged(k: int) -> list[int]:
        return [history[12 + i - k] for i in range(12)]

    def rolled(k: int) -> list[int]:
        return [sum(history[12 + i - k + 1 : 12 + i + 1]) for i in range(12)]

    assert series(df, CAR, "sb_best") == monthly
    for k in (1, 2, 3, 6, 12):
        assert series(df, CAR, f"sb_best_lag{k}") == lagged(k), k
    for k in (3, 6, 12):
        assert series(df, CAR, f"sb_best_roll{k}") == rolled(k), k
    assert series(df, CAR, "sb_best_roll12")[0] == 2 + 4 + 8  # Feb 2019 .. Jan 2020: Jan 2019 has left
    assert series(df, CAR, "ns_best_lag1")[0] == 3 and series(df, CAR, "os_best_lag1")[:2] == [9, 0]
    assert series(df, CAR, "ns_best_roll12") == [3] * 11 + [0]
    assert series(df, CAR, "os_best_roll12") == [9] * 11 + [0]


def test_months_since_25_deaths_and_its_decay(duck: Any) -> None:
    rows = [
        event(date(2015, 3, 1), 1, 30),  # years before the calendar: still remembered
        event(date(2020, 3, 1), 1, 24),  # below the threshold
        event(date(2020, 3, 1), 2, 40),  # non-state: does not count
        event(date(2020, 5, 1), 1, 20),
        event(date(2020, 5, 1), 1, 5),  # two events adding up to 25 in one month
        event(date(2020, 1, 1), 3, 1, unit=483),  # a country that never reached 25
    ]
    df = frame(duck, rows, "cm", date(2020, 1, 1), date(2020, 7, 1))
    since_2015 = month_id(date(2020, 1, 1)) - month_id(date(2015, 3, 1))
    expected = [since_2015, since_2015 + 1, since_2015 + 2, since_2015 + 3, 0, 1, 2]
    assert series(df, CAR, "sb25_months_since") == expected
    assert series(df, CAR, "sb25_decay") == pytest.approx([2 ** (-m / 12) for m in expected], rel=1e-12)
    assert series(df, CAR, "sb25_decay")[5] == pytest.approx(2 ** (-1 / 12))
    assert series(df, 483, "sb25_months_since") == [NEVER] * 7
    assert series(df, 483, "sb25_decay") == pytest.approx([2 ** (-NEVER / 12)] * 7, rel=1e-12)


def test_country_spatial_lag_sums_bordering_countries_only(duck: Any) -> None:
    jan, feb = date(2020, 1, 1), date(2020, 2, 1)
    rows = [
        event(jan, 1, 1),
        event(jan, 1, 10, unit=483),  # Chad borders CAR
        event(feb, 1, 100, unit=490),  # DR Congo borders CAR
        event(feb, 2, 7, unit=490),  # non-state: not in the state-based spatial lag
        event(jan, 1, 1000, unit=70),  # Mexico does not
    ]
    df = frame(duck, rows, "cm", jan, date(2020, 3, 1))
    assert series(df, CAR, "sb_best_splag1") == [10, 100, 0]
    assert series(df, CAR, "sb_best_splag_roll12") == [10, 110, 110]
    assert series(df, 483, "sb_best_splag1") == [1, 0, 0]
    assert series(df, 70, "sb_best_splag1") == [0, 0, 0]


def test_grid_spatial_lag_crosses_the_180_degree_seam(duck: Any) -> None:
    jan = date(2020, 1, 1)
    rows = [event(jan, 1, 6, cell=SEAM_EAST), event(jan, 1, 50, cell=SEAM_WEST + 720)]  # north of the west cell
    df = frame(duck, rows, "pgm", jan, jan)
    assert series(df, SEAM_WEST, "sb_best_splag1") == [56]
    assert series(df, SEAM_EAST, "sb_best_splag1") == [50]  # the cell north-east of it, across the seam
    assert series(df, SEAM_WEST - 720, "sb_best_splag1") == [6]  # column 0 one row south: north-west is column 719
    assert set(df.unit_id) >= {SEAM_EAST - 1, SEAM_WEST + 1, SEAM_EAST - 720}


def test_grid_neighbours_wrap_the_seam_and_stop_at_the_poles(duck: Any) -> None:
    assert SEAM_EAST in grid_neighbours(SEAM_WEST) and SEAM_WEST in grid_neighbours(SEAM_EAST)
    assert grid_neighbours(1) == [2, 720, 721, 722, 1440]  # south pole row: 5 neighbours
    north_east = 360 * 720
    assert grid_neighbours(north_east) == sorted(
        [north_east - 1, north_east - 719, north_east - 720, 359 * 720 - 1, 358 * 720 + 1]
    )
    cells = [1, SEAM_WEST, SEAM_EAST, north_east, priogrid_gid(0.1, 0.1)]
    pairs = duck.to_pandas(grid_neighbour_table(ibis.memtable({"unit_id": cells})))
    for cell in cells:
        assert sorted(pairs[pairs.unit_id == cell].neighbour_id) == grid_neighbours(cell)


def test_central_african_republic_borders() -> None:
    found = country_neighbours(CAR)
    assert {483, 471, 490, 484} <= found  # Chad, Cameroon, DR Congo, Congo
    assert found & {625, 626}  # Sudan or South Sudan
    assert 70 not in found and CAR not in found


def test_public_names_are_pinned() -> None:
    assert panels.__all__ == [
        "BASE_COLUMNS",
        "COUNT_COLUMNS",
        "FLOAT_COLUMNS",
        "NEVER",
        "PANEL_COLUMNS",
        "REPORT_COLUMNS",
        "country_month_counts",
        "country_month_panel",
        "event_cell",
        "grid_month_counts",
        "grid_month_panel",
        "month_id",
        "normalise_panel",
        "panel_frame",
        "with_features",
        "with_reports",
    ]
    assert all(hasattr(panels, name) for name in panels.__all__)
    assert len(panels.PANEL_COLUMNS) == len(set(panels.PANEL_COLUMNS)) == 28


def test_reports_join_beside_the_events_summed_per_unit_and_month(duck: Any) -> None:
    events = [event(date(2020, 1, 5), 1, 7), event(date(2020, 2, 5), 3, 2)]
    panel = frame(duck, events, "cm", date(2020, 1, 1), date(2020, 3, 1))
    reports = pd.DataFrame(
        {
            "unit_id": [CAR, CAR, CAR, 999],
            "month": pd.to_datetime(["2020-01-01", "2020-01-01", "2020-03-01", "2020-01-01"]),
            "mission_reports": [1, 1, 1, 5],
            "mission_deaths": [3, 0, 4, 9],
        }
    )
    joined = panels.with_reports(panel, reports)
    assert joined[panels.PANEL_COLUMNS].equals(panel[panels.PANEL_COLUMNS])  # the events' columns untouched
    assert joined["mission_reports"].tolist() == [2, 0, 1] and joined["mission_deaths"].tolist() == [3, 0, 4]
    assert joined["mission_reports"].dtype == "int64" and len(joined) == len(panel)  # unit 999 is not in the panel


def test_end_before_start_is_refused(duck: Any) -> None:
    with pytest.raises(ValueError, match="before it starts"):
        frame(duck, [event(date(2020, 1, 1), 1, 1)], "cm", date(2020, 2, 1), date(2020, 1, 1))


# --- real data ----------------------------------------------------------------------------------------


def ged_events(path: Path) -> pa.Table:
    """The panel's columns from a raw GED file, read independently of the importer being written alongside."""
    raw = pd.read_csv(path, low_memory=False)
    end = pd.to_datetime(raw.date_end.str[:10])
    rows = pd.DataFrame(
        {
            "month": end.dt.to_period("M").dt.to_timestamp().dt.date,
            "type_of_violence": raw.type_of_violence,
            "best": raw.best,
            "deaths_civilians": raw.deaths_civilians,
            "country_gw": raw.country_id,
            "priogrid_gid": raw.priogrid_gid,
            "latitude": raw.latitude,
            "longitude": raw.longitude,
        }
    )
    schema = pa.schema([EVENT_SCHEMA.field(name) for name in rows.columns])
    return pa.Table.from_pandas(rows, schema=schema, preserve_index=False)


@pytest.mark.data
def test_car_panels_keep_every_state_based_death_of_the_file(duck: Any) -> None:
    path = GED / "ged_central_african_republic.csv.gz"
    raw = pd.read_csv(path, low_memory=False)
    expected = raw[raw.type_of_violence == 1].groupby(raw.date_end.str[:4].astype(int)).best.sum()
    events = ibis.memtable(ged_events(path))
    start, end = date(int(raw.date_end.min()[:4]), 1, 1), date(int(raw.date_end.max()[:4]), 12, 1)
    for expr in (country_month_panel(events, start, end), grid_month_panel(events, start, end)):
        df = panel_frame(expr, duck)
        yearly = df.groupby(df.month.dt.year).sb_best.sum()
        assert yearly[yearly > 0].to_dict() == expected[expected > 0].to_dict()
        assert yearly.index.tolist() == list(range(start.year, end.year + 1))
    assert len(df) == df.unit_id.nunique() * (end.year - start.year + 1) * 12


# --- DuckDB and Spark -----------------------------------------------------------------------------------


def small_input() -> pa.Table:
    """A few hundred real CAR events (2013-2015) plus hand-made ones on the seam and without a cell."""
    car = ged_events(GED / "ged_central_african_republic.csv.gz")
    months = car.column("month").to_pandas()
    car = car.filter(pa.array((months >= date(2013, 1, 1)) & (months <= date(2015, 12, 1))))
    extra = [
        event(date(2014, 2, 1), 1, 26, unit=483, cell=SEAM_EAST),
        event(date(2014, 3, 1), 3, 2, unit=483, cell=SEAM_WEST, deaths_civilians=2),
        event(date(2014, 3, 1), 2, 3, unit=490, cell=None, latitude=-4.3, longitude=15.3),
    ]
    extra_table = pa.Table.from_pylist(extra, schema=EVENT_SCHEMA).select(car.column_names).cast(car.schema)
    return pa.concat_tables([car, extra_table])


# PySpark's Arrow collect (_load_from_socket) drops its loopback socket to the JVM without closing it;
# the garbage collector then reports it. Ignored for these tests only, and collected before they end.
@pytest.mark.filterwarnings(
    r"ignore:Exception ignored in. <socket\.socket .*laddr=\('127\.0\.0\.1':pytest.PytestUnraisableExceptionWarning"
)
@pytest.mark.filterwarnings(r"ignore:unclosed <socket\.socket .*laddr=\('127\.0\.0\.1':ResourceWarning")
@pytest.mark.data
@pytest.mark.parametrize("level", ["cm", "pgm"])
def test_duckdb_and_spark_give_the_same_panel(spark: Any, level: str) -> None:
    data = small_input()
    frames = []
    for con in (ibis.duckdb.connect(), ibis.pyspark.connect(spark)):
        build = country_month_panel if level == "cm" else grid_month_panel
        frames.append(panel_frame(build(ibis.memtable(data), date(2013, 6, 1), date(2015, 12, 1)), con))
    gc.collect()  # see the filter above: PySpark's leaked sockets are reported here, not in a later test
    duck_frame, spark_frame = frames
    assert len(duck_frame) > (50 if level == "cm" else 1000) and duck_frame.sb_best.sum() > 0
    assert (duck_frame.sb25_months_since < NEVER).any() and (duck_frame.sb_best_splag1 > 0).any()
    pd.testing.assert_frame_equal(
        duck_frame.drop(columns=panels.FLOAT_COLUMNS), spark_frame.drop(columns=panels.FLOAT_COLUMNS), check_exact=True
    )
    for name in panels.FLOAT_COLUMNS:
        np.testing.assert_allclose(duck_frame[name], spark_frame[name], rtol=0, atol=1e-9)
    assert duck_frame.dtypes.equals(spark_frame.dtypes)
