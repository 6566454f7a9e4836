"""The data generation: one number in the database that every commit changing data raises, so that a cache
of computed pages (in any process of any server on the database) knows when what it holds is stale
(decision 026).

The engines report each INSERT, UPDATE and DELETE they run; a transaction that ran one on a table outside
``UNTRACKED`` raises the number as the last statement before its commit, in the same transaction, so the
new number is seen exactly when the new data is. The bookkeeping of signing in and of the audit log
changes no page a cache holds, and would otherwise empty every cache at each sign-in.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import BigInteger, Column, Engine, Integer, Table, event, text
from sqlalchemy.orm import Session

from peaceops.store.base import Base

TABLE = "data_generation"
# Tables whose writes change no cached page: sign-in bookkeeping and the audit log (read by no cached page).
UNTRACKED = frozenset({TABLE, "audit_log", "login_session", "app_user", "second_factor", "recovery_code"})
CHANGED = "peaceops_data_changed"
_DML = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_RAISE = f"INSERT INTO {TABLE} (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = {TABLE}.n + 1"  # noqa: S608

data_generation = Table(
    TABLE, Base.metadata, Column("id", Integer, primary_key=True), Column("n", BigInteger, nullable=False)
)


def _seen(conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
    match = _DML.match(statement)
    if match and match.group(1).lower() not in UNTRACKED:
        conn.info[CHANGED] = True


def mark_changed(conn: Any) -> None:
    """Say that ``conn`` (a SQLAlchemy connection) changed data by a way its engine does not report (a
    PostgreSQL ``COPY`` on the driver's cursor): its commit raises the generation as for any write."""
    conn.info[CHANGED] = True


def _commit(conn: Any) -> None:
    if conn.info.pop(CHANGED, False):
        # On the driver's cursor: the transaction is committing, and this joins it as its last statement.
        # In a savepoint, so that a database without the table (a schema older than 0019, before its
        # migration runs) commits its own work all the same.
        cursor = conn.connection.cursor()
        try:
            cursor.execute("SAVEPOINT peaceops_generation")
            try:
                cursor.execute(_RAISE)
            except Exception:  # noqa: BLE001  (the table is missing: nothing caches on such a database)
                cursor.execute("ROLLBACK TO SAVEPOINT peaceops_generation")
            cursor.execute("RELEASE SAVEPOINT peaceops_generation")
        finally:
            cursor.close()


def _rollback(conn: Any) -> None:
    conn.info.pop(CHANGED, None)


def track(engine: Engine) -> None:
    """Raise the generation on every commit of ``engine`` that changed data."""
    event.listen(engine, "after_cursor_execute", _seen)
    event.listen(engine, "commit", _commit)
    event.listen(engine, "rollback", _rollback)
    event.listen(engine, "checkin", lambda _dbapi, record: record.info.pop(CHANGED, None))


def current(session: Session) -> int:
    """The generation now (0 before anything was written)."""
    return int(session.execute(text(f"SELECT n FROM {TABLE} WHERE id = 1")).scalar() or 0)  # noqa: S608
