"""A database another job holds locked is a 503 with Retry-After, on every route, never a 500 (issue 15,
finding 10: `/login` answered 500 after 10 s while a long job held SQLite's write lock).

The other job is a second connection: on SQLite it holds ``BEGIN IMMEDIATE`` (the write lock of the
whole file); on PostgreSQL it holds an exclusive lock on the table the request needs. While it does, the
app works through the same database opened with a 0.2 s lock timeout (``Database(lock_timeout=...)``)
instead of the usual 10 s, so the tests are quick. Only then: on PostgreSQL the audit chain's advisory
lock is shared by every schema of the test database, and another test appending to its own chain must
not make this one's sign-in look busy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from support.web import csrf_from, signed_in

from peaceops.access.models import LoginSession, User
from peaceops.access.users import add_user
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app
from peaceops.web.error_handlers import BUSY

PASSWORD = "busy database password, long enough"


@pytest.fixture
def users_db(db: Database) -> Database:
    with db.write() as s:
        add_user(s, "admin", PASSWORD, "admin")
        add_user(s, "viewer", PASSWORD, "viewer")
    return db


@contextmanager
def another_job_holding_the_lock(app: FastAPI, table: str) -> Iterator[None]:
    """Another connection holds the lock a request needs (SQLite's write lock, or PostgreSQL's on
    ``table``) while the app waits 0.2 s for a lock."""
    db: Database = app.state.db
    impatient = Database(db.url, schema=db.schema, lock_timeout=0.2)
    app.state.db = impatient
    try:
        if db.dialect == "sqlite":
            other = sqlite3.connect(db.engine.url.database or "", isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                other.execute("ROLLBACK")
                other.close()
        else:
            with db.engine.connect() as conn:
                conn.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
                try:
                    yield
                finally:
                    conn.rollback()
    finally:
        app.state.db = db
        impatient.dispose()


def assert_busy(response, *, api: bool) -> None:
    assert response.status_code == 503
    assert response.headers["retry-after"] == "60"
    if api:
        assert response.json() == {"error": "DatabaseBusy", "detail": BUSY}
    else:
        assert BUSY in response.text
    for secret in ("SELECT", "INSERT", "BEGIN", "app_user", "sqlite3", "psycopg", PASSWORD):
        assert secret not in response.text


def test_login_while_another_job_holds_the_write_lock_is_503_then_works(settings: Settings, users_db: Database):
    app = create_app(settings, db=users_db)
    with TestClient(app) as web:
        form = {"username": "admin", "password": PASSWORD, "next": "/", "csrf_token": csrf_from(web.get("/login").text)}
        with another_job_holding_the_lock(app, "app_user"):
            response = web.post("/login", data=form, follow_redirects=False)
        assert_busy(response, api=False)
        assert "Sign in" in response.text  # the page says what to do next
        assert web.post("/login", data=form, follow_redirects=False).status_code == 303  # lock gone: signed in


def test_an_api_write_while_the_database_is_locked_is_503_json(settings: Settings, users_db: Database):
    with users_db.session() as s:
        viewer = s.scalar(select(User.id).where(User.username == "viewer"))
    app = create_app(settings, db=users_db)
    with signed_in(TestClient(app), "admin", PASSWORD, header_from="/") as web:
        with another_job_holding_the_lock(app, "app_user"):
            response = web.delete(f"/api/admin/users/{viewer}/sessions")
        assert_busy(response, api=True)
        assert web.delete(f"/api/admin/users/{viewer}/sessions").status_code == 200


def test_a_download_whose_audit_entry_cannot_be_written_is_503_and_no_file(settings: Settings, users_db: Database):
    """The export's audit entry is written by a middleware once the file is ready: a busy database there is
    a 503 too, and the file is not handed out unaudited."""
    app = create_app(settings, db=users_db)
    with signed_in(TestClient(app, raise_server_exceptions=False), "admin", PASSWORD) as web:
        with another_job_holding_the_lock(app, "audit_log"):
            response = web.get("/api/conduct/summary.csv?by=mission")
        assert_busy(response, api=True)
        assert "content-disposition" not in response.headers
        assert web.get("/api/conduct/summary.csv?by=mission").status_code == 200


def test_a_write_a_minute_after_the_last_request_does_not_wait_for_its_own_lock(settings, users_db):
    """Found by the fuzzing run: "last used" is stamped at most once a minute, in a write of its own. A
    route that asks for its write session before its user had taken the write lock first, and the stamp
    then waited for the request's own lock (10 s on SQLite, then a 500; a 503 with the mapping above).
    The stamp now goes into the write the request already holds."""
    with signed_in(TestClient(create_app(settings, db=users_db)), "admin", PASSWORD, header_from="/") as web:
        with users_db.write() as s:
            before = s.scalar(select(LoginSession.last_seen_at)) - timedelta(minutes=2)
            s.execute(update(LoginSession).values(last_seen_at=before))
        # POST /api/comms/lexicon declares its session before its user: the write lock is taken first.
        response = web.post("/api/comms/lexicon", json={"term": "fuzz", "language": "en"})
        assert response.status_code == 201, response.text
        with users_db.session() as s:
            assert s.scalar(select(LoginSession.last_seen_at)) > before  # stamped, in the request's write


def test_any_other_unexpected_error_is_a_plain_500_without_its_cause(settings: Settings, users_db: Database):
    app = create_app(settings, db=users_db)

    @app.get("/api/broken")
    def broken() -> None:
        raise RuntimeError("SELECT secret FROM app_user")

    with TestClient(app, raise_server_exceptions=False) as web:
        response = web.get("/api/broken")
    assert response.status_code == 500
    assert response.json()["error"] == "ServerError" and "SELECT" not in response.text
