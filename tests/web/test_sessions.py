"""Sign-in sessions kept on the server and the back-off after failed sign-ins (issue 15, findings 5 and 6):
logout ends a copied cookie too, an administrator ends a user's sessions, idle and absolute timeouts end
them, and repeated failures refuse further attempts (the right password included) with an audit entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from support.web import csrf_from, sign_in, signed_in

from peaceops.access import sessions
from peaceops.access.models import LoginSession, User
from peaceops.access.users import add_user
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.audit import AuditEntry
from peaceops.web import create_app

PASSWORD = "session password, long enough"


@pytest.fixture
def users_db(db: Database) -> Database:
    with db.write() as s:
        add_user(s, "analyst", PASSWORD, "analyst")
        add_user(s, "admin", PASSWORD, "admin")
    return db


def client(settings: Settings, db: Database) -> TestClient:
    return TestClient(create_app(settings, db=db))


def copy_of(web: TestClient, settings: Settings, db: Database) -> TestClient:
    """Another client holding the same cookie, as a stolen or copied cookie would."""
    thief = client(settings, db)
    thief.cookies.set("peaceops_session", web.cookies.get("peaceops_session"))
    return thief


def test_logout_ends_the_session_for_a_copied_cookie_too(settings, users_db):
    web = signed_in(client(settings, users_db), "analyst", PASSWORD)
    thief = copy_of(web, settings, users_db)
    assert thief.get("/api/me").status_code == 200
    response = web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)}, follow_redirects=False)
    assert response.status_code == 303
    assert web.get("/api/me").status_code == 401
    assert thief.get("/api/me").status_code == 401


def test_an_administrator_signs_a_user_out_everywhere(settings, users_db):
    web = signed_in(client(settings, users_db), "analyst", PASSWORD)
    admin = signed_in(client(settings, users_db), "admin", PASSWORD, header_from="/admin/users")
    with users_db.session() as s:
        analyst = s.scalar(select(User).where(User.username == "analyst"))
    answer = admin.delete(f"/api/admin/users/{analyst.id}/sessions")
    assert answer.status_code == 200 and answer.json() == {"username": "analyst", "ended": 1}
    assert web.get("/api/me").status_code == 401
    assert admin.get("/api/me").status_code == 200
    assert signed_in(client(settings, users_db), "analyst", PASSWORD).get("/api/me").status_code == 200


@pytest.mark.parametrize("column", ["last_seen_at", "started_at"])
def test_idle_and_absolute_timeouts_end_a_session(settings, users_db, column):
    web = signed_in(client(settings, users_db), "analyst", PASSWORD)
    assert web.get("/api/me").status_code == 200
    too_old = timedelta(minutes=settings.session_idle_minutes + 1, seconds=settings.session_max_age)
    with users_db.write() as s:
        row = s.scalar(select(LoginSession))
        s.execute(update(LoginSession).values({column: getattr(row, column) - too_old}))
    answer = web.get("/api/me")
    assert answer.status_code == 401


def test_the_server_keeps_only_a_hash_of_the_token(settings, users_db):
    web = signed_in(client(settings, users_db), "analyst", PASSWORD)
    with users_db.session() as s:
        stored = s.scalar(select(LoginSession.token_hash))
    assert len(stored) == 64 and stored not in web.cookies.get("peaceops_session")


def test_repeated_failures_back_off_the_account_even_for_the_right_password(settings, users_db):
    web = client(settings, users_db)
    answers = [sign_in(web, "analyst", "wrong password!!").status_code for _ in range(sessions.ACCOUNT_LIMIT)]
    assert answers == [401] * sessions.ACCOUNT_LIMIT
    blocked = sign_in(web, "analyst", PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed sign-ins for this account" in blocked.text
    # Another account from the same address is not held up by one account's lock.
    assert sign_in(client(settings, users_db), "admin", PASSWORD).status_code == 303
    with users_db.session() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == "analyst")).all()
    assert actions.count("login_failed") == sessions.ACCOUNT_LIMIT and "login_blocked" in actions


def test_the_window_passing_lifts_the_back_off(settings, users_db):
    web = client(settings, users_db)
    for _ in range(sessions.ACCOUNT_LIMIT):
        sign_in(web, "analyst", "wrong password!!")
    assert sign_in(web, "analyst", PASSWORD).status_code == 429
    with users_db.engine.begin() as conn:  # move the failures back past the window (a test-only rewrite)
        if users_db.dialect == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.execute(
            update(AuditEntry)
            .where(AuditEntry.action.in_(["login_failed", "login_blocked"]))
            .values(at=AuditEntry.at - sessions.WINDOW - timedelta(minutes=1))
        )
    assert sign_in(web, "analyst", PASSWORD).status_code == 303
