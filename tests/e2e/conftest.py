"""A live server on 127.0.0.1 over a loaded SQLite database; pytest-playwright drives Debian's Chromium.

Follows docs RECIPES.md section 1: never ``playwright install``; tests/conftest.py launches
PEACEOPS_CHROMIUM (default /usr/bin/chromium) instead, and browser tests skip without it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pages import sign_in_as
from playwright.sync_api import Page
from support.databases import built_once, checkpointed, copy_sqlite, run_root

from peaceops.access.users import add_user
from peaceops.conflict.alerts import AlertRules, detect
from peaceops.conflict.early_warning import mission_cutoff
from peaceops.conflict.forecast import ForecastConfig
from peaceops.conflict.monitoring import forecast_run
from peaceops.platform import demo_paths, import_file, prepare
from peaceops.settings import REPO_ROOT, Settings
from peaceops.store import Database
from peaceops.web import create_app

SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
USERS = {"e2e-analyst": "analyst", "e2e-admin": "admin"}
PASSWORD = "e2e password, long enough"
LOOSE_RULES = AlertRules(early_entry=0.05, escalation=0.2, spillover=0.05, rise=0.0)


@pytest.fixture(scope="session")
def e2e_password() -> str:
    return PASSWORD


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def _build_e2e(folder: Path, data_dir: Path, embeddings: Path) -> None:
    """The demo files loaded into a fresh SQLite file, plus one analyst and one administrator.

    Conflict monitoring runs as the demo runs it (from the mission hosts' last covered month), with smaller
    trees to keep the session short and loose alert rules so the alert pages have something to show.
    """
    var = folder / "var"
    shutil.copytree(embeddings, var / "embeddings")  # the agreements' embeddings, computed once per run
    db = Database(f"sqlite:///{folder / 'peaceops.sqlite'}")
    prepare(db)
    for kind, path in demo_paths(Settings(data_dir=data_dir)):
        import_file(db, kind, path, "e2e", var_dir=var)
    with db.session() as s:
        for name, role in USERS.items():
            add_user(s, name, PASSWORD, role, actor="e2e")
        cutoff = mission_cutoff(s, var)
        for level in ("cm", "pgm"):
            config = ForecastConfig(n_estimators=30, max_train_months=60)
            run, panel, _ = forecast_run(s, var, level, cutoff=cutoff, horizon=12, actor="e2e", config=config)
            detect(s, run, panel, var, "e2e", LOOSE_RULES)
    checkpointed(db)


@pytest.fixture(scope="session")
def e2e_built(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, agreement_embeddings: Path) -> Path:
    """Built by the first worker that needs it (_build_e2e); every worker serves its own copy."""
    root = run_root(tmp_path_factory)
    return built_once(root, "e2e", lambda folder: _build_e2e(folder, data_dir, agreement_embeddings))


@pytest.fixture(scope="session")
def e2e_var(tmp_path_factory: pytest.TempPathFactory, e2e_built: Path) -> Path:
    """The server's var directory, which holds the event store the imports wrote."""
    var = tmp_path_factory.mktemp("e2e-var")
    shutil.copytree(e2e_built / "var", var, dirs_exist_ok=True)
    return var


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory: pytest.TempPathFactory, e2e_built: Path, e2e_var: Path) -> Iterator[Database]:
    """This worker's copy of the demo database with the monitoring run and the two accounts (_build_e2e)."""
    db = copy_sqlite(e2e_built / "peaceops.sqlite", tmp_path_factory.mktemp("e2e") / "peaceops.sqlite")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def live_server(e2e_db: Database, e2e_var: Path, data_dir: Path, serve) -> Iterator[str]:
    settings = Settings(var_dir=e2e_var, data_dir=data_dir, secret_key="e" * 40)
    app = create_app(settings, db=e2e_db)
    with serve(app) as base:
        yield base


@pytest.fixture
def requests_stay_local(page: Page, live_server: str) -> Iterator[list[str]]:
    """Every request the page makes, checked after the test: only the app on 127.0.0.1 (or inline data).

    Modules opt in with ``pytestmark = pytest.mark.usefixtures("requests_stay_local")``.
    """
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    yield seen
    assert seen, "the test made requests"
    outside = [url for url in seen if not url.startswith((live_server + "/", "data:", "blob:"))]
    assert outside == []


@pytest.fixture
def sign_in(e2e_password: str) -> Callable[..., None]:
    """``sign_in(page, live_server, path="/", username="e2e-analyst")`` with the e2e password."""

    def go(page: Page, live_server: str, path: str = "/", username: str = "e2e-analyst") -> None:
        sign_in_as(page, live_server, path, username, e2e_password)

    return go
