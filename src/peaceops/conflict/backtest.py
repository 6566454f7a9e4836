"""Rolling-origin backtests: forecast from several cut-offs, score against what happened, beside the benchmarks."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from peaceops.conflict.benchmarks import BENCHMARKS
from peaceops.conflict.blend import blended_forecast
from peaceops.conflict.forecast import ForecastConfig
from peaceops.conflict.metrics import BY_STEP, score_table


def rolling_cutoffs(panel: pd.DataFrame, horizon: int, origins: int, spacing: int = 12) -> list[pd.Timestamp]:
    """The last ``origins`` cut-offs, ``spacing`` months apart, each leaving ``horizon`` observed months."""
    last = pd.to_datetime(panel["month"]).max()
    first_cut = last - pd.DateOffset(months=horizon)
    return sorted(first_cut - pd.DateOffset(months=spacing * i) for i in range(origins))


def benchmark_forecasts(
    series: pd.DataFrame, cutoff: pd.Timestamp, horizon: int, *, level: str
) -> dict[str, pd.DataFrame]:
    """The three benchmarks from ``cutoff`` for the units with a row in that month (``unit_id, month, y``):
    a unit whose data stop earlier (a file that ends before) is not forecast from it."""
    months = pd.to_datetime(series["month"])
    present = series.loc[months == pd.Timestamp(cutoff), "unit_id"].unique()
    known = series[series["unit_id"].isin(present)]
    return {name: benchmark(known, cutoff, horizon, level=level) for name, benchmark in BENCHMARKS.items()}


def backtest_forecasts(
    panel: pd.DataFrame,
    cutoffs: Sequence[pd.Timestamp],
    horizon: int,
    config: ForecastConfig | None = None,
    *,
    level: str,
) -> pd.DataFrame:
    """peaceops and the three benchmarks from each cut-off, joined with the observed outcome ``y``."""
    config = config or ForecastConfig(horizon=horizon)
    config.horizon = horizon
    target = config.target
    observed = panel[["unit_id", "month", target]].copy()
    observed["month"] = pd.to_datetime(observed["month"]).dt.strftime("%Y-%m")
    observed = observed.rename(columns={target: "y"})
    series = panel[["unit_id", "month", target]].rename(columns={target: "y"})
    frames = []
    for cutoff in cutoffs:
        runs = {"peaceops": blended_forecast(panel, cutoff, config, level=level).drop(columns="weight")}
        runs.update(benchmark_forecasts(series, cutoff, horizon, level=level))
        for name, frame in runs.items():
            frames.append(frame.assign(model=name, cutoff=pd.Timestamp(cutoff).strftime("%Y-%m")))
    forecasts = pd.concat(frames, ignore_index=True)
    return forecasts.merge(observed, on=["unit_id", "month"], how="inner")


def compare(scored: pd.DataFrame, by: Sequence[str] = BY_STEP) -> pd.DataFrame:
    """The score table with, per group, peaceops' CRPS as a ratio of the best benchmark's."""
    table = score_table(scored, by=by)
    keys = [k for k in by if k != "model"]
    bench = table[table["model"] != "peaceops"].groupby(keys)["crps"].min().rename("best_benchmark_crps")
    table = table.merge(bench.reset_index(), on=keys, how="left")
    table["crps_ratio"] = table["crps"] / table["best_benchmark_crps"]
    return table
