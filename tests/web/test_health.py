"""``GET /healthz``: 200 when the database answers at the current schema, 503 with what to do otherwise;
open to anyone, and it says nothing an outsider could use."""

from __future__ import annotations

from pathlib import Path

from peaceops.store import Database
from peaceops.store.database import current_revision, migrate_to
from peaceops.store.health import head_revision


def test_a_current_database_is_healthy_without_signing_in(make_client, db: Database) -> None:
    answer = make_client(db).get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert {c["name"]: c["ok"] for c in body["checks"]} == {"database": True, "schema": True}
    assert "set-cookie" not in answer.headers
    assert current_revision(db) == head_revision()


def test_an_empty_database_asks_for_an_upgrade(make_client, tmp_path: Path) -> None:
    answer = make_client(Database(f"sqlite:///{tmp_path / 'empty.db'}")).get("/healthz")
    assert answer.status_code == 503
    schema = {c["name"]: c for c in answer.json()["checks"]}["schema"]
    assert not schema["ok"] and "peaceops db upgrade" in schema["detail"]


def test_an_older_schema_is_not_healthy(make_client, tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    migrate_to(db, "0015")
    answer = make_client(db).get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["status"] == "failing"


def test_an_unreachable_database_names_no_address(make_client) -> None:
    url = "postgresql+psycopg://peaceops:secret@127.0.0.1:1/nowhere"
    answer = make_client(Database(url)).get("/healthz")
    assert answer.status_code == 503
    checks = {c["name"]: c for c in answer.json()["checks"]}
    assert not checks["database"]["ok"] and not checks["schema"]["ok"]
    assert "127.0.0.1" not in answer.text and "secret" not in answer.text and "nowhere" not in answer.text
