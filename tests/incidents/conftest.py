"""Fixtures for the incident tests: one migrated database per backend and module (SQLite file, fresh
PostgreSQL schema), with the real missions register, a gazetteer built from the real UCDP GED events of
the Central African Republic, and accounts in two missions; web clients signed in through the login form."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support.databases import make_database
from support.web import signed_in_client

from peaceops.access.users import add_user
from peaceops.incidents.gazetteer import build_gazetteer
from peaceops.platform import import_file
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.events import read_event_file, write_events
from peaceops.web import create_app

PASSWORD = "incident password, long enough"
# name -> (role, mission)
USERS = {
    "reporter": ("mission_officer", "MINUSCA"),
    "verifier": ("mission_officer", "MINUSCA"),
    "outsider": ("mission_officer", "MONUSCO"),
    "analyst": ("analyst", None),
    "viewer": ("viewer", None),
}


@pytest.fixture(scope="session")
def ged_var(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """An event store holding the real UCDP GED events of the Central African Republic (MINUSCA's host)."""
    var = tmp_path_factory.mktemp("incident-events")
    write_events(var, read_event_file(data_dir / "ucdp" / "ged" / "ged_central_african_republic.csv.gz"))
    return var


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def incident_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_dir: Path, ged_var: Path
) -> Iterator[Database]:
    """Per module and backend: the missions register, the CAR gazetteer and the USERS accounts.
    Tests add their own incidents and must not depend on each other's."""
    tmp = tmp_path_factory.mktemp(f"incidents-{request.param}")
    for db in make_database(request.param, tmp):
        import_file(db, "missions", data_dir / "un_peacekeeping" / "missions" / "DPPADPOSS-PKO.csv", "test")
        with db.session() as s:
            build_gazetteer(s, ged_var, "test")
            for name, (role, mission) in USERS.items():
                add_user(s, name, PASSWORD, role, mission=mission)
        yield db


@pytest.fixture(scope="module")
def client_for(
    incident_db: Database, tmp_path_factory: pytest.TempPathFactory, data_dir: Path, ged_var: Path
) -> Iterator[Callable[[str], TestClient]]:
    """A client per account name, signed in through the real login form (cached for the module)."""
    settings = Settings(var_dir=ged_var, data_dir=data_dir, secret_key="i" * 40)
    app = create_app(settings, db=incident_db)
    clients: dict[str, TestClient] = {}

    def get(name: str) -> TestClient:
        if name not in clients:
            page = "/incidents/new" if USERS[name][0] != "viewer" else "/"
            clients[name] = signed_in_client(app, name, PASSWORD, header_from=page)
        return clients[name]

    yield get
    for client in clients.values():
        client.close()
