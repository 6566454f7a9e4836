"""Administration is for administrators; adding a user through the form is recorded in the audit log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from webclient import PASSWORD, audit_entries, csrf_from, sign_in

from peaceops.access.models import User
from peaceops.store import audit

ADMIN_PATHS = ["/admin/users", "/admin/audit", "/admin/jobs", "/api/admin/users", "/api/admin/audit", "/api/admin/jobs"]


@pytest.mark.parametrize("role", ["viewer", "analyst", "officer"])
def test_non_administrators_get_403_on_admin_pages_and_api(signed_in, role):
    client = signed_in(role)
    for path in ADMIN_PATHS:
        response = client.get(path)
        assert response.status_code == 403, path
    api = client.get("/api/admin/users").json()
    assert api["error"] == "PermissionDenied" and "administrators" in api["detail"]
    assert "Only administrators" in client.get("/admin/users").text
    assert 'href="/admin/users"' not in client.get("/").text, "the menu hides what they cannot open"


def test_administrators_see_users_and_the_audit_log(signed_in):
    client = signed_in("admin")
    users = client.get("/api/admin/users").json()["users"]
    assert {u["username"]: u["role"] for u in users} == {
        "admin": "admin",
        "analyst": "analyst",
        "officer": "mission_officer",
        "viewer": "viewer",
    }
    assert next(u for u in users if u["username"] == "officer")["mission"] == "UNMISS"
    assert all("password" not in key for u in users for key in u)
    entries = client.get("/api/admin/audit?limit=5").json()["entries"]
    assert len(entries) == 5 and entries[0]["action"] == "login" and entries[0]["actor"] == "admin"


def test_adding_a_user_through_the_form_is_audited_and_the_user_can_sign_in(signed_in, db_with_users, make_client):
    client = signed_in("admin")
    token = csrf_from(client.get("/admin/users").text)
    form = {"username": "jmac-analyst", "password": PASSWORD, "role": "analyst", "mission": "", "csrf_token": token}
    response = client.post("/admin/users", data=form)
    assert response.status_code == 200 and "Created the account" in response.text
    created = [e for e in audit_entries(db_with_users, "create") if e.entity == "user"]
    assert created[-1].actor == "admin"
    assert created[-1].after == {"username": "jmac-analyst", "role": "analyst", "mission": None}
    newcomer = make_client(db_with_users)
    assert sign_in(newcomer, "jmac-analyst").status_code == 303
    assert newcomer.get("/api/me").json()["role"] == "analyst"


def test_a_mission_officer_needs_a_mission(signed_in, db_with_users):
    client = signed_in("admin")
    token = csrf_from(client.get("/admin/users").text)
    form = {"username": "juba-officer", "password": PASSWORD, "role": "mission_officer", "csrf_token": token}
    refused = client.post("/admin/users", data=form)
    assert refused.status_code == 422
    assert "needs a mission" in refused.text and 'value="juba-officer"' in refused.text
    accepted = client.post("/admin/users", data={**form, "mission": "UNMISS"}, follow_redirects=False)
    assert accepted.status_code == 303
    with db_with_users.session() as s:
        assert s.scalar(select(User.role).where(User.username == "juba-officer")) == "mission_officer"


def test_a_short_password_is_refused_with_the_reason(signed_in, db_with_users):
    client = signed_in("admin")
    token = csrf_from(client.get("/admin/users").text)
    form = {"username": "shorty", "password": "short", "role": "viewer", "csrf_token": token}
    response = client.post("/admin/users", data=form)
    assert response.status_code == 422 and "at least 10 characters" in response.text
    with db_with_users.session() as s:
        assert s.scalar(select(User).where(User.username == "shorty")) is None


def test_the_audit_page_shows_logins(signed_in):
    client = signed_in("admin")
    page = client.get("/admin/audit").text
    assert "login" in page and "admin" in page


def test_the_audit_page_goes_back_page_by_page_without_gaps_or_repeats(signed_in, db_with_users):
    client = signed_in("admin")
    with db_with_users.write() as s:
        for n in range(150):
            audit.record(s, "pager-test", "update", "mission", f"entry-{n}")
    first = client.get("/admin/audit").text
    older = re.search(r'href="/admin/audit\?before=(\d+)"', first)
    assert older is not None and first.count('<tr class="action-') == 100
    second = client.get(f"/admin/audit?before={older.group(1)}").text
    shown = re.findall(r"#entry-(\d+)<", first + second)
    assert len(shown) == len(set(shown)) and set(shown) == {str(n) for n in range(150)}
    assert 'href="/admin/audit">Newest entries' in second
    api = client.get(f"/api/admin/audit?limit=1000&before={older.group(1)}").json()["entries"]
    assert all(e["id"] < int(older.group(1)) for e in api) and api == sorted(api, key=lambda e: -e["id"])


def test_administrators_grant_compartments_through_the_form_and_the_api(signed_in, db_with_users):
    client = signed_in("admin")
    token = csrf_from(client.get("/admin/users").text)
    form = {"username": "analyst", "compartment": "process:3", "action": "grant", "csrf_token": token}
    assert client.post("/admin/compartments", data=form, follow_redirects=False).status_code == 303
    assert "<code>process:3</code>" in client.get("/admin/users").text
    assert client.get("/api/admin/compartments").json()["grants"] == {"analyst": ["process:3"]}
    body = {"username": "analyst", "compartment": "process:3"}
    revoked = client.request("DELETE", "/api/admin/compartments", json=body, headers={"X-CSRF-Token": token})
    assert revoked.json()["changed"] is True
    assert client.get("/api/admin/compartments").json()["grants"] == {}
    assert [e.entity_id for e in audit_entries(db_with_users) if e.entity == "compartment"] == ["process:3"] * 2
    analyst = signed_in("analyst")
    own_token = {"X-CSRF-Token": csrf_from(analyst.get("/").text)}
    refused = analyst.post("/api/admin/compartments", json=body, headers=own_token)
    assert refused.status_code == 403 and "administrators" in refused.json()["detail"]


def test_the_audit_page_shows_a_new_entry_at_once(signed_in, db_with_users):
    """The page is cached per newest entry (decision 026): an entry written after a view is on the next one."""
    client = signed_in("admin")
    assert "entry-after-view" not in client.get("/admin/audit").text
    with db_with_users.write() as s:
        audit.record(s, "cache-test", "update", "mission", "entry-after-view")
    assert "#entry-after-view<" in client.get("/admin/audit").text
