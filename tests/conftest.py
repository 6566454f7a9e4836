"""Fixtures in layers: settings -> database (SQLite and PostgreSQL) -> loaded database -> web clients.

Every database test runs twice, on a fresh SQLite file and on a fresh PostgreSQL schema, both copies of
a template migrated once per worker (tests/support/databases.py). Where no PostgreSQL answers at
127.0.0.1:5432 the PostgreSQL half skips with the reason, unless PEACEOPS_REQUIRE_POSTGRES=1 (set by
.ci/run), which turns the skip into a failure.

Tests that read the shared data sets (every test whose fixtures include ``data_dir``, and those marked
``data``) skip with the reason when the data directory is absent, unless PEACEOPS_REQUIRE_DATA=1; browser
tests (``e2e``) and PDF tests (``pdf``) likewise without Chromium or WeasyPrint's libraries, unless
PEACEOPS_REQUIRE_SYSTEM=1 (tests/support/requirements.py).
"""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from support import databases
from support.requirements import CHROMIUM, DATA_DIR, check_markers, data_problem, skip_or_fail

from peaceops.access import users
from peaceops.agreements.importing import KINDS as agreement_kinds
from peaceops.agreements.semantic import build_index
from peaceops.platform import demo_paths, import_file
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

# Kept importable from here for the conftests that looked it up on this module.
make_database = databases.make_database

# Fixtures that read the shared data: a test using one (directly or through another fixture) is marked `data`.
DATA_FIXTURES = {"data_dir"}
# Fixtures of pytest-playwright that start a browser: a test using one is marked `e2e`.
BROWSER_FIXTURES = {"page", "browser", "context"}

# Files that take minutes (the demo run twice, the route matrix, Spark beside DuckDB, subprocesses), slowest
# first: under `make test` each worker runs a whole file at a time, so these start at once and the many
# short files fill the other workers beside them, instead of one of these running alone at the end.
SLOW_FILES = (
    "test_cli_demo.py",
    "test_agreements.py",
    "test_route_matrix.py",
    "test_engines.py",
    "test_cli.py",
    "test_commands.py",
    "test_openapi_fuzz.py",
    "test_panels.py",
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist's --dist loadfile hands out files by their number of tests, most first, unless told to keep
    # the collection's order: the order pytest_collection_modifyitems gives below.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def _run_order(item: pytest.Item, tests_in: Counter[Path]) -> tuple[int, int]:
    """SLOW_FILES first, in their order; then the other files by their number of tests, most first."""
    name = item.path.name
    return (SLOW_FILES.index(name) if name in SLOW_FILES else len(SLOW_FILES), -tests_in[item.path])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & DATA_FIXTURES:
            item.add_marker(pytest.mark.data)
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.e2e)
    tests_in = Counter(item.path for item in items)
    items.sort(key=lambda item: _run_order(item, tests_in))  # stable: a file's tests stay together, in order


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    check_markers(item)


def pytest_sessionfinish(session: pytest.Session) -> None:
    databases.close_templates()


@pytest.fixture(scope="session", autouse=True)
def hash_each_password_once() -> Iterator[None]:
    """The accounts tests create with ``add_user`` share one real argon2 hash per password, as the fixtures
    that hash once per module do: argon2 is slow on purpose (a sixth of a second a hash here) and most web
    tests create several accounts. Signing in still verifies the password against that hash."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "hash_password", functools.cache(users.hash_password))
        yield


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared data sets; a test that asks for them is marked ``data`` and skips (or fails) without them."""
    problem = data_problem()
    if problem:
        skip_or_fail(problem, "PEACEOPS_REQUIRE_DATA")
    return DATA_DIR


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an app under test; ``data_dir`` is where the shared data would be (tests that read it
    ask for the ``data_dir`` fixture)."""
    return Settings(var_dir=tmp_path / "var", data_dir=DATA_DIR, secret_key="t" * 40)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated and prepared database per test, on each backend (a copy of the worker's template)."""
    yield from databases.fresh_database(request.param, tmp_path)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def loaded_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_dir: Path
) -> Iterator[Database]:
    """One database per backend with all the demo files loaded; tests must only read from it.

    The first worker that asks loads the files: on SQLite into a file every worker copies, on PostgreSQL
    into a schema every worker reads (dropped when the last worker's session ends)."""
    root = databases.run_root(tmp_path_factory)
    if request.param == "sqlite":
        built = databases.built_once(root, "loaded-sqlite", lambda folder: _load_demo_files(folder, data_dir))
        db = databases.copy_sqlite(built / "peaceops.sqlite", tmp_path_factory.mktemp("loaded") / "peaceops.sqlite")
        yield db
        db.dispose()
        return
    db = databases.shared_schema(
        root, "loaded-postgresql", lambda db, folder: _import_demo_files(db, data_dir, folder / "var")
    )
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def agreement_embeddings(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """The embeddings cache (``var/embeddings``) of every agreement and provision of the demo files, computed
    once per test run by the first worker that asks: the demo run and the browser's agreement search start
    from a copy instead of each spending a minute of both cores on the same 5,849 texts."""
    root = databases.run_root(tmp_path_factory)
    return databases.built_once(root, "embeddings", lambda folder: _embed_agreements(folder, data_dir)) / "embeddings"


def _embed_agreements(folder: Path, data_dir: Path) -> None:
    kinds = {kind.name for kind in agreement_kinds}
    for db in make_database("sqlite", folder):
        for kind, path in demo_paths(Settings(data_dir=data_dir)):
            if kind in kinds:
                import_file(db, kind, path, "test", var_dir=folder)
        with db.session() as session:
            build_index(session, folder)


def _import_demo_files(db: Database, data_dir: Path, var_dir: Path) -> None:
    for kind, path in demo_paths(Settings(data_dir=data_dir)):
        import_file(db, kind, path, "test", var_dir=var_dir)


def _load_demo_files(folder: Path, data_dir: Path) -> None:
    for db in make_database("sqlite", folder):
        _import_demo_files(db, data_dir, folder / "var")
        databases.checkpointed(db)


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run(*args, stdin="", extra_env=None)``: the CLI as a user runs it, a real subprocess on a temporary
    SQLite database (test_cli.py and test_cli_demo.py)."""
    env = {
        **os.environ,
        "PEACEOPS_VAR_DIR": str(tmp_path / "var"),
        "PEACEOPS_DATA_DIR": str(DATA_DIR),
        "COLUMNS": "120",
    }
    env.pop("PEACEOPS_DATABASE_URL", None)

    def _run(*args: str, stdin: str = "", extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "peaceops", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**env, **(extra_env or {})},
            timeout=900,  # a guard against a hang, not a speed check (the demo forecasts and embeds)
        )

    return _run


@pytest.fixture
def make_client(settings: Settings) -> Iterator[Callable[..., TestClient]]:
    """``make_client(db, local_admin=False)``: a TestClient on a new app over ``db``, closed after the test."""
    clients: list[TestClient] = []

    def make(db: Database, *, local_admin: bool = False) -> TestClient:
        client = TestClient(create_app(settings, db=db, local_admin=local_admin))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def reader(make_client: Callable[..., TestClient], loaded_db: Database) -> TestClient:
    """The in-process local administrator on the database with every demo file loaded (read-only use)."""
    return make_client(loaded_db, local_admin=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright launches Debian's Chromium (PEACEOPS_CHROMIUM), never a downloaded browser."""
    if not Path(CHROMIUM).is_file():
        skip_or_fail(f"no Chromium at {CHROMIUM}", "PEACEOPS_REQUIRE_SYSTEM")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@contextmanager
def _serving(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port in a thread, for browser tests; its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


@pytest.fixture(scope="session")
def serve() -> Callable[[Any], AbstractContextManager[str]]:
    """``with serve(app) as base_url: ...``: a live server for one browser test module."""
    return _serving
