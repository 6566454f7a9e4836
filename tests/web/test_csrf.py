"""Every unsafe request must carry the session's CSRF token, as a form field or an X-CSRF-Token header."""

from __future__ import annotations

from sqlalchemy import select
from webclient import PASSWORD, csrf_from

from peaceops.access.models import User

NEW_USER = {"username": "newcomer", "password": PASSWORD, "role": "viewer", "mission": ""}


def user_exists(db, name: str) -> bool:
    with db.session() as s:
        return s.scalar(select(User).where(User.username == name)) is not None


def test_a_form_post_without_the_token_is_refused(signed_in, db_with_users):
    client = signed_in("admin")
    response = client.post("/admin/users", data=NEW_USER, follow_redirects=False)
    assert response.status_code == 403
    assert "Reload the page" in response.text
    assert not user_exists(db_with_users, "newcomer")


def test_a_form_post_with_a_wrong_token_is_refused(signed_in, db_with_users):
    client = signed_in("admin")
    response = client.post("/admin/users", data={**NEW_USER, "csrf_token": "x" * 43}, follow_redirects=False)
    assert response.status_code == 403
    assert not user_exists(db_with_users, "newcomer")


def test_a_form_post_with_the_token_is_accepted(signed_in, db_with_users):
    client = signed_in("admin")
    token = csrf_from(client.get("/admin/users").text)
    response = client.post("/admin/users", data={**NEW_USER, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert user_exists(db_with_users, "newcomer")


def test_the_token_is_accepted_as_an_x_csrf_token_header(signed_in, db_with_users):
    client = signed_in("admin")
    token = csrf_from(client.get("/admin/users").text)
    response = client.post("/admin/users", data=NEW_USER, headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert user_exists(db_with_users, "newcomer")


def test_the_login_form_itself_needs_the_token(client):
    client.get("/login")
    response = client.post("/login", data={"username": "viewer", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/api/me").status_code == 401


def test_logout_without_the_token_is_refused_and_keeps_the_session(signed_in):
    client = signed_in("viewer")
    response = client.post("/logout", follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/api/me").json()["username"] == "viewer"


def test_pages_hand_htmx_the_token_and_every_form_carries_it(signed_in):
    client = signed_in("admin")
    page = client.get("/admin/users").text
    token = csrf_from(page)
    assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in page
    forms = page.count("<form")
    users = len(client.get("/api/admin/users").json()["users"])
    # sign out, the language switcher, add a user, compartments, and each user's "End sessions"
    assert forms == 4 + users and page.count(f'name="csrf_token" value="{token}"') == forms
