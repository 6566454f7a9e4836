"""The TOTP second factor through the web (decision 024), on SQLite and PostgreSQL, with a fixed clock:
set up from the account page, then sign-in asks for the code; wrong and replayed codes are refused,
audited and counted; a recovery code works once; a half-done sign-in opens nothing; the mandatory setting
sends administrators and compartment holders to set one up first; an administrator resets it (API, page,
command) and ends a user's sessions from the users page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from support.databases import make_database
from support.web import any_csrf_from, csrf_from, sign_in
from typer.testing import CliRunner

from peaceops.access import compartments, second_factor, sessions
from peaceops.access.models import LoginSession, User
from peaceops.access.users import add_user
from peaceops.cli import app as cli
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.audit import AuditEntry
from peaceops.web import create_app

PASSWORD = "second factor password, long"
T0 = 1_900_000_005.0


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The server's clock for codes and for the half-done sign-in: ``clock[0]``, moved by the test."""
    now = [T0]
    monkeypatch.setattr(second_factor, "clock", lambda: now[0])
    return now


@pytest.fixture
def users_db(db: Database) -> Database:
    with db.write() as s:
        add_user(s, "analyst", PASSWORD, "analyst")
        add_user(s, "admin", PASSWORD, "admin")
        add_user(s, "viewer", PASSWORD, "viewer")
    return db


@pytest.fixture
def web(settings: Settings, users_db: Database) -> Callable[..., TestClient]:
    """``web(require="")``: a new client of a new app, with PEACEOPS_REQUIRE_TOTP_FOR as given."""
    clients: list[TestClient] = []

    def make(require: str = "") -> TestClient:
        app_settings = settings.model_copy(update={"require_totp_for": require})
        client = TestClient(create_app(app_settings, db=users_db))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def code(secret: str, clock: list[float], steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(clock[0], counter_offset=steps)


def secret_on(page: str) -> str:
    found = re.search(r'<code class="secret" id="totp-secret">([A-Z2-7 ]+)</code>', page)
    assert found, "the set-up page shows the key"
    return found.group(1).replace(" ", "")


def recovery_codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>", page)


def password_step(client: TestClient, name: str, next: str = "/") -> str:
    """Sign in with the password; where it leads (the second step, or ``next``)."""
    answer = sign_in(client, name, PASSWORD, next)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def code_step(client: TestClient, value: str) -> object:
    token = csrf_from(client.get("/login/code").text)
    return client.post("/login/code", data={"code": value, "csrf_token": token}, follow_redirects=False)


def enrol_from_account_page(client: TestClient, clock: list[float]) -> tuple[str, list[str]]:
    """A signed-in user sets up the second factor; the secret and the recovery codes shown."""
    account = client.get("/account")
    assert "<strong>Off.</strong>" in account.text
    token = csrf_from(account.text)
    assert client.post("/account/totp", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    setup = client.get("/account/totp")
    assert '<svg width="' in setup.text and "otpauth://totp/peaceops:" in setup.text, "QR code and link on the page"
    secret = secret_on(setup.text)
    done = client.post("/account/totp/confirm", data={"code": code(secret, clock), "csrf_token": token})
    assert done.status_code == 200 and "Your second factor is on" in done.text
    codes = recovery_codes_on(done.text)
    assert len(codes) == 10
    return secret, codes


def log_out(client: TestClient) -> None:
    client.post("/logout", data={"csrf_token": any_csrf_from(client.get("/").text)})


def enrolled(web: Callable[..., TestClient], clock: list[float], name: str = "analyst") -> tuple[str, list[str]]:
    client = web()
    assert password_step(client, name) == "/"
    secret, codes = enrol_from_account_page(client, clock)
    log_out(client)
    return secret, codes


def entries(db: Database, action: str) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def user_id(db: Database, name: str) -> int:
    with db.session() as s:
        return s.scalar(select(User.id).where(User.username == name))


def test_after_enrolment_sign_in_asks_for_the_code_and_only_then_opens(web, users_db, clock):
    secret, _ = enrolled(web, clock)
    client = web()
    assert password_step(client, "analyst", next="/missions") == "/login/code"
    answer = code_step(client, code(secret, clock, 1))
    assert answer.status_code == 303 and answer.headers["location"] == "/missions"
    assert client.get("/api/me").json()["username"] == "analyst"
    assert client.get("/api/account").json()["second_factor"]["enabled"] is True
    assert [e.after for e in entries(users_db, "login")][-1] == {"username": "analyst", "second_factor": "totp"}
    assert [e.after["next_step"] for e in entries(users_db, "login_password_ok")] == ["code"]


def test_wrong_codes_are_refused_audited_and_back_off_the_account(web, users_db, clock):
    secret, _ = enrolled(web, clock)
    valid = {code(secret, clock, k) for k in (-1, 0, 1)}
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
    client = web()
    password_step(client, "analyst")
    answers = [code_step(client, wrong) for _ in range(sessions.ACCOUNT_LIMIT)]
    assert [a.status_code for a in answers] == [401] * sessions.ACCOUNT_LIMIT
    assert "That code is not right" in answers[0].text
    blocked = code_step(client, code(secret, clock, 1))
    assert blocked.status_code == 429 and "Too many failed sign-ins" in blocked.text
    assert client.get("/api/me").status_code == 401
    failed = entries(users_db, "login_failed")
    assert [(e.entity_id, e.after["second_factor"], e.after["reason"]) for e in failed] == [
        ("analyst", "totp", "wrong")
    ] * sessions.ACCOUNT_LIMIT
    assert wrong not in str([(e.before, e.after) for e in failed]), "the code tried is not logged"
    assert sign_in(web(), "analyst", PASSWORD).status_code == 429, "the password step is backed off too"


def test_a_code_cannot_be_replayed(web, users_db, clock):
    secret, _ = enrolled(web, clock)
    first = web()
    password_step(first, "analyst")
    used = code(secret, clock, 1)
    assert code_step(first, used).status_code == 303
    again = web()
    password_step(again, "analyst")
    replay = code_step(again, used)
    assert replay.status_code == 401 and "already used" in replay.text
    assert entries(users_db, "login_failed")[-1].after["reason"] == "reused"
    clock[0] += 60
    assert code_step(again, code(secret, clock)).status_code == 303, "the next code works"


def test_a_recovery_code_works_once(web, users_db, clock):
    _, codes = enrolled(web, clock)
    client = web()
    password_step(client, "analyst")
    assert code_step(client, codes[3].upper()).status_code == 303
    assert client.get("/api/account").json()["second_factor"]["recovery_codes_left"] == 9
    log_out(client)
    password_step(client, "analyst")
    assert code_step(client, codes[3]).status_code == 401
    assert [e.actor for e in entries(users_db, "recovery_code_used")] == ["analyst"]
    assert entries(users_db, "login_failed")[-1].after == {
        "username": "analyst",
        "second_factor": "recovery",
        "reason": "wrong or used",
    }


PAGES = ["/", "/missions", "/account", "/account/totp", "/admin/users", "/admin/audit", "/imports"]
APIS = ["/api/me", "/api/account", "/api/admin/users", "/api/admin/audit", "/api/missions", "/api/openapi.json"]


def test_a_half_done_sign_in_opens_no_page_and_no_api(web, users_db, clock):
    secret, _ = enrolled(web, clock, "admin")
    client = web()
    assert password_step(client, "admin") == "/login/code"
    token = csrf_from(client.get("/login/code").text)
    half_done = client.cookies.get("peaceops_session")

    def replay(method: str, path: str, **kwargs: object) -> object:
        """The half-done cookie, as it was after the password (each refusal below also clears it)."""
        client.cookies.clear()
        client.cookies.set("peaceops_session", half_done)
        return client.request(method, path, headers={"X-CSRF-Token": token}, follow_redirects=False, **kwargs)

    assert replay("GET", "/login/code").status_code == 200, "the replayed cookie holds the half-done sign-in"
    for path in APIS:
        assert replay("GET", path).status_code == 401, path
    for path in PAGES:
        answer = replay("GET", path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next="), path
    analyst = user_id(users_db, "analyst")
    assert replay("DELETE", f"/api/admin/users/{analyst}/sessions").status_code == 401
    assert replay("DELETE", f"/api/admin/users/{analyst}/totp").status_code == 401
    assert replay("POST", "/account/totp").status_code == 303
    assert (
        replay("POST", "/admin/users", data={"username": "x", "password": PASSWORD, "role": "admin"}).status_code == 303
    )
    assert replay("POST", "/login/enrol", data={"code": code(secret, clock, 1)}).status_code == 401, "not this step"
    with users_db.session() as s:
        live = s.scalar(select(LoginSession.id).where(LoginSession.ended_at.is_(None)))
        assert live is None, "no server-side session before the code"
        assert s.scalar(select(User.id).where(User.username == "x")) is None
    assert entries(users_db, "end_sessions") == [] and entries(users_db, "totp_reset") == []
    # A refused request abandons the half-done sign-in: the code step starts again from the password.
    form = client.get("/login/code", follow_redirects=False)
    assert form.status_code == 303 and form.headers["location"] == "/login"
    # The untouched half-done cookie still finishes with the code (and only then opens).
    client.cookies.clear()
    client.cookies.set("peaceops_session", half_done)
    assert code_step(client, code(secret, clock, 1)).status_code == 303
    assert client.get("/api/me").json()["username"] == "admin"


def test_a_half_done_sign_in_lapses_after_five_minutes(web, clock):
    secret, _ = enrolled(web, clock)
    client = web()
    password_step(client, "analyst")
    token = csrf_from(client.get("/login/code").text)
    clock[0] += 301
    late = client.post("/login/code", data={"code": code(secret, clock), "csrf_token": token})
    assert late.status_code == 401 and "not finished in time" in late.text
    assert client.get("/api/me").status_code == 401


def test_the_mandatory_setting_sends_administrators_to_set_up_first(web, users_db, clock):
    client = web("admin,holders")
    assert password_step(client, "admin", next="/admin/users") == "/login/enrol"
    assert client.get("/api/me").status_code == 401
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")
    # Leaving the set-up abandons the half-done sign-in; the password again leads back to it.
    assert password_step(client, "admin", next="/admin/users") == "/login/enrol"
    page = client.get("/login/enrol")
    assert page.status_code == 200 and "<svg" in page.text and "nothing else opens" in page.text
    secret, token = secret_on(page.text), csrf_from(page.text)
    wrong = client.post("/login/enrol", data={"code": code(secret, clock, 3), "csrf_token": token})
    assert wrong.status_code == 422 and "does not match" in wrong.text
    done = client.post("/login/enrol", data={"code": code(secret, clock), "csrf_token": token})
    assert done.status_code == 200 and len(recovery_codes_on(done.text)) == 10
    assert 'href="/admin/users"' in done.text, "continue goes where the sign-in was headed"
    assert client.get("/api/me").json()["username"] == "admin"
    assert client.get("/api/account").json()["second_factor"] | {"since": None} == {
        "enabled": True,
        "since": None,
        "recovery_codes_left": 10,
        "pending": False,
        "required": True,
    }
    assert [e.actor for e in entries(users_db, "totp_enabled")] == ["admin"]
    # A viewer holds no compartment: the password is enough.
    assert password_step(web("admin,holders"), "viewer") == "/"


def test_a_session_begun_before_the_rule_applied_ends_at_the_next_request(web, users_db, clock):
    client = web("holders")
    assert password_step(client, "analyst") == "/"
    assert client.get("/api/me").status_code == 200
    with users_db.write() as s:
        compartments.grant(s, "analyst", "process:7", actor="admin")
    refused = client.get("/api/me")
    assert refused.status_code == 401 and "needs a second factor" in refused.json()["detail"]
    assert password_step(web("holders"), "analyst") == "/login/enrol"


def test_the_mandatory_factor_cannot_be_turned_off_but_an_optional_one_can(web, users_db, clock):
    secret, _ = enrolled(web, clock, "admin")
    strict = web("admin")
    password_step(strict, "admin")
    code_step(strict, code(secret, clock, 1))
    page = strict.get("/account").text
    assert "cannot be turned off" in page and 'action="/account/totp/off"' not in page
    relaxed = web()
    password_step(relaxed, "admin")
    clock[0] += 60
    code_step(relaxed, code(secret, clock))
    token = csrf_from(relaxed.get("/account").text)
    wrong = relaxed.post("/account/totp/off", data={"code": "12345x", "csrf_token": token})
    assert wrong.status_code == 422 and entries(users_db, "totp_failed")
    clock[0] += 60
    off = relaxed.post("/account/totp/off", data={"code": code(secret, clock), "csrf_token": token})
    assert off.status_code == 200 and "Your second factor is off" in off.text
    log_out(relaxed)
    assert password_step(relaxed, "admin") == "/"


def test_an_administrator_resets_a_second_factor_by_api_and_page(web, users_db, clock):
    secret, _ = enrolled(web, clock)
    victim = web()
    password_step(victim, "analyst")
    assert code_step(victim, code(secret, clock, 1)).status_code == 303
    analyst = user_id(users_db, "analyst")
    admin = web()
    password_step(admin, "admin")
    admin.headers["X-CSRF-Token"] = any_csrf_from(admin.get("/admin/users").text)
    users = admin.get("/api/admin/users").json()["users"]
    assert {u["username"]: u["second_factor"] for u in users} == {"admin": False, "analyst": True, "viewer": False}
    page = admin.get("/admin/users").text
    assert f'action="/admin/users/{analyst}/totp/reset"' in page
    answer = admin.delete(f"/api/admin/users/{analyst}/totp")
    assert answer.status_code == 200 and answer.json() == {"username": "analyst", "removed": True}
    assert victim.get("/api/me").status_code == 401, "the reset ended the user's sessions"
    assert password_step(web(), "analyst") == "/", "the password alone, where the factor is optional"
    assert password_step(web("holders,admin"), "admin") == "/login/enrol"
    # The page's button: the same reset, with a confirmation.
    enrolled(web, clock, "viewer")
    viewer = user_id(users_db, "viewer")
    form = admin.post(f"/admin/users/{viewer}/totp/reset", data={"csrf_token": csrf_from(page)})
    assert form.status_code == 200 and "Reset the second factor of viewer" in form.text
    assert [(e.actor, e.entity_id) for e in entries(users_db, "totp_reset")] == [
        ("admin", str(analyst)),
        ("admin", str(viewer)),
    ]
    refused = web()
    password_step(refused, "viewer")
    assert (
        refused.post(
            f"/admin/users/{analyst}/totp/reset", data={"csrf_token": csrf_from(refused.get("/account").text)}
        ).status_code
        == 403
    )


def test_the_users_page_button_ends_a_users_sessions_and_a_copied_cookie_stops(web, users_db):
    victim = web()
    password_step(victim, "analyst")
    thief = web()
    thief.cookies.set("peaceops_session", victim.cookies.get("peaceops_session"))
    assert thief.get("/api/me").status_code == 200
    admin = web()
    password_step(admin, "admin")
    page = admin.get("/admin/users").text
    analyst = user_id(users_db, "analyst")
    assert f'action="/admin/users/{analyst}/sessions/end"' in page
    answer = admin.post(
        f"/admin/users/{analyst}/sessions/end", data={"csrf_token": csrf_from(page)}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/users"
    shown = admin.get("/admin/users").text
    assert "Ended 1 session of analyst" in shown
    assert "Ended 1 session" not in admin.get("/admin/users").text, "the confirmation is shown once"
    assert thief.get("/api/me").status_code == 401 and victim.get("/api/me").status_code == 401
    assert admin.get("/api/me").status_code == 200
    assert [e.actor for e in entries(users_db, "end_sessions")] == ["admin"]
    no_token = admin.post(f"/admin/users/{analyst}/sessions/end", follow_redirects=False)
    assert no_token.status_code == 403, "the button's form needs the CSRF token"


def test_the_command_resets_a_second_factor(tmp_path, monkeypatch, clock):
    for db in make_database("sqlite", tmp_path):
        with db.write() as s:
            add_user(s, "amina", PASSWORD, "analyst")
            user = s.scalar(select(User).where(User.username == "amina"))
            secret = second_factor.begin(s, user).secret
            second_factor.confirm(s, user, pyotp.TOTP(secret).at(clock[0]), actor="amina")
        monkeypatch.setenv("PEACEOPS_DATABASE_URL", db.url)
        runner = CliRunner()
        done = runner.invoke(cli, ["user", "reset-totp", "amina"])
        assert done.exit_code == 0, done.output
        assert "Reset the second factor of amina" in done.output
        unknown = runner.invoke(cli, ["user", "reset-totp", "nobody"])
        assert unknown.exit_code == 1 and "There is no user named 'nobody'" in unknown.output
        with db.session() as s:
            assert not second_factor.enabled(s, s.scalar(select(User.id).where(User.username == "amina")))
            assert [e.actor for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "totp_reset"))] == ["cli"]
