"""The write path (decision 020): writers wait for each other once, at the start, and never fail half way;
readers are not held up; a long job writes only at its end, so a login or a report goes through meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from peaceops.access.models import User
from peaceops.access.users import add_user
from peaceops.errors import PeaceopsError
from peaceops.platform import import_file
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.audit import AuditEntry
from peaceops.web import create_app

PASSWORD = "write path password, long enough"
TOKEN = r'name="csrf_token" value="([^"]+)"'
# How long a thread waits for something that must NOT happen before it goes on; never asserted on.
GRACE = 2.0


@pytest.fixture
def counter(db: Database) -> Iterator[Database]:
    """A one-row table outside the schema, dropped again: the per-worker database outlives the test."""
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE wp_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO wp_counter (id, n) VALUES (1, 0)"))
    yield db
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE wp_counter"))


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.execute(text("SELECT n FROM wp_counter WHERE id = 1")).scalar_one())


def _run(fn: Callable[[], Any]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def target() -> None:
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, errors


def test_two_writers_at_once_both_succeed(counter: Database) -> None:
    """Each thread adds its own rows in many short writes, interleaved with the other's: none fails."""
    db = counter
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        start.wait()
        for i in range(20):
            with db.write() as s:
                s.execute(text("UPDATE wp_counter SET n = n + 1 WHERE id = 1"))
                s.add(AuditEntry(actor=name, action="wp", entity="wp", entity_id=str(i)))

    with ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(writer, "a"), pool.submit(writer, "b")]:
            future.result()
    assert _count(db) == 40
    with db.session() as s:
        assert len(s.scalars(select(AuditEntry).where(AuditEntry.action == "wp")).all()) == 40


def test_a_writer_that_reads_first_waits_for_the_other_instead_of_losing_its_update(tmp_path: Path) -> None:
    """Read-modify-write in two writers at once. The first reads and waits; the second starts meanwhile.
    On SQLite the second waits at its start (BEGIN IMMEDIATE) and reads the first's result: the count is 2.
    Without the lock at the start, the second reads 0 too and either loses the update or fails half way.
    (SQLite only: on PostgreSQL a write is an ordinary read-committed transaction; UPDATE locks rows.)"""
    db = Database(f"sqlite:///{tmp_path / 'writers.sqlite'}")
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE wp_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO wp_counter (id, n) VALUES (1, 0)"))
    first_read = threading.Event()
    second_read = threading.Event()
    seen: dict[str, int] = {}

    def first() -> None:
        with db.write() as s:
            seen["first"] = int(s.execute(text("SELECT n FROM wp_counter WHERE id = 1")).scalar_one())
            first_read.set()
            second_read.wait(GRACE)  # with the lock held the second cannot read; go on without it
            s.execute(text("UPDATE wp_counter SET n = :n WHERE id = 1"), {"n": seen["first"] + 1})

    def second() -> None:
        first_read.wait()
        with db.write() as s:
            seen["second"] = int(s.execute(text("SELECT n FROM wp_counter WHERE id = 1")).scalar_one())
            second_read.set()
            s.execute(text("UPDATE wp_counter SET n = :n WHERE id = 1"), {"n": seen["second"] + 1})

    a, a_errors = _run(first)
    b, b_errors = _run(second)
    a.join()
    b.join()
    assert a_errors == [] and b_errors == []
    assert seen == {"first": 0, "second": 1}
    assert _count(db) == 2
    db.dispose()


def test_a_write_during_a_long_read_succeeds_and_the_reader_keeps_its_snapshot(counter: Database) -> None:
    """A reader in the middle of a transaction (another connection) does not stop a writer, and readers
    still read while a write is open."""
    db = counter
    with db.engine.connect() as reader:
        reader.exec_driver_sql("BEGIN") if db.dialect == "sqlite" else None
        before = reader.execute(text("SELECT n FROM wp_counter WHERE id = 1")).scalar_one()
        with db.write() as s:
            s.execute(text("UPDATE wp_counter SET n = n + 1 WHERE id = 1"))
            # while this write is open, a read elsewhere answers with the committed state
            assert _count(db) == 0
        if db.dialect == "sqlite":  # a SQLite snapshot stays as it was until the reader's transaction ends
            assert reader.execute(text("SELECT n FROM wp_counter WHERE id = 1")).scalar_one() == before
        reader.rollback()
    assert _count(db) == 1


def test_a_read_session_that_appends_after_a_write_elsewhere_still_succeeds(counter: Database) -> None:
    """Reads that append an audit entry (a page view) stay possible while writers come and go."""
    db = counter
    with db.session() as s:
        assert s.execute(text("SELECT n FROM wp_counter WHERE id = 1")).scalar_one() == 0
        with db.write() as w:
            w.execute(text("UPDATE wp_counter SET n = 5 WHERE id = 1"))
        s.add(AuditEntry(actor="reader", action="read", entity="wp", entity_id="1"))
    with db.session() as s:
        assert s.scalar(select(AuditEntry.actor).where(AuditEntry.action == "read")) == "reader"


def test_an_import_with_a_bad_file_fails_on_the_file_even_while_another_writer_holds_the_lock(
    db: Database, tmp_path: Path
) -> None:
    """The importers read the whole file before their first statement: a malformed file is refused
    without waiting for (or taking) the write lock, and the database is as it was."""
    bad = tmp_path / "missions.csv"
    bad.write_text("not,the,missions,header\n1,2,3,4\n", encoding="utf-8")
    holder_has_lock = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with db.write() as s:
            s.add(AuditEntry(actor="holder", action="wp", entity="wp", entity_id="1"))
            s.flush()
            holder_has_lock.set()
            release.wait()

    thread, errors = _run(hold)
    holder_has_lock.wait()
    try:
        with pytest.raises(PeaceopsError) as refused:
            import_file(db, "missions", bad, "test")
    finally:
        release.set()
        thread.join()
    assert "database is locked" not in str(refused.value)
    assert errors == []
    with db.session() as s:
        assert s.scalar(select(User.id)) is None
        assert s.execute(text("SELECT count(*) FROM import_run")).scalar_one() == 0


# ------------------------------------------------------------------ a long job beside web writes
@pytest.fixture
def web(db: Database, settings: Settings, data_dir: Path) -> Iterator[tuple[Database, TestClient]]:
    """The real missions register (so the tests using it are marked ``data``) and the app on ``db``."""
    import_file(db, "missions", data_dir / "un_peacekeeping" / "missions" / "DPPADPOSS-PKO.csv", "test")
    with db.write() as s:
        add_user(s, "reporter", PASSWORD, "mission_officer", mission="MINUSCA")
    with TestClient(create_app(settings, db=db)) as client:
        yield db, client


def _sign_in(client: TestClient) -> None:
    import re

    token = re.search(TOKEN, client.get("/login").text)
    assert token
    response = client.post(
        "/login",
        data={"username": "reporter", "password": PASSWORD, "next": "/", "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    found = re.search(TOKEN, client.get("/incidents/new").text)
    assert found
    client.headers["X-CSRF-Token"] = found.group(1)


REPORT = {
    "mission": "MINUSCA",
    "occurred_at": "2024-03-02 10:00",
    "precision": "hour",
    "longitude": 18.56,
    "latitude": 4.36,
    "category": "armed_clash",
    "description": "Exchange of fire near the market.",
    "source_type": "patrol",
    "reliability": "B",
    "credibility": 2,
}


def _report(client: TestClient, n: int) -> Any:
    return client.post("/api/incidents", json={**REPORT, "description": f"Report {n}: exchange of fire."})


def test_login_and_a_report_go_through_while_a_long_job_computes(web: tuple[Database, TestClient]) -> None:
    """The job computes with no transaction open and writes at its end in one short write: a login
    (which stamps last_login_at) and a filed report succeed while it computes, and the job's write too."""
    db, client = web
    computing = threading.Event()
    done_computing = threading.Event()

    def long_job() -> None:
        with db.session() as s:  # read what the job needs
            s.scalar(select(User.id))
        computing.set()
        done_computing.wait()  # the long computation, no transaction open
        with db.write() as s:
            s.add(AuditEntry(actor="job", action="job", entity="wp", entity_id="1"))

    job, errors = _run(long_job)
    computing.wait()
    try:
        _sign_in(client)
        filed = _report(client, 1)
    finally:
        done_computing.set()
        job.join()
    assert filed.status_code == 201, filed.text
    assert errors == []
    with db.session() as s:
        assert s.scalar(select(User.last_login_at).where(User.username == "reporter")) is not None
        assert s.scalar(select(AuditEntry.actor).where(AuditEntry.action == "job")) == "job"


def test_reports_and_edits_at_once_all_succeed_and_keep_every_version(web: tuple[Database, TestClient]) -> None:
    """What the route lock did: concurrent reports, and concurrent edits of one verified report, each
    keep their own version number; none fails with "database is locked" or a duplicate version."""
    db, client = web
    _sign_in(client)
    with ThreadPoolExecutor(4) as pool:
        filed = list(pool.map(lambda n: _report(client, n), range(8)))
    assert [r.status_code for r in filed] == [201] * 8, [r.text for r in filed if r.status_code != 201]
    incident = filed[0].json()["id"]
    with db.write() as s:  # a verified report keeps a version per edit
        s.execute(text("UPDATE incident SET status = 'verified' WHERE id = :id"), {"id": incident})

    def edit(n: int) -> Any:
        body = {**REPORT, "description": f"Edit {n}: exchange of fire.", "reason": f"edit {n}"}
        return client.put(f"/api/incidents/{incident}", json=body)

    with ThreadPoolExecutor(4) as pool:
        edits = list(pool.map(edit, range(6)))
    assert [r.status_code for r in edits] == [200] * 6, [r.text for r in edits if r.status_code != 200]
    detail = client.get(f"/api/incidents/{incident}").json()
    assert detail["version"] == 7
    assert [v["version"] for v in detail["versions"]] == [1, 2, 3, 4, 5, 6]


def test_many_writers_of_one_process_all_get_through_in_turn(tmp_path: Path) -> None:
    """Twelve writers at once, each holding the lock for 50 ms, on a file whose SQLite wait is 20 ms: left to
    SQLite's polling most would fail with "database is locked"; queued in the process, every one commits."""
    import time

    from sqlalchemy import event

    db = Database(f"sqlite:///{tmp_path / 'queue.sqlite'}")
    event.listen(db.write_engine, "connect", lambda conn, _record: conn.execute("PRAGMA busy_timeout=20"))
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE wp_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO wp_counter (id, n) VALUES (1, 0)"))

    def add_one(_: int) -> None:
        with db.write() as s:
            n = s.execute(text("SELECT n FROM wp_counter WHERE id = 1")).scalar_one()
            time.sleep(0.05)
            s.execute(text("UPDATE wp_counter SET n = :n WHERE id = 1"), {"n": n + 1})

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(add_one, range(12)))
    with db.session() as s:
        assert s.execute(text("SELECT n FROM wp_counter WHERE id = 1")).scalar_one() == 12
    db.dispose()
