"""The durable queue of long jobs (imports, monitoring runs, retraining, embedding): one table, both stores.

A job is a row. A worker *claims* the oldest queued job that is due (on PostgreSQL with ``FOR UPDATE SKIP
LOCKED``, so workers on many machines never take the same one; on SQLite the single writer lock does the
same), runs it, and marks it done or failed. While it runs, the worker writes a heartbeat and the job's
progress. A failed attempt goes back to the queue after a back-off (30 s, 60 s, 120 s...) until
``max_attempts``; then it stays failed with its reason. A worker that dies mid-job (SIGKILL, a crash, a
restart of the machine) stops its heartbeat: the next claim by any worker first puts such *stalled* jobs
back in the queue as a failed attempt, so the job is run again and completes once. Job handlers are
idempotent (imports upsert; a monitoring run reuses a stored run) so a re-run after a half-done attempt
leaves the same result as one clean run. Decision 051.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from peaceops.store.base import Base, utcnow
from peaceops.store.database import Database

STATUSES = ("queued", "running", "done", "failed")
BACKOFF_SECONDS = 30  # the first retry's wait; doubled for each further attempt
STALE_AFTER = timedelta(minutes=2)  # a running job whose heartbeat is older than this has lost its worker


class Job(Base):
    """One long task: what to run, who asked, where it stands."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the handler's arguments
    actor: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    run_after: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    worker: Mapped[str] = mapped_column(String(120), default="")
    done_units: Mapped[int] = mapped_column(Integer, default=0)
    total_units: Mapped[int | None] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(200), default="")  # what the job is doing now, in plain words
    error: Mapped[str] = mapped_column(Text, default="")  # the last attempt's failure, for the operator
    result: Mapped[str] = mapped_column(Text, default="")  # JSON: the handler's summary

    @property
    def arguments(self) -> dict[str, Any]:
        return dict(json.loads(self.params or "{}"))

    @property
    def summary(self) -> dict[str, Any]:
        return dict(json.loads(self.result)) if self.result else {}


@dataclass(frozen=True)
class Claimed:
    """What a worker needs of the job it took (the row itself stays in the store)."""

    id: int
    kind: str
    params: dict[str, Any]
    actor: str
    attempt: int


def enqueue(session: Session, kind: str, params: dict[str, Any], actor: str, *, max_attempts: int = 3) -> Job:
    """Queue a job; it runs when a worker is free."""
    job = Job(kind=kind, params=json.dumps(params, sort_keys=True), actor=actor, max_attempts=max_attempts)
    session.add(job)
    session.flush()
    return job


def backoff(attempt: int) -> timedelta:
    """How long a job waits after its ``attempt``-th failure before it is tried again."""
    return timedelta(seconds=BACKOFF_SECONDS * 2 ** max(0, attempt - 1))


def _fail_attempt(job: Job, reason: str, now: datetime, *, wait: bool = True) -> None:
    job.error = reason
    job.heartbeat_at = None
    if job.attempts >= job.max_attempts:
        job.status, job.finished_at = "failed", now
    else:
        job.status, job.run_after = "queued", now + (backoff(job.attempts) if wait else timedelta(0))


def requeue_stalled(session: Session, stale_after: timedelta = STALE_AFTER) -> list[int]:
    """Jobs whose worker stopped sending heartbeats: each counts as a failed attempt, queued again at once (the
    worker died, not necessarily the job's fault) or failed after its last attempt."""
    now = utcnow()
    stalled = session.scalars(
        select(Job)
        .where(Job.status == "running", or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < now - stale_after))
        .with_for_update(skip_locked=True)
    ).all()
    for job in stalled:
        reason = f"The worker {job.worker} stopped during attempt {job.attempts} (killed or crashed)."
        _fail_attempt(job, reason, now, wait=False)
    return [job.id for job in stalled]


def claim(db: Database, worker: str, *, stale_after: timedelta = STALE_AFTER) -> Claimed | None:
    """Take the oldest due job, or None; stalled jobs are put back first."""
    with db.write() as session:
        requeue_stalled(session, stale_after)
        now = utcnow()
        job = session.scalars(
            select(Job)
            .where(Job.status == "queued", Job.run_after <= now)
            .order_by(Job.run_after, Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if job is None:
            return None
        job.status, job.attempts, job.worker = "running", job.attempts + 1, worker
        job.started_at = job.heartbeat_at = now
        job.done_units, job.total_units, job.step = 0, None, ""
        return Claimed(job.id, job.kind, job.arguments, job.actor, job.attempts)


def beat(
    db: Database,
    job_id: int,
    worker: str,
    *,
    step: str | None = None,
    done: int | None = None,
    total: int | None = None,
) -> bool:
    """Record that ``worker`` still runs the job, with its progress; False when the job is no longer its own
    (another worker took it over as stalled), so the caller stops."""
    values: dict[str, Any] = {"heartbeat_at": utcnow()}
    if step is not None:
        values["step"] = step[:200]
    if done is not None:
        values["done_units"] = done
    if total is not None:
        values["total_units"] = total
    with db.write() as session:
        changed = session.execute(
            update(Job).where(Job.id == job_id, Job.status == "running", Job.worker == worker).values(**values)
        )
        return bool(changed.rowcount)  # type: ignore[attr-defined]


def finish(db: Database, job_id: int, worker: str, result: dict[str, Any]) -> bool:
    """Mark the job done with its summary; False when it was no longer this worker's."""
    with db.write() as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.status != "running" or job.worker != worker:
            return False
        job.status, job.finished_at, job.heartbeat_at = "done", utcnow(), None
        job.result, job.error = json.dumps(result, sort_keys=True, default=str), ""
        if job.total_units is not None:
            job.done_units = job.total_units
        return True


def fail(db: Database, job_id: int, worker: str, reason: str) -> None:
    """One failed attempt: queued again after the back-off, or failed for good after the last attempt."""
    with db.write() as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is not None and job.status == "running" and job.worker == worker:
            _fail_attempt(job, reason, utcnow())


def retry(session: Session, job_id: int) -> Job | None:
    """Queue a failed job again now, with a fresh set of attempts (an administrator's decision)."""
    job = session.get(Job, job_id)
    if job is None or job.status != "failed":
        return None
    job.status, job.run_after, job.attempts, job.finished_at = "queued", utcnow(), 0, None
    return job


def recent(session: Session, limit: int = 100) -> list[Job]:
    """The newest jobs first."""
    return list(session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)))
