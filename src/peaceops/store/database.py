"""Engine and session factories; SQLite runs in WAL mode with foreign keys on.

``Database.session()`` reads (and may append an audit entry); ``Database.write()`` is the one way to write
(``store/writes.py``, decision 020).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError as AlembicError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from peaceops.errors import ConfigurationError
from peaceops.store import audit, generation
from peaceops.store.writes import write_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# How long SQLite waits for another writer's lock before "database is locked" (seconds).
SQLITE_BUSY_TIMEOUT = 10.0
# What the drivers say when another connection holds the lock a statement needs: SQLite's messages, and
# PostgreSQL's lock_not_available (lock_timeout ran out) and deadlock_detected SQLSTATEs.
SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked", "database is busy")
POSTGRES_BUSY = ("55P03", "40P01")


def _sqlite_pragmas(busy_timeout: float) -> Callable[[Any, Any], None]:
    """The connect hook of both SQLite engines: WAL, foreign keys, and how long to wait for a writer."""
    busy_ms = max(0, int(busy_timeout * 1000))

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={busy_ms:d}")
        cur.close()

    return on_connect


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means "another job holds the lock; the same request later may succeed"
    (the web answers 503, the CLI says so in one sentence), rather than a broken query or server."""
    if isinstance(exc, PoolTimeout):  # every connection is in use: the same, seen from the pool
        return True
    if not isinstance(exc, OperationalError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in POSTGRES_BUSY:
        return True
    text = str(orig).lower()
    return any(message in text for message in SQLITE_BUSY)


def is_unstorable(exc: BaseException) -> bool:
    """Whether the driver refused a value a request sent, not the statement: PostgreSQL's data errors (a NUL
    character, a text longer than its column, a number out of its column's range) and SQLite's refusal to
    bind an integer beyond 64 bits. The web answers 422."""
    if isinstance(exc, DataError):
        return True
    return isinstance(exc, OverflowError) and "SQLite INTEGER" in str(exc)


class Database:
    """One engine and its session factory, built from a URL so tests can make as many as they like.

    ``lock_timeout`` is how many seconds a statement waits for a lock another connection holds before it
    fails with an error ``is_busy`` recognises: SQLite's busy timeout (10 s unless given), PostgreSQL's
    ``lock_timeout`` (no limit unless given).
    """

    def __init__(self, url: str, *, schema: str | None = None, lock_timeout: float | None = None) -> None:
        self.url = url
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        elif url.startswith("postgresql"):
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            # Options the URL itself gives (``?options=-csearch_path%3Dx``) are kept beside ours: connect_args
            # would otherwise replace them.
            parsed = make_url(url)
            given = parsed.query.get("options")
            options = [given] if isinstance(given, str) else list(given or ())
            url = parsed.difference_update_query(["options"]).render_as_string(hide_password=False)
            if schema:
                options.append(f"-csearch_path={schema}")
            if lock_timeout is not None:
                options.append(f"-clock_timeout={max(1, int(lock_timeout * 1000))}")
            if options:
                kwargs["connect_args"] = {"options": " ".join(options)}
        # A driver error's text never repeats the statement's values (a password hash, a restricted note).
        kwargs["hide_parameters"] = True
        # Room for every request thread of a server (anyio's 40) to hold a connection: a smaller pool made
        # concurrent readers wait 30 s for one, then fail.
        kwargs.update(pool_size=10, max_overflow=30)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            pragmas = _sqlite_pragmas(SQLITE_BUSY_TIMEOUT if lock_timeout is None else lock_timeout)
            event.listen(self.engine, "connect", pragmas)
            self.write_engine = write_engine(self.engine, pragmas)
        else:
            self.write_engine = write_engine(self.engine)
        generation.track(self.engine)
        if self.write_engine is not self.engine:
            generation.track(self.write_engine)
        self.schema = schema
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessionmaker = sessionmaker(self.write_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, defer_audit: bool = False) -> Iterator[Session]:
        """A session for reading that commits when the block ends and rolls back on error.

        Readers run side by side. With ``defer_audit`` (the web's reads), an audit entry recorded in the
        read (the audit of a restricted read) is queued and appended when the read has ended, in a short
        ``write()`` of its own: concurrent readers never contend for the audit chain's tail inside their
        read, and if the append fails the block fails, so nothing is read without its entry. Without it
        an entry is appended in this transaction. Anything that changes data uses ``write()``.
        """
        with self.sessionmaker() as session:
            session.info[audit.READ_SESSION] = defer_audit
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            pending = audit.take_pending(session)
        if pending:  # the audit of what was read: appended to the chain in a short write of its own
            with self.write() as writer:
                for entry in pending:
                    audit.append(writer, entry)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """The write path: one transaction, committed when the block ends and rolled back on error.

        On SQLite the transaction begins with ``BEGIN IMMEDIATE`` at its first statement (or at
        ``session.connection()``): it waits there, once, until no other writer holds the lock, then holds
        it to the end, so what it read stays true and it never fails half way on "database is locked".
        On SQLite the writers of this process queue for their turn first (``WriterQueue``), so many at once all get
        through. Keep the block short: compute first, then open it. On PostgreSQL it is an ordinary
        transaction. Do not open a second ``write()`` inside one in the same thread: it would wait for the
        first.
        """
        with self.write_sessionmaker() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()


def alembic_config() -> Config:
    """The Alembic configuration of the migrations inside the package (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def known_revision(revision: str) -> bool:
    """Whether this code's migrations know ``revision`` (an unknown one was made by newer code)."""
    try:
        script = ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except AlembicError:
        return False
    return script is not None and script.revision == revision


def current_revision(db: Database) -> str | None:
    """The revision the database is migrated to, None where it has no schema yet (heads joined by commas)."""
    with db.engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


def upgrade(db: Database, revision: str = "heads") -> None:
    """Bring the schema to ``revision`` (every branch head by default) with Alembic, on the database's own engine."""
    _migrate(db, command.upgrade, revision)


def migrate_to(db: Database, revision: str) -> None:
    """Bring the schema to exactly ``revision``, upgrading or downgrading from wherever it is."""
    current = current_revision(db)
    if current == revision:
        return
    if current is not None:
        script = ScriptDirectory.from_config(alembic_config())
        below = {r.revision for r in script.iterate_revisions(tuple(current.split(",")), "base")}
        if revision in below:
            _migrate(db, command.downgrade, revision)
            return
    _migrate(db, command.upgrade, revision)


def _migrate(db: Database, step: Callable[[Config, str], None], revision: str) -> None:
    cfg = alembic_config()
    try:
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            step(cfg, revision)
    except Exception as exc:  # a driver error here means the URL or server is wrong
        if exc.__class__.__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
            raise ConfigurationError(f"Cannot migrate the database at {db.engine.url!r}: {exc}") from exc
        raise
