"""Fixtures for the strategic-communications tests: small trained models, users and signed-in clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support.web import signed_in_client

from peaceops.access.models import User
from peaceops.access.users import hash_password
from peaceops.comms import classifier, datasets
from peaceops.comms.estimator import TrainedModel
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

PASSWORD = "comms test password, long enough"


@pytest.fixture(scope="session")
def comms_models(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> tuple[Path, dict[str, TrainedModel]]:
    """Models trained on small real subsets (600 English and 600 Amharic tweets), cached in a var dir."""
    var = tmp_path_factory.mktemp("comms-var")
    dav = datasets.davidson(data_dir).head(600, 200)
    am = datasets.amharic_ranlp(data_dir).head(600, 200)
    sets = {
        "harm-en": classifier.TrainingSet(
            "harm-en", dav.train_texts, dav.train_labels, dav.test_texts, dav.test_labels
        ),
        "harm-am": classifier.TrainingSet("harm-am", am.train_texts, am.train_labels, am.test_texts, am.test_labels),
    }
    return var, classifier.train_all(None, sets, var)


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def comms_settings(comms_models: tuple[Path, dict[str, TrainedModel]], data_dir: Path) -> Settings:
    return Settings(var_dir=comms_models[0], data_dir=data_dir, secret_key="c" * 40)


@pytest.fixture
def client_as(db: Database, comms_settings: Settings, password_hash: str) -> Iterator[Callable[[str, str], TestClient]]:
    """client_as(username, role): a user created and signed in through the real login form."""
    made: list[TestClient] = []

    def make(username: str, role: str) -> TestClient:
        with db.session() as s:
            s.add(User(username=username, password_hash=password_hash, role=role))
        client = signed_in_client(create_app(comms_settings, db=db), username, PASSWORD, header_from="/")
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
