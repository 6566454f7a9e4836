"""Probabilistic forecasts of state-based fatalities: a hurdle model of gradient-boosted trees per step.

For each step h (months ahead) two LightGBM models are trained on the panel's features at month t:
a classifier for P(y[t+h] > 0) and a regressor for log1p(y[t+h]) on the months where it was positive.
The positive part's spread is the empirical distribution of the regressor's out-of-fold residuals (in
log space, per step), so the forecast for a unit is the mixture

    0 with probability 1 - p,   expm1(mu + e) with probability p,  e ~ residuals(h)

whose quantiles and mean are exact. Why this family: docs/decisions/004-forecast-model.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from peaceops.conflict.metrics import QUANTILE_COLUMNS
from peaceops.conflict.metrics import QUANTILE_LEVELS as QUANTILES
from peaceops.conflict.panels import REPORT_COLUMNS

MODEL_VERSION = "hurdle-lgbm-1"
ID_COLUMNS = ("level", "unit_id", "month", "month_id")
TARGET = "sb_best"  # state-based deaths; ViEWS' sb
VIOLENCE = {"sb": "sb_best", "ns": "ns_best", "os": "os_best"}  # state-based, non-state, one-sided (UCDP types 1-3)
RESIDUAL_GRID = 1000
FOLDS = 4
SEED = 20_180_925  # the A4P Declaration's date: any fixed number makes runs reproducible


@dataclass
class ForecastConfig:
    horizon: int = 12
    n_estimators: int = 150
    learning_rate: float = 0.05
    num_leaves: int = 15
    min_child_samples: int = 200
    threads: int = 2
    seed: int = SEED
    max_train_months: int | None = 240  # recent history only: conflicts change character
    blend: bool = False  # with conflictology, weights per step from the year before (conflict/blend.py, decision 029)
    # Fewer units at the cut-off than this and the model cannot learn (4 countries: 1.7x conflictology's CRPS in
    # the backtest): the conflictology benchmark is served instead, and pages say so (decision 033).
    min_units: int = 30
    target: str = TARGET  # a value of VIOLENCE: which type of violence's deaths are forecast
    extra: dict[str, Any] = field(default_factory=dict)

    def params(self, objective: str) -> dict[str, Any]:
        return {
            "objective": objective,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_child_samples,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "feature_fraction": 0.8,
            "seed": self.seed,
            "num_threads": self.threads,
            "deterministic": True,
            "force_row_wise": True,
            "verbosity": -1,
            **self.extra,
        }

    def train(self, objective: str, x: np.ndarray, y: np.ndarray) -> lgb.Booster:
        return lgb.train(self.params(objective), lgb.Dataset(x, y), num_boost_round=self.n_estimators)

    def fit_predict(self, objective: str, x: np.ndarray, y: np.ndarray, x_new: np.ndarray) -> np.ndarray:
        return np.asarray(self.train(objective, x, y).predict(x_new), dtype=float)


def feature_columns(panel: pd.DataFrame) -> list[str]:
    """Every numeric column but the identifiers and a mission's own reports: the panel decides what the
    model may see. Reports exist only for the months a mission has filed them, zero through the decades the
    model trains on, so as a feature they would only move the forecast where it has learned nothing."""
    return [
        c
        for c in panel.columns
        if c not in ID_COLUMNS and c not in REPORT_COLUMNS and pd.api.types.is_numeric_dtype(panel[c])
    ]


def _with_targets(panel: pd.DataFrame, horizon: int, target: str = TARGET) -> pd.DataFrame:
    """Adds y_h = ``target`` h months later for each unit (NaN where the future is not in the panel)."""
    frame = panel.sort_values(["unit_id", "month"]).reset_index(drop=True)
    grouped = frame.groupby("unit_id", sort=False)[target]
    targets = {f"y_{h}": grouped.shift(-h) for h in range(1, horizon + 1)}
    return pd.concat([frame, pd.DataFrame(targets)], axis=1)


@dataclass
class StepModel:
    """What one step's forecast needs at scoring time: the two boosters (None where the step fell back to the
    base rate and mean) and the grid of the positive part's out-of-fold residuals."""

    step: int
    classifier: lgb.Booster | None
    regressor: lgb.Booster | None
    base_p: float
    base_mu: float
    residual_grid: np.ndarray

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """P(y > 0) and the expected log1p(y) when positive, per row of ``x``."""
        if self.classifier is None or self.regressor is None:
            return np.full(len(x), self.base_p), np.full(len(x), self.base_mu)
        p = np.asarray(self.classifier.predict(x), dtype=float)
        return p, np.asarray(self.regressor.predict(x), dtype=float)


@dataclass
class ForecastModel:
    """Every step's trained models and the feature columns they read, in order: trained on one machine, then
    applied to feature rows anywhere (in this process, or on Spark's workers: ``conflict/scoring.py``).
    Picklable: LightGBM boosters pickle as their model text."""

    level: str
    features: list[str]
    steps: list[StepModel]


def training_data(
    panel: pd.DataFrame, cutoff: pd.Timestamp, config: ForecastConfig, origins: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The rows the models learn from (features at t, ``y_h`` at t + h, months up to ``cutoff`` only), the
    rows they forecast from (the ``origins`` months ending at the cut-off), and the feature columns."""
    cutoff = pd.Timestamp(cutoff).to_period("M").to_timestamp()
    known = panel[pd.to_datetime(panel["month"]) <= cutoff].copy()
    known["month"] = pd.to_datetime(known["month"])
    if known.empty:
        raise ValueError(f"The panel has no months up to the cut-off {cutoff:%Y-%m}.")
    features = feature_columns(known)
    data = _with_targets(known, config.horizon, config.target)
    if config.max_train_months:
        first = cutoff - pd.DateOffset(months=config.max_train_months)
        data = data[data["month"] > first]
    starts = [cutoff - pd.DateOffset(months=k) for k in range(origins)]
    return data, data[data["month"].isin(starts)], features


def fit(
    data: pd.DataFrame,
    features: Sequence[str],
    config: ForecastConfig,
    level: str,
    on_step: Callable[[int], None] | None = None,
) -> ForecastModel:
    """Train every step's hurdle on ``data`` (``training_data``'s first frame); ``on_step(1)`` after each."""
    steps = []
    for step in range(1, config.horizon + 1):
        train = data.dropna(subset=[f"y_{step}"])
        steps.append(_fit_step(train, features, f"y_{step}", config, step))
        if on_step is not None:
            on_step(1)
    return ForecastModel(level, list(features), steps)


def score_frame(model: ForecastModel, rows: pd.DataFrame, with_origin: bool = False) -> pd.DataFrame:
    """The forecast from each of ``rows`` (a unit at an origin month, with the model's features) for every
    step: level, unit_id, month (YYYY-MM), step, q05 ... q95, mean, p25 and, ``with_origin``, origin.

    Row by row and step by step, so any split of the rows (Spark's batches) gives the same values.
    """
    x = rows[model.features].to_numpy(dtype=float)
    origin = pd.to_datetime(pd.Series(rows["month"].to_numpy())).dt.to_period("M")
    out = []
    for step in model.steps:
        p, mu = step.predict(x)
        quantiles, mean = _mixture(p, mu, step.residual_grid, QUANTILES)
        frame = pd.DataFrame(quantiles, columns=list(QUANTILE_COLUMNS))
        frame.insert(0, "step", step.step)
        frame.insert(0, "month", (origin + step.step).dt.strftime("%Y-%m").to_numpy())
        frame.insert(0, "unit_id", rows["unit_id"].to_numpy())
        frame.insert(0, "level", model.level)
        frame["mean"] = mean
        frame["p25"] = _exceedance(p, mu, step.residual_grid, 25)
        if with_origin:
            frame["origin"] = origin.dt.strftime("%Y-%m").to_numpy()
        out.append(frame)
    return pd.concat(out, ignore_index=True)


Scorer = Callable[[ForecastModel, pd.DataFrame, bool], pd.DataFrame]


def forecast(
    panel: pd.DataFrame,
    cutoff: pd.Timestamp,
    config: ForecastConfig | None = None,
    *,
    level: str | None = None,
    origins: int = 1,
    on_step: Callable[[int], None] | None = None,
    scorer: Scorer | None = None,
) -> pd.DataFrame:
    """Forecast every unit for steps 1..horizon after ``cutoff``, training only on data up to it.

    Returns the forecast CSV contract (level, unit_id, month (YYYY-MM), step, q05 ... q95, mean) plus
    ``p25``, the exact probability of 25 or more deaths in that month. With ``origins`` > 1 the same
    models also forecast from the ``origins - 1`` months before the cut-off, tagged by an ``origin``
    column: how the unit looked a month ago to today's model, which is what "rising risk" compares.
    ``on_step(1)`` is called as each step's models are trained (a progress bar advances on it).
    ``scorer`` applies the trained models to the origin rows (``score_frame`` in this process by default;
    ``scoring.engine_scorer`` on the analytics engine).
    """
    config = config or ForecastConfig()
    data, latest, features = training_data(panel, cutoff, config, origins)
    if level is None:
        level = str(panel["level"].iloc[0]) if "level" in panel.columns else ""
    model = fit(data, features, config, level, on_step)
    out = (scorer or score_frame)(model, latest, origins > 1)
    order = ["origin", "unit_id", "step"] if origins > 1 else ["unit_id", "step"]
    return out.sort_values(order).reset_index(drop=True)


def _fit_step(
    train: pd.DataFrame, features: Sequence[str], target: str, config: ForecastConfig, step: int
) -> StepModel:
    x = train[list(features)].to_numpy(dtype=float)
    y = train[target].to_numpy(dtype=float)
    positive = y > 0
    if positive.sum() < 10 or (~positive).sum() < 10:
        # Too little contrast to learn a hurdle: fall back to the base rate and the observed positives.
        logs = np.log1p(y[positive]) if positive.any() else np.zeros(1)
        grid = _residual_grid(logs - logs.mean())
        return StepModel(step, None, None, float(positive.mean()), float(logs.mean()), grid)
    classifier = config.train("binary", x, positive.astype(float))

    xp, yp = x[positive], np.log1p(y[positive])
    # Residuals out of fold, folds made of whole units spread over every country (unit id modulo k):
    # the spread is then neither the in-sample one, which trees make far too narrow, nor that of
    # predicting one country from the others, which is far too wide.
    fold_of = train["unit_id"].to_numpy()[positive] % FOLDS
    if len(np.unique(fold_of)) < 2:
        # Too few units to hold any out (a country-month panel of one or two countries): blocks of
        # months instead, so the spread is still measured out of sample.
        fold_of = train["month"].dt.year.to_numpy()[positive] % FOLDS
    residuals = []
    for k in range(FOLDS):
        held = fold_of == k
        if held.any() and (~held).any():
            predicted = config.fit_predict("regression", xp[~held], yp[~held], xp[held])
            residuals.append(yp[held] - predicted)
    model = config.train("regression", xp, yp)
    if not residuals:  # one unit and one year of positives: in-sample residuals are all there is
        residuals.append(yp - model.predict(xp))
    return StepModel(step, classifier, model, 0.0, 0.0, _residual_grid(np.concatenate(residuals)))


def _residual_grid(residuals: np.ndarray) -> np.ndarray:
    # A fixed grid of residual quantiles keeps memory at units x 1,000 whatever the training size.
    return np.quantile(residuals, (np.arange(RESIDUAL_GRID) + 0.5) / RESIDUAL_GRID)


def exceedance(p: np.ndarray, mu: np.ndarray, residuals: np.ndarray, threshold: float) -> np.ndarray:
    """P(y >= threshold) under the hurdle mixture, per unit: what early-warning thresholds are set on."""
    return _exceedance(p, mu, _residual_grid(residuals), threshold)


def mixture_quantiles(
    p: np.ndarray, mu: np.ndarray, residuals: np.ndarray, levels: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """Exact quantiles and mean of the hurdle mixture, per unit (rows) and level (columns)."""
    return _mixture(p, mu, _residual_grid(residuals), levels)


def _exceedance(p: np.ndarray, mu: np.ndarray, eps: np.ndarray, threshold: float) -> np.ndarray:
    above = (mu[:, None] + eps[None, :]) >= np.log1p(threshold)
    return np.clip(p, 0.0, 1.0) * above.mean(axis=1)


def _mixture(p: np.ndarray, mu: np.ndarray, eps: np.ndarray, levels: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    p = np.clip(p, 0.0, 1.0)
    out = np.zeros((len(p), len(levels)))
    for j, q in enumerate(levels):
        inner = (q - (1.0 - p)) / np.where(p > 0, p, 1.0)
        positive = q > (1.0 - p)
        e = np.quantile(eps, np.clip(inner, 0.0, 1.0))
        out[:, j] = np.where(positive, np.maximum(np.expm1(mu + e), 0.0), 0.0)
    mean = p * np.expm1(mu[:, None] + eps[None, :]).clip(min=0).mean(axis=1)
    return out, mean
