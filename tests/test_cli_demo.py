"""`peaceops demo` as a user runs it, twice: a real subprocess on a temporary SQLite database.

A file of its own (not in test_cli.py): under `make test` each file runs whole on one worker, and the demo
alone takes minutes, so the other CLI tests run beside it on the other workers.
"""

import json
import re
import shutil

import pytest

from peaceops.cli import PAST_MONTHS, PAST_SPACING


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
