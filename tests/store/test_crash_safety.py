"""Imports are all or nothing, also when the process dies (decision 023): a real ``peaceops import`` process
is killed with SIGKILL at the points where a crash hurts most, then the import runs again. The stores must
end with exactly the rows of an uninterrupted run (a reference instance of its own, on SQLite), and the
second run's counts must tell the truth about what was new. Every test runs on SQLite and on PostgreSQL.

The kill points are set from outside the production code: ``crash_wrapper.py`` wraps a library function
so that its Nth call kills the process (see there for the points).
"""

from __future__ import annotations

import csv
import gzip
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from support.databases import make_database
from support.requirements import DATA_DIR

import peaceops
from peaceops.errors import ConfigurationError
from peaceops.personnel.models import Fatality
from peaceops.platform import import_file, prepare
from peaceops.store import Database, audit
from peaceops.store.audit import AuditEntry
from peaceops.store.coverage import EventCoverage
from peaceops.store.event_import import BATCH, import_events
from peaceops.store.events import event_files, events_dir
from peaceops.store.provenance import ImportRun

WRAPPER = Path(__file__).with_name("crash_wrapper.py")
SOURCE_DIR = Path(peaceops.__file__).resolve().parents[1]  # the tree under test, also for the subprocesses
GED = ("ucdp", "ged", "ged_central_african_republic.csv.gz")  # 1,743 events in 26 year partitions
FATALITIES = ("un_peacekeeping", "fatalities", "DPPADPOSS-FATALITIES.csv")  # 4,429 rows, database only
ENTITY = {"ucdp-ged": "event", "fatalities": "fatality"}


@dataclass(frozen=True)
class Reference:
    """An uninterrupted run, imported twice: each report, the database after each, the event store."""

    reports: dict[str, list[dict[str, Any]]]
    states: dict[str, list[dict[str, Any]]]
    store: dict[str, pa.Table]


def store_contents(var_dir: Path) -> dict[str, pa.Table]:
    """Every file of the event store but its lock, by path; a leftover staged file or journal shows too."""
    root = events_dir(var_dir)
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != ".lock") if root.is_dir() else []
    return {p.relative_to(root).as_posix(): pq.ParquetFile(p).read() for p in files}


def same_store(found: dict[str, pa.Table], expected: dict[str, pa.Table]) -> bool:
    return found.keys() == expected.keys() and all(found[k].equals(expected[k]) for k in expected)


def state(db: Database, kind: str) -> dict[str, Any]:
    """What imports of ``kind`` wrote to the database, without ids, times and the batch's random name."""
    with db.session() as s:
        assert audit.verify(s).ok
        found: dict[str, Any] = {
            "runs": [
                (r.kind, r.source, r.sha256, r.actor, r.rows_read, r.inserted, r.updated, r.unchanged, r.rejected,
                 [(x.line, x.reason) for x in r.rejections])
                for r in s.scalars(select(ImportRun).where(ImportRun.kind == kind).order_by(ImportRun.id))
            ],
            "audit": [
                (e.actor, e.action, e.before, {k: v for k, v in (e.after or {}).items() if k not in ("run_id", BATCH)})
                for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == ENTITY[kind]).order_by(AuditEntry.id))
            ],
        }  # fmt: skip
        if kind == "ucdp-ged":
            coverage = s.scalars(select(EventCoverage))
            found["coverage"] = sorted((c.source, c.country_gw, c.first_month, c.last_month) for c in coverage)
        else:
            columns = [c for c in Fatality.__table__.c if c.name != "id"]
            found["fatalities"] = sorted(tuple(row) for row in s.execute(select(*columns)))
    return found


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Any:
    folder = tmp_path_factory.mktemp("reference")
    var = folder / "var"
    for db in make_database("sqlite", folder):
        reports: dict[str, list[dict[str, Any]]] = {}
        states: dict[str, list[dict[str, Any]]] = {}
        for kind, parts in (("ucdp-ged", GED), ("fatalities", FATALITIES)):
            for _ in range(2):
                report = import_file(db, kind, data_dir.joinpath(*parts), "cli", var_dir=var)
                reports.setdefault(kind, []).append(report.as_dict())
                states.setdefault(kind, []).append(state(db, kind))
        yield Reference(reports, states, store_contents(var))


def database_url(db: Database) -> str:
    url = db.engine.url.render_as_string(hide_password=False)
    return f"{url}?options=-csearch_path%3D{db.schema}" if db.schema else url


def cli(
    db: Database, var_dir: Path, *args: str, kill: tuple[str, int] | None = None
) -> subprocess.CompletedProcess[str]:
    """``peaceops ARGS`` on ``db`` and ``var_dir`` in a process of its own, killed at ``kill`` (point, n)."""
    env = {
        **os.environ,
        "PEACEOPS_DATABASE_URL": database_url(db),
        "PEACEOPS_VAR_DIR": str(var_dir),
        "PEACEOPS_DATA_DIR": str(DATA_DIR),
        "PYTHONPATH": os.pathsep.join([str(SOURCE_DIR), os.environ.get("PYTHONPATH", "")]),
        "COLUMNS": "160",
    }
    start = [str(WRAPPER), kill[0], str(kill[1])] if kill else ["-m", "peaceops"]
    done = subprocess.run(
        [sys.executable, *start, *args], env=env, capture_output=True, text=True, timeout=600
    )  # a guard against a hang, not a speed check
    if kill:
        assert done.stderr.splitlines()[0] == peaceops.__file__, done.stderr  # this tree's code ran
        assert done.returncode == -signal.SIGKILL, f"not killed at {kill}: {done.returncode}\n{done.stderr[-2000:]}"
    return done


def leftovers(var_dir: Path) -> list[str]:
    root = events_dir(var_dir)
    return sorted(p.name for p in root.rglob(".*") if p.name != ".lock") if root.is_dir() else []


def runs(db: Database, kind: str) -> list[tuple[int, int, int]]:
    with db.session() as s:
        return [
            (r.inserted, r.updated, r.unchanged) for r in s.scalars(select(ImportRun).where(ImportRun.kind == kind))
        ]


def test_only_the_write_path_commits_so_every_database_import_is_one_transaction() -> None:
    """Importers get a session and never end its transaction: ``platform.import_file`` commits once. A
    ``.commit()`` anywhere else in the code would split some import into parts a crash could separate."""
    committing = sorted(
        path.relative_to(SOURCE_DIR).as_posix()
        for path in SOURCE_DIR.joinpath("peaceops").rglob("*.py")
        if ".commit()" in path.read_text(encoding="utf-8")
    )
    assert committing == ["peaceops/store/database.py"]


# (point, n, whether the run is committed when the process dies, partitions in place when it dies)
POINTS = {
    "while-staging": ("stage", 2, False, 0),
    "staged-before-the-commit": ("commit", 1, False, 0),
    "committed-before-the-renames": ("rename", 1, True, 0),
    "committed-in-the-middle-of-the-renames": ("rename", 10, True, 9),
    "renamed-before-the-journal-is-removed": ("unjournal", 1, True, 26),
}
# Every point on SQLite; on PostgreSQL the two on either side of the commit, the only step where the
# database differs (the files' staging, renames and journal are the same code on both).
EVENT_KILLS = [
    *(pytest.param("sqlite", *point, id=f"sqlite-{name}") for name, point in POINTS.items()),
    *(
        pytest.param("postgresql", *POINTS[name], id=f"postgresql-{name}")
        for name in ("staged-before-the-commit", "committed-before-the-renames")
    ),
]


@pytest.mark.parametrize(("db", "point", "n", "committed", "in_place"), EVENT_KILLS, indirect=["db"])
def test_an_event_import_killed_midway_then_run_again_ends_as_one_uninterrupted_run(
    db: Database, tmp_path: Path, data_dir: Path, reference: Reference, point: str, n: int, committed: bool,
    in_place: int,
) -> None:  # fmt: skip
    var, path = tmp_path / "var", data_dir.joinpath(*GED)
    first = reference.reports["ucdp-ged"][0]
    cli(db, var, "import", "ucdp-ged", str(path), kill=(point, n))

    # Where it died: the run is committed or not, and the readers' view of the store is untouched before
    # the commit (staged files hide under dot names), partly or wholly renamed after it.
    assert runs(db, "ucdp-ged") == ([(first["inserted"], 0, 0)] if committed else [])
    assert len(event_files(var)) == in_place
    assert leftovers(var), "the crash left nothing to settle"
    if point == "rename" and n == 1:
        # A command that reads the store settles it first (`prepare`): no second import needed.
        done = cli(db, var, "db", "upgrade")
        assert done.returncode == 0, done.stderr
        assert same_store(store_contents(var), reference.store)
        assert state(db, "ucdp-ged") == reference.states["ucdp-ged"][0]

    again = import_file(db, "ucdp-ged", path, "cli", var_dir=var).as_dict()

    # The same rows as an uninterrupted run (two runs where the first one was committed), no leftovers,
    # and counts that tell the truth: everything is new unless the killed run had committed it.
    assert leftovers(var) == []
    assert same_store(store_contents(var), reference.store)
    assert state(db, "ucdp-ged") == reference.states["ucdp-ged"][1 if committed else 0]
    expected = reference.reports["ucdp-ged"][1 if committed else 0]
    assert {k: v for k, v in again.items() if k != "run_id"} == {k: v for k, v in expected.items() if k != "run_id"}
    assert again["inserted"] == (0 if committed else len(pa.concat_tables(reference.store.values())))


@pytest.mark.parametrize("point", ["flush", "commit"], ids=["rows-flushed-in-the-transaction", "at-the-commit"])
def test_a_database_import_killed_in_its_transaction_leaves_nothing_and_runs_again_whole(
    db: Database, tmp_path: Path, data_dir: Path, reference: Reference, point: str
) -> None:
    path = data_dir.joinpath(*FATALITIES)
    cli(db, tmp_path / "var", "import", "fatalities", str(path), kill=(point, 1))
    assert state(db, "fatalities") == {"runs": [], "audit": [], "fatalities": []}

    again = import_file(db, "fatalities", path, "cli", var_dir=tmp_path / "var").as_dict()

    assert state(db, "fatalities") == reference.states["fatalities"][0]
    expected = reference.reports["fatalities"][0]
    assert {k: v for k, v in again.items() if k != "run_id"} == {k: v for k, v in expected.items() if k != "run_id"}
    assert again["inserted"] == again["accepted"] == 4429


def test_an_event_import_whose_transaction_rolls_back_leaves_the_store_as_it_was(
    db: Database, tmp_path: Path, data_dir: Path, reference: Reference
) -> None:
    var, path = tmp_path / "var", data_dir.joinpath(*GED)
    with pytest.raises(RuntimeError, match="after the import"), db.write() as session:
        import_events(session, "ucdp-ged", path, "cli", var)
        assert leftovers(var)  # staged and journalled, waiting for the transaction's end
        raise RuntimeError("a failure after the import, in the same transaction")
    assert (leftovers(var), event_files(var), runs(db, "ucdp-ged")) == ([], [], [])
    again = import_file(db, "ucdp-ged", path, "cli", var_dir=var)  # the store's lock was given back
    assert again.inserted == reference.reports["ucdp-ged"][0]["inserted"]
    assert same_store(store_contents(var), reference.store)


def test_renames_that_fail_after_the_commit_are_reported_and_finished_by_the_next_command(
    db: Database, tmp_path: Path, data_dir: Path, reference: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    var, path = tmp_path / "var", data_dir.joinpath(*GED)
    replace = os.replace

    def disk_full(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(dst).name == "part-0.parquet":
            raise OSError(28, "No space left on device")
        replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(ConfigurationError, match="is recorded, but its events could not be moved"):
        import_file(db, "ucdp-ged", path, "cli", var_dir=var)
    monkeypatch.undo()
    assert (runs(db, "ucdp-ged"), event_files(var)) == ([(reference.reports["ucdp-ged"][0]["inserted"], 0, 0)], [])
    prepare(db, var_dir=var)
    assert leftovers(var) == []
    assert same_store(store_contents(var), reference.store)
    assert state(db, "ucdp-ged") == reference.states["ucdp-ged"][0]


def ged_file(data_dir: Path, path: Path, dates: list[tuple[str, str]]) -> Path:
    """A GED file of the real header and first row of the Central African Republic file, one row per
    (date_start, date_end), numbered 900000 on."""
    with gzip.open(data_dir.joinpath(*GED), "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        first = next(reader)
        header = list(reader.fieldnames or [])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        for i, (start, end) in enumerate(dates):
            writer.writerow({**first, "id": str(900_000 + i), "date_start": start, "date_end": end})
    return path


def test_an_event_moved_to_another_year_leaves_its_old_partition_only_once_the_batch_is_in_place(
    db: Database, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    var = tmp_path / "var"
    import_file(
        db, "ucdp-ged", ged_file(data_dir, tmp_path / "old.csv", [("2018-03-01", "2018-03-01")]), "t", var_dir=var
    )
    moved = ged_file(data_dir, tmp_path / "new.csv", [("2020-12-31", "2021-01-01")])
    replace = os.replace

    def refuse_partitions(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(dst).name == "part-0.parquet":
            raise OSError(5, "Input/output error")
        replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refuse_partitions)
    with pytest.raises(ConfigurationError, match="could not be moved"):
        import_file(db, "ucdp-ged", moved, "t", var_dir=var)
    monkeypatch.undo()
    # Committed, not yet in place: the 2018 partition still holds the event, nothing in 2021 yet.
    assert [p.parent.name for p in event_files(var)] == ["year=2018"]
    assert runs(db, "ucdp-ged") == [(1, 0, 0), (0, 1, 0)]
    prepare(db, var_dir=var)
    assert [p.parent.name for p in event_files(var)] == ["year=2021"]
    assert not (events_dir(var) / "ucdp-ged" / "year=2018").exists()
    assert leftovers(var) == []
