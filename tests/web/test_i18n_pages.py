"""The language of a page: the user's preference, then the cookie, then Accept-Language, then English; the
switcher (``POST /language``) and pages, errors and form sentences in French and Arabic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from support.databases import fresh_database
from support.web import csrf_from, sign_in

from peaceops.access.models import User
from peaceops.access.users import add_user
from peaceops.store import Database

PASSWORD = "a long enough password 1"


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    yield from fresh_database("sqlite", tmp_path)


@pytest.fixture
def client(make_client, sqlite_db: Database) -> TestClient:
    with sqlite_db.session() as s:
        add_user(s, "amina", PASSWORD, "viewer")
    return make_client(sqlite_db)


def _set_preference(db: Database, username: str, locale: str | None) -> None:
    with db.write() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        user.locale = locale


def _choose(client: TestClient, language: str, next: str = "/login", **headers: str):
    token = csrf_from(client.get("/login", headers=headers).text)
    data = {"language": language, "next": next, "csrf_token": token}
    return client.post("/language", data=data, headers=headers, follow_redirects=False)


def test_the_login_page_is_in_english_by_default(client):
    page = client.get("/login").text
    assert '<html lang="en" dir="ltr">' in page and "Sign in to peaceops" in page


def test_the_login_page_follows_the_browser_in_french(client):
    page = client.get("/login", headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.8"}).text
    assert '<html lang="fr" dir="ltr">' in page
    assert "Se connecter à peaceops" in page and "Mot de passe" in page and "Nom d’utilisateur" in page
    assert "Sign in to peaceops" not in page
    # {% trans %} blocks spanning lines, with markup: trimmed alike when extracted and when shown
    assert "Pas de compte ? Un administrateur peut vous en créer un" in page
    assert "Chaque page a son équivalent JSON sous <code>/api/</code>" in page
    assert '<option value="fr" lang="fr" selected>Français</option>' in page  # the switcher shows the choice


def test_arabic_pages_are_written_right_to_left(client):
    page = client.get("/login", headers={"Accept-Language": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in page and "كلمة المرور" in page


def test_a_language_not_offered_falls_back_to_english(client):
    assert '<html lang="en" dir="ltr">' in client.get("/login", headers={"Accept-Language": "de, ja"}).text


def test_the_cookie_wins_over_the_browser(client):
    client.cookies.set("peaceops_lang", "fr")
    page = client.get("/login", headers={"Accept-Language": "ar"}).text
    assert 'lang="fr"' in page and "Mot de passe" in page


def test_an_unknown_cookie_is_ignored(client):
    client.cookies.set("peaceops_lang", "xx")
    assert 'lang="ar"' in client.get("/login", headers={"Accept-Language": "ar"}).text


def test_the_users_preference_wins_over_the_cookie(client, sqlite_db):
    _set_preference(sqlite_db, "amina", "ar")
    client.cookies.set("peaceops_lang", "fr")
    assert sign_in(client, "amina", PASSWORD).status_code == 303
    page = client.get("/account", headers={"Accept-Language": "en"}).text
    assert '<html lang="ar" dir="rtl">' in page and "تسجيل الخروج" in page  # "Sign out"


def test_a_preference_changed_elsewhere_applies_on_the_next_page(client, sqlite_db):
    assert sign_in(client, "amina", PASSWORD).status_code == 303
    assert 'lang="en"' in client.get("/account").text
    _set_preference(sqlite_db, "amina", "fr")
    assert 'lang="fr"' in client.get("/account").text


def test_the_switcher_sets_the_cookie_and_goes_back(client):
    response = _choose(client, "fr", next="/login?next=%2Fmissions")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fmissions"
    assert client.cookies.get("peaceops_lang") == "fr"
    assert "Se connecter" in client.get("/login").text


def test_the_switcher_saves_a_signed_in_users_preference(client, sqlite_db):
    assert sign_in(client, "amina", PASSWORD).status_code == 303
    token = csrf_from(client.get("/account").text)
    response = client.post(
        "/language", data={"language": "fr", "next": "/account", "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/account"
    with sqlite_db.session() as s:
        assert s.scalar(select(User.locale).where(User.username == "amina")) == "fr"
    client.cookies.clear()
    assert sign_in(client, "amina", PASSWORD).status_code == 303  # a new sign-in, no cookie: the preference
    assert 'lang="fr"' in client.get("/account", headers={"Accept-Language": "ar"}).text


@pytest.mark.parametrize("target", ["https://example.org/", "//example.org/x", "/\\example.org", "missions"])
def test_the_switcher_refuses_a_page_of_another_site(client, target):
    response = _choose(client, "fr", next=target)
    assert response.status_code == 422 and "location" not in response.headers
    assert "must be a page of this site" in response.text
    assert "peaceops_lang" not in client.cookies


def test_the_switcher_refuses_an_unknown_language_in_plain_words(client):
    response = _choose(client, "de")
    assert response.status_code == 422
    assert "There is no language “de” here" in response.text and "Français (fr)" in response.text


def test_the_switcher_needs_the_forms_token(client):
    response = client.post("/language", data={"language": "fr", "next": "/"}, follow_redirects=False)
    assert response.status_code == 403 and "peaceops_lang" not in client.cookies


def test_an_error_page_is_in_french(client):
    response = client.get("/nowhere", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert "Introuvable" in response.text and "Il n’y a rien à l’adresse /nowhere." in response.text
    assert "Erreur 404" in response.text
    api = client.get("/api/nowhere", headers={"Accept-Language": "fr"})
    assert api.json() == {"error": "NotFound", "detail": "Il n’y a rien à l’adresse /api/nowhere."}


def test_a_wrong_password_is_told_in_french(client):
    client.cookies.set("peaceops_lang", "fr")
    response = sign_in(client, "amina", "not the password")
    assert response.status_code == 401
    assert "Le nom d’utilisateur ou le mot de passe est incorrect" in response.text


def test_a_form_problem_is_told_in_french(client):
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"username": "amina", "csrf_token": token}, headers={"Accept-Language": "fr"})
    assert response.status_code == 422
    assert "Veuillez vérifier votre saisie" in response.text  # the title
    assert "Renseignez le champ « mot de passe »." in response.text  # the form's label, in French


def test_the_navigation_is_translated(client):
    assert sign_in(client, "amina", PASSWORD).status_code == 303
    page = client.get("/account", headers={"Accept-Language": "fr"}).text
    assert "Responsabilité" in page and "Médiation" in page and "Se déconnecter" in page


@pytest.mark.parametrize(
    "cookie", ['peaceops_lang="fr', "peaceops_lang=fr\x7f; =;;", "peaceops_lang=" + "a" * 5000, "; ; peaceops_lang"]
)
def test_a_malformed_cookie_or_header_is_english_never_an_error(client, cookie):
    response = client.get("/login", headers={"Cookie": cookie, "Accept-Language": "q=;;,;q=2,\x00"})
    assert response.status_code == 200 and 'lang="en"' in response.text
