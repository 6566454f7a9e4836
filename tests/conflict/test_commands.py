"""`peaceops forecast run` and `evaluate` as evaluators call them: a real subprocess on the shared GED files."""

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from peaceops.conflict.metrics import FORECAST_COLUMNS


def peaceops(*args, tmp_path):
    env = {**os.environ, "PEACEOPS_VAR_DIR": str(tmp_path / "var"), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "peaceops", *args], capture_output=True, text=True, env=env, timeout=600
    )


@pytest.fixture(scope="module")
def car(data_dir):
    return data_dir / "ucdp/ged/ged_central_african_republic.csv.gz"


def test_forecast_run_writes_the_contract_for_every_unit_and_step(car, tmp_path):
    out = tmp_path / "pgm.csv"
    result = peaceops(
        "forecast",
        "run",
        "--events",
        str(car),
        "--level",
        "pgm",
        "--cutoff",
        "2019-12",
        "--horizon",
        "3",
        "--out",
        str(out),
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, dtype={"month": str})
    assert list(frame.columns) == list(FORECAST_COLUMNS)
    units = frame["unit_id"].nunique()
    assert len(frame) == units * 3 and set(frame["step"]) == {1, 2, 3}
    assert sorted(frame["month"].unique()) == ["2020-01", "2020-02", "2020-03"]
    assert (frame["level"] == "pgm").all()
    manifest = json.loads((tmp_path / "pgm.csv.json").read_text())
    assert (manifest["cutoff"], manifest["horizon"], manifest["units"]) == ("2019-12", 3, units)
    assert len(manifest["data_sha256"]) == 64
    assert manifest["served"] == "model", "a grid of cells is enough to learn from"

    again = tmp_path / "again.csv"
    peaceops(
        "forecast",
        "run",
        "--events",
        str(car),
        "--level",
        "pgm",
        "--cutoff",
        "2019-12",
        "--horizon",
        "3",
        "--out",
        str(again),
        tmp_path=tmp_path,
    )
    assert again.read_bytes() == out.read_bytes(), "same inputs must give the same forecast"

    scored = peaceops("forecast", "evaluate", "--forecasts", str(out), "--events", str(car), tmp_path=tmp_path)
    assert scored.returncode == 0, scored.stderr
    for model in ("peaceops", "zero", "last_value", "conflictology"):
        assert model in scored.stdout
    assert "crps" in scored.stdout and "coverage_90" in scored.stdout


def test_events_option_takes_several_files_after_one_flag_as_the_contract_writes_it(car, data_dir, tmp_path):
    mexico = data_dir / "ucdp/ged/ged_mexico.csv.gz"
    out = tmp_path / "cm.csv"
    args = ["--level", "cm", "--cutoff", "2019-12", "--horizon", "1", "--out", str(out)]
    result = peaceops("forecast", "run", "--events", str(car), str(mexico), *args, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    units = set(pd.read_csv(out)["unit_id"])
    assert units == {482, 70}, "Central African Republic (gw 482) and Mexico (gw 70) both forecast"
    manifest = json.loads((tmp_path / "cm.csv.json").read_text())
    assert manifest["served"] == "benchmark", "two countries: too few to learn from, conflictology is served"
    one_sided = tmp_path / "os.csv"
    os_args = [*args[:-1], str(one_sided), "--violence", "os"]
    result = peaceops("forecast", "run", "--events", str(car), str(mexico), *os_args, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "os.csv.json").read_text())["violence"] == "os"
    sb, os_ = pd.read_csv(out).set_index("unit_id"), pd.read_csv(one_sided).set_index("unit_id")
    assert not sb["q95"].equals(os_["q95"]), "one-sided deaths are not the state-based ones"
    evaluated = peaceops(
        "forecast", "evaluate", "--forecasts", str(out), "--events", str(car), str(mexico), tmp_path=tmp_path
    )
    assert evaluated.returncode == 0, evaluated.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "xx", "--cutoff", "2019-12"], "Level 'xx' is not one of cm, pgm"),
        (["--level", "cm", "--cutoff", "Dec 2019"], "is not a month; write it as YYYY-MM"),
        (["--level", "cm", "--cutoff", "2019-12", "--horizon", "40"], "horizon must be 1 to 36"),
        (["--level", "cm", "--cutoff", "2019-12", "--violence", "xx"], "Violence 'xx' is not one of sb (state-based)"),
    ],
)
def test_forecast_run_refuses_bad_arguments_in_one_sentence(car, tmp_path, args, message):
    result = peaceops(
        "forecast", "run", "--events", str(car), *args, "--out", str(tmp_path / "x.csv"), tmp_path=tmp_path
    )
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
