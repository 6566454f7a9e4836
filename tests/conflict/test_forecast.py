"""The hurdle forecaster on a synthetic panel whose truth we know."""

import numpy as np
import pandas as pd
import pytest

from peaceops.conflict.forecast import QUANTILE_COLUMNS, ForecastConfig, exceedance, forecast, mixture_quantiles
from peaceops.conflict.forecast import QUANTILES as QUANTILE_LEVELS


def synthetic_panel(seed: int = 1, units: int = 40, months: int = 72) -> pd.DataFrame:
    """Half the units are at war (many deaths every month), half at peace (almost never any)."""
    rng = np.random.default_rng(seed)
    rows = []
    calendar = pd.date_range("2015-01-01", periods=months, freq="MS")
    for unit in range(units):
        war = unit % 2 == 0
        y = rng.poisson(40, months) * (rng.random(months) < 0.9) if war else (rng.random(months) < 0.03) * 3
        for i, month in enumerate(calendar):
            rows.append(
                {
                    "level": "cm",
                    "unit_id": unit,
                    "month": month,
                    "sb_best": float(y[i]),
                    "sb_best_lag1": float(y[i - 1]) if i else 0.0,
                    "sb_best_roll12": float(y[max(0, i - 11) : i + 1].sum()),
                }
            )
    return pd.DataFrame(rows)


def test_mixture_quantiles_are_exact_for_a_known_mixture():
    p = np.array([0.0, 1.0, 0.5])
    mu = np.log1p(np.array([10.0, 10.0, 10.0]))
    q, mean = mixture_quantiles(p, mu, np.zeros(5), [0.25, 0.5, 0.75])
    assert q[0].tolist() == [0, 0, 0] and mean[0] == 0
    assert q[1] == pytest.approx([10, 10, 10]) and mean[1] == pytest.approx(10)
    assert q[2] == pytest.approx([0, 0, 10]) and mean[2] == pytest.approx(5)


def test_forecast_separates_war_from_peace_and_respects_the_contract():
    panel = synthetic_panel()
    ticks: list[int] = []
    out = forecast(panel, pd.Timestamp("2019-12-01"), ForecastConfig(horizon=3, n_estimators=40), on_step=ticks.append)
    assert ticks == [1, 1, 1], "a progress bar advances once per trained step"
    assert list(out.columns) == ["level", "unit_id", "month", "step", *QUANTILE_COLUMNS, "mean", "p25"]
    assert len(out) == 40 * 3
    assert sorted(out["month"].unique()) == ["2020-01", "2020-02", "2020-03"]
    q = out[list(QUANTILE_COLUMNS)].to_numpy()
    assert (np.diff(q, axis=1) >= -1e-9).all(), "quantiles must not cross"
    war = out[out.unit_id % 2 == 0]
    peace = out[out.unit_id % 2 == 1]
    assert war["q50"].median() > 20 and peace["q50"].max() == 0
    assert war["mean"].mean() == pytest.approx(36, rel=0.3)


def test_exceedance_is_exact_for_a_known_mixture():
    p = np.array([0.0, 1.0, 0.5, 1.0])
    mu = np.log1p(np.array([100.0, 100.0, 100.0, 5.0]))
    assert exceedance(p, mu, np.zeros(5), 25) == pytest.approx([0.0, 1.0, 0.5, 0.0])
    # half the residuals take 100 deaths below 25 (log1p(100) - 3 < log1p(25)), half keep it above
    residuals = np.array([-3.0] * 50 + [3.0] * 50)
    assert exceedance(np.ones(1), mu[:1], residuals, 25) == pytest.approx([0.5], abs=0.02)


def test_p25_agrees_with_the_quantiles_and_earlier_origins_use_the_same_models():
    panel = synthetic_panel()
    cutoff = pd.Timestamp("2019-12-01")
    config = ForecastConfig(horizon=2, n_estimators=30)
    both = forecast(panel, cutoff, config, origins=2)
    assert sorted(both["origin"].unique()) == ["2019-11", "2019-12"]
    latest = both[both["origin"] == "2019-12"].drop(columns="origin").reset_index(drop=True)
    pd.testing.assert_frame_equal(latest, forecast(panel, cutoff, config))
    earlier = both[both["origin"] == "2019-11"]
    assert sorted(earlier["month"].unique()) == ["2019-12", "2020-01"]
    # P(y >= 25) and the quantiles describe one distribution: q_tau above 25 means p25 >= 1 - tau, below it
    # means p25 <= 1 - tau (up to the residual grid's resolution)
    checked = 0
    for column, tau in zip(QUANTILE_COLUMNS, QUANTILE_LEVELS, strict=True):
        above, below = latest[latest[column] >= 26], latest[latest[column] <= 24]
        assert (above["p25"] >= 1 - tau - 0.01).all() and (below["p25"] <= 1 - tau + 0.01).all()
        checked += len(above) + len(below)
    assert checked > len(latest)
    war, peace = latest[latest.unit_id % 2 == 0], latest[latest.unit_id % 2 == 1]
    assert war["p25"].min() > peace["p25"].max()


def test_forecast_never_sees_months_after_the_cutoff():
    panel = synthetic_panel()
    cutoff = pd.Timestamp("2018-06-01")
    changed = panel.copy()
    changed.loc[changed["month"] > cutoff, ["sb_best", "sb_best_lag1", "sb_best_roll12"]] = 9999.0
    config = ForecastConfig(horizon=2, n_estimators=30)
    pd.testing.assert_frame_equal(forecast(panel, cutoff, config), forecast(changed, cutoff, config))


def test_same_inputs_give_the_same_forecast():
    panel = synthetic_panel(seed=7)
    config = ForecastConfig(horizon=2, n_estimators=30)
    cutoff = pd.Timestamp("2019-06-01")
    pd.testing.assert_frame_equal(
        forecast(panel, cutoff, config), forecast(panel.sample(frac=1, random_state=3), cutoff, config)
    )


def test_non_state_violence_is_forecast_from_its_own_deaths():
    """A panel whose war units fight only non-state wars: the ns forecast sees the wars, the sb one peace."""
    panel = synthetic_panel()
    panel["ns_best"] = panel["sb_best"]
    panel["sb_best"] = 0.0
    panel = panel.rename(columns={"sb_best_lag1": "ns_best_lag1", "sb_best_roll12": "ns_best_roll12"})
    cutoff = pd.Timestamp("2019-06-01")
    config = ForecastConfig(horizon=2, n_estimators=30, target="ns_best")
    ns = forecast(panel, cutoff, config)
    war = ns[ns["unit_id"] % 2 == 0]
    assert (war["q50"] > 10).all() and (ns.loc[ns["unit_id"] % 2 == 1, "q50"] == 0).all()
    sb = forecast(panel, cutoff, ForecastConfig(horizon=2, n_estimators=30))
    assert (sb[list(QUANTILE_COLUMNS)] == 0).all().all(), "no state-based death was ever seen"
