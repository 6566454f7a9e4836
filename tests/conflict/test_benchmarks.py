"""The three ViEWS benchmarks on a small panel built here: values, calendar, and no peeking past the cut-off."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peaceops.conflict import benchmarks
from peaceops.conflict.benchmarks import (
    BENCHMARKS,
    conflictology_benchmark,
    conflictology_samples,
    last_value_benchmark,
    zero_benchmark,
)
from peaceops.conflict.metrics import FORECAST_COLUMNS, QUANTILE_COLUMNS, QUANTILE_LEVELS, score_table
from peaceops.errors import ValidationFailed

CUTOFF = "2023-12"
HORIZON = 6


@pytest.fixture
def panel() -> pd.DataFrame:
    """Units 10 and 20 from 2022-01, unit 30 (all zeros) from 2023-08, all to 2024-12; zeros filled."""
    rng = np.random.default_rng(7)
    parts = []
    for unit, start in ((10, "2022-01"), (20, "2022-01"), (30, "2023-08")):
        months = pd.date_range(start, "2024-12", freq="MS")
        y = np.where(rng.random(len(months)) < 0.5, rng.integers(1, 300, len(months)), 0).astype(float)
        parts.append(pd.DataFrame({"unit_id": unit, "month": months, "y": 0.0 if unit == 30 else y}))
    return pd.concat(parts, ignore_index=True)


def y_of(panel: pd.DataFrame, unit: int, first: str, last: str) -> np.ndarray:
    rows = (panel["unit_id"] == unit) & (panel["month"] >= first) & (panel["month"] <= last)
    return panel.loc[rows, "y"].to_numpy()


def test_public_names_are_pinned() -> None:
    assert set(benchmarks.__all__) == {
        "BENCHMARKS",
        "conflictology_benchmark",
        "conflictology_samples",
        "last_value_benchmark",
        "zero_benchmark",
    }
    assert set(BENCHMARKS) == {"zero", "last_value", "conflictology"}


@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_every_benchmark_follows_the_forecast_contract(panel, name) -> None:
    frame = BENCHMARKS[name](panel, CUTOFF, HORIZON, level="cm")
    assert list(frame.columns) == list(FORECAST_COLUMNS)
    assert len(frame) == 3 * HORIZON
    assert (frame["level"] == "cm").all()
    assert frame.groupby("unit_id")["step"].apply(list).to_dict() == {u: [1, 2, 3, 4, 5, 6] for u in (10, 20, 30)}
    assert frame.loc[frame["unit_id"] == 20, "month"].tolist() == [f"2024-{m:02d}" for m in range(1, 7)]
    q = frame[list(QUANTILE_COLUMNS)].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()


def test_step_one_is_the_month_after_the_cutoff_across_a_year_end(panel) -> None:
    frame = zero_benchmark(panel, pd.Timestamp("2023-11-01"), 3, level="pgm")
    assert frame.loc[frame["unit_id"] == 10, ["step", "month"]].values.tolist() == [
        [1, "2023-12"],
        [2, "2024-01"],
        [3, "2024-02"],
    ]


def test_zero_benchmark_is_all_zeros(panel) -> None:
    frame = zero_benchmark(panel, CUTOFF, HORIZON, level="cm")
    assert (frame[[*QUANTILE_COLUMNS, "mean"]].to_numpy() == 0).all()


def test_last_value_repeats_the_cutoff_month(panel) -> None:
    frame = last_value_benchmark(panel, CUTOFF, HORIZON, level="cm")
    for unit in (10, 20, 30):
        (value,) = y_of(panel, unit, "2023-12-01", "2023-12-01")
        assert (frame.loc[frame["unit_id"] == unit, [*QUANTILE_COLUMNS, "mean"]].to_numpy() == value).all()
    assert frame["mean"].nunique() > 1  # the panel is not degenerate


def test_conflictology_quantiles_are_the_quantiles_of_the_last_12_months(panel) -> None:
    frame = conflictology_benchmark(panel, CUTOFF, HORIZON, level="cm")
    for unit in (10, 20):
        pool = y_of(panel, unit, "2023-01-01", "2023-12-01")
        assert len(pool) == 12
        rows = frame[frame["unit_id"] == unit]
        for step in range(1, HORIZON + 1):
            row = rows[rows["step"] == step].iloc[0]
            assert row[list(QUANTILE_COLUMNS)].to_numpy(float) == pytest.approx(np.quantile(pool, QUANTILE_LEVELS))
            assert row["mean"] == pytest.approx(pool.mean())


def test_conflictology_uses_a_shorter_history_when_that_is_all_there_is(panel) -> None:
    panel.loc[(panel["unit_id"] == 30) & (panel["month"] == "2023-09-01"), "y"] = 50.0
    frame = conflictology_benchmark(panel, CUTOFF, HORIZON, level="cm")
    row = frame[frame["unit_id"] == 30].iloc[0]
    assert row["mean"] == pytest.approx(50.0 / 5)  # Aug..Dec 2023


def test_conflictology_window_is_a_parameter(panel) -> None:
    frame = conflictology_benchmark(panel, CUTOFF, 1, level="cm", window=3)
    pool = y_of(panel, 10, "2023-10-01", "2023-12-01")
    assert frame.loc[frame["unit_id"] == 10, "q50"].iloc[0] == pytest.approx(np.median(pool))


def test_conflictology_samples_are_drawn_from_the_pool_reproducibly(panel) -> None:
    frame, draws = conflictology_samples(panel, CUTOFF, HORIZON, level="cm", n_samples=500, seed=3)
    assert draws.shape == (len(frame), 500)
    pool = set(y_of(panel, 10, "2023-01-01", "2023-12-01"))
    assert set(draws[(frame["unit_id"] == 10).to_numpy()].ravel()) <= pool
    again = conflictology_samples(panel, CUTOFF, HORIZON, level="cm", n_samples=500, seed=3)[1]
    other = conflictology_samples(panel, CUTOFF, HORIZON, level="cm", n_samples=500, seed=4)[1]
    assert np.array_equal(draws, again) and not np.array_equal(draws, other)
    assert draws[(frame["unit_id"] == 10).to_numpy()].mean() == pytest.approx(np.mean(list(pool)), rel=0.5)


def test_changing_values_after_the_cutoff_changes_nothing(panel) -> None:
    later = panel.copy()
    after = later["month"] > pd.Timestamp("2023-12-01")
    later.loc[after, "y"] = later.loc[after, "y"] * 100 + 7
    later = pd.concat([later, pd.DataFrame({"unit_id": [99], "month": [pd.Timestamp("2024-02-01")], "y": [5.0]})])
    for name, make in BENCHMARKS.items():
        before = make(panel, CUTOFF, HORIZON, level="cm")
        pd.testing.assert_frame_equal(before, make(later, CUTOFF, HORIZON, level="cm"), obj=name)
    a = conflictology_samples(panel, CUTOFF, HORIZON, level="cm")[1]
    b = conflictology_samples(later, CUTOFF, HORIZON, level="cm")[1]
    assert np.array_equal(a, b)
    # ... while a change inside the window does change the forecast.
    inside = panel.copy()
    inside.loc[(inside["unit_id"] == 10) & (inside["month"] == "2023-12-01"), "y"] += 1000
    assert not last_value_benchmark(inside, CUTOFF, HORIZON, level="cm").equals(
        last_value_benchmark(panel, CUTOFF, HORIZON, level="cm")
    )


def test_last_value_reports_a_unit_without_the_cutoff_month(panel) -> None:
    gappy = panel[~((panel["unit_id"] == 20) & (panel["month"] == "2023-12-01"))]
    with pytest.raises(ValidationFailed, match="cut-off month 2023-12"):
        last_value_benchmark(gappy, CUTOFF, HORIZON, level="cm")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.drop(columns="y"), "lacks the columns"),
        (lambda p: p[p["month"] > "2030-01-01"], "no months up to the cut-off"),
        (lambda p: p.assign(y=np.nan), "missing y"),
    ],
)
def test_bad_panels_are_reported(panel, change, message) -> None:
    with pytest.raises(ValidationFailed, match=message):
        zero_benchmark(change(panel), CUTOFF, HORIZON, level="cm")


def test_benchmarks_score_in_the_table(panel) -> None:
    """Benchmarks joined with what happened, scored like any model: last value is exact on a flat series."""
    flat = panel.assign(y=np.where(panel["unit_id"] == 30, 0.0, 40.0))
    actual = flat.assign(month=flat["month"].dt.strftime("%Y-%m"))[["unit_id", "month", "y"]]
    frames = [
        make(flat, CUTOFF, HORIZON, level="cm").assign(model=name).merge(actual, on=["unit_id", "month"])
        for name, make in BENCHMARKS.items()
    ]
    table = score_table(pd.concat(frames, ignore_index=True)).set_index(["model", "step"])
    assert (table.loc["last_value", "crps"] == 0).all()
    assert (table.loc["last_value", "coverage_90"] == 1).all()
    assert table.loc["zero", "crps"].to_numpy() == pytest.approx(np.full(HORIZON, 80 / 3))
    assert table.loc["zero", "brier_25"].to_numpy() == pytest.approx(np.full(HORIZON, 2 / 3))
