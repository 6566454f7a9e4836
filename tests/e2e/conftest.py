"""A live server on 127.0.0.1 over a loaded SQLite database, and Debian's Chromium for pytest-playwright.

Follows docs RECIPES.md section 1: never ``playwright install``; launch /usr/bin/chromium instead.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from peaceops.access.users import add_user
from peaceops.platform import demo_paths, import_file, prepare
from peaceops.settings import REPO_ROOT, Settings
from peaceops.store import Database
from peaceops.web import create_app

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
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
USERS = {"e2e-analyst": "analyst", "e2e-admin": "admin"}
PASSWORD = "e2e password, long enough"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def e2e_password() -> str:
    return PASSWORD


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Database]:
    """The demo files loaded into a fresh SQLite file, plus one analyst and one administrator."""
    tmp = tmp_path_factory.mktemp("e2e")
    db = Database(f"sqlite:///{tmp / 'peaceops.sqlite'}")
    prepare(db)
    for kind, path in demo_paths(Settings(data_dir=data_dir)):
        import_file(db, kind, path, "e2e", var_dir=tmp / "var")
    with db.session() as s:
        for name, role in USERS.items():
            add_user(s, name, PASSWORD, role, actor="e2e")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def live_server(e2e_db: Database, tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[str]:
    settings = Settings(var_dir=tmp_path_factory.mktemp("e2e-var"), data_dir=data_dir, secret_key="e" * 40)
    app = create_app(settings, db=e2e_db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)
