"""The data generation (decision 026): raised by every commit that changes data, by no other, and seen by
every connection to the database once committed."""

from __future__ import annotations

from sqlalchemy import text

from peaceops.access.users import add_user
from peaceops.missions.models import Mission
from peaceops.store import Database, audit, generation


def now(db: Database) -> int:
    with db.session() as session:
        return generation.current(session)


def test_a_committed_change_raises_it_once_per_transaction(db: Database) -> None:
    start = now(db)
    with db.write() as session:
        session.add(Mission(acronym="GENTEST", name="Generation test mission"))
        session.flush()
        session.add(Mission(acronym="GENTEST2", name="Another"))
    assert now(db) == start + 1
    with db.write() as session:
        session.execute(text("UPDATE mission SET notes = 'seen' WHERE acronym = 'GENTEST'"))
    assert now(db) == start + 2
    with db.engine.begin() as conn:  # a plain Core transaction counts as well
        conn.execute(text("DELETE FROM mission WHERE acronym = 'GENTEST2'"))
    assert now(db) == start + 3


def test_rollbacks_reads_and_sign_in_bookkeeping_leave_it_alone(db: Database) -> None:
    start = now(db)
    try:
        with db.write() as session:
            session.add(Mission(acronym="GENROLL", name="Rolled back"))
            session.flush()
            raise RuntimeError("abandon")
    except RuntimeError:
        pass
    with db.session() as session:
        session.execute(text("SELECT count(*) FROM mission")).scalar()
    with db.write() as session:
        audit.record(session, "tester", "read", "incident", 1)
        add_user(session, "gen-tester", "a long enough password", role="viewer")
    assert now(db) == start
    with db.write() as session:  # the next real change still counts, once
        session.add(Mission(acronym="GENAFTER", name="After"))
    assert now(db) == start + 1


def test_another_connection_sees_the_new_generation_only_after_the_commit(db: Database) -> None:
    other = Database(db.url, schema=db.schema)
    try:
        start = now(other)
        with db.write() as session:
            session.add(Mission(acronym="GENOTHER", name="Seen elsewhere"))
            session.flush()
            assert now(other) == start  # a reader meanwhile sees the old data and the old number
        assert now(other) == start + 1
    finally:
        other.dispose()
