"""PEACEOPS_ENGINE: the monitoring pipeline (panel, features, batch scoring) on DuckDB and on Spark local, on the
same real events, gives the same panels and the same forecasts; `PEACEOPS_ENGINE=spark peaceops monitor` works.

Spark is slow to start and these machines are small: two tests, one Spark for the process (conftest.py),
a real GED file cut to four years of one country.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from support import databases
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.conflict import scoring
from peaceops.conflict.forecast import ForecastConfig, fit, score_frame, training_data
from peaceops.conflict.models import ForecastRun, ForecastValue
from peaceops.conflict.monitoring import plan_run, train_run
from peaceops.conflict.panels import FLOAT_COLUMNS, normalise_panel
from peaceops.conflict.pipeline import panels_dir, read_panel
from peaceops.platform import import_file
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.analytics import Engine, parquet_files, read_parquet
from peaceops.store.backup import EXCLUDED

SMALL = ForecastConfig(n_estimators=30, max_train_months=36)  # quick: the test is about the engines, not skill
CUTOFF = date(2014, 12, 1)  # after the 2013-2014 peak: the forecasts are not all zero
SPARK = Engine("spark", "local[1]")

# PySpark's Arrow collect drops its loopback socket to the JVM without closing it (see test_panels.py).
spark_sockets = [
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket\.socket .*laddr=\('127\.0\.0\.1':pytest.PytestUnraisableExceptionWarning"
    ),
    pytest.mark.filterwarnings(r"ignore:unclosed <socket\.socket .*laddr=\('127\.0\.0\.1':ResourceWarning"),
]


def car_2013_2016(data_dir: Path, folder: Path) -> Path:
    """The real Central African Republic GED file cut to 2013-2016 (the civil war's peak and after)."""
    raw = pd.read_csv(data_dir / "ucdp" / "ged" / "ged_central_african_republic.csv.gz", low_memory=False)
    path = folder / "ged_car_2013_2016.csv"
    raw[raw["date_end"].str[:4].astype(int).between(2013, 2016)].to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    folder = tmp_path_factory.mktemp("engines")
    for db in databases.make_database("sqlite", folder):
        var = folder / "var"
        import_file(db, "ucdp-ged", car_2013_2016(data_dir, folder), "test", var_dir=var)
        yield db, var


def parquet_frame(path: Path) -> pd.DataFrame:
    """A Parquet folder read with pyarrow alone (neither engine), sorted by unit and month."""
    table = pa.concat_tables([pq.read_table(f) for f in parquet_files(path)])
    return table.to_pandas().sort_values(["unit_id", "month_id"]).reset_index(drop=True)


def assert_panels_equal(left: pd.DataFrame, right: pd.DataFrame) -> None:
    exact = [c for c in left.columns if c not in FLOAT_COLUMNS]
    pd.testing.assert_frame_equal(left[exact], right[exact], check_exact=True)
    for name in FLOAT_COLUMNS:
        np.testing.assert_allclose(left[name], right[name], rtol=0, atol=1e-12)


@pytest.mark.usefixtures("spark")
@spark_sockets[0]
@spark_sockets[1]
def test_duckdb_and_spark_give_the_same_panels_and_forecasts(
    store: tuple[Database, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, var = store
    on_spark: list[str] = []  # the scorer's engine each time batch scoring goes through mapInPandas
    spark_scores = scoring._spark_scores

    def spy(*args: Any, **kwargs: Any) -> Any:
        on_spark.append(args[1].name)
        return spark_scores(*args, **kwargs)

    monkeypatch.setattr(scoring, "_spark_scores", spy)
    runs = {}
    for engine in (Engine(), SPARK):
        with db.session() as session:
            plan = plan_run(session, var, "pgm", cutoff=CUTOFF, horizon=2, config=SMALL, engine=engine)
        assert plan.panel.files is not None and plan.panel.files.panel == panels_dir(var) / "pgm" / "panel"
        kept = tmp_path / engine.name
        shutil.copytree(plan.panel.files.counts.parent, kept)  # the next engine writes the same folders
        runs[engine.name] = (plan, train_run(plan), kept)
    gc.collect()  # PySpark's leaked sockets are reported here, not in a later test

    (duck_plan, duck_run, duck_dir), (spark_plan, spark_run, spark_dir) = runs["duckdb"], runs["spark"]
    assert on_spark == ["pyspark"], "Spark scored the forecast in its workers, DuckDB in this process"
    assert (spark_dir / "panel" / "_SUCCESS").exists() and not (duck_dir / "panel" / "_SUCCESS").exists()

    # Panels: the counts and the features each engine wrote, then the frame training read, are the same.
    duck_counts, spark_counts = parquet_frame(duck_dir / "counts"), parquet_frame(spark_dir / "counts")
    pd.testing.assert_frame_equal(duck_counts, spark_counts, check_exact=True)
    assert duck_counts["sb_best"].sum() > 300 and (duck_counts["sb_best_splag1"] > 0).any()
    duck_frame, spark_frame = duck_plan.panel.frame, spark_plan.panel.frame
    assert len(duck_frame) > 5_000 and (duck_frame["sb25_months_since"] < 999).any()
    assert_panels_equal(duck_frame, spark_frame)
    assert duck_plan.panel.unit_country == spark_plan.panel.unit_country

    # Each engine reads the other's Parquet.
    spark_con = SPARK.connect()
    assert_panels_equal(normalise_panel(read_parquet(spark_con, duck_dir / "panel").to_pandas()), duck_frame)
    duck_con = ibis.duckdb.connect()
    duck_read = duck_con.to_pyarrow(read_parquet(duck_con, spark_dir / "panel"))
    assert_panels_equal(normalise_panel(duck_read.to_pandas(date_as_object=False)), read_panel(spark_dir / "panel"))
    gc.collect()

    # Forecasts: the same rows in the same order, the same numbers within floating-point tolerance.
    duck_result, spark_result = duck_run.result, spark_run.result
    assert duck_run.weights == {} and duck_run.units == spark_run.units > 30, "the model, not the fallback"
    assert list(duck_result.columns) == list(spark_result.columns)
    keys = ["level", "unit_id", "origin", "month", "step"]
    pd.testing.assert_frame_equal(duck_result[keys], spark_result[keys], check_exact=True)
    numbers = [c for c in duck_result.columns if c not in keys]
    np.testing.assert_allclose(spark_result[numbers], duck_result[numbers], rtol=1e-9, atol=1e-9)
    assert set(duck_result["origin"]) == {"2014-11", "2014-12"} and set(duck_result["step"]) == {1, 2}
    assert (duck_result["q95"] > 0).any() and duck_result["p25"].max() > 0.01


@pytest.mark.usefixtures("spark")
@spark_sockets[0]
@spark_sockets[1]
def test_peaceops_monitor_runs_on_spark(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = car_2013_2016(data_dir, tmp_path)
    var = tmp_path / "var"
    monkeypatch.setenv("PEACEOPS_VAR_DIR", str(var))
    monkeypatch.setenv("PEACEOPS_DATABASE_URL", f"sqlite:///{tmp_path / 'peaceops.sqlite'}")
    monkeypatch.setenv("PEACEOPS_ENGINE", "spark")
    monkeypatch.setenv("PEACEOPS_SPARK_MASTER", "local[1]")
    runner = CliRunner()
    imported = runner.invoke(app, ["import", "ucdp-ged", str(events)])
    assert imported.exit_code == 0, imported.output

    result = runner.invoke(app, ["monitor", "--level", "pgm", "--horizon", "2"])
    gc.collect()
    assert result.exit_code == 0, result.output
    assert "Panels and scoring on Spark at local[1]" in result.output
    assert "Forecast pgm from 2016-12: run 1" in result.output and "trained in" in result.output
    assert (var / "panels" / "pgm" / "panel" / "_SUCCESS").exists(), "Spark wrote the panel"
    db = Database(Settings().db_url)
    try:
        with db.session() as session:
            run = session.scalar(select(ForecastRun))
            assert run is not None and run.level == "pgm" and run.units > 30
            values = session.scalar(select(func.count()).select_from(ForecastValue))
            assert values == run.units * 2 * 2  # two origins (the cut-off and the month before) x two steps
    finally:
        db.dispose()


def test_engine_setting_is_checked_and_panels_are_not_backed_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEACEOPS_ENGINE", "spark")
    monkeypatch.setenv("PEACEOPS_SPARK_MASTER", "spark://head:7077")
    assert Engine.from_settings(Settings()) == Engine("spark", "spark://head:7077")
    assert Engine.from_settings(Settings(engine="duckdb")).is_spark is False
    monkeypatch.setenv("PEACEOPS_ENGINE", "polars")
    with pytest.raises(ValueError, match="engine"):
        Settings()
    assert "panels" in EXCLUDED, "panels are rebuilt from the event store, never restored"


def test_batch_scoring_on_duckdb_gives_score_frame_values_batch_by_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(3)
    months = pd.date_range("2015-01-01", periods=48, freq="MS")
    units = np.repeat(np.arange(60), len(months))
    war = units % 3 == 0
    sb = np.where(war, rng.poisson(30, len(units)), (rng.random(len(units)) < 0.05) * 2)
    panel = pd.DataFrame({"level": "pgm", "unit_id": units, "month": np.tile(months, 60), "sb_best": sb})
    panel["sb_best_lag1"] = panel.groupby("unit_id")["sb_best"].shift(1).fillna(0)
    config = ForecastConfig(horizon=2, n_estimators=20, max_train_months=None)
    data, latest, features = training_data(panel, months[-1], config, origins=3)
    model = fit(data, features, config, "pgm")
    expected = score_frame(model, latest, True).sort_values(["origin", "unit_id", "step"]).reset_index(drop=True)

    con = ibis.duckdb.connect()
    rows = ibis.memtable(latest[["unit_id", "month", *features]])
    monkeypatch.setattr(scoring, "BATCH_ROWS", 50)  # 180 rows in four batches: a split must not change a value
    got = scoring.score_table(model, con, rows, with_origin=True)
    written = scoring.write_scores(model, con, rows, tmp_path / "scores", with_origin=True)
    got = got.sort_values(["origin", "unit_id", "step"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert written == len(expected) == 60 * 3 * 2
    stored = pq.read_table(tmp_path / "scores" / "part-0.parquet").to_pandas()
    assert stored.columns.tolist() == got.columns.tolist() and stored["q95"].max() > 10
