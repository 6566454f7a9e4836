"""Signing in and out, anonymous access, and the session cookie."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select
from webclient import PASSWORD, audit_entries, csrf_from, sign_in

from peaceops.access.models import User

API_PATHS = [
    "/api/home",
    "/api/framework",
    "/api/missions",
    "/api/missions/UNMISS",
    "/api/imports",
    "/api/imports/1",
    "/api/admin/users",
    "/api/admin/audit",
    "/api/me",
    "/api/openapi.json",
]


def test_login_with_the_right_password_signs_in_and_goes_to_next(client):
    response = sign_in(client, "viewer", next="/missions?status=active")
    assert response.status_code == 303
    assert response.headers["location"] == "/missions?status=active"
    me = client.get("/api/me")
    assert me.status_code == 200
    assert me.json() == {"username": "viewer", "role": "viewer", "mission": None}


def test_login_rotates_the_session_and_its_csrf_token(client):
    before = csrf_from(client.get("/login").text)
    cookie_before = client.cookies.get("peaceops_session")
    assert sign_in(client, "viewer").status_code == 303
    after = csrf_from(client.get("/").text)
    assert after != before
    assert client.cookies.get("peaceops_session") != cookie_before
    refused = client.post("/logout", data={"csrf_token": before}, follow_redirects=False)
    assert refused.status_code == 403, "a token from before the login is void"


def test_login_with_a_wrong_password_is_refused_and_audited_without_the_password(client, db_with_users):
    response = sign_in(client, "viewer", password="not the password")
    assert response.status_code == 401
    assert "user name or password is not right" in response.text
    assert client.get("/api/me").status_code == 401
    failed = audit_entries(db_with_users, "login_failed")
    assert [(e.actor, e.entity) for e in failed] == [("viewer", "user")]
    everything = json.dumps([(e.before, e.after) for e in audit_entries(db_with_users)])
    assert "not the password" not in everything and PASSWORD not in everything


def test_successful_login_is_audited_and_stamped(client, db_with_users):
    sign_in(client, "analyst")
    logins = audit_entries(db_with_users, "login")
    assert [e.actor for e in logins] == ["analyst"]
    with db_with_users.session() as s:
        assert s.scalar(select(User.last_login_at).where(User.username == "analyst")) is not None


def test_anonymous_pages_redirect_to_login_with_next(client):
    response = client.get("/missions?status=active", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fmissions%3Fstatus%3Dactive"
    for path in ("/", "/framework", "/missions/UNMISS", "/imports", "/admin/users", "/admin/audit"):
        assert client.get(path, follow_redirects=False).headers["location"].startswith("/login?next=")


def test_anonymous_api_requests_get_401_json(client):
    for path in API_PATHS:
        response = client.get(path)
        assert response.status_code == 401, path
        body = response.json()
        assert body["error"] == "LoginRequired" and "sign in" in body["detail"], path


def test_htmx_request_without_session_is_sent_to_login(client):
    response = client.get("/missions?status=active", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith("/login?next=")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_login_never_redirects_off_site(client, target):
    response = sign_in(client, "viewer", next=target)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_a_deactivated_user_is_signed_out_on_the_next_request(signed_in, db_with_users):
    client = signed_in("viewer")
    assert client.get("/api/me").status_code == 200
    with db_with_users.session() as s:
        s.scalar(select(User).where(User.username == "viewer")).active = False
    assert client.get("/api/me").status_code == 401
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=%2F"


def test_logout_ends_the_session_and_is_audited(signed_in, db_with_users):
    client = signed_in("viewer")
    token = csrf_from(client.get("/").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/api/me").status_code == 401
    assert [e.actor for e in audit_entries(db_with_users, "logout")] == ["viewer"]


def test_session_cookie_is_signed_httponly_and_samesite_lax(client):
    response = client.get("/login")
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("peaceops_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie
    client.cookies.set("peaceops_session", "forged")
    assert client.get("/api/me").status_code == 401


def test_static_assets_and_the_world_map_are_public(client):
    css = client.get("/static/app.css")
    assert css.status_code == 200
    assert client.get("/static/vendor/vega-embed.min.js").status_code == 200
    # Ethiopic script (Amharic items) renders with the vendored face on any reader's machine.
    for face in re.findall(r"url\((/static/vendor/noto-sans-ethiopic/[^)]+\.woff2)\)", css.text):
        font = client.get(face)
        assert font.status_code == 200 and font.content[:4] == b"wOF2"
    assert css.text.count("noto-sans-ethiopic-ethiopic-") == 2
    topo = client.get("/static/geo/countries-110m.json")
    assert topo.status_code == 200 and "countries" in topo.json()["objects"]
