"""Monthly panels with complete calendars, the ViEWS way: country-month (cm) and PRIO-GRID-cell-month (pgm).

Written once as Ibis expressions over an events table (EVENT_SCHEMA columns), so the same panel runs on
DuckDB (default) and Spark. Every unit gets every month from ``start`` to ``end``; months with nothing are
zeros, because a forecast model must see the quiet months as well as the violent ones.

Features, per unit and month ``t`` (``x`` is sb, ns or os fatalities, ``best``):
- ``x_best_lagK``: value at ``t - K`` months; ``x_best_rollK``: sum over ``t-K+1 .. t`` (K months
  including the current one). Both use the events before ``start``, so they are exact at the first month.
- ``sb25_months_since``: ``t`` minus the latest month ``<= t`` with ``sb_best >= 25`` (0 when ``t`` itself
  has 25 or more), over all the history in ``events``; ``NEVER`` (999) when there is none.
- ``sb25_decay``: ``2 ** (-sb25_months_since / 12)``, ViEWS' decay with a half-life of 12 months.
- ``sb_best_splag1``: sum of the neighbours' ``sb_best`` in month ``t`` (neighbours from
  ``peaceops.geography.neighbours``, whether or not they are units of the panel);
  ``sb_best_splag_roll12``: its sum over ``t-11 .. t``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis.backends import BaseBackend

from peaceops.geography.neighbours import GRID_COLUMNS, country_neighbour_table, grid_neighbour_table

__all__ = [
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

NEVER = 999  # sb25_months_since when a unit never had a month with 25 or more state-based deaths
LOOKBACK = 12  # months computed before ``start`` so lags and rolling sums are exact from the first month
_TYPES = {"sb": 1, "ns": 2, "os": 3}  # UCDP type_of_violence

BASE_COLUMNS = ["sb_best", "ns_best", "os_best", "sb_count", "ns_count", "os_count", "civ_deaths"]
FEATURE_INT_COLUMNS = [
    *(f"sb_best_lag{k}" for k in (1, 2, 3, 6, 12)),
    *(f"sb_best_roll{k}" for k in (3, 6, 12)),
    "ns_best_lag1",
    "ns_best_roll12",
    "os_best_lag1",
    "os_best_roll12",
    "sb25_months_since",
    "sb_best_splag1",
    "sb_best_splag_roll12",
]
COUNT_COLUMNS = ["unit_id", "month_id", *BASE_COLUMNS, *FEATURE_INT_COLUMNS]
FLOAT_COLUMNS = ["sb_log1p", "sb25_decay"]
PANEL_COLUMNS = [
    "level",
    "unit_id",
    "month",
    "month_id",
    *BASE_COLUMNS,
    *FEATURE_INT_COLUMNS[:-3],
    "sb_log1p",
    "sb25_months_since",
    "sb25_decay",
    "sb_best_splag1",
    "sb_best_splag_roll12",
]


# A mission's own published reports, beside the source events (``with_reports``); never summed with them.
REPORT_COLUMNS = ["mission_reports", "mission_deaths"]


def month_id(day: date) -> int:
    """ViEWS month id: 1 is January 1980."""
    return (day.year - 1980) * 12 + day.month


def _month_id_expr(month: ir.DateValue) -> ir.IntegerValue:
    return (month.year().cast("int64") - 1980) * 12 + month.month().cast("int64")


def _month_from_id(ids: ir.IntegerValue) -> ir.DateValue:
    # Shift the remainder into 0..11 and divide exactly, so engines' signs for % and // never matter.
    zero_based = ids - 1
    month0 = ((zero_based % 12) + 12) % 12
    year = 1980 + (zero_based - month0) // 12
    return ibis.date(year.cast("int32"), (month0 + 1).cast("int32"), 1)


def _base(events: ir.Table, unit: ir.IntegerValue) -> ir.Table:
    """Counts and fatalities per unit and month, only where there were events."""
    keyed = events.mutate(_unit=unit.cast("int64"), _month=_month_id_expr(events.month))
    keyed = keyed.filter(keyed._unit.notnull(), keyed._month.notnull())
    violence = keyed.type_of_violence
    best = keyed.best.cast("int64").fill_null(0)
    measures = {}
    for prefix, code in _TYPES.items():
        measures[f"{prefix}_best"] = ibis.cases((violence == code, best), else_=0).sum()
        measures[f"{prefix}_count"] = ibis.cases((violence == code, 1), else_=0).cast("int64").sum()
    measures["civ_deaths"] = keyed.deaths_civilians.cast("int64").fill_null(0).sum()
    return keyed.group_by(unit_id=keyed._unit, month_id=keyed._month).aggregate(**measures)


def _counts(
    events: ir.Table, units: ir.Table, unit: ir.IntegerValue, pairs: ir.Table, start: date, end: date
) -> ir.Table:
    """The zero-filled calendar with the base measures, the neighbours' sum, and each unit's last month
    with 25 or more state-based deaths before the calendar (``prior25``): everything the features need."""
    if end < start:
        raise ValueError(f"The panel ends ({end}) before it starts ({start}); swap the two dates.")
    first, last = month_id(start) - LOOKBACK, month_id(end)
    base = _base(events, unit)

    calendar = units.select(unit_id=units.unit_id.cast("int64"), month_id=ibis.range(first, last + 1).unnest())
    joined = calendar.left_join(base, ["unit_id", "month_id"])
    panel = joined.select(
        calendar.unit_id, calendar.month_id, *(base[name].fill_null(0).name(name) for name in BASE_COLUMNS)
    )

    neighbour_sums = (
        pairs.join(base, pairs.neighbour_id == base.unit_id)
        .select(unit_id=pairs.unit_id, month_id=base.month_id, sb=base.sb_best)
        .group_by("unit_id", "month_id")
        .aggregate(sb_best_splag1=lambda t: t.sb.sum())
    )
    with_splag = panel.left_join(neighbour_sums, ["unit_id", "month_id"])
    panel = with_splag.select(panel, sb_best_splag1=neighbour_sums.sb_best_splag1.fill_null(0))

    before = base.filter(base.month_id < first, base.sb_best >= 25).group_by("unit_id")
    before = before.aggregate(prior25=lambda t: t.month_id.max())
    with_prior = panel.left_join(before, "unit_id")
    panel = with_prior.select(panel, prior25=before.prior25)
    return panel.select(
        *(panel[name].cast("int64").name(name) for name in ["unit_id", "month_id", *BASE_COLUMNS, "sb_best_splag1"]),
        prior25=panel.prior25.cast("int64"),
    )


def with_features(counts: ir.Table, level: str, start: date) -> ir.Table:
    """The panel (PANEL_COLUMNS) from a ``*_counts`` table: lags, rolling sums, months since 25 deaths and
    its decay, from ``start`` on (the months before it are the lags' history).

    The second stage of the pipeline, separate so that each engine can write the counts to Parquet and
    compute the features from there (``conflict/pipeline.py``).
    """
    panel = counts
    order = {"group_by": "unit_id", "order_by": "month_id"}
    lag_window = ibis.window(**order)

    def roll(column: ir.IntegerValue, months: int) -> ir.IntegerValue:
        return column.sum().over(ibis.window(preceding=months - 1, following=0, **order))

    def lag(column: ir.IntegerValue, months: int) -> ir.IntegerValue:
        return column.lag(months).over(lag_window).fill_null(0)

    last25 = ibis.cases((panel.sb_best >= 25, panel.month_id), else_=None).max().over(ibis.cumulative_window(**order))
    since = ibis.least(panel.month_id - ibis.coalesce(last25, panel.prior25), NEVER).fill_null(NEVER)
    features = panel.mutate(
        **{f"sb_best_lag{k}": lag(panel.sb_best, k) for k in (1, 2, 3, 6, 12)},
        **{f"sb_best_roll{k}": roll(panel.sb_best, k) for k in (3, 6, 12)},
        ns_best_lag1=lag(panel.ns_best, 1),
        ns_best_roll12=roll(panel.ns_best, 12),
        os_best_lag1=lag(panel.os_best, 1),
        os_best_roll12=roll(panel.os_best, 12),
        sb_log1p=(panel.sb_best.cast("float64") + 1.0).ln(),
        sb25_months_since=since.cast("int64"),
        sb_best_splag_roll12=roll(panel.sb_best_splag1, 12),
    )
    features = features.mutate(sb25_decay=ibis.literal(2.0) ** (-features.sb25_months_since.cast("float64") / 12.0))
    kept = features.filter(features.month_id >= month_id(start))
    return kept.select(
        level=ibis.literal(level, type="string"),
        month=_month_from_id(kept.month_id),
        **{
            name: kept[name].cast("float64" if name in FLOAT_COLUMNS else "int64")
            for name in COUNT_COLUMNS + FLOAT_COLUMNS
        },
    ).select(*PANEL_COLUMNS)


def country_month_counts(events: ir.Table, start: date, end: date) -> ir.Table:
    """The country-month calendar (before features) for every country that appears in ``events``."""
    units = events.filter(events.country_gw.notnull()).select(unit_id=events.country_gw.cast("int64")).distinct()
    return _counts(events, units, events.country_gw, country_neighbour_table(), start, end)


def grid_month_counts(events: ir.Table, start: date, end: date, cells: Iterable[int] | None = None) -> ir.Table:
    """The cell-month calendar (before features): cells with events and their 8 neighbours, or ``cells``."""
    unit = event_cell(events)
    if cells is None:
        with_events = events.select(unit_id=unit).filter(lambda t: t.unit_id.notnull()).distinct()
        around = grid_neighbour_table(with_events).select(unit_id="neighbour_id")
        units = with_events.union(around, distinct=True)
    else:
        units = ibis.memtable({"unit_id": sorted(set(cells))}, schema={"unit_id": "int64"})
    pairs = grid_neighbour_table(units)
    return _counts(events, units, unit, pairs, start, end)


def country_month_panel(events: ir.Table, start: date, end: date) -> ir.Table:
    """Country-month panel keyed by Gleditsch-Ward code, for every country that appears in ``events``."""
    return with_features(country_month_counts(events, start, end), "cm", start)


def event_cell(events: ir.Table) -> ir.IntegerValue:
    """The event's PRIO-GRID cell, derived from its coordinates when ``priogrid_gid`` is missing."""
    row = ibis.least(((events.latitude + 90.0) / 0.5).floor().cast("int64"), 359)
    col = ibis.least(((events.longitude + 180.0) / 0.5).floor().cast("int64"), GRID_COLUMNS - 1)
    return ibis.coalesce(events.priogrid_gid.cast("int64"), row * GRID_COLUMNS + col + 1)


def grid_month_panel(events: ir.Table, start: date, end: date, cells: Iterable[int] | None = None) -> ir.Table:
    """PRIO-GRID-cell-month panel: cells with events and their 8 neighbours, or exactly ``cells`` if given."""
    return with_features(grid_month_counts(events, start, end, cells), "pgm", start)


def panel_frame(expr: ir.Table, backend: BaseBackend | None = None) -> pd.DataFrame:
    """Execute a panel through Arrow and return it sorted by unit and month with the same dtypes on any engine.

    ``backend`` runs it where the events are unbound (in-memory tables); by default the expression's own.
    """
    frame = (backend.to_pyarrow(expr) if backend is not None else expr.to_pyarrow()).to_pandas(date_as_object=False)
    return normalise_panel(frame)


def normalise_panel(frame: pd.DataFrame) -> pd.DataFrame:
    """A panel as any engine returned it, sorted by unit and month, in PANEL_COLUMNS' order and dtypes."""
    frame["level"] = frame["level"].astype(object)
    frame["month"] = pd.to_datetime(frame["month"]).astype("datetime64[ns]")
    for name in COUNT_COLUMNS:
        frame[name] = frame[name].astype("int64")
    for name in FLOAT_COLUMNS:
        frame[name] = frame[name].astype("float64")
    return frame.sort_values(["unit_id", "month"], kind="stable").reset_index(drop=True)[PANEL_COLUMNS]


def with_reports(panel: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """``panel`` with a mission's reports per unit and month (``unit_id``, ``month``, REPORT_COLUMNS) beside
    the source events, zeros where none.

    Separate columns, not added to ``sb_best`` and the rest: a mission report and a UCDP event are often
    the same killing seen twice, and the two differ in coverage and in how deaths are counted.
    """
    summed = reports.groupby(["unit_id", "month"], as_index=False)[REPORT_COLUMNS].sum()
    merged = panel.merge(summed, on=["unit_id", "month"], how="left")
    merged[REPORT_COLUMNS] = merged[REPORT_COLUMNS].fillna(0).astype("int64")
    return merged
