"""`peaceops fetch ucdp-ged` as a user runs it: a real subprocess, a real local HTTP server, a temporary SQLite file."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_http import FileServer, ged_zip, serving

PATH = "/ged/ged241-csv.zip"


@pytest.fixture
def release(data_dir: Path, tmp_path: Path) -> tuple[bytes, bytes]:
    return ged_zip(data_dir, tmp_path)


@pytest.fixture
def server(release: tuple[bytes, bytes]) -> Iterator[FileServer]:
    with serving(FileServer(files={PATH: release[0]})) as state:
        yield state


@pytest.fixture
def fetch(tmp_path: Path, data_dir: Path, server: FileServer):
    env = {**os.environ, "PEACEOPS_VAR_DIR": str(tmp_path / "var"), "PEACEOPS_DATA_DIR": str(data_dir)}
    env.update({"PEACEOPS_UCDP_BASE_URL": server.url + "/", "COLUMNS": "200"})
    env.pop("PEACEOPS_DATABASE_URL", None)

    def _fetch(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "peaceops", "fetch", "ucdp-ged", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)

    return _fetch


def summary(stdout: str) -> list[int]:
    line = next(line for line in stdout.splitlines() if line.startswith("│ ucdp-ged "))
    return [int(v) for v in re.findall(r"\d+", line)]


def test_fetch_downloads_imports_and_a_second_fetch_downloads_nothing(fetch, server, release, tmp_path):
    digest = hashlib.sha256(release[0]).hexdigest()
    first = fetch("--version", "24.1")
    assert first.returncode == 0, first.stderr
    assert f"UCDP GED 24.1: {server.url}{PATH} ({len(release[0]):,} bytes, downloaded)" in first.stdout
    assert f"SHA-256 {digest}" in first.stdout
    rows, kept, rejected, new, updated, same = summary(first.stdout)
    assert rows == kept + rejected and new == kept > 0 and updated == same == 0

    with sqlite3.connect(tmp_path / "var" / "peaceops.sqlite") as con:
        run_sha, source = con.execute("SELECT sha256, source FROM import_run WHERE kind = 'ucdp-ged'").fetchone()
        fetched = con.execute("SELECT after FROM audit_log WHERE action = 'fetch'").fetchone()[0]
    assert run_sha == hashlib.sha256(release[1]).hexdigest() and source.endswith("GEDEvent_v24_1.csv")
    assert digest in fetched

    second = fetch("--version", "24.1", "--sha256", digest)
    assert second.returncode == 0, second.stderr
    assert "already downloaded and verified, not fetched again" in second.stdout
    assert len(server.requests) == 1
    _, _, _, new, updated, same = summary(second.stdout)
    assert (new, updated, same) == (0, 0, kept)


def test_fetch_errors_are_one_sentence_and_exit_1(fetch, server, release, tmp_path):
    malformed = fetch("--version", "24")
    assert malformed.returncode == 1 and "Traceback" not in malformed.stderr
    assert malformed.stderr.startswith("Error: '24' is not a GED version")
    assert server.requests == []

    missing = fetch("--version", "19.1")
    assert missing.returncode == 1 and "UCDP has no GED 19.1 release" in missing.stderr

    wrong = "0" * 64
    mismatch = fetch("--version", "24.1", "--sha256", wrong)
    assert mismatch.returncode == 1
    assert wrong in mismatch.stderr and hashlib.sha256(release[0]).hexdigest() in mismatch.stderr
    assert not list((tmp_path / "var" / "downloads").glob("ged241-csv.zip*"))
