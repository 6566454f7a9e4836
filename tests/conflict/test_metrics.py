"""Scores by hand, against ViEWS' own metric code (views-evaluation) and against scoringrules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scoringrules as sr
from views_evaluation import METRIC_CATALOG, PROFILES, EvaluationFrame, NativeEvaluator

from peaceops.conflict import metrics
from peaceops.conflict.metrics import (
    BY_UNIT,
    QUANTILE_COLUMNS,
    QUANTILE_LEVELS,
    VIEWS_BINS,
    binned_log_score,
    brier,
    coverage,
    crps_quantiles,
    crps_samples,
    exceedance_from_quantiles,
    exceedance_from_samples,
    interval_score,
    msle,
    score_table,
)
from peaceops.errors import ValidationFailed

STEPS = (1, 2, 3)


def fatalities(rng: np.random.Generator, size: int | tuple[int, int], scale: np.ndarray | float) -> np.ndarray:
    """Conflict-like counts: mostly zeros, a heavy lognormal tail, integers."""
    active = rng.random(size) < 0.35
    return np.where(active, np.floor(rng.lognormal(np.log1p(scale), 1.4, size)), 0.0)


@pytest.fixture(scope="module")
def forecasts() -> tuple[np.ndarray, np.ndarray]:
    """600 rows (3 steps x 200 units) of observations and 250-sample forecasts, seeded."""
    rng = np.random.default_rng(20240601)
    n = 200 * len(STEPS)
    scale = rng.gamma(0.6, 20.0, n)
    y = np.minimum(fatalities(rng, n, scale), 1000.0)  # ViEWS' bins end at 1000.5 and reject beyond
    samples = fatalities(rng, (n, 250), scale[:, None])
    samples[:40] = 0.0  # units with no risk at all
    samples[40:45, :10] = 5000.0  # a few samples past the last bin
    assert (y == 0).mean() > 0.5 and samples.max() > 1000
    return y, samples


def test_public_names_are_pinned() -> None:
    assert set(metrics.__all__) == {
        "BY_STEP",
        "BY_UNIT",
        "FORECAST_COLUMNS",
        "QUANTILE_COLUMNS",
        "QUANTILE_LEVELS",
        "VIEWS_BINS",
        "binned_log_score",
        "brier",
        "coverage",
        "crps_quantiles",
        "crps_samples",
        "exceedance_from_quantiles",
        "exceedance_from_samples",
        "interval_score",
        "msle",
        "score_table",
    }


# --- by hand -------------------------------------------------------------------------------------


def test_crps_of_a_point_mass_is_the_absolute_error() -> None:
    y = np.array([0.0, 3.0, 10.0])
    x = np.array([[2.0, 2.0, 2.0], [3.0, 3.0, 3.0], [0.0, 0.0, 0.0]])
    assert crps_samples(y, x) == pytest.approx(np.mean([2.0, 0.0, 10.0]))
    assert crps_samples(y, x[:, :1]) == pytest.approx(4.0)


def test_crps_of_two_samples_by_hand() -> None:
    # mean |x - y| = (1 + 1) / 2 = 1; spread 1/(2*4) * (2 * 2) = 0.5; fair: 1/(2*2) * 4 = 1.
    assert crps_samples([1.0], [[0.0, 2.0]]) == pytest.approx(0.5)
    assert crps_samples([1.0], [[0.0, 2.0]], fair=True) == pytest.approx(0.0)


def test_crps_quantiles_is_twice_the_mean_pinball_loss() -> None:
    # y = 10, quantiles 4 (0.25) and 20 (0.75): pinball 0.25 * 6 = 1.5 and 0.25 * 10 = 2.5.
    assert crps_quantiles([10.0], [[4.0, 20.0]], [0.25, 0.75]) == pytest.approx(2 * (1.5 + 2.5) / 2)


def test_crps_quantiles_of_a_point_mass_is_the_mean_of_the_levels_times_twice_the_error() -> None:
    # All quantiles at 0, y = 8: pinball tau * 8 per level; 2 * mean(tau) * 8 = 8 for symmetric levels.
    assert crps_quantiles([8.0], [[0.0] * 7]) == pytest.approx(8.0)


def test_interval_score_charges_two_over_alpha_per_unit_outside() -> None:
    y = np.array([5.0, 0.0, 30.0])
    lower = np.array([0.0, 2.0, 10.0])
    upper = np.array([10.0, 10.0, 20.0])
    inside, below, above = 10.0, 8.0 + 20 * 2.0, 10.0 + 20 * 10.0
    assert interval_score(y, lower, upper, alpha=0.1) == pytest.approx((inside + below + above) / 3)
    assert interval_score([0.0], [2.0], [10.0], alpha=0.5) == pytest.approx(8.0 + 4 * 2.0)


def test_coverage_counts_closed_intervals() -> None:
    y = np.array([0.0, 10.0, 11.0, 5.0])
    assert coverage(y, np.zeros(4), np.full(4, 10.0)) == pytest.approx(3 / 4)


def test_brier_with_certain_probabilities_counts_misses() -> None:
    y = np.array([0.0, 25.0, 24.0, 100.0])
    prob = np.array([0.0, 1.0, 1.0, 0.0])  # right, right (25 is an event), wrong, wrong
    assert brier(y, prob) == pytest.approx(2 / 4)
    assert brier(y, prob, threshold=24) == pytest.approx(1 / 4)


def test_msle_uses_log1p() -> None:
    assert msle([0.0, np.e - 1], [np.e - 1, np.e - 1]) == pytest.approx(0.5)


def test_binned_log_score_by_hand() -> None:
    # Four samples in bin [0, 0.5); y = 0 has (4 + 1) / (4 + 10) of the smoothed mass; y = 3 has 1/14.
    samples = np.zeros((2, 4))
    got = binned_log_score([0.0, 3.0], samples)
    assert got == pytest.approx(np.mean([-np.log2(5 / 14), -np.log2(1 / 14)]))


def test_binned_log_score_rejects_an_observation_beyond_the_bins() -> None:
    with pytest.raises(ValueError, match="outside the bins"):
        binned_log_score([2000.0], np.zeros((1, 3)))


def test_exceedance_from_quantiles_interpolates_the_cdf() -> None:
    q = np.array(
        [
            [0, 0, 0, 10, 20, 30, 40],  # 25 halfway between q75=20 and q90=30: F = 0.825
            [0, 0, 0, 0, 0, 0, 0],  # all mass at 0
            [25, 25, 25, 25, 25, 25, 25],  # all mass at 25: the event is certain
            [0, 0, 0, 0, 0, 0, 24],  # above q95: no mass left
            [0, 0, 0, 0, 25, 25, 25],  # jump at 25 from 0.50: left limit of F is between 0.5 and 0.75
        ],
        dtype=float,
    )
    got = exceedance_from_quantiles(q, QUANTILE_LEVELS, 25)
    # Last row: F runs linearly from (0, 0.5) to (25, 0.75), then jumps to 1; F(25-) = 0.75.
    assert got == pytest.approx([1 - 0.825, 0.0, 1.0, 0.0, 0.25])


def test_exceedance_from_samples_counts_at_or_above() -> None:
    assert exceedance_from_samples([[0, 24, 25, 100]], 25) == pytest.approx([0.5])


@pytest.mark.parametrize(
    ("func", "args"),
    [
        (crps_samples, ([1.0, 2.0], [[1.0, 2.0]])),
        (msle, ([1.0], [-2.0])),
        (interval_score, ([1.0], [3.0], [2.0])),
        (brier, ([1.0], [1.5])),
        (crps_quantiles, ([1.0], [[1.0, 2.0]], [0.5, 0.4])),
    ],
)
def test_bad_inputs_raise(func, args) -> None:
    with pytest.raises(ValueError):
        func(*args)


# --- against views-evaluation ---------------------------------------------------------------------


def views(name: str, y: np.ndarray, pred: np.ndarray, **params: object) -> float:
    spec = METRIC_CATALOG[name]
    resolved = {**PROFILES["base"].get(name, {}), **params}
    return float(spec.function(y, pred, **resolved))


def test_crps_samples_equals_views(forecasts) -> None:
    y, samples = forecasts
    assert crps_samples(y, samples) == pytest.approx(views("CRPS", y, samples), rel=1e-12, abs=1e-9)


def test_msle_equals_views_on_points(forecasts) -> None:
    y, samples = forecasts
    point = samples.mean(axis=1)
    assert msle(y, point) == pytest.approx(views("MSLE", y, point[:, None]), rel=1e-12, abs=1e-9)


def test_interval_score_and_coverage_equal_views_at_alpha_0_1(forecasts) -> None:
    y, samples = forecasts
    lower, upper = np.quantile(samples, 0.05, axis=1), np.quantile(samples, 0.95, axis=1)
    assert interval_score(y, lower, upper, 0.1) == pytest.approx(views("MIS", y, samples, alpha=0.1), abs=1e-9)
    assert coverage(y, lower, upper) == pytest.approx(views("Coverage", y, samples, alpha=0.1), abs=1e-12)


def test_brier_at_25_equals_views_at_24_for_counts(forecasts) -> None:
    """ViEWS' event is y > t, ours y >= t; for integer counts ours at 25 is ViEWS' at 24."""
    y, samples = forecasts
    prob = exceedance_from_samples(samples, 25)
    assert brier(y, prob, 25) == pytest.approx(views("Brier_rgs_sample", y, samples, threshold=24), abs=1e-12)
    assert brier(y, prob, 25) == pytest.approx(views("Brier_cls_point", y, prob[:, None], threshold=24), abs=1e-12)
    assert brier(y, prob, 25) != pytest.approx(views("Brier_rgs_sample", y, samples, threshold=25), abs=1e-6)


def test_binned_log_score_equals_views_ignorance(forecasts) -> None:
    y, samples = forecasts
    assert binned_log_score(y, samples) == pytest.approx(views("Ignorance", y, samples), rel=1e-12)
    assert list(VIEWS_BINS) == PROFILES["base"]["Ignorance"]["bins"]


def test_scores_equal_the_views_native_evaluator_per_step(forecasts) -> None:
    """Through ViEWS' public API, per step, as its pipeline calls it."""
    y, samples = forecasts
    n = len(y)
    step = np.repeat(np.array(STEPS), n // len(STEPS))
    ids = {"time": 500 + step, "unit": np.tile(np.arange(n // len(STEPS)), len(STEPS)), "origin": np.zeros(n, int)}
    config = {
        "steps": list(STEPS),
        "regression_targets": ["ged_sb"],
        "regression_sample_metrics": ["CRPS", "MIS", "Coverage", "Ignorance", "Brier_rgs_sample"],
        "regression_point_metrics": ["MSLE"],
        "metric_hyperparameters": {"MIS": {"alpha": 0.1}, "Brier_rgs_sample": {"threshold": 24}},
    }
    evaluator = NativeEvaluator(config)
    frame = EvaluationFrame(y, samples, {**ids, "step": step}, {"target": "ged_sb"})
    sample_report = evaluator.evaluate(frame).get_schema_results("step")
    point = np.median(samples, axis=1)
    point_frame = EvaluationFrame(y, point[:, None], {**ids, "step": step}, {"target": "ged_sb"})
    point_report = evaluator.evaluate(point_frame).get_schema_results("step")
    for s in STEPS:
        rows = step == s
        theirs = sample_report[f"step{s:02d}"]
        ys, xs = y[rows], samples[rows]
        lo, hi = np.quantile(xs, 0.05, axis=1), np.quantile(xs, 0.95, axis=1)
        assert crps_samples(ys, xs) == pytest.approx(theirs.CRPS, abs=1e-9)
        assert interval_score(ys, lo, hi) == pytest.approx(theirs.MIS, abs=1e-9)
        assert coverage(ys, lo, hi) == pytest.approx(theirs.Coverage, abs=1e-12)
        assert binned_log_score(ys, xs) == pytest.approx(theirs.Ignorance, abs=1e-9)
        assert brier(ys, exceedance_from_samples(xs)) == pytest.approx(theirs.Brier_rgs_sample, abs=1e-12)
        assert msle(ys, point[rows]) == pytest.approx(point_report[f"step{s:02d}"].MSLE, abs=1e-9)


# --- against scoringrules and between our two CRPS ------------------------------------------------


def test_crps_samples_equals_scoringrules_nrg_and_fair(forecasts) -> None:
    y, samples = forecasts
    nrg = sr.crps_ensemble(y, samples, estimator="nrg", backend="numpy")
    fair = sr.crps_ensemble(y, samples, estimator="fair", backend="numpy")
    assert crps_samples(y, samples) == pytest.approx(float(np.mean(nrg)), rel=1e-10)
    assert crps_samples(y, samples, fair=True) == pytest.approx(float(np.mean(fair)), rel=1e-10)


def test_crps_quantiles_equals_scoringrules_crps_quantile(forecasts) -> None:
    y, samples = forecasts
    q = np.quantile(samples, QUANTILE_LEVELS, axis=1).T
    theirs = sr.crps_quantile(y, q, np.array(QUANTILE_LEVELS), backend="numpy")
    assert crps_quantiles(y, q) == pytest.approx(float(np.mean(theirs)), rel=1e-10)


def test_crps_quantiles_approaches_crps_samples_as_levels_fill_in(forecasts) -> None:
    y, samples = forecasts
    m = samples.shape[1]
    target = crps_samples(y, samples)
    for k, tolerance in ((99, 1e-2), (999, 1e-3)):
        levels = (np.arange(k) + 0.5) / k
        q = np.quantile(samples, levels, axis=1, method="inverted_cdf").T
        assert crps_quantiles(y, q, levels) == pytest.approx(target, rel=tolerance)
    # The seven contract levels leave the 5% tails unscored, so they score lower than the full CRPS.
    contract = np.quantile(samples, QUANTILE_LEVELS, axis=1, method="inverted_cdf").T
    assert crps_quantiles(y, contract) < target
    # Midpoints of m equal cells on the empirical quantile function integrate it exactly.
    levels = (np.arange(2 * m) + 0.5) / (2 * m)
    q = np.quantile(samples, levels, axis=1, method="inverted_cdf").T
    assert crps_quantiles(y, q, levels) == pytest.approx(target, rel=1e-10)


# --- the table ------------------------------------------------------------------------------------


def long_frame(y: np.ndarray, samples: np.ndarray) -> pd.DataFrame:
    n = len(y)
    q = np.quantile(samples, QUANTILE_LEVELS, axis=1).T
    frame = pd.DataFrame(q, columns=list(QUANTILE_COLUMNS))
    frame["mean"] = samples.mean(axis=1)
    frame["y"] = y
    frame["step"] = np.repeat(np.array(STEPS), n // len(STEPS))
    frame["unit_id"] = np.tile(np.arange(n // len(STEPS)), len(STEPS))
    frame["month"] = frame["step"].map({1: "2024-01", 2: "2024-02", 3: "2024-03"})
    frame["level"] = "cm"
    frame["model"] = "peaceops"
    return frame


def test_score_table_per_step_matches_the_functions(forecasts) -> None:
    y, samples = forecasts
    frame = pd.concat([long_frame(y, samples), long_frame(y, np.zeros_like(samples)).assign(model="zero")])
    table = score_table(frame)
    assert list(table.columns) == [
        "model",
        "level",
        "step",
        "n",
        "crps",
        "msle",
        "msle_q50",
        "interval_score",
        "coverage_90",
        "brier_25",
    ]
    assert len(table) == 2 * len(STEPS)
    row = table[(table["model"] == "peaceops") & (table["step"] == 2)].iloc[0]
    part = frame[(frame["model"] == "peaceops") & (frame["step"] == 2)]
    q = part[list(QUANTILE_COLUMNS)].to_numpy()
    assert row["n"] == len(part) == 200
    assert row["crps"] == pytest.approx(crps_quantiles(part["y"], q))
    assert row["msle"] == pytest.approx(msle(part["y"], part["mean"]))
    assert row["msle_q50"] == pytest.approx(msle(part["y"], part["q50"]))
    assert row["interval_score"] == pytest.approx(interval_score(part["y"], part["q05"], part["q95"], 0.1))
    assert row["coverage_90"] == pytest.approx(coverage(part["y"], part["q05"], part["q95"]))
    assert row["brier_25"] == pytest.approx(brier(part["y"], exceedance_from_quantiles(q), 25))
    # The all-zero forecast: CRPS from symmetric levels is mean(y), coverage the share of zero months.
    zero = table[table["model"] == "zero"].set_index("step")
    by_step = frame[frame["model"] == "zero"].groupby("step")["y"]
    assert zero["crps"].to_numpy() == pytest.approx(by_step.mean().to_numpy())
    assert zero["coverage_90"].to_numpy() == pytest.approx(by_step.apply(lambda v: (v == 0).mean()).to_numpy())


def test_score_table_per_unit_has_one_row_per_unit(forecasts) -> None:
    y, samples = forecasts
    table = score_table(long_frame(y, samples), by=BY_UNIT)
    assert len(table) == 200 and (table["n"] == len(STEPS)).all()
    assert table["crps"].mean() == pytest.approx(crps_quantiles(y, np.quantile(samples, QUANTILE_LEVELS, axis=1).T))


def test_score_table_names_missing_columns_and_values(forecasts) -> None:
    y, samples = forecasts
    frame = long_frame(y, samples)
    with pytest.raises(ValidationFailed, match="q95"):
        score_table(frame.drop(columns="q95"))
    frame.loc[3, "y"] = np.nan
    with pytest.raises(ValidationFailed, match="missing"):
        score_table(frame)
