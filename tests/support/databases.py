"""Migrated databases for tests, migrated once per pytest worker.

Running every Alembic migration plus ``prepare`` (framework and parity targets) takes seconds, so each
worker does it once per backend and hands out copies:

- SQLite: a template file, migrated and prepared once, copied to the test's own path (``fresh_sqlite``).
- PostgreSQL: one schema per worker, migrated and prepared once; before each test the tables the previous
  test wrote to are emptied and the reference rows ``prepare`` seeded are put back from a snapshot, with
  every sequence set back to where the template left it, so ids start where a fresh schema's would
  (``WorkerSchema.reset``). ``alembic_version`` is never touched; a test that moved it (a migration test)
  makes the next reset rebuild the schema.

Fixtures that keep a database for a whole module or session (``loaded_db``, ``perf_loaded``, ...) get a
database of their own from ``make_database``: a copy of the template on SQLite, a new migrated schema on
PostgreSQL.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, create_engine, insert, text

from peaceops.platform import prepare
from peaceops.store import Database
from support.requirements import skip_or_fail

PG_URL = os.environ.get("PEACEOPS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
APPEND_ONLY = {"audit_log"}
# A table holding more rows than this after a test is emptied with TRUNCATE; smaller ones with DELETE,
# which is much cheaper for the few rows most tests write (TRUNCATE makes new files for every table).
BIG = 2000


@cache
def postgres_problem() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means "no PostgreSQL here"
        return f"no PostgreSQL at {PG_URL} ({exc.__class__.__name__})"
    return None


def need_postgres() -> None:
    """Skip the PostgreSQL half of a test where no server answers, or fail where it is required."""
    problem = postgres_problem()
    if problem:
        skip_or_fail(problem, "PEACEOPS_REQUIRE_POSTGRES")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Templates:
    """This process's (this worker's) migrated templates, built on first use."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="peaceops-templates-"))
        self._sqlite: Path | None = None
        self._worker: WorkerSchema | None = None

    def sqlite_template(self) -> Path:
        if self._sqlite is None:
            path = self.folder / "template.sqlite"
            db = Database(f"sqlite:///{path}")
            prepare(db)
            checkpointed(db)  # everything into the main file: the copy is the file alone
            self._sqlite = path
        return self._sqlite

    def fresh_sqlite(self, path: Path) -> Database:
        """A migrated, prepared SQLite database at ``path``: a copy of the template."""
        return copy_sqlite(self.sqlite_template(), path)

    def worker_schema(self) -> WorkerSchema:
        need_postgres()
        if self._worker is None:
            self._worker = WorkerSchema.build()
        return self._worker

    def close(self) -> None:
        if self._worker is not None:
            self._worker.drop()
            self._worker = None
        shutil.rmtree(self.folder, ignore_errors=True)


def new_schema(admin: Engine) -> str:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {_quote(schema)}"))
    return schema


def drop_schema(admin: Engine, schema: str) -> None:
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {_quote(schema)} CASCADE"))


@dataclass
class WorkerSchema:
    """One migrated PostgreSQL schema per worker, reset between tests."""

    schema: str
    admin: Engine
    engine: Engine
    version: set[str] = field(default_factory=set)
    order: list[str] = field(default_factory=list)  # tables, parents before children
    seeded: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # table -> reference rows
    checksums: dict[str, str | None] = field(default_factory=dict)
    sequences: dict[str, int | None] = field(default_factory=dict)  # sequence -> last_value
    metadata: MetaData = field(default_factory=MetaData)

    @classmethod
    def build(cls) -> WorkerSchema:
        admin = create_engine(PG_URL)
        schema = new_schema(admin)
        db = Database(PG_URL, schema=schema)
        prepare(db)
        ws = cls(schema=schema, admin=admin, engine=db.engine)
        ws._snapshot()
        return ws

    def _snapshot(self) -> None:
        with self.engine.connect() as conn:
            self.metadata = MetaData()
            self.metadata.reflect(conn)
            with warnings.catch_warnings():  # a cycle of foreign keys only makes the order approximate
                warnings.simplefilter("ignore")
                self.order = [t.name for t in self.metadata.sorted_tables if t.name != "alembic_version"]
            self.version = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
            counts = self._counts(conn)
            self.seeded = {
                name: [dict(r._mapping) for r in conn.execute(self.metadata.tables[name].select())]
                for name in self.order
                if counts[name]
            }
            self.checksums = self._checksums(conn)
            self.sequences = self._sequences(conn)

    def _counts(self, conn: Any) -> dict[str, int]:
        """Rows per table, counted up to BIG + 1 (one query)."""
        query = " UNION ALL ".join(
            f"SELECT '{name}', (SELECT count(*) FROM (SELECT 1 FROM {_quote(name)} LIMIT {BIG + 1}) AS x)"
            for name in self.order
        )
        return {name: int(count) for name, count in conn.execute(text(query))}

    def _checksums(self, conn: Any) -> dict[str, str | None]:
        """A digest of each seeded table's rows, to tell whether a test changed them."""
        if not self.seeded:
            return {}
        query = " UNION ALL ".join(
            f"SELECT '{name}', (SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {_quote(name)} AS t)"
            for name in self.seeded
        )
        return {name: digest for name, digest in conn.execute(text(query))}

    def _sequences(self, conn: Any) -> dict[str, int | None]:
        rows = conn.execute(
            text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = :schema"),
            {"schema": self.schema},
        )
        return {name: value for name, value in rows}

    def database(self) -> Database:
        return Database(PG_URL, schema=self.schema)

    def reset(self) -> None:
        """Back to the state right after ``prepare``: rows written since are gone, reference rows and
        sequences as the snapshot has them."""
        with self.engine.begin() as conn:
            version = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
        if version != self.version:
            self._rebuild()
            return
        with self.engine.begin() as conn:
            counts = self._counts(conn)
            checksums = self._checksums(conn)
            # Reference rows refer to each other (framework links to elements): any change restores them all.
            changed = any(checksums[name] != self.checksums[name] for name in self.seeded)
            changed_seed = list(self.seeded) if changed else []
            dirty = [name for name in self.order if counts[name] and name not in self.seeded]
            if any(counts[name] > BIG for name in self.order):
                # Big tables: TRUNCATE everything written (CASCADE may reach the seeded tables: restore them all).
                victims = dirty + list(self.seeded)
                conn.execute(text(f"TRUNCATE {', '.join(map(_quote, victims))} CASCADE"))
                changed_seed = list(self.seeded)
            else:
                for name in reversed(self.order):  # children before parents
                    if name in dirty or name in changed_seed:
                        # The audit log refuses DELETE (a trigger; decision 022); TRUNCATE is not a row delete.
                        verb = "TRUNCATE" if name in APPEND_ONLY else "DELETE FROM"
                        conn.execute(text(f"{verb} {_quote(name)}"))
            for name in self.order:  # parents before children
                if name in changed_seed:
                    conn.execute(insert(self.metadata.tables[name]), self.seeded[name])
            current = self._sequences(conn)
            moved = [(name, value) for name, value in self.sequences.items() if current.get(name) != value]
            for name, value in moved:
                conn.execute(
                    text("SELECT setval(:seq, :value, :called)"),
                    {"seq": _quote(self.schema) + "." + _quote(name), "value": value or 1, "called": value is not None},
                )

    def _rebuild(self) -> None:
        self.engine.dispose()
        drop_schema(self.admin, self.schema)
        fresh = WorkerSchema.build()
        self.admin.dispose()
        self.__dict__.update(fresh.__dict__)

    def drop(self) -> None:
        self.engine.dispose()
        drop_schema(self.admin, self.schema)
        self.admin.dispose()


_templates: Templates | None = None


def templates() -> Templates:
    """This worker's templates (tests/conftest.py removes them when the session ends)."""
    global _templates
    if _templates is None:
        _templates = Templates()
    return _templates


def close_templates() -> None:
    global _templates
    release_shared_schemas()
    if _templates is not None:
        _templates.close()
        _templates = None


def fresh_database(backend: str, tmp_path: Path) -> Iterator[Database]:
    """The per-test database: a template copy (SQLite) or the worker's schema, reset (PostgreSQL)."""
    if backend == "sqlite":
        db = templates().fresh_sqlite(tmp_path / "peaceops.sqlite")
        yield db
        db.dispose()
        return
    worker = templates().worker_schema()
    worker.reset()
    db = worker.database()
    try:
        yield db
    finally:
        db.dispose()


def make_database(backend: str, tmp_path: Path) -> Iterator[Database]:
    """A migrated, prepared database of its own, for fixtures that keep one longer than a test: a template
    copy (SQLite) or a new schema in the PostgreSQL test database, dropped afterwards."""
    if backend == "sqlite":
        db = templates().fresh_sqlite(tmp_path / "peaceops.sqlite")
        yield db
        db.dispose()
        return
    need_postgres()
    admin = create_engine(PG_URL)
    schema = new_schema(admin)
    db = Database(PG_URL, schema=schema)
    try:
        prepare(db)
        yield db
    finally:
        db.dispose()
        drop_schema(admin, schema)
        admin.dispose()


def run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every worker of this run shares (the run's own folder without pytest-xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def locked(root: Path, name: str) -> Iterator[None]:
    """An exclusive lock that every worker of the run sees."""
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def built_once(root: Path, name: str, build: Callable[[Path], None]) -> Path:
    """``root/name``, filled by ``build`` in the first worker that asks; the others wait for it and reuse it."""
    folder = root / name
    with locked(root, name):
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            build(folder)
            (folder / ".built").touch()
    return folder


# name -> (root, schema): the shared schemas this worker uses, released when its session ends.
_shared: dict[str, tuple[Path, str]] = {}


def shared_schema(root: Path, name: str, build: Callable[[Database, Path], None]) -> Database:
    """A PostgreSQL schema migrated, prepared and filled by ``build(db, folder)`` in the first worker that
    asks, then read by every worker (for read-only fixtures). It outlives the fixture, whose parameters
    pytest may tear down and set up again: the last worker to end its session drops it."""
    need_postgres()
    if name not in _shared:
        folder, me = root / name, os.environ.get("PYTEST_XDIST_WORKER", "main")
        users, marker = folder / "users", folder / "schema"
        with locked(root, name):
            if not marker.exists():
                users.mkdir(parents=True, exist_ok=True)
                admin = create_engine(PG_URL)
                schema = new_schema(admin)
                db = Database(PG_URL, schema=schema)
                try:
                    prepare(db)
                    build(db, folder)
                except BaseException:
                    drop_schema(admin, schema)
                    raise
                finally:
                    db.dispose()
                    admin.dispose()
                marker.write_text(schema)
            (users / me).touch()
            _shared[name] = (root, marker.read_text())
    return Database(PG_URL, schema=_shared[name][1])


def release_shared_schemas() -> None:
    me = os.environ.get("PYTEST_XDIST_WORKER", "main")
    for name, (root, schema) in list(_shared.items()):
        users, marker = root / name / "users", root / name / "schema"
        with locked(root, name):
            (users / me).unlink(missing_ok=True)
            if not any(users.iterdir()):
                admin = create_engine(PG_URL)
                drop_schema(admin, schema)
                admin.dispose()
                marker.unlink(missing_ok=True)
        del _shared[name]


def checkpointed(db: Database) -> None:
    """Fold an SQLite database's write-ahead log into its file, so that copying the file copies everything."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()


def copy_sqlite(source: Path, target: Path) -> Database:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return Database(f"sqlite:///{target}")
