"""The classifier is reproducible: same data → same model (cached or retrained); new data → new version."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

from peaceops.comms import datasets, spikes
from peaceops.comms import estimator as model


def test_retraining_on_unchanged_data_gives_the_identical_model(tmp_path: Path, data_dir: Path, comms_models):
    var, models = comms_models
    cached = models["harm-en"]
    ds = datasets.davidson(data_dir).head(600, 200)
    probe = ds.test_texts[:200]

    # the same data again with the same var dir: loaded from the cache, not refitted
    files = sorted((var / "comms" / "models").glob("harm-en-*.joblib"))
    stamps = [f.stat().st_mtime_ns for f in files]
    again = model.train("harm-en", ds.train_texts, ds.train_labels, var_dir=var)
    assert again.version == cached.version
    assert [f.stat().st_mtime_ns for f in sorted((var / "comms" / "models").glob("harm-en-*.joblib"))] == stamps

    # trained from scratch elsewhere: the very same labels and probabilities
    fresh = model.train("harm-en", ds.train_texts, ds.train_labels, var_dir=tmp_path / "other")
    assert fresh.version == cached.version
    assert [p[0] for p in fresh.predict(probe)] == [p[0] for p in cached.predict(probe)]
    np.testing.assert_array_equal(fresh.probabilities(probe), cached.probabilities(probe))

    # one more labelled row (an analyst's decision) is new data: a new version
    assert model.fingerprint([*ds.train_texts, "you are all vermin"], [*ds.train_labels, "hate"]) != cached.version
    assert model.fingerprint(ds.train_texts, ds.train_labels) == cached.version


def test_model_records_held_out_metrics_and_beats_chance(comms_models):
    _, models = comms_models
    for name in ("harm-en", "harm-am"):
        info = models[name].info()
        assert info["labels"] == ["hate", "normal", "offensive"]
        assert info["train_rows"] == 600
        assert 0.4 < info["metrics"]["macro_f1"] <= 1.0, info  # three classes: chance is about 0.33
    label, p, probs = models["harm-en"].predict(["RT @x: this bitch always lying smh"])[0]
    assert label == "offensive" and abs(sum(probs.values()) - 1) < 1e-3 and p == probs["offensive"]


def test_held_out_splits_are_the_published_ones_or_a_fixed_stratified_split(data_dir: Path):
    dav = datasets.davidson(data_dir)
    assert len(dav.train_texts) + len(dav.test_texts) == 19826
    assert abs(len(dav.test_texts) / 19826 - 0.2) < 0.001
    assert datasets.davidson(data_dir).test_texts[:50] == dav.test_texts[:50]  # fixed seed
    assert dav.fingerprint() == datasets.davidson(data_dir).fingerprint()
    ran = datasets.amharic_ranlp(data_dir)
    assert (len(ran.train_texts), len(ran.test_texts)) == (12000, 1500)
    liar = datasets.liar(data_dir)
    assert (len(liar.train_texts), len(liar.test_texts)) == (10269, 1284) and len(liar.labels) == 6


def _series(values: list[int], start: date = date(2024, 3, 1)) -> dict[date, int]:
    return {start + timedelta(days=i): v for i, v in enumerate(values) if v}


def test_spike_rule_on_constructed_series():
    # a steady narrative (2-4 a day for three weeks) then 15 in one day: one spike, on that day
    steady = [2, 3, 4, 3, 2, 3, 4, 2, 3, 3, 4, 2, 3, 2, 3, 4, 3, 2, 3, 3, 15]
    found = spikes.detect(_series(steady))
    assert [s["day"] for s in found] == ["2024-03-21"]
    assert found[0]["count"] == 15 and found[0]["threshold"] < 15
    # a new narrative: below five items a day never alarms, five does
    assert spikes.detect(_series([0, 0, 4])) == []
    assert [s["day"] for s in spikes.detect(_series([0, 0, 5]))] == ["2024-03-03"]
    # a narrative that starts big alarms on its first days, then its noisy but stable volume is the normal
    noisy = [10, 14, 9, 13, 11, 12, 10, 15, 9, 12, 11, 13, 10, 14, 12, 13, 11, 9, 14, 12, 10, 13, 12, 11]
    found = spikes.detect(_series(noisy))
    assert [s["day"] for s in found] == ["2024-03-01", "2024-03-02"]
    assert found[0] == {"day": "2024-03-01", "count": 10, "baseline": 0.0, "threshold": 5.0}
