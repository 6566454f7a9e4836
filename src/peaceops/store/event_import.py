"""Loading event files (UCDP GED, ACLED) into the Parquet event store, with provenance and audit.

An import is all or nothing across the two stores it changes (decision 023): the Parquet partitions and,
in the database, the run, its coverage rows and its audit entry. The database transaction is the commit
point; the partitions are staged and journalled before it and put in place after it (``event_journal``).
A crash at any moment leaves either no trace or a journal that ``recover`` settles by what the database
holds: rolled forward when the run was committed, discarded when it was not.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, event, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, SessionTransaction

from peaceops.errors import ConfigurationError
from peaceops.sources.acled import read_acled
from peaceops.sources.records import SourceRows
from peaceops.sources.ucdp import read_ged
from peaceops.store.audit import AuditEntry
from peaceops.store.coverage import record_coverage
from peaceops.store.database import Database
from peaceops.store.event_journal import (
    JOURNAL,
    STAGED,
    Journal,
    StoreLock,
    discard,
    journals,
    leftovers,
    roll_forward,
    stage,
    sweep,
    write_journal,
)
from peaceops.store.events import events_dir, plan_events, to_table
from peaceops.store.imports import Importer, ImportJob, ImportKind, finish_import
from peaceops.store.provenance import ImportReport
from peaceops.store.sync import ProgressStart

READERS: dict[str, Callable[[Path], SourceRows]] = {"ucdp-ged": read_ged, "acled": read_acled}
BATCH = "event_batch"  # the key of the run's audit entry that names its batch of staged partitions
PG_LOCK = int.from_bytes(b"events", "big")  # pg_advisory_xact_lock key held by event imports until they end
PENDING = "peaceops_event_batch"  # Session.info: this transaction has an event batch waiting for its end


def import_events(
    session: Session, kind: str, path: Path, actor: str, var_dir: Path, progress: ProgressStart = None
) -> ImportReport:
    """Read one event file, merge it into the store under ``var_dir`` and record the run, all or nothing.

    The file is read and checked before anything is touched. Under the store's lock, what an interrupted
    import left is settled first, so the counts compare with the committed store. The changed partitions
    are staged, and put in place when this session's transaction ends having committed the run (deleted
    if it rolled back); the lock is held until then.
    """
    rows = READERS[kind](path)
    if PENDING in session.info:
        raise ValueError("One event file per transaction: commit this import before starting the next one.")
    tick = progress(rows.accepted) if progress else None
    lock = StoreLock(var_dir)
    batch = uuid.uuid4().hex
    try:
        recover(session, var_dir)
        changes = plan_events(var_dir, rows)
        moves = stage(var_dir, changes, batch)
        record_coverage(session, to_table(rows))
        report = finish_import(
            session, rows, actor, "event", changes.counts, accepted=rows.accepted, extra={BATCH: batch}
        )
        journal = write_journal(var_dir, changes.source, batch, report.run_id or 0, moves) if moves else None
        _settle_when_ended(session, lock, journal)
    except BaseException:
        try:
            _forget(var_dir, batch)
        finally:
            lock.release()
        raise
    if tick:
        tick(rows.accepted)
    return report


def recover(session: Session, var_dir: Path) -> None:
    """Settle what interrupted imports left in the store; the caller holds the store's lock.

    A journal is rolled forward if the database holds its run's audit entry with its batch, else discarded;
    then staged files no journal names are deleted. On PostgreSQL the advisory lock comes first: a killed
    import's commit may still be in the server's hands, and the lock is free only once that transaction
    has ended, one way or the other.
    """
    _serialise(session)
    for journal in journals(var_dir):
        if _committed(session, journal):
            roll_forward(journal)
        else:
            discard(journal)
    sweep(var_dir)


def settle_events(db: Database, var_dir: Path) -> None:
    """Settle an interrupted import's leftovers now (``platform.prepare``), not at the next import."""
    if leftovers(var_dir):
        with held_still(db, var_dir):
            pass


@contextmanager
def held_still(db: Database, var_dir: Path) -> Iterator[None]:
    """The event store settled, and no import between its commit and its renames while the block runs:
    a backup copies the database inside, so the files it copies afterwards are at least as new."""
    with StoreLock(var_dir):
        if leftovers(var_dir):
            with db.write() as session:
                recover(session, var_dir)
        yield


def _serialise(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})


def _committed(session: Session, journal: Journal) -> bool:
    afters = session.scalars(
        select(AuditEntry.after).where(
            AuditEntry.action == "import", AuditEntry.entity == "event", AuditEntry.entity_id == str(journal.run_id)
        )
    )
    return any(isinstance(after, dict) and after.get(BATCH) == journal.batch for after in afters)


def _settle_when_ended(session: Session, lock: StoreLock, journal: Journal | None) -> None:
    """When the session's transaction ends, put the batch in place or drop it, by the database's answer
    (asked afresh: a commit that failed on the way back may still have happened), then free the store."""
    session.connection()  # the transaction has begun (the run is flushed); this is its outermost
    root = session.get_transaction()
    session.info[PENDING] = journal

    def ended(ended_session: Session, transaction: SessionTransaction) -> None:
        if transaction is not root or PENDING not in ended_session.info:
            return  # a savepoint, or settled already
        del ended_session.info[PENDING]
        try:
            if journal is not None:
                _settle(ended_session.get_bind(), journal)
        finally:
            lock.release()

    event.listen(session, "after_transaction_end", ended)


def _settle(bind: Engine | Connection, journal: Journal) -> None:
    try:
        with Session(bind=bind) as check, check.begin():
            _serialise(check)
            committed = _committed(check, journal)
    except SQLAlchemyError:
        return  # the journal stays: the next import or ``settle_events`` asks again
    if not committed:
        try:
            discard(journal)
        except OSError:
            pass  # staged files only: swept by the next import
        return
    try:
        roll_forward(journal)
    except OSError as exc:
        raise ConfigurationError(
            f"Import run {journal.run_id} is recorded, but its events could not be moved into the event store "
            f"({exc}). They wait in {journal.path.parent}: the next event import or `peaceops db upgrade` "
            "puts them in place once the disk is writable."
        ) from exc


def _forget(var_dir: Path, batch: str) -> None:
    """Delete a batch that failed before its transaction could commit: its staged files and its journal."""
    for path in events_dir(var_dir).glob(f"*/year=*/.*.{batch}{STAGED}"):
        path.unlink(missing_ok=True)
    for path in events_dir(var_dir).glob(f"*/{JOURNAL}"):
        if batch in path.read_text(encoding="utf-8", errors="replace"):
            path.unlink()


def _importer(kind: str) -> Importer:
    def importer(session: Session, job: ImportJob) -> ImportReport:
        if job.var_dir is None:  # platform.import_file says so first; this guards direct calls
            raise ConfigurationError(f"Importing {kind} files needs the var directory that holds the event store.")
        return import_events(session, kind, job.path, job.actor, job.var_dir, job.progress)

    return importer


KINDS = (
    ImportKind(
        "ucdp-ged", _importer("ucdp-ged"), "conflict events",
        "UCDP Georeferenced Event Dataset CSV (optionally gzip-compressed), into the Parquet event store.",
        needs_var_dir=True,
        demo_files=tuple(
            ("ucdp", "ged", f"ged_{country}.csv.gz")
            for country in ("central_african_republic", "myanmar", "mexico", "syria_2016_2019")
        ),  # the countries' series (the global sample is a schema fixture, not a series)
    ),
    ImportKind(
        "acled", _importer("acled"), "conflict events",
        "An ACLED export (old or current schema), into the Parquet event store.",
        needs_var_dir=True,
    ),
)  # fmt: skip
