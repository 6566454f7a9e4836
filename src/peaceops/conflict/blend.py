"""The model's forecast blended with the conflictology benchmark, one weight per step chosen out of sample.

ViEWS' own ensembles weight simple components, and conflictology (the unit's last twelve months) is the
strongest of its benchmarks: where the model has learned little (a quiet cell, a far step) the blend leans
on it, where the model knows better it keeps the model. The blend averages quantiles (Vincentisation):
``q = w * model + (1 - w) * conflictology`` level by level, which never crosses and whose pinball loss,
hence quantile CRPS, is at most the weighted average of the two. The weight of each step is the one that
scored best on the validation year just before the cut-off: the model trained on data up to
``cutoff - horizon`` forecasts months that are all observed by the cut-off, so nothing after the cut-off is
read. Why, and why it is not the default yet: docs/decisions/029-forecast-blend.md.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from peaceops.conflict.benchmarks import conflictology_benchmark
from peaceops.conflict.forecast import TARGET, ForecastConfig, Scorer, forecast
from peaceops.conflict.metrics import QUANTILE_COLUMNS, QUANTILE_LEVELS, crps_quantiles, exceedance_from_quantiles

WEIGHTS = np.round(np.linspace(0.0, 1.0, 21), 2)  # the model's share, in steps of 0.05
KEYS = ["unit_id", "month", "step"]


def training_steps(config: ForecastConfig) -> int:
    """How many step models ``blended_forecast`` trains (for a progress bar): the validation year and the forecast."""
    return 2 * config.horizon if config.blend else config.horizon


def blended_forecast(
    panel: pd.DataFrame,
    cutoff: pd.Timestamp,
    config: ForecastConfig | None = None,
    *,
    level: str | None = None,
    origins: int = 1,
    on_step: Callable[[int], None] | None = None,
    scorer: Scorer | None = None,
) -> pd.DataFrame:
    """``forecast`` blended with conflictology; the same columns plus ``weight`` (the model's share per step).

    Without a full validation year before the cut-off (a short panel) every weight is 1: the model alone.
    With ``config.blend`` off (the default until the backtest shows the blend better: decision 029) the
    model's forecast is returned as it is, ``weight`` empty. ``scorer`` is ``forecast``'s (where the trained
    models are applied).
    """
    config = config or ForecastConfig()
    cutoff = pd.Timestamp(cutoff).to_period("M").to_timestamp()
    if too_few_units(panel, cutoff, config):
        if on_step is not None:
            on_step(training_steps(config))
        return benchmark_forecast(
            panel, cutoff, config.horizon, level=level or "", origins=origins, target=config.target
        )
    if not config.blend:
        model = forecast(panel, cutoff, config, level=level, origins=origins, on_step=on_step, scorer=scorer)
        return model.assign(weight=np.nan)
    series = panel[["unit_id", "month", config.target]].rename(columns={config.target: "y"})
    series = series.assign(month=pd.to_datetime(series["month"]))
    weights = _validation_weights(panel, series, cutoff, config, level, on_step, scorer)
    model = forecast(panel, cutoff, config, level=level, origins=origins, on_step=on_step, scorer=scorer)
    starts = [cutoff - pd.DateOffset(months=k) for k in range(origins)]
    benches = []
    for start in starts:
        bench = _conflictology(series, start, config.horizon, level or str(model["level"].iloc[0]))
        if origins > 1:
            bench["origin"] = start.strftime("%Y-%m")
        benches.append(bench)
    keys = [*KEYS, "origin"] if origins > 1 else KEYS
    return blend(model, pd.concat(benches, ignore_index=True), weights, keys)


def too_few_units(panel: pd.DataFrame, cutoff: pd.Timestamp, config: ForecastConfig) -> bool:
    """Fewer units at the cut-off than the model needs to learn anything (``config.min_units``)."""
    months = pd.to_datetime(panel["month"])
    return int(panel.loc[months == pd.Timestamp(cutoff), "unit_id"].nunique()) < config.min_units


def benchmark_forecast(
    panel: pd.DataFrame, cutoff: pd.Timestamp, horizon: int, *, level: str, origins: int = 1, target: str = TARGET
) -> pd.DataFrame:
    """The conflictology benchmark in ``forecast``'s shape (with ``p25``, ``origin`` and ``weight`` 0): what is
    served where the model cannot learn."""
    series = panel[["unit_id", "month", target]].rename(columns={target: "y"})
    series = series.assign(month=pd.to_datetime(series["month"]))
    level = level or (str(panel["level"].iloc[0]) if "level" in panel.columns else "")
    frames = []
    for k in range(origins):
        start = cutoff - pd.DateOffset(months=k)
        bench = _conflictology(series, start, horizon, level)
        if origins > 1:
            bench["origin"] = start.strftime("%Y-%m")
        frames.append(bench)
    out = pd.concat(frames, ignore_index=True)
    out["p25"] = exceedance_from_quantiles(out[list(QUANTILE_COLUMNS)].to_numpy(dtype=float), QUANTILE_LEVELS, 25)
    out["weight"] = 0.0
    order = ["origin", "unit_id", "step"] if origins > 1 else ["unit_id", "step"]
    return out.sort_values(order).reset_index(drop=True)


def blend(model: pd.DataFrame, bench: pd.DataFrame, weights: dict[int, float], keys: list[str] = KEYS) -> pd.DataFrame:
    """Quantiles, mean and ``p25`` of ``w * model + (1 - w) * bench`` row by row, ``w`` by step."""
    columns = [*QUANTILE_COLUMNS, "mean"]
    joined = model.merge(bench[[*keys, *columns]], on=keys, how="left", suffixes=("", "_bench"), validate="1:1")
    w = joined["step"].map(weights).fillna(1.0).to_numpy()
    for column in columns:
        other = joined[f"{column}_bench"].to_numpy(dtype=float)
        mine = joined[column].to_numpy(dtype=float)
        joined[column] = np.where(np.isnan(other), mine, w * mine + (1 - w) * np.nan_to_num(other))
    bench_q = joined[[f"{c}_bench" for c in QUANTILE_COLUMNS]].to_numpy(dtype=float)
    known = ~np.isnan(bench_q).any(axis=1)
    bench_p25 = np.zeros(len(joined))
    bench_p25[known] = exceedance_from_quantiles(bench_q[known], QUANTILE_LEVELS, 25)
    joined["p25"] = np.where(known, w * joined["p25"].to_numpy() + (1 - w) * bench_p25, joined["p25"])
    joined["weight"] = np.where(known, w, 1.0)
    return joined.drop(columns=[f"{c}_bench" for c in columns])


def step_weights(result: pd.DataFrame) -> dict[str, float]:
    """The model's share per step of a blended forecast, as stored with a run (JSON keys are text). A unit
    without a benchmark keeps the model alone, so a step's weight is the smallest share used in it."""
    shares = result.groupby("step")["weight"].min().dropna()
    return {str(int(step)): float(w) for step, w in shares.items()}


def choose_weights(model: pd.DataFrame, bench: pd.DataFrame, observed: pd.DataFrame) -> dict[int, float]:
    """Per step, the model's share in ``WEIGHTS`` with the lowest quantile CRPS on the observed months."""
    rows = model.merge(bench, on=KEYS, suffixes=("", "_bench")).merge(observed, on=["unit_id", "month"])
    chosen = {}
    for step, group in rows.groupby("step"):
        y = group["y"].to_numpy(dtype=float)
        mine = group[list(QUANTILE_COLUMNS)].to_numpy(dtype=float)
        other = group[[f"{c}_bench" for c in QUANTILE_COLUMNS]].to_numpy(dtype=float)
        scores = [crps_quantiles(y, w * mine + (1 - w) * other, QUANTILE_LEVELS) for w in WEIGHTS]
        chosen[int(step)] = float(WEIGHTS[int(np.argmin(scores))])  # ties: the smaller share (argmin's first)
    return chosen


def _validation_weights(
    panel: pd.DataFrame,
    series: pd.DataFrame,
    cutoff: pd.Timestamp,
    config: ForecastConfig,
    level: str | None,
    on_step: Callable[[int], None] | None,
    scorer: Scorer | None = None,
) -> dict[int, float]:
    horizon = config.horizon
    validation = cutoff - pd.DateOffset(months=horizon)
    months = series["month"]
    if months.min() > validation - pd.DateOffset(months=24):  # too short a history to train and validate
        if on_step is not None:
            on_step(horizon)
        return dict.fromkeys(range(1, horizon + 1), 1.0)
    known = panel[pd.to_datetime(panel["month"]) <= cutoff]  # the validation year is inside the known past
    model = forecast(known, validation, config, level=level, on_step=on_step, scorer=scorer)
    bench = _conflictology(series, validation, horizon, str(model["level"].iloc[0]))
    later = series[(months > validation) & (months <= cutoff)]
    observed = later.assign(month=later["month"].dt.strftime("%Y-%m"))
    return choose_weights(model, bench, observed)


def _conflictology(series: pd.DataFrame, start: pd.Timestamp, horizon: int, level: str) -> pd.DataFrame:
    """Conflictology from ``start`` for the units present in that month (a file that ended earlier is not)."""
    present = series.loc[series["month"] == start, "unit_id"].unique()
    upto = series[series["unit_id"].isin(present) & (series["month"] <= start)]
    return conflictology_benchmark(upto, start, horizon, level=level)
