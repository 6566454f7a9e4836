"""Fixtures in layers: settings -> database (SQLite and PostgreSQL) -> loaded database.

Every database test runs twice, on a fresh SQLite file and on a fresh PostgreSQL schema. Where no
PostgreSQL answers at 127.0.0.1:5432 the PostgreSQL half skips with the reason, unless
PEACEOPS_REQUIRE_POSTGRES=1 (set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import create_engine, text

from peaceops.platform import demo_paths, import_file, prepare
from peaceops.settings import Settings
from peaceops.store import Database

PG_URL = os.environ.get("PEACEOPS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATA_DIR = Settings().data_dir


def _postgres_problem() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means "no PostgreSQL here"
        return f"no PostgreSQL at {PG_URL} ({exc.__class__.__name__})"
    return None


_PG_PROBLEM = _postgres_problem()


# Files that take minutes (the demo run twice): collected first, so under `make test`'s two workers
# (a whole file each) they run beside the rest instead of after it.
SLOW_FILES = ("test_cli.py", "test_agreements.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in SLOW_FILES)  # stable: order within a file is kept


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not (DATA_DIR / "un_peacekeeping").is_dir():
        pytest.fail(f"The shared data sets are not at {DATA_DIR}; set PEACEOPS_DATA_DIR.")
    return DATA_DIR


@pytest.fixture
def settings(tmp_path: Path, data_dir: Path) -> Settings:
    return Settings(var_dir=tmp_path / "var", data_dir=data_dir, secret_key="t" * 40)


def make_database(backend: str, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database: a new SQLite file, or a new schema in the PostgreSQL test database."""
    if backend == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'peaceops.sqlite'}")
        prepare(db)
        yield db
        db.dispose()
        return
    if _PG_PROBLEM:
        if os.environ.get("PEACEOPS_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but {_PG_PROBLEM}")
        pytest.skip(_PG_PROBLEM)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(PG_URL, schema=schema)
    try:
        prepare(db)
        yield db
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database per test, on each backend."""
    yield from make_database(request.param, tmp_path)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def loaded_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_dir: Path
) -> Iterator[Database]:
    """One database per backend with all the demo files loaded; tests must only read from it."""
    tmp = tmp_path_factory.mktemp(f"loaded-{request.param}")
    for db in make_database(request.param, tmp):
        for kind, path in demo_paths(Settings(data_dir=data_dir)):
            import_file(db, kind, path, "test", var_dir=tmp / "var")
        yield db


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
