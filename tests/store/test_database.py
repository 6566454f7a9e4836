"""The store's Database: sessions commit or roll back as a block, SQLite runs in WAL mode with foreign keys
enforced, and migrations stop at Alembic's head on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from support.databases import PG_URL, need_postgres

from peaceops.errors import ConfigurationError
from peaceops.missions.models import Mission, MissionAlias
from peaceops.store import Database, upgrade
from peaceops.store.database import MIGRATIONS


def missions(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(Mission.acronym).order_by(Mission.acronym)))


def test_a_session_commits_when_its_block_ends(db: Database):
    with db.session() as s:
        s.add(Mission(acronym="UNTEST", name="Test mission"))
        s.flush()
        assert s.scalar(select(func.count()).select_from(Mission)) == 1
    assert missions(db) == ["UNTEST"]  # read back through a new session and connection


def test_a_session_rolls_back_everything_when_its_block_raises(db: Database):
    with db.session() as s:
        s.add(Mission(acronym="KEPT", name="Kept"))
    with pytest.raises(RuntimeError, match="halfway"):
        with db.session() as s:
            s.add(Mission(acronym="LOST", name="Lost"))
            s.flush()  # written inside the transaction ...
            raise RuntimeError("halfway")
    assert missions(db) == ["KEPT"]  # ... and gone with it


def test_foreign_keys_are_enforced(db: Database):
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(MissionAlias(alias="GHOST", mission_id=999_999))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(MissionAlias)) == 0


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'p.sqlite'}")  # missing folders are created
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        assert db.dialect == "sqlite" and (tmp_path / "nested" / "dir").is_dir()
    finally:
        db.dispose()


def test_the_test_database_copy_keeps_the_pragmas(db: Database):
    """The per-test SQLite copy of the worker's template opens like any database (PostgreSQL: no pragmas)."""
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        else:
            assert db.dialect == "postgresql"
            assert conn.execute(text("SELECT current_schema()")).scalar() == db.schema


def test_upgrade_stops_at_the_head_and_a_second_run_changes_nothing(db: Database):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    heads = set(ScriptDirectory.from_config(cfg).get_heads())

    def version() -> set[str]:
        with db.engine.connect() as conn:
            return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}

    assert version() == heads
    upgrade(db)
    assert version() == heads


def test_a_plain_postgresql_url_gets_the_psycopg_driver_and_the_schema_as_search_path():
    db = Database("postgresql://someone@127.0.0.1:5432/somewhere", schema="s1")
    try:
        assert db.engine.url.drivername == "postgresql+psycopg"
        assert db.dialect == "postgresql" and db.schema == "s1"
    finally:
        db.dispose()


def test_options_in_the_url_are_kept_beside_the_lock_timeout():
    """A deployment may name its schema in the URL (``?options=-csearch_path%3Dx``); the lock timeout every
    server worker sets must not replace it (decision 050)."""
    need_postgres()
    db = Database(f"{PG_URL}?options=-csearch_path%3Dpg_catalog", lock_timeout=10)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW search_path").scalar() == "pg_catalog"
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "10s"
    finally:
        db.dispose()


def test_an_unreachable_server_is_a_configuration_error():
    db = Database("postgresql://nobody@127.0.0.1:1/none")  # nothing listens on port 1
    try:
        with pytest.raises(ConfigurationError, match="Cannot migrate the database"):
            upgrade(db)
    finally:
        db.dispose()
