"""``peaceops get PATH`` runs a request in-process as the local administrator and prints the JSON.

The real command runs in a subprocess: that is how people call it, and it keeps the command's own
event loop apart from the browser tests' loop in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.requirements import DATA_DIR


@pytest.fixture
def peaceops(tmp_path: Path):
    env = {
        **os.environ,
        "PEACEOPS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "PEACEOPS_VAR_DIR": str(tmp_path / "var"),
        "PEACEOPS_DATA_DIR": str(DATA_DIR),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "peaceops", *args], env=env, cwd=tmp_path, capture_output=True, text=True
        )

    return run


def test_peaceops_get_prints_the_missions_as_json(peaceops, data_dir):
    imported = peaceops("import", "missions", str(data_dir / "un_peacekeeping" / "missions" / "DPPADPOSS-PKO.csv"))
    assert imported.returncode == 0, imported.stderr

    active = peaceops("get", "/api/missions?status=active")
    assert active.returncode == 0, active.stderr
    missions = json.loads(active.stdout)["missions"]
    assert missions and all(m["active"] for m in missions)
    assert "UNMISS" in {m["acronym"] for m in missions}

    every = json.loads(peaceops("get", "/api/missions").stdout)["missions"]
    assert len(every) == 81
    assert all({"acronym", "name", "start_date", "end_date", "active"} <= set(m) for m in every)


def test_peaceops_get_reports_an_unknown_mission_as_json_and_fails(peaceops):
    missing = peaceops("get", "/api/missions/MINUSXX")
    assert missing.returncode == 1
    body = json.loads(missing.stdout)
    assert body["error"] == "NotFound" and "MINUSXX" in body["detail"]
