"""The CLI as a user runs it: a real subprocess on a temporary SQLite database."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from support.requirements import DATA_DIR

from peaceops.cli import PAST_MONTHS, PAST_SPACING


@pytest.fixture
def run(tmp_path):
    env = {
        **os.environ,
        "PEACEOPS_VAR_DIR": str(tmp_path / "var"),
        "PEACEOPS_DATA_DIR": str(DATA_DIR),
        "COLUMNS": "120",
    }
    env.pop("PEACEOPS_DATABASE_URL", None)

    def _run(*args, stdin="", extra_env=None):
        return subprocess.run(
            [sys.executable, "-m", "peaceops", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**env, **(extra_env or {})},
            timeout=900,  # a guard against a hang, not a speed check (the demo forecasts and embeds)
        )

    return _run


def summary_row(output, kind):
    line = next(line for line in output.splitlines() if line.startswith(f"│ {kind} "))
    return [int(v) for v in re.findall(r"\d+", line)]


@pytest.mark.data
def test_demo_loads_the_shared_data_once_and_prints_a_password_once(run, agreement_embeddings, tmp_path):
    # The agreements' embeddings come from the run-wide cache (the search tests check embedding itself).
    shutil.copytree(agreement_embeddings, tmp_path / "var" / "embeddings")
    first = run("demo", "--no-serve")
    assert first.returncode == 0, first.stderr
    assert "Missions: 81 (12 active)" in first.stdout
    rows, kept, rejected, new, updated, same = summary_row(first.stdout, "contributions")
    assert rows == kept + rejected and new > kept and updated == same == 0
    assert "missions the register does not list (special political missions" in first.stdout
    assert "expected with the shared files, nothing to do" in first.stdout and "UNAMA" in first.stdout
    assert "missions not in the register" not in first.stdout, "every acronym of the shared files is known"
    password = re.search(r"demo-admin with password (\S+)", first.stdout).group(1)
    assert len(password) >= 16
    gazetteer = re.search(r"Gazetteer: ([\d,]+) admin-1 areas, ([\d,]+) places in (\d+) countries", first.stdout)
    assert gazetteer and int(gazetteer.group(1)) > 20 and int(gazetteer.group(3)) >= 4, "built from the GED events"
    past = PAST_MONTHS // PAST_SPACING
    assert first.stdout.count("no alerts (past run)") == past, "a country run each quarter of two years before"
    seeded = re.search(r"Implementation tracking: ([\d,]+) commitments seeded", first.stdout)
    assert seeded and int(seeded.group(1).replace(",", "")) > 0, "PA-X codes of the hosts' agreements, not assessed"
    registry = re.search(r"Process registry: ([\d,]+) processes seeded", first.stdout)
    assert registry and int(registry.group(1).replace(",", "")) > 100, "one entry per PA-X process id"
    record = json.loads(run("get", "/api/conflict/track-record?level=cm").stdout)
    assert len(record["runs"]) >= 2 and record["overall"]["n"] > 0, "the past runs are scored at once"

    second = run("demo", "--no-serve")
    assert second.returncode == 0, second.stderr
    for kind in ("missions", "mission-totals", "contributions", "fatalities"):
        _, _, _, new, updated, _ = summary_row(second.stdout, kind)
        assert (new, updated) == (0, 0), kind
    assert "Implementation tracking: 0 commitments seeded" in second.stdout
    assert "Process registry: 0 processes seeded" in second.stdout
    assert "password" not in second.stdout


def test_import_of_a_bad_file_is_one_sentence_and_a_nonzero_exit(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfeD\x00a\x00t\x00e\x00")
    result = run("import", "contributions", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error: bad.csv")
    assert "is not UTF-8" in result.stderr and "save the file as UTF-8" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = run("import", "budgets", str(bad))
    assert unknown.returncode == 1 and "Unknown import kind 'budgets'" in unknown.stderr


def test_missing_data_directory_says_where_it_looked(run, tmp_path):
    result = run("demo", "--no-serve", extra_env={"PEACEOPS_DATA_DIR": str(tmp_path / "nowhere")})
    assert result.returncode == 1
    assert str(tmp_path / "nowhere") in result.stderr and "PEACEOPS_DATA_DIR" in result.stderr


def test_user_add_reads_the_password_from_stdin(run):
    made = run("user", "add", "leila", "--role", "analyst", stdin="a long enough password\n")
    assert made.returncode == 0, made.stderr
    assert "Created user leila (analyst)" in made.stdout
    again = run("user", "add", "leila", "--role", "analyst", stdin="a long enough password\n")
    assert again.returncode == 1 and "already exists" in again.stderr
    short = run("user", "add", "omar", "--role", "viewer", stdin="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr


def test_backup_and_restore_into_a_new_instance(run, tmp_path):
    made = run("user", "add", "leila", "--role", "analyst", stdin="a long enough password\n")
    assert made.returncode == 0, made.stderr
    archive = tmp_path / "peaceops.tar.gz"
    saved = run("backup", str(archive))
    assert saved.returncode == 0, saved.stderr
    assert "Backed up the sqlite database (schema revision" in saved.stdout and archive.is_file()
    again = run("backup", str(archive))
    assert again.returncode == 1 and again.stderr.startswith("Error: ") and "already exists" in again.stderr

    elsewhere = {"PEACEOPS_VAR_DIR": str(tmp_path / "restored")}
    restored = run("restore", str(archive), extra_env=elsewhere)
    assert restored.returncode == 0, restored.stderr
    assert "Restored the sqlite database" in restored.stdout and "the schema is at revision" in restored.stdout
    taken = run("user", "add", "leila", "--role", "analyst", stdin="a long enough password\n", extra_env=elsewhere)
    assert taken.returncode == 1 and "already exists" in taken.stderr  # the restored instance has her

    refused = run("restore", str(archive), extra_env=elsewhere)
    assert refused.returncode == 1
    assert refused.stderr.startswith("Error: The target instance is not empty")
    assert "Traceback" not in refused.stderr and refused.stdout == ""
