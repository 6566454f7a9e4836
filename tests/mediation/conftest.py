"""Agreements fixtures: the full PA-X and UCDP files loaded once per session and backend (read-only tests),
and small subsets of the same real files, written to a temporary folder, for behaviour tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from agreement_subset import FILES, SUBSET_PAIDS, SUBSET_PAX, load  # noqa: F401  (load: used by the test modules)
from fastapi.testclient import TestClient
from support.databases import built_once, checkpointed, copy_sqlite, make_database, run_root, shared_schema

from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app


def agreement_files(data_dir: Path) -> dict[str, tuple[str, Path]]:
    return {name: (kind, data_dir.joinpath(*parts)) for name, (kind, parts) in FILES.items()}


@pytest.fixture(scope="session")
def full_files(data_dir: Path) -> dict[str, tuple[str, Path]]:
    return agreement_files(data_dir)


def _subset(source: Path, target: Path, keep: Callable[[dict[str, str]], bool]) -> Path:
    """Copy the header and the rows ``keep`` accepts, byte for byte as csv writes them."""
    with source.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
        writer.writeheader()
        writer.writerows(row for row in reader if keep(row))
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def subset_files(full_files: dict[str, tuple[str, Path]], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The same four files cut down to SUBSET_PAX agreements (and some UCDP rows), in a temporary folder."""
    folder = tmp_path_factory.mktemp("agreement-subset")
    ids = {str(i) for i in SUBSET_PAX}
    paids = {str(p) for p in SUBSET_PAIDS}
    out = {}
    for name, (kind, path) in full_files.items():
        column = "paid" if name == "ucdp" else "AgtId"
        wanted = paids if name == "ucdp" else ids
        out[name] = (kind, _subset(path, folder / f"{name}.csv", lambda row, c=column, w=wanted: row[c] in w))
    (folder / "column_dictionary.csv").write_bytes(
        (full_files["coded"][1].parent / "column_dictionary.csv").read_bytes()
    )
    return out


@pytest.fixture
def subset_db(db: Database, subset_files: dict) -> Database:
    """A fresh database (each backend) holding the subset."""
    load(db, subset_files)
    return db


@pytest.fixture
def second_db(request: pytest.FixtureRequest, db: Database, tmp_path: Path) -> Iterator[Database]:
    """Another fresh database on the same backend as ``db``, to compare two import histories."""
    backend = "postgresql" if db.dialect == "postgresql" else "sqlite"
    (tmp_path / "second").mkdir()
    yield from make_database(backend, tmp_path / "second")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def agreements_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, full_files: dict
) -> Iterator[Database]:
    """Every agreement of the shared files, loaded once per backend; tests must only read from it.

    The first worker that asks loads them: on SQLite into a file every worker copies, on PostgreSQL into a
    schema every worker reads."""
    tmp = tmp_path_factory.mktemp(f"agreements-{request.param}")
    if request.param == "sqlite":

        def build(folder: Path) -> None:
            for db in make_database("sqlite", folder):
                load(db, full_files)
                checkpointed(db)

        built = built_once(run_root(tmp_path_factory), "agreements-sqlite", build)
        copy = copy_sqlite(built / "peaceops.sqlite", tmp / "peaceops.sqlite")
        yield copy
        copy.dispose()
        return
    db = shared_schema(run_root(tmp_path_factory), "agreements-postgresql", lambda db, _: load(db, full_files))
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def embeddings_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One var directory for the session: each text is embedded once, whichever backend asks first."""
    return tmp_path_factory.mktemp("agreements-var")


@pytest.fixture
def api(agreements_db: Database, embeddings_var: Path, data_dir: Path) -> Iterator[TestClient]:
    """The local administrator on the loaded agreements (read-only)."""
    settings = Settings(var_dir=embeddings_var, data_dir=data_dir, secret_key="a" * 40)
    with TestClient(create_app(settings, db=agreements_db, local_admin=True)) as client:
        yield client


@pytest.fixture
def subset_api(subset_db: Database, embeddings_var: Path, data_dir: Path) -> Iterator[TestClient]:
    """The local administrator on a fresh database holding the subset (each backend)."""
    settings = Settings(var_dir=embeddings_var, data_dir=data_dir, secret_key="a" * 40)
    with TestClient(create_app(settings, db=subset_db, local_admin=True)) as client:
        yield client
