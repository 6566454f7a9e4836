"""The wheel is the whole app: `pip install peaceops` then `peaceops serve` works outside the repository;
the container files are linted (decision 050). No container engine runs here, so the image is not built."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest
import yaml

import peaceops

REPO = Path(peaceops.__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("tree")
    # Build from a copy: setuptools writes build/ and *.egg-info beside the sources it is given.
    shutil.copytree(REPO / "src", build / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, build / name)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(build)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = out.glob("peaceops-*.whl")
    return found


def test_the_wheel_carries_templates_assets_catalogues_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    source = REPO / "src"
    for folder, pattern in (
        ("peaceops/migrations/versions", "*.py"),
        ("peaceops/web/static", "**/*"),
        ("peaceops/web/templates", "**/*.html"),
        ("peaceops/locale", "*/LC_MESSAGES/*.po"),
        ("peaceops/reports/templates", "*.html"),
    ):
        expected = {p.relative_to(source).as_posix() for p in (source / folder).glob(pattern) if p.is_file()}
        assert expected, folder
        assert expected <= names, sorted(expected - names)[:5]
    assert "peaceops/framework/a4p.toml" in names


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_installed_wheel_serves_pages_and_assets_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(site), "PEACEOPS_LOG_FORMAT": "text"}
    env.pop("PEACEOPS_VAR_DIR", None)
    env.pop("PEACEOPS_DATABASE_URL", None)
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import peaceops, sys; print(peaceops.__file__, flush=True); "
            "from peaceops.cli import main; sys.argv = ['peaceops', 'serve', '--port', sys.argv[1]]; main()",
            str(port),
        ],
        cwd=elsewhere,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a guard against a hang, not a speed check
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            raise AssertionError((tmp_path / "serve.log").read_text()[-3000:])
        assert httpx.get(f"{base}/static/app.css").status_code == 200
        login = httpx.get(f"{base}/login")
        assert login.status_code == 200 and 'name="csrf_token"' in login.text
        french = httpx.get(f"{base}/login", cookies={"peaceops_lang": "fr"})
        assert "Mot de passe" in french.text  # the catalogue came with the wheel
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    first_line = (tmp_path / "serve.log").read_text().splitlines()[0]
    assert first_line.startswith(str(site)), first_line  # the installed copy ran, not the checkout
    assert (elsewhere / "var" / "peaceops.sqlite").is_file()  # var/ in the working directory, not the package


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    done = subprocess.run([hadolint, str(DEPLOY / "Dockerfile")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_compose_file_runs_migrations_before_the_app_on_postgresql() -> None:
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    assert {"db", "migrate", "app", "worker"} <= set(services)
    assert services["worker"]["command"] == ["peaceops", "jobs", "work"]
    assert services["migrate"]["command"] == ["peaceops", "db", "upgrade"]
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["app"]["environment"]["PEACEOPS_DATABASE_URL"].startswith("postgresql+psycopg://")
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "\nUSER 10001\n" in dockerfile and dockerfile.count("\nFROM ") == 2  # non-root, two stages
