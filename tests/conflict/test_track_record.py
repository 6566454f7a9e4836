"""Stored runs are scored once their months are observed: on SQLite and PostgreSQL, with the real GED files."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from peaceops.conflict.alerts import RULES
from peaceops.conflict.forecast import ForecastConfig
from peaceops.conflict.metrics import QUANTILE_COLUMNS, QUANTILE_LEVELS
from peaceops.conflict.models import AlertOutcome, ForecastRun, ForecastScore, ForecastValue
from peaceops.conflict.monitoring import data_version, forecast_run
from peaceops.conflict.track_record import alert_record, score_runs, track_record
from peaceops.platform import import_file, prepare
from peaceops.store import Database

CAR, SYRIA = 482, 652
SMALL = ForecastConfig(n_estimators=30, max_train_months=60)


def ged(data_dir: Path, name: str) -> Path:
    return data_dir / "ucdp" / "ged" / f"ged_{name}.csv.gz"


def state_based_deaths(path: Path) -> Counter[str]:
    """State-based deaths (``best``) per month of its ``date_end``, from a GED file read with the csv module alone."""
    deaths: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["type_of_violence"] == "1":
                deaths[row["date_end"][:7]] += int(float(row["best"]))
    return deaths


def pinball_crps(y: float, quantiles: list[float]) -> float:
    """Quantile CRPS written out: twice the mean pinball loss over the seven levels."""
    losses = [(float(y < q) - tau) * (q - y) for q, tau in zip(quantiles, QUANTILE_LEVELS, strict=True)]
    return 2 * float(np.mean(losses))


@pytest.fixture
def store(db: Database, data_dir: Path, tmp_path: Path) -> tuple[Database, Path]:
    prepare(db)
    var = tmp_path / "var"
    for name in ("central_african_republic", "syria_2016_2019"):
        import_file(db, "ucdp-ged", ged(data_dir, name), "test", var_dir=var)
    return db, var


def test_a_past_run_is_scored_beside_the_benchmarks_on_the_months_it_forecast(store, data_dir):
    db, var = store
    with db.session() as s:
        run, _, _ = forecast_run(s, var, "cm", cutoff=date(2018, 12, 1), horizon=6, actor="t", config=SMALL)
        run_id = run.id
    assert score_runs(db, var) == 1
    with db.session() as s:
        run = s.get(ForecastRun, run_id)
        assert run.scored_through == date(2019, 6, 1) and run.scored_version == data_version(var)
        scores = s.scalars(select(ForecastScore).where(ForecastScore.run_id == run_id)).all()
        assert {(x.model, x.step, x.country_gw) for x in scores} == {
            (m, step, gw)
            for m in ("peaceops", "zero", "last_value", "conflictology")
            for step in range(1, 7)
            for gw in (CAR, SYRIA)
        }
        assert all(x.n == 1 for x in scores), "one country, one month per step"
        # peaceops' CRPS for the Central African Republic, 3 months ahead, written out from the stored quantiles
        value = s.scalar(
            select(ForecastValue)
            .where(
                ForecastValue.run_id == run_id, ForecastValue.unit_id == CAR, ForecastValue.origin == date(2018, 12, 1)
            )
            .where(ForecastValue.step == 3)
        )
        observed = state_based_deaths(ged(data_dir, "central_african_republic"))["2019-03"]
        expected = pinball_crps(observed, [getattr(value, c) for c in QUANTILE_COLUMNS])
        ours = next(x for x in scores if (x.model, x.step, x.country_gw) == ("peaceops", 3, CAR))
        assert ours.crps == pytest.approx(expected, rel=1e-6)
        # the zero benchmark's CRPS of a point mass at 0 is the observed count itself
        zero = next(x for x in scores if (x.model, x.step, x.country_gw) == ("zero", 3, CAR))
        assert zero.crps == pytest.approx(observed)
        assert ours.coverage_90 == float(value.q05 <= observed <= value.q95)

        record = track_record(s, "cm")
    assert [r["step"] for r in record["by_step"]] == [1, 2, 3, 4, 5, 6]
    assert {r["name"] for r in record["by_country"]} == {"Central African Republic", "Syria"}
    overall = record["overall"]
    assert overall["n"] == 12 and record["runs"][0]["cutoff"] == "2018-12" and record["runs"][0]["through"] == "2019-06"
    benches = {m: v["crps"] for m, v in overall["models"].items() if m != "peaceops"}
    assert overall["best_benchmark"] == min(benches, key=benches.get)
    assert overall["ratio"] == pytest.approx(overall["models"]["peaceops"]["crps"] / min(benches.values()))


def test_scoring_is_idempotent_and_runs_again_when_an_import_changes_the_events(store, data_dir):
    db, var = store
    with db.session() as s:
        run, _, _ = forecast_run(s, var, "cm", cutoff=date(2019, 6, 1), horizon=12, actor="t", config=SMALL)
        run_id = run.id
    assert score_runs(db, var) == 1
    assert score_runs(db, var) == 0, "nothing new: nothing scored again"
    with db.session() as s:
        before = {(x.model, x.step, x.country_gw): x.crps for x in s.scalars(select(ForecastScore))}
        first_version = s.get(ForecastRun, run_id).scored_version
    # Syria's file ends in 2019-12: its steps 7-12 are not observed, so they are not scored (never read as peace)
    syria_steps = {step for model, step, gw in before if gw == SYRIA}
    assert syria_steps == set(range(1, 7))
    import_file(db, "ucdp-ged", ged(data_dir, "mexico"), "test", var_dir=var)  # the import scores again itself
    with db.session() as s:
        run = s.get(ForecastRun, run_id)
        assert run.scored_version == data_version(var) != first_version
        after = {(x.model, x.step, x.country_gw): x.crps for x in s.scalars(select(ForecastScore))}
    assert after == before, "Mexico's events change no score of a run that did not forecast Mexico"


def test_a_run_whose_months_are_not_observed_yet_is_not_scored(store):
    db, var = store  # the Central African Republic's file ends in 2021-12, Syria's in 2019-12
    with db.session() as s:
        forecast_run(s, var, "cm", cutoff=date(2021, 12, 1), horizon=3, actor="t", config=SMALL)
    assert score_runs(db, var) == 0
    with db.session() as s:
        assert s.scalar(select(ForecastRun.scored_through)) is None
        assert track_record(s, "cm")["overall"] is None
        assert track_record(s, "pgm")["by_step"] == []


def test_alert_rules_are_judged_on_the_three_months_after_each_runs_cutoff(store, data_dir):
    db, var = store
    with db.session() as s:
        run, _, _ = forecast_run(s, var, "cm", cutoff=date(2018, 12, 1), horizon=3, actor="t", config=SMALL)
        run_id = run.id
    score_runs(db, var)
    window = ("2019-01", "2019-02", "2019-03")
    deaths = {
        CAR: state_based_deaths(ged(data_dir, "central_african_republic")),
        SYRIA: state_based_deaths(ged(data_dir, "syria_2016_2019")),
    }
    happened = {gw for gw, months in deaths.items() if any(months[m] >= 25 for m in window)}
    assert SYRIA in happened
    with db.session() as s:
        rows = list(s.scalars(select(AlertOutcome).where(AlertOutcome.run_id == run_id)))
        record = {r["kind"]: r for r in alert_record(s, "cm")}
    # Each country is either quiet (early entry applies) or not (escalation applies): both are judged once.
    judged = [r for r in rows if r.kind in ("early_entry", "escalation")]
    assert sorted(r.unit_id for r in judged) == sorted(deaths)
    assert {r.unit_id for r in judged if r.happened} == happened, "outcomes read from the events themselves"
    for r in rows:
        assert (r.lead_months is not None) == r.happened
        assert r.lead_months is None or 1 <= r.lead_months <= 3
    for kind, shown in record.items():
        mine = [r for r in rows if r.kind == kind]
        flagged = [r for r in mine if r.eligible and r.risk >= getattr(RULES["cm"], kind)]
        hits = [r for r in flagged if r.happened]
        misses = [r for r in mine if r.happened and r not in flagged]
        assert (shown["runs"], shown["population"]) == (1, len(mine))
        assert (shown["flagged"], shown["hits"], shown["misses"]) == (len(flagged), len(hits), len(misses))
        assert shown["hits"] + shown["false_alarms"] == shown["flagged"]
        assert shown["brier"] == pytest.approx(sum((r.risk - r.happened) ** 2 for r in mine) / len(mine))
        if hits or misses:
            assert shown["hit_rate"] == pytest.approx(len(hits) / (len(hits) + len(misses)))
        # The sweep: the lower the threshold, the more the rule flags; at the rule's own threshold it agrees.
        flagged_by = [t["flagged"] for t in shown["thresholds"]]
        assert flagged_by == sorted(flagged_by, reverse=True)
        at_rule = [t for t in shown["thresholds"] if t["threshold"] == shown["threshold"]]
        assert all(t["flagged"] == shown["flagged"] for t in at_rule)
