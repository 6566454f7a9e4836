"""From raw event files to a panel DataFrame: the path the forecast commands and the benchmarks share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from peaceops.conflict.panels import country_month_panel, grid_month_panel, panel_frame
from peaceops.errors import ValidationFailed
from peaceops.store.events import load_events

LEVELS = ("cm", "pgm")


def month_start(text: str) -> date:
    """'2019-11' -> 2019-11-01, with a clear error otherwise."""
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationFailed(f"{text!r} is not a month; write it as YYYY-MM, e.g. 2019-11.") from None


def build_panel(events: pa.Table, level: str, end: date | None = None) -> pd.DataFrame:
    """The complete monthly panel at ``level`` from the first event month to ``end`` (or the last one)."""
    if level not in LEVELS:
        raise ValidationFailed(f"Level {level!r} is not one of {', '.join(LEVELS)}.")
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
