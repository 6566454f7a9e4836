"""The one write path: a transaction that holds SQLite's write lock from its first statement to its end.

SQLite has one writer at a time. Python's sqlite3 driver, left to itself, begins a transaction only at the
first INSERT/UPDATE/DELETE: the reads before it are not part of the transaction (two writers can read the
same state and both act on it), and a transaction that reads first and writes later can fail half way
with "database is locked". A write session here switches the driver's own transaction handling off and
begins with ``BEGIN IMMEDIATE`` (decision 020): the lock is taken, or waited for, once, when the
transaction begins, and never again inside it. Readers are not held up: in WAL mode they read the last
committed state while a writer works.

On PostgreSQL a write session is an ordinary transaction on the same engine.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import OperationalError


def _driver_transactions_off(dbapi_conn: Any, _record: Any) -> None:
    # The sqlite3 driver must not emit BEGIN itself (it would only do so before DML, deferred).
    dbapi_conn.isolation_level = None


# How long a writer waits for the other writers of its own process before giving up as SQLite would.
QUEUE_TIMEOUT = 30.0
_TURN = "peaceops_writer_turn"  # in a connection record's info: this connection holds the process's turn


class WriterQueue:
    """The writers of one process on one SQLite file, one at a time, in the order they came.

    SQLite's own wait for the write lock (``busy_timeout``) is a poll with growing sleeps, not a queue:
    under many concurrent writers (fifty reports filed at once) some keep losing the race until their
    timeout and fail with "database is locked", however short each write is. Queued here first, at the
    moment the transaction begins (so an importer still reads its file before it waits), the writers of a
    process take the lock in turn and only wait for each other; SQLite's wait still settles between
    processes (a CLI import beside the web app). A writer that waits longer than ``QUEUE_TIMEOUT`` fails
    with the same error SQLite gives, so every surface maps it the same way.
    """

    def __init__(self, timeout: float = QUEUE_TIMEOUT) -> None:
        self._lock = threading.Lock()  # a plain Lock: the web begins and ends a write in different threads
        self.timeout = timeout

    def take(self, info: dict[Any, Any]) -> None:
        if info.get(_TURN):  # a second transaction on a connection not yet given back: its turn goes on
            return
        if not self._lock.acquire(timeout=self.timeout):
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
        info[_TURN] = True

    def give_back(self, info: dict[Any, Any]) -> None:
        if info.pop(_TURN, False):
            self._lock.release()


def write_engine(engine: Engine, on_connect: Callable[[Any, Any], None] | None = None) -> Engine:
    """The engine write sessions use: on SQLite a second pool on the same file whose transactions take
    the process's turn (``WriterQueue``), then begin with ``BEGIN IMMEDIATE``; the turn is given back when
    the connection goes back to the pool, after its commit or rollback has reached the file, or is thrown
    away (``on_connect`` runs first on each new connection, as on the reading engine). On PostgreSQL
    ``engine`` itself."""
    if engine.dialect.name != "sqlite":
        return engine
    database = engine.url.database
    if not database or database == ":memory:":
        raise ValueError("Write sessions need a SQLite file: an in-memory database is private to one connection.")
    writer = create_engine(engine.url, hide_parameters=True)
    queue = WriterQueue()

    def begin_immediate(conn: Connection) -> None:
        queue.take(conn.info)
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    if on_connect is not None:
        event.listen(writer, "connect", on_connect)
    event.listen(writer, "connect", _driver_transactions_off)
    event.listen(writer, "begin", begin_immediate)
    event.listen(writer, "checkin", lambda _dbapi, record: queue.give_back(record.info))
    event.listen(writer, "invalidate", lambda _dbapi, record, _exc: queue.give_back(record.info))
    return writer
