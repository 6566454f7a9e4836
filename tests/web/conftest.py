"""Web fixtures in layers: a fresh app per test -> an anonymous client -> clients signed in by role
(``make_client`` and ``reader`` come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from support.web import signed_in as signed_in_as
from webclient import PASSWORD

from peaceops.access.users import add_user
from peaceops.platform import demo_paths, import_file
from peaceops.settings import Settings
from peaceops.store import Database


@pytest.fixture
def db_with_users(db: Database, data_dir) -> Database:
    """A fresh database with the missions register and one account per role."""
    for kind, path in demo_paths(Settings(data_dir=data_dir)):
        if kind == "missions":
            import_file(db, kind, path, "test")
    with db.session() as s:
        for role in ("viewer", "analyst", "admin"):
            add_user(s, role, PASSWORD, role)
        add_user(s, "officer", PASSWORD, "mission_officer", mission="UNMISS")
    return db


@pytest.fixture
def client(make_client, db_with_users) -> TestClient:
    """Anonymous."""
    return make_client(db_with_users)


@pytest.fixture
def signed_in(make_client, db_with_users) -> Callable[[str], TestClient]:
    def make(username: str) -> TestClient:
        return signed_in_as(make_client(db_with_users), username, PASSWORD)

    return make
