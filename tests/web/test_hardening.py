"""Headers, ids and the web's own audit entries (issue 15, findings 6, 7 and 10): confidential answers
are never cached, HTTPS gets Secure cookies and HSTS, refusals and downloads are audited with the
client's address, ids out of range are 404 and any file name fits in a header."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from support.web import signed_in

from peaceops.access.users import add_user
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.audit import AuditEntry
from peaceops.web import create_app
from peaceops.web.csv_export import download_headers

PASSWORD = "hardening password, long enough"


@pytest.fixture
def users_db(db: Database) -> Database:
    with db.write() as s:
        for role in ("viewer", "analyst", "admin"):
            add_user(s, role, PASSWORD, role)
    return db


def client(settings: Settings, db: Database, *, https: bool = False) -> TestClient:
    return TestClient(create_app(settings, db=db), base_url="https://testserver" if https else "http://testserver")


def entries(db: Database, action: str) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_pages_and_api_answers_are_no_store_and_static_assets_are_not(settings, users_db):
    with signed_in(client(settings, users_db), "analyst", PASSWORD) as web:
        for path in ("/", "/api/me", "/conduct", "/login"):
            assert web.get(path).headers["cache-control"] == "no-store", path
        static = web.get("/static/app.css")
        assert static.status_code == 200 and static.headers.get("cache-control") != "no-store"


def test_https_gets_secure_session_cookies_and_hsts_and_http_does_not(settings, users_db):
    with client(settings, users_db, https=True) as secure:
        login = secure.get("/login")
        assert "secure" in login.headers["set-cookie"].lower()
        assert login.headers["strict-transport-security"].startswith("max-age=")
    with client(settings, users_db) as plain:
        login = plain.get("/login")
        assert "secure" not in login.headers["set-cookie"].lower()
        assert "strict-transport-security" not in login.headers


def test_a_refused_request_is_audited_with_who_where_and_which_path(settings, users_db):
    with signed_in(client(settings, users_db), "viewer", PASSWORD) as web:
        assert web.get("/api/admin/users").status_code == 403
    denied = entries(users_db, "denied")
    assert [(e.actor, e.entity_id, e.client) for e in denied] == [("viewer", "GET /api/admin/users", "testclient")]


def test_a_download_is_audited(settings, users_db):
    with signed_in(client(settings, users_db), "analyst", PASSWORD) as web:
        response = web.get("/api/conduct/summary.csv?by=mission&year=2019&by=year")
        assert response.status_code == 200
    exported = entries(users_db, "export")
    assert len(exported) == 1
    # The query's parameters are named, their values never kept: a filter can quote a confidential record.
    assert exported[0].actor == "analyst" and exported[0].entity_id == "GET /api/conduct/summary.csv?by&year"
    assert exported[0].client == "testclient"


@pytest.mark.parametrize("path", ["/api/conduct/allegations/99999999999999999999", "/api/incidents/4294967296"])
def test_ids_out_of_range_are_not_found(settings, users_db, path):
    with signed_in(client(settings, users_db), "admin", PASSWORD) as web:
        response = web.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"


def test_a_file_name_in_any_script_makes_a_valid_header():
    header = download_headers("بعثة-ملخص é.csv")["Content-Disposition"]
    header.encode("latin-1")  # raises if the header could not be sent
    assert header.startswith('attachment; filename="') and "filename*=UTF-8''" in header
    assert download_headers("plain.csv") == {"Content-Disposition": 'attachment; filename="plain.csv"'}
