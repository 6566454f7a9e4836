"""Whether this instance can serve: the database answers and its schema is the one this code expects.

A load balancer or a process supervisor asks this many times a minute, without signing in, so the answer
names what is wrong and what to do, never a URL, a driver message or a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from peaceops.store.database import Database, alembic_config, current_revision


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Health:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


@cache
def head_revision() -> str:
    """The newest schema revision this code's migrations know (heads joined by commas); read once, as
    parsing every migration file on each health check cost more than the check itself."""
    return ",".join(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def check(db: Database) -> Health:
    """Ask the database for one row, then compare its schema revision with this code's newest."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        revision = current_revision(db)
    except SQLAlchemyError:
        return Health(
            (
                Check("database", False, "The database does not answer: check that it is running and reachable."),
                Check("schema", False, "Not checked: the database does not answer."),
            )
        )
    database = Check("database", True, "The database answers.")
    if revision == head_revision():
        return Health((database, Check("schema", True, "The schema is current.")))
    state = "has no schema yet" if revision is None else "is at an older or unknown schema revision"
    return Health((database, Check("schema", False, f"The database {state}: run `peaceops db upgrade`.")))
