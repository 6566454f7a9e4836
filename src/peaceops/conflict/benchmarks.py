"""The three ViEWS benchmark models: a forecast has to beat these to be worth anything.

Each takes a monthly panel (``unit_id``, ``month`` as the Timestamp of the first of the month, ``y``;
complete calendar with zero months filled), a cut-off month and a horizon ``N``, and returns forecasts in
the forecast CSV contract (``level, unit_id, month (YYYY-MM), step, q05 .. q95, mean``) for every unit
seen up to the cut-off and every step ``1..N``; step 1 is the month after the cut-off. Only rows up to
and including the cut-off month are read, so later data can never leak in.

The ViEWS originals are ``ZeroModel``, ``LocfModel`` and ``ConflictologyModel`` in
views-platform/views-baseline (``views_baseline/model/baseline.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from peaceops.conflict.metrics import FORECAST_COLUMNS, QUANTILE_COLUMNS, QUANTILE_LEVELS
from peaceops.errors import ValidationFailed

__all__ = [
    "BENCHMARKS",
    "conflictology_benchmark",
    "conflictology_samples",
    "last_value_benchmark",
    "zero_benchmark",
]


def _history(panel: pd.DataFrame, cutoff: str | pd.Timestamp) -> tuple[pd.DataFrame, pd.Timestamp]:
    missing = sorted({"unit_id", "month", "y"} - set(panel.columns))
    if missing:
        raise ValidationFailed(f"The panel lacks the columns {missing}; it needs unit_id, month and y.")
    cut = pd.Timestamp(cutoff).to_period("M").to_timestamp()
    months = pd.to_datetime(panel["month"])
    past = panel.loc[months <= cut, ["unit_id", "y"]].assign(month=months[months <= cut])
    if past.empty:
        raise ValidationFailed(f"The panel has no months up to the cut-off {cut:%Y-%m}; choose a later cut-off.")
    if past["y"].isna().any():
        raise ValidationFailed("The panel has missing y values up to the cut-off; fill months without events with 0.")
    return past.sort_values(["unit_id", "month"]), cut


def _grid(units: pd.Index, cut: pd.Timestamp, horizon: int, level: str) -> pd.DataFrame:
    if horizon < 1:
        raise ValidationFailed(f"The horizon must be at least 1 month, got {horizon}.")
    steps = np.arange(1, horizon + 1)
    months = [(cut + pd.DateOffset(months=int(s))).strftime("%Y-%m") for s in steps]
    return pd.DataFrame(
        {
            "level": level,
            "unit_id": np.repeat(units.to_numpy(), horizon),
            "month": np.tile(months, len(units)),
            "step": np.tile(steps, len(units)),
        }
    )


def _point_mass(values: pd.Series, cut: pd.Timestamp, horizon: int, level: str) -> pd.DataFrame:
    grid = _grid(values.index, cut, horizon, level)
    v = np.repeat(values.to_numpy(dtype=np.float64), horizon)
    for column in (*QUANTILE_COLUMNS, "mean"):
        grid[column] = v
    return grid[list(FORECAST_COLUMNS)]


def zero_benchmark(panel: pd.DataFrame, cutoff: str | pd.Timestamp, horizon: int, *, level: str) -> pd.DataFrame:
    """All zeros for every unit and step: the benchmark most months of most units are hard to beat."""
    history, cut = _history(panel, cutoff)
    units = pd.Series(0.0, index=pd.Index(history["unit_id"].unique(), name="unit_id"))
    return _point_mass(units, cut, horizon, level)


def last_value_benchmark(panel: pd.DataFrame, cutoff: str | pd.Timestamp, horizon: int, *, level: str) -> pd.DataFrame:
    """The value observed in the cut-off month, as a point mass for every step (ViEWS ``LocfModel``).

    Every unit must have a row for the cut-off month (a complete calendar has one); a unit without it
    is an incomplete panel, reported rather than guessed.
    """
    history, cut = _history(panel, cutoff)
    at_cut = history[history["month"] == cut].drop_duplicates("unit_id", keep="last").set_index("unit_id")["y"]
    units = pd.Index(history["unit_id"].unique(), name="unit_id")
    lacking = units.difference(at_cut.index)
    if len(lacking):
        raise ValidationFailed(
            f"{len(lacking)} unit(s) have no row for the cut-off month {cut:%Y-%m} (e.g. {lacking[0]!r}); "
            "build the panel with a complete calendar."
        )
    return _point_mass(at_cut.loc[units], cut, horizon, level)


def _windows(history: pd.DataFrame, cut: pd.Timestamp, window: int) -> dict[object, np.ndarray]:
    if window < 1:
        raise ValidationFailed(f"The conflictology window must be at least 1 month, got {window}.")
    start = cut - pd.DateOffset(months=window - 1)
    recent = history[history["month"] >= start]
    pools = {unit: g["y"].to_numpy(dtype=np.float64) for unit, g in recent.groupby("unit_id", sort=False)}
    return {unit: pools.get(unit, np.zeros(0)) for unit in history["unit_id"].unique()}


def conflictology_benchmark(
    panel: pd.DataFrame, cutoff: str | pd.Timestamp, horizon: int, *, level: str, window: int = 12
) -> pd.DataFrame:
    """The empirical distribution of the unit's last ``window`` months, the same for every step.

    The pool is the unit's ``y`` in the calendar months ``cutoff - window + 1 .. cutoff`` (the 12 months
    up to and including the cut-off; fewer if the unit's history is shorter). ViEWS' ``ConflictologyModel``
    draws ``n_samples`` values with replacement from the unit's last ``window_months`` rows before the
    test period; here the quantiles are the exact quantiles of that pool (``numpy.quantile``, linear
    interpolation) and ``mean`` is its mean, so no sampling noise enters. ``conflictology_samples`` gives
    ViEWS-style draws for sample scores. A unit with no month inside the window is reported.
    """
    history, cut = _history(panel, cutoff)
    pools = _windows(history, cut, window)
    empty = [unit for unit, pool in pools.items() if len(pool) == 0]
    if empty:
        raise ValidationFailed(
            f"{len(empty)} unit(s) have no month in the {window} months up to {cut:%Y-%m} (e.g. {empty[0]!r}); "
            "build the panel with a complete calendar."
        )
    units = pd.Index(list(pools), name="unit_id")
    grid = _grid(units, cut, horizon, level)
    quantiles = np.array([np.quantile(pools[u], QUANTILE_LEVELS) for u in units]).reshape(len(units), -1)
    means = np.array([pools[u].mean() for u in units])
    for j, column in enumerate(QUANTILE_COLUMNS):
        grid[column] = np.repeat(quantiles[:, j], horizon)
    grid["mean"] = np.repeat(means, horizon)
    return grid[list(FORECAST_COLUMNS)]


def conflictology_samples(
    panel: pd.DataFrame,
    cutoff: str | pd.Timestamp,
    horizon: int,
    *,
    level: str,
    window: int = 12,
    n_samples: int = 1000,
    seed: int = 42,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Conflictology as ViEWS runs it: ``n_samples`` draws with replacement from the window, per row.

    Returns the forecast frame of ``conflictology_benchmark`` and an ``(rows, n_samples)`` array aligned
    with it, for ``crps_samples`` and ``binned_log_score``. Draws go unit by unit, step by step from one
    ``numpy.random.default_rng(seed)``, so the same inputs give the same samples.
    """
    frame = conflictology_benchmark(panel, cutoff, horizon, level=level, window=window)
    history, cut = _history(panel, cutoff)
    pools = _windows(history, cut, window)
    rng = np.random.default_rng(seed)
    draws = np.stack([rng.choice(pools[unit], size=n_samples, replace=True) for unit in frame["unit_id"]])
    return frame, draws


Benchmark = Callable[..., pd.DataFrame]

BENCHMARKS: dict[str, Benchmark] = {
    "zero": zero_benchmark,
    "last_value": last_value_benchmark,
    "conflictology": conflictology_benchmark,
}
