"""Performance fixtures in layers: a database with the missions register -> UNMISS with a framework -> actors.

``perf_loaded`` is a database per backend with the personnel files and the Central African Republic GED
events loaded into its own event store, and frameworks provisioned; tests that write to it must use
their own mission or period.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from perf_actors import ADMIN
from perf_web import PASSWORD, sign_in
from sqlalchemy import select
from support.databases import make_database

from peaceops.access.models import User
from peaceops.access.users import add_user
from peaceops.performance.frameworks import create_framework, find_mission, template_path
from peaceops.performance.provision import provision
from peaceops.platform import import_file
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

PERSONNEL = {
    "missions": ("un_peacekeeping", "missions", "DPPADPOSS-PKO.csv"),
    "mission-totals": ("un_peacekeeping", "personnel", "IPI_mission_monthly_totals_1990-11_to_2017-03.csv"),
    "contributions": ("un_peacekeeping", "personnel", "IPI_TCC_gender_by_mission_2009-11_to_2014-02.csv"),
    "fatalities": ("un_peacekeeping", "fatalities", "DPPADPOSS-FATALITIES.csv"),
}
CAR_EVENTS = ("ucdp", "ged", "ged_central_african_republic.csv.gz")


@pytest.fixture
def missions_db(db: Database, data_dir: Path) -> Database:
    """A fresh database (each backend) with the real missions register."""
    import_file(db, "missions", data_dir.joinpath(*PERSONNEL["missions"]), "test")
    return db


DERIVED_CD = """kind = "derived"
derivation = "training_trained:conduct"
unit = "count"
direction = "higher"
frequency = "month"
aggregation = "sum"
"""
ENTERED_CD = """unit = "count"
direction = "higher"
frequency = "quarter"
aggregation = "sum"
disaggregations = ["sex", "category"]
"""


@pytest.fixture(scope="session")
def entered_cd_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default template with CD_TRAINED entered per quarter by sex and category, as it was before it was
    derived from training records (decision 041): the value-entry tests need one entered indicator with a
    sex disaggregation."""
    text = template_path("a4p-default").read_text(encoding="utf-8")
    assert DERIVED_CD in text
    path = tmp_path_factory.mktemp("templates") / "a4p-entered-cd.toml"
    path.write_text(text.replace(DERIVED_CD, ENTERED_CD), encoding="utf-8")
    return path


@pytest.fixture
def unmiss(missions_db: Database, entered_cd_template: Path) -> Database:
    """UNMISS with its first framework version from the default template (CD_TRAINED entered)."""
    with missions_db.session() as s:
        create_framework(s, find_mission(s, "UNMISS"), ADMIN, template=entered_cd_template)
    return missions_db


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def perf_loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_dir: Path
) -> Iterator[tuple[Database, Path]]:
    """Real personnel data and CAR events, frameworks for every active mission; (database, var_dir)."""
    tmp = tmp_path_factory.mktemp(f"perf-{request.param}")
    var_dir = tmp / "var"
    for db in make_database(request.param, tmp):
        for kind, parts in PERSONNEL.items():
            import_file(db, kind, data_dir.joinpath(*parts), "test")
        import_file(db, "ucdp-ged", data_dir.joinpath(*CAR_EVENTS), "test", var_dir=var_dir)
        allegations = data_dir / "un_peacekeeping" / "conduct" / "table_of_allegations_as_of_july_2024.xlsx"
        import_file(db, "allegations", allegations, "test")
        with db.session() as s:
            provision(s, var_dir=var_dir)
        yield db, var_dir


USERS = {
    "admin-a": ("admin", None),
    "admin-b": ("admin", None),
    "analyst": ("analyst", None),
    "officer-unmiss": ("mission_officer", "UNMISS"),
    "officer-minusca": ("mission_officer", "MINUSCA"),
    "viewer": ("viewer", None),
}


@pytest.fixture
def client_for(unmiss: Database, settings: Settings) -> Iterator[Callable[[str], TestClient]]:
    """A signed-in client per user name of USERS; each account is created on first use (argon2 is slow)."""
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        role, mission = USERS[username]
        with unmiss.session() as s:
            if s.scalar(select(User.id).where(User.username == username)) is None:
                add_user(s, username, PASSWORD, role, mission=mission)
        client = TestClient(create_app(settings, db=unmiss))
        clients.append(client)
        sign_in(client, username)
        return client

    yield make
    for client in clients:
        client.close()
