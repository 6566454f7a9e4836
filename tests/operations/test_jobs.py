"""The durable job queue (decision 051): claim, progress, back-off, stalled jobs, and a worker killed mid-job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from support.databases import make_database
from support.requirements import DATA_DIR

import peaceops
from peaceops.errors import ValidationFailed
from peaceops.jobs import submit, work_once
from peaceops.personnel.models import Fatality
from peaceops.store import Database, jobs
from peaceops.store.base import utcnow
from peaceops.store.jobs import Job
from peaceops.store.provenance import ImportRun

SOURCE_DIR = Path(peaceops.__file__).resolve().parents[1]
CRASH_WRAPPER = Path(__file__).parents[1] / "store" / "crash_wrapper.py"
MISSIONS = ("un_peacekeeping", "missions", "DPPADPOSS-PKO.csv")
FATALITIES = ("un_peacekeeping", "fatalities", "DPPADPOSS-FATALITIES.csv")


def _job(db: Database, job_id: int) -> Job:
    with db.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_job_is_claimed_once_and_finishes_with_its_summary(db: Database) -> None:
    with db.write() as session:
        first = jobs.enqueue(session, "embed", {}, "analyst").id
        second = jobs.enqueue(session, "embed", {}, "analyst").id
    took = jobs.claim(db, "w1")
    assert took is not None and took.id == first and took.attempt == 1 and took.actor == "analyst"
    assert jobs.claim(db, "w2").id == second  # the running one is not handed out again
    assert jobs.claim(db, "w3") is None
    assert jobs.beat(db, first, "w1", step="embeddings", done=5, total=10)
    assert not jobs.beat(db, first, "w2")  # only its worker beats for it
    assert (_job(db, first).done_units, _job(db, first).total_units) == (5, 10)
    assert jobs.finish(db, first, "w1", {"computed": 10})
    done = _job(db, first)
    assert done.status == "done" and done.summary == {"computed": 10} and done.done_units == 10
    assert not jobs.finish(db, first, "w1", {})  # a second finish changes nothing


def test_a_failed_attempt_waits_longer_each_time_then_fails_for_good(db: Database) -> None:
    with db.write() as session:
        job_id = jobs.enqueue(session, "embed", {}, "cli", max_attempts=2).id
    assert jobs.claim(db, "w").id == job_id
    before = utcnow()
    jobs.fail(db, job_id, "w", "The cache folder is not writable.")
    waiting = _job(db, job_id)
    assert waiting.status == "queued" and waiting.error == "The cache folder is not writable."
    assert waiting.run_after >= before + timedelta(seconds=jobs.BACKOFF_SECONDS)
    assert jobs.claim(db, "w") is None  # not due yet
    with db.write() as session:
        session.execute(update(Job).where(Job.id == job_id).values(run_after=utcnow()))
    assert jobs.claim(db, "w").attempt == 2
    jobs.fail(db, job_id, "w", "Still not writable.")
    failed = _job(db, job_id)
    assert failed.status == "failed" and failed.finished_at is not None and failed.attempts == 2
    assert jobs.backoff(1) < jobs.backoff(2) < jobs.backoff(3)
    with db.write() as session:
        assert jobs.retry(session, job_id) is not None
    assert jobs.claim(db, "w").attempt == 1  # an administrator's retry starts a fresh set of attempts


def test_a_job_whose_worker_stopped_beating_is_run_again_by_another(db: Database) -> None:
    with db.write() as session:
        job_id = jobs.enqueue(session, "embed", {}, "cli").id
    assert jobs.claim(db, "dead-worker").id == job_id
    with db.write() as session:  # the dead worker's last heartbeat, three minutes ago
        session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow() - timedelta(minutes=3)))
    again = jobs.claim(db, "live-worker")
    assert again is not None and again.id == job_id and again.attempt == 2
    assert "dead-worker stopped during attempt 1" in _job(db, job_id).error
    assert not jobs.finish(db, job_id, "dead-worker", {})  # a late result from the old worker is dropped
    assert jobs.finish(db, job_id, "live-worker", {})


def test_on_postgresql_a_job_locked_by_one_worker_is_skipped_by_another(tmp_path: Path) -> None:
    """SKIP LOCKED is PostgreSQL's (SQLite has one writer at a time, which serialises claims)."""
    for db in make_database("postgres", tmp_path):
        _skip_locked(db)


def _skip_locked(db: Database) -> None:
    with db.write() as session:
        first = jobs.enqueue(session, "embed", {}, "cli").id
        second = jobs.enqueue(session, "embed", {}, "cli").id
    with db.write() as holder:  # another worker is in the middle of claiming the first
        holder.scalars(select(Job).where(Job.id == first).with_for_update()).one()
        took = jobs.claim(db, "w2")
        assert took is not None and took.id == second


@pytest.mark.data
def test_a_worker_runs_an_import_job_and_a_rerun_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = DATA_DIR.joinpath(*MISSIONS)
    with db.write() as session:
        job_ids = [submit(session, "import", {"kind": "missions", "path": str(path)}, "cli").id for _ in range(2)]
    assert work_once(db, tmp_path, DATA_DIR) == job_ids[0]
    assert work_once(db, tmp_path, DATA_DIR) == job_ids[1]
    assert work_once(db, tmp_path, DATA_DIR) is None
    first, second = (_job(db, i) for i in job_ids)
    assert first.status == second.status == "done"
    assert first.summary["inserted"] > 0 and second.summary["inserted"] == 0
    assert second.summary["unchanged"] == first.summary["inserted"]


def test_bad_jobs_are_refused_when_queued_and_a_failing_one_keeps_its_reason(db: Database, tmp_path: Path) -> None:
    with db.write() as session:
        with pytest.raises(ValidationFailed, match="no job kind"):
            submit(session, "reboot", {}, "cli")
        with pytest.raises(ValidationFailed, match="no file"):
            submit(session, "import", {"kind": "missions", "path": str(tmp_path / "missing.csv")}, "cli")
        with pytest.raises(ValidationFailed, match="level"):
            submit(session, "monitor", {"level": "district"}, "cli")
        bad = tmp_path / "missions.csv"
        bad.write_text("not,a,missions,file\n1,2,3,4\n")
        job_id = submit(session, "import", {"kind": "missions", "path": str(bad)}, "cli").id
    assert work_once(db, tmp_path, tmp_path) == job_id
    job = _job(db, job_id)
    assert job.status == "queued" and job.attempts == 1 and job.error  # a plain reason, retried later
    assert "Traceback" not in job.error


def _worker(db: Database, var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    url = db.engine.url.render_as_string(hide_password=False)
    env = {
        **os.environ,
        "PEACEOPS_DATABASE_URL": f"{url}?options=-csearch_path%3D{db.schema}" if db.schema else url,
        "PEACEOPS_VAR_DIR": str(var_dir),
        "PEACEOPS_DATA_DIR": str(DATA_DIR),
        "PYTHONPATH": os.pathsep.join([str(SOURCE_DIR), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=600
    )  # a guard against a hang, not a speed check


@pytest.mark.data
def test_a_worker_killed_mid_job_is_replaced_and_the_job_completes_once(db: Database, tmp_path: Path) -> None:
    path = DATA_DIR.joinpath(*FATALITIES)
    var_dir = tmp_path / "var"
    with db.write() as session:
        job_id = submit(session, "import", {"kind": "fatalities", "path": str(path)}, "cli").id

    # SIGKILL in the middle of the import: every row flushed into the open transaction, nothing committed.
    killed = _worker(db, var_dir, str(CRASH_WRAPPER), "flush", "1", "jobs", "work", "--once", "--stale-after", "10")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    job = _job(db, job_id)
    assert job.status == "running" and job.attempts == 1
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Fatality)) == 0

    time.sleep(11)  # the dead worker's heartbeat grows older than --stale-after
    again = _worker(db, var_dir, "-m", "peaceops", "jobs", "work", "--once", "--stale-after", "10")
    assert again.returncode == 0, again.stderr[-2000:]
    job = _job(db, job_id)
    assert job.status == "done" and job.attempts == 2, job.error
    with db.session() as session:
        runs = session.scalars(select(ImportRun).where(ImportRun.kind == "fatalities")).all()
        assert len(runs) == 1  # imported once
        assert session.scalar(select(func.count()).select_from(Fatality)) == job.summary["inserted"] > 4000


@pytest.mark.data
def test_on_sqlite_the_server_runs_the_queue_itself(tmp_path: Path) -> None:
    """The embedded store has no separate worker: `peaceops serve` runs queued jobs in a thread."""
    var_dir = tmp_path / "var"
    env = {
        **os.environ,
        "PEACEOPS_VAR_DIR": str(var_dir),
        "PEACEOPS_DATA_DIR": str(DATA_DIR),
        "PEACEOPS_LOG_FORMAT": "text",
        "PYTHONPATH": os.pathsep.join([str(SOURCE_DIR), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("PEACEOPS_DATABASE_URL", None)
    queued = subprocess.run(
        [sys.executable, "-m", "peaceops", "jobs", "import", "missions", str(DATA_DIR.joinpath(*MISSIONS))],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert queued.returncode == 0 and "Queued job 1" in queued.stdout, queued.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "peaceops", "serve", "--port", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    db = Database(f"sqlite:///{var_dir / 'peaceops.sqlite'}")
    try:
        deadline = time.monotonic() + 120  # a guard against a hang, not a speed check
        while time.monotonic() < deadline and _job(db, 1).status != "done":
            time.sleep(0.5)
        job = _job(db, 1)
        assert job.status == "done" and job.summary["inserted"] > 50, job.error
    finally:
        server.terminate()
        server.wait(timeout=30)
        db.dispose()
