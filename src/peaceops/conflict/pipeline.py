"""From events to a panel DataFrame: the path the forecast commands, monitoring and the benchmarks share.

Two stages, each written as Parquet by the analytics engine (DuckDB or Spark, ``store/analytics.py``) and
read back by either: the monthly **counts** (a complete calendar per unit, the neighbours' sum), then the
**panel** with its features (lags, rolling sums, months since 25 deaths). Training reads the panel's
Parquet on one machine (decision 052).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from ibis.backends import BaseBackend

from peaceops.conflict.panels import (
    country_month_counts,
    country_month_panel,
    grid_month_counts,
    grid_month_panel,
    normalise_panel,
    panel_frame,
    with_features,
)
from peaceops.errors import ValidationFailed
from peaceops.store.analytics import parquet_files, read_parquet, write_parquet
from peaceops.store.events import load_events

LEVELS = ("cm", "pgm")


def month_start(text: str) -> date:
    """'2019-11' -> 2019-11-01, with a clear error otherwise."""
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationFailed(f"{text!r} is not a month; write it as YYYY-MM, e.g. 2019-11.") from None


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValidationFailed(f"Level {level!r} is not one of {', '.join(LEVELS)}.")


def build_panel(events: pa.Table, level: str, end: date | None = None) -> pd.DataFrame:
    """The complete monthly panel at ``level`` from the first event month to ``end`` (or the last one)."""
    _check_level(level)
    if events.num_rows == 0:
        raise ValidationFailed("There are no events to build a panel from.")
    months = events.column("month")
    start = pc.min(months).as_py()
    end = end or pc.max(months).as_py()
    table = ibis.memtable(events)
    expr = country_month_panel(table, start, end) if level == "cm" else grid_month_panel(table, start, end)
    return panel_frame(expr)


def panel_from_files(paths: Sequence[Path], level: str, end: date | None = None) -> pd.DataFrame:
    return build_panel(load_events(list(paths)), level, end)


def panels_dir(var_dir: Path) -> Path:
    return var_dir / "panels"


@dataclass(frozen=True)
class PanelFiles:
    """Where one build of a level's panel lives: its counts and its panel with features (Parquet folders)."""

    level: str
    start: date
    end: date
    counts: Path
    panel: Path


def write_panel(con: BaseBackend, events: ir.Table, level: str, folder: Path, end: date) -> PanelFiles:
    """Build the panel at ``level`` from the first event month to ``end`` on ``con``, stage by stage:
    ``folder/counts`` then ``folder/panel``, each a Parquet folder replaced whole (the last build is kept)."""
    _check_level(level)
    first = con.execute(events.month.min())
    if first is None or pd.isna(first):
        raise ValidationFailed("There are no events to build a panel from.")
    start = pd.Timestamp(first).date()
    counts = country_month_counts(events, start, end) if level == "cm" else grid_month_counts(events, start, end)
    counts_dir = write_parquet(con, counts, folder / "counts")
    panel = with_features(read_parquet(con, counts_dir), level, start)
    return PanelFiles(level, start, end, counts_dir, write_parquet(con, panel, folder / "panel"))


def read_panel(path: Path) -> pd.DataFrame:
    """A panel Parquet folder (either engine's) as the DataFrame training reads: one machine, sorted by unit
    and month, the dtypes of ``panel_frame``."""
    files = parquet_files(path)
    if not files:
        raise ValidationFailed(f"No panel has been written to {path}.")
    table = pa.concat_tables([pq.read_table(f) for f in files])
    return normalise_panel(table.to_pandas(date_as_object=False))
