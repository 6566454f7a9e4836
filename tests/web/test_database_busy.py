"""A database another job holds locked is a 503 with Retry-After, on every route, never a 500 (issue 15,
finding 10: `/login` answered 500 after 10 s while a long job held SQLite's write lock).

The other job is a second connection: on SQLite it holds ``BEGIN IMMEDIATE`` (the write lock of the
whole file); on PostgreSQL it holds an exclusive lock on the table the request needs. The app's database
waits 0.2 s for a lock (``Database(lock_timeout=...)``) instead of the usual 10 s, so the tests are quick.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from support.web import csrf_from, signed_in

from peaceops.access.models import User
from peaceops.access.users import add_user
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app
from peaceops.web.error_handlers import BUSY

PASSWORD = "busy database password, long enough"


@pytest.fixture
def busy_db(db: Database) -> Iterator[Database]:
    """The test's database with two accounts, opened again with a 0.2 s lock timeout for the app."""
    with db.write() as s:
        add_user(s, "admin", PASSWORD, "admin")
        add_user(s, "viewer", PASSWORD, "viewer")
    impatient = Database(db.url, schema=db.schema, lock_timeout=0.2)
    yield impatient
    impatient.dispose()


@contextmanager
def held_lock(db: Database, table: str) -> Iterator[None]:
    """Another job holding the lock a write needs: SQLite's write lock, or PostgreSQL's on ``table``."""
    if db.dialect == "sqlite":
        other = sqlite3.connect(db.engine.url.database or "", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with db.engine.connect() as conn:
        conn.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            conn.rollback()


def assert_busy(response, *, api: bool) -> None:
    assert response.status_code == 503
    assert response.headers["retry-after"] == "60"
    if api:
        assert response.json() == {"error": "DatabaseBusy", "detail": BUSY}
    else:
        assert BUSY in response.text
    for secret in ("SELECT", "INSERT", "BEGIN", "app_user", "sqlite3", "psycopg", PASSWORD):
        assert secret not in response.text


def test_login_while_another_job_holds_the_write_lock_is_503_then_works(settings: Settings, busy_db: Database):
    with TestClient(create_app(settings, db=busy_db)) as web:
        form = {"username": "admin", "password": PASSWORD, "next": "/", "csrf_token": csrf_from(web.get("/login").text)}
        with held_lock(busy_db, "app_user"):
            response = web.post("/login", data=form, follow_redirects=False)
        assert_busy(response, api=False)
        assert "Sign in" in response.text  # the page says what to do next
        assert web.post("/login", data=form, follow_redirects=False).status_code == 303  # lock gone: signed in


def test_an_api_write_while_the_database_is_locked_is_503_json(settings: Settings, busy_db: Database):
    with busy_db.session() as s:
        viewer = s.scalar(select(User.id).where(User.username == "viewer"))
    with signed_in(TestClient(create_app(settings, db=busy_db)), "admin", PASSWORD, header_from="/") as web:
        with held_lock(busy_db, "app_user"):
            response = web.delete(f"/api/admin/users/{viewer}/sessions")
        assert_busy(response, api=True)
        assert web.delete(f"/api/admin/users/{viewer}/sessions").status_code == 200


def test_a_download_whose_audit_entry_cannot_be_written_is_503_and_no_file(settings: Settings, busy_db: Database):
    """The export's audit entry is written by a middleware once the file is ready: a busy database there is
    a 503 too, and the file is not handed out unaudited."""
    app = create_app(settings, db=busy_db)
    with signed_in(TestClient(app, raise_server_exceptions=False), "admin", PASSWORD) as web:
        with held_lock(busy_db, "audit_log"):
            response = web.get("/api/conduct/summary.csv?by=mission")
        assert_busy(response, api=True)
        assert "content-disposition" not in response.headers
        assert web.get("/api/conduct/summary.csv?by=mission").status_code == 200


def test_any_other_unexpected_error_is_a_plain_500_without_its_cause(settings: Settings, busy_db: Database):
    app = create_app(settings, db=busy_db)

    @app.get("/api/broken")
    def broken() -> None:
        raise RuntimeError("SELECT secret FROM app_user")

    with TestClient(app, raise_server_exceptions=False) as web:
        response = web.get("/api/broken")
    assert response.status_code == 500
    assert response.json()["error"] == "ServerError" and "SELECT" not in response.text
