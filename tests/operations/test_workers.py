"""`peaceops serve --workers 2` on PostgreSQL: what one worker starts another continues (decision 050).

A real gunicorn master with two uvicorn workers, on a fresh var/ (so each worker would make its own secret
key if they raced) and a schema of its own; every request opens a new connection, so the kernel hands
them to either worker.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support.databases import make_database
from support.web import sign_in

import peaceops
from peaceops.access.users import add_user

SOURCE_DIR = Path(peaceops.__file__).resolve().parents[1]
PASSWORD = "a long enough password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    found = subprocess.run(["ps", "--ppid", str(pid), "-o", "pid="], capture_output=True, text=True).stdout
    return {int(p) for p in found.split()}


def _wait(predicate, what: str, limit: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit  # a guard against a hang, not a speed check
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    for db in make_database("postgres", tmp_path):
        with db.session() as session:
            add_user(session, "analyst", PASSWORD, "analyst")
        url = db.engine.url.render_as_string(hide_password=False)
        port = _free_port()
        var_dir = tmp_path / "var"
        env = {
            **os.environ,
            "PEACEOPS_DATABASE_URL": f"{url}?options=-csearch_path%3D{db.schema}",
            "PEACEOPS_VAR_DIR": str(var_dir),
            "PYTHONPATH": os.pathsep.join([str(SOURCE_DIR), os.environ.get("PYTHONPATH", "")]),
        }
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        log = (tmp_path / "server.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "peaceops", "serve", "--workers", "2", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(lambda: len(_children(process.pid)) == 2, "two workers")  # noqa: B023 (called at once)
            yield base, process, var_dir
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
            log.close()


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def test_two_workers_share_sessions_metrics_and_survive_a_killed_worker(server) -> None:  # type: ignore[no-untyped-def]
    base, process, var_dir = server
    _wait(lambda: _healthy(base), "the server to answer")

    with httpx.Client(base_url=base) as browser:
        assert sign_in(browser, "analyst", PASSWORD).status_code == 303
        cookies = dict(browser.cookies)
    # Each request on a new connection: whichever worker takes it knows the session and signs the same way.
    answers = [httpx.get(f"{base}/api/missions", cookies=cookies, timeout=30).status_code for _ in range(30)]
    assert answers == [200] * 30
    assert len(list(var_dir.glob(".secret_key.*"))) == 0 and (var_dir / "secret_key").is_file()

    # /metrics sums every worker's counts, whichever worker answers it.
    body = httpx.get(f"{base}/metrics").text
    line = next(
        x for x in body.splitlines() if x.startswith("peaceops_http_requests_total{") and '"/api/missions"' in x
    )
    assert float(line.rsplit(" ", 1)[1]) == 30.0

    # A worker killed outright is replaced by the master, and service goes on.
    before = _children(process.pid)
    os.kill(sorted(before)[0], signal.SIGKILL)
    _wait(lambda: len(_children(process.pid)) == 2 and _children(process.pid) != before, "a replacement worker")
    answers = [httpx.get(f"{base}/api/missions", cookies=cookies, timeout=30).status_code for _ in range(10)]
    assert answers == [200] * 10
