"""Web fixtures in layers: a fresh app per test -> an anonymous client -> clients signed in by role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from webclient import PASSWORD, sign_in

from peaceops.access.users import add_user
from peaceops.platform import demo_paths, import_file
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app


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
def make_client(settings: Settings) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(db: Database, *, local_admin: bool = False) -> TestClient:
        client = TestClient(create_app(settings, db=db, local_admin=local_admin))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client, db_with_users) -> TestClient:
    """Anonymous."""
    return make_client(db_with_users)


@pytest.fixture
def signed_in(make_client, db_with_users) -> Callable[[str], TestClient]:
    def make(username: str) -> TestClient:
        client = make_client(db_with_users)
        response = sign_in(client, username)
        assert response.status_code == 303, response.text
        return client

    return make


@pytest.fixture
def reader(make_client, loaded_db) -> TestClient:
    """The local administrator on the loaded database: read-only tests, no account rows written."""
    return make_client(loaded_db, local_admin=True)
