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

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event


def _driver_transactions_off(dbapi_conn: Any, _record: Any) -> None:
    # The sqlite3 driver must not emit BEGIN itself (it would only do so before DML, deferred).
    dbapi_conn.isolation_level = None


def _begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def write_engine(engine: Engine, on_connect: Callable[[Any, Any], None] | None = None) -> Engine:
    """The engine write sessions use: on SQLite a second pool on the same file whose transactions begin
    with ``BEGIN IMMEDIATE`` (``on_connect`` runs first on each new connection, as on the reading engine);
    on PostgreSQL ``engine`` itself."""
    if engine.dialect.name != "sqlite":
        return engine
    database = engine.url.database
    if not database or database == ":memory:":
        raise ValueError("Write sessions need a SQLite file: an in-memory database is private to one connection.")
    writer = create_engine(engine.url, hide_parameters=True)
    if on_connect is not None:
        event.listen(writer, "connect", on_connect)
    event.listen(writer, "connect", _driver_transactions_off)
    event.listen(writer, "begin", _begin_immediate)
    return writer
