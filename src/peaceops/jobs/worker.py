"""A worker: take the next due job, run it with a heartbeat, record how it ended; again until stopped.

The heartbeat thread writes the job's progress every few seconds (never per tick: a progress bar may tick
thousands of times) and proves the worker alive. Should another worker have put the job back as stalled
(this one was too slow to beat, e.g. the machine was suspended), the heartbeat says so and this worker's
result is dropped: the job completes once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta
from pathlib import Path

from peaceops.errors import PeaceopsError
from peaceops.jobs.handlers import HANDLERS, Advance, Context
from peaceops.store import jobs
from peaceops.store.analytics import DUCKDB, Engine
from peaceops.store.database import Database

LOG = logging.getLogger("peaceops.jobs")
HEARTBEAT_SECONDS = 5.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


class _Progress:
    """The job's latest step and counts, shared with the heartbeat thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.step, self.done, self.total = "", 0, None  # type: tuple[str, int, int | None]

    def start(self, step: str, total: int | None) -> Advance:
        with self.lock:
            self.step, self.done, self.total = step, 0, total

        def advance(n: int = 1) -> None:
            with self.lock:
                self.done += n

        return advance

    def snapshot(self) -> tuple[str, int, int | None]:
        with self.lock:
            return self.step, self.done, self.total


def work_once(
    db: Database,
    var_dir: Path,
    data_dir: Path,
    *,
    worker: str | None = None,
    stale_after: timedelta = jobs.STALE_AFTER,
    engine: Engine = DUCKDB,
) -> int | None:
    """Run the next due job, if any; its id (None when the queue had nothing due). ``engine`` builds the
    panels of monitoring jobs (``PEACEOPS_ENGINE``)."""
    name = worker or worker_name()
    claimed = jobs.claim(db, name, stale_after=stale_after)
    if claimed is None:
        return None
    progress, stop = _Progress(), threading.Event()
    lost = threading.Event()

    def heartbeat() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            step, done, total = progress.snapshot()
            try:
                if not jobs.beat(db, claimed.id, name, step=step, done=done, total=total):
                    lost.set()
                    return
            except Exception:  # a busy database skips one beat; the next one tries again
                LOG.warning("heartbeat of job %s failed", claimed.id, exc_info=True)

    beating = threading.Thread(target=heartbeat, name=f"job-{claimed.id}-heartbeat", daemon=True)
    beating.start()
    LOG.info("job %s (%s) started, attempt %s", claimed.id, claimed.kind, claimed.attempt)
    try:
        ctx = Context(
            db=db, var_dir=var_dir, data_dir=data_dir, actor=claimed.actor, start=progress.start, engine=engine
        )
        result = HANDLERS[claimed.kind](ctx, claimed.params)
    except PeaceopsError as exc:  # a message written for people: kept as the reason
        stop.set()
        jobs.fail(db, claimed.id, name, str(exc))
        LOG.info("job %s failed: %s", claimed.id, exc)
    except Exception as exc:  # anything else: the log has the traceback; the row says where to look
        stop.set()
        jobs.fail(db, claimed.id, name, f"{type(exc).__name__} in the worker {name}; its log has the details.")
        LOG.exception("job %s failed", claimed.id)
    else:
        stop.set()
        if lost.is_set() or not jobs.finish(db, claimed.id, name, result):
            LOG.warning("job %s was taken over by another worker; this result is dropped", claimed.id)
        else:
            LOG.info("job %s done", claimed.id)
    finally:
        stop.set()
        beating.join()
    return claimed.id


def run_worker(
    db: Database,
    var_dir: Path,
    data_dir: Path,
    stop: threading.Event,
    *,
    idle_seconds: float = 2.0,
    stale_after: timedelta = jobs.STALE_AFTER,
    engine: Engine = DUCKDB,
) -> None:
    """Run jobs until ``stop`` is set, waiting ``idle_seconds`` when the queue has nothing due."""
    name = worker_name()
    while not stop.is_set():
        try:
            ran = work_once(db, var_dir, data_dir, worker=name, stale_after=stale_after, engine=engine)
        except Exception:  # the database went away for a moment: wait, then try again
            LOG.exception("the job worker could not reach the queue")
            ran = None
        if ran is None:
            stop.wait(idle_seconds)
