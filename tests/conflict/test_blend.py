"""The blend of the model with conflictology: weights chosen on the validation year, quantiles averaged."""

import numpy as np
import pandas as pd
import pytest
from test_forecast import synthetic_panel

from peaceops.conflict.blend import blend, blended_forecast, choose_weights, step_weights
from peaceops.conflict.forecast import QUANTILE_COLUMNS, ForecastConfig


def frames(model_value: float, bench_value: float, truth: float, steps: int = 2):
    rows = [{"unit_id": u, "month": f"2020-0{s}", "step": s} for u in range(5) for s in range(1, steps + 1)]
    base = pd.DataFrame(rows).assign(level="cm")
    model = base.assign(**dict.fromkeys(QUANTILE_COLUMNS, model_value), mean=model_value, p25=float(model_value >= 25))
    bench = base.assign(**dict.fromkeys(QUANTILE_COLUMNS, bench_value), mean=bench_value)
    observed = base[["unit_id", "month"]].assign(y=truth)
    return model, bench, observed


def test_the_weight_goes_to_whichever_was_right_on_the_validation_year():
    assert set(choose_weights(*frames(model_value=30, bench_value=0, truth=30)).values()) == {1.0}
    assert set(choose_weights(*frames(model_value=30, bench_value=0, truth=0)).values()) == {0.0}
    halfway = choose_weights(*frames(model_value=40, bench_value=0, truth=20))
    assert all(0.0 < w < 1.0 for w in halfway.values())


def test_blending_averages_quantiles_step_by_step():
    model, bench, _ = frames(model_value=40, bench_value=0, truth=0)
    out = blend(model, bench, {1: 1.0, 2: 0.25})
    first, second = out[out.step == 1], out[out.step == 2]
    assert (first["q50"] == 40).all() and (first["weight"] == 1.0).all() and (first["p25"] == 1.0).all()
    assert second["q50"].tolist() == pytest.approx([10.0] * 5) and second["mean"].tolist() == pytest.approx([10.0] * 5)
    assert second["p25"].tolist() == pytest.approx([0.25] * 5), "the event probability is mixed with the same weight"


def test_a_unit_without_a_benchmark_keeps_the_model():
    model, bench, _ = frames(model_value=40, bench_value=0, truth=0)
    out = blend(model, bench[bench.unit_id != 3], {1: 0.0, 2: 0.0})
    assert (out.loc[out.unit_id == 3, "q50"] == 40).all() and (out.loc[out.unit_id == 3, "weight"] == 1.0).all()
    assert (out.loc[out.unit_id != 3, "q50"] == 0).all()


def test_the_blend_reads_nothing_after_the_cutoff_and_never_crosses():
    panel = synthetic_panel(months=84)
    config = ForecastConfig(horizon=3, n_estimators=30, blend=True)
    cutoff = pd.Timestamp("2019-12-01")
    ticks: list[int] = []
    out = blended_forecast(panel, cutoff, config, on_step=ticks.append)
    assert sum(ticks) == 6, "the validation year's models and the forecast's both advance the progress bar"
    later = panel.copy()
    after = pd.to_datetime(later["month"]) > cutoff
    later.loc[after, "sb_best"] = 9_999.0
    again = blended_forecast(later, cutoff, config)
    pd.testing.assert_frame_equal(out, again)
    q = out[list(QUANTILE_COLUMNS)].to_numpy()
    assert (np.diff(q, axis=1) >= -1e-9).all()
    assert out["weight"].between(0, 1).all() and set(out["step"]) == {1, 2, 3}


def test_every_page_says_whether_it_shows_the_model_or_the_benchmark():
    from peaceops.conflict.dashboard import method_note

    assert "is the conflictology benchmark" in method_note({"blend_weights": {"1": 0.0, "2": 0.0}})
    assert "model alone" in method_note({"blend_weights": {"1": 1.0, "2": 1.0}})
    assert "share is 25% to 80%" in method_note({"blend_weights": {"1": 0.8, "2": 0.25}})
    assert "not blended" in method_note(None) and "not blended" in method_note({"blend_weights": {}})
    few = method_note({"blend_weights": {"1": 0.0}, "min_units": 30}, units=4)
    assert "not a model: the model needs at least 30 units" in few
    assert "not a model" not in method_note({"blend_weights": {"1": 0.0}, "min_units": 30}, units=1500)


def test_the_method_note_is_written_in_the_readers_language():
    from peaceops.conflict.dashboard import method_note
    from peaceops.i18n import use_locale

    with use_locale("fr"):  # the run stores its settings; the sentence is written for each reader
        assert method_note(None) == "Le modèle seul, sans mélange avec une référence."
        blended = method_note({"blend_weights": {"1": 0.8, "2": 0.25}})
        few = method_note({"blend_weights": {"1": 0.0}, "min_units": 30}, units=4)
    assert "la part du modèle va de 25\u00a0% à 80\u00a0% selon l’horizon" in blended
    assert "le modèle a besoin d’au moins 30 unités" in few and "ce calcul en a 4" in few


def test_without_the_blend_the_model_is_served_and_no_weight_is_claimed():
    panel = synthetic_panel()
    config = ForecastConfig(horizon=2, n_estimators=20)
    out = blended_forecast(panel, pd.Timestamp("2019-12-01"), config)
    assert out["weight"].isna().all() and step_weights(out) == {}
    assert len(out) == 40 * 2


def test_with_too_few_units_to_learn_from_the_benchmark_is_served_and_no_model_trained():
    from peaceops.conflict.benchmarks import conflictology_benchmark

    panel = synthetic_panel(units=6)
    cutoff = pd.Timestamp("2019-06-01")
    ticks = []
    out = blended_forecast(panel, cutoff, ForecastConfig(horizon=3), origins=2, on_step=ticks.append)
    assert sum(ticks) == 3, "the progress bar still completes"
    assert (out["weight"] == 0).all() and set(out["origin"]) == {"2019-06", "2019-05"}
    series = panel[["unit_id", "month", "sb_best"]].rename(columns={"sb_best": "y"})
    bench = conflictology_benchmark(series, cutoff, 3, level="cm")
    latest = out[out["origin"] == "2019-06"].drop(columns=["origin", "weight", "p25"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(latest[bench.columns], bench.sort_values(["unit_id", "step"]).reset_index(drop=True))
    war = out[(out["unit_id"] == 0) & (out["origin"] == "2019-06")]
    assert (war["p25"] > 0.5).all() and (out.loc[out["unit_id"] == 1, "p25"] == 0).all()
    many = blended_forecast(synthetic_panel(units=40), cutoff, ForecastConfig(horizon=1, n_estimators=10))
    assert many["weight"].isna().all(), "40 units: the model, not the benchmark"
