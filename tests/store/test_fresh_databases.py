"""The test databases themselves (tests/support/databases.py): each test's copy starts as the migrated,
prepared template, whatever the previous test wrote."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, update
from support.databases import templates

from peaceops.framework.models import FrameworkElement
from peaceops.missions.models import Mission
from peaceops.personnel.models import ParityTarget
from peaceops.store import Database


def state(db: Database) -> dict[str, object]:
    with db.session() as s:
        return {
            "missions": s.scalar(select(func.count()).select_from(Mission)),
            "elements": s.scalar(select(func.count()).select_from(FrameworkElement)),
            "targets": sorted(s.execute(select(ParityTarget.id, ParityTarget.category, ParityTarget.share)).all()),
        }


def scribble(db: Database) -> int:
    """Write what tests write: a new row, an edited reference row; returns the new row's id."""
    with db.session() as s:
        mission = Mission(acronym="SCRIBBLE", name="Written by a test")
        s.add(mission)
        s.execute(update(ParityTarget).values(share=0.99))
        s.flush()
        return mission.id


def test_a_reset_worker_schema_is_the_template_again_ids_included():
    worker = templates().worker_schema()  # skips (or fails, where required) without PostgreSQL
    worker.reset()
    db = worker.database()
    try:
        fresh = state(db)
        assert fresh["missions"] == 0 and fresh["elements"] and fresh["targets"]
        first_id = scribble(db)
        assert state(db) != fresh
        worker.reset()
        assert state(db) == fresh
        assert scribble(db) == first_id  # sequences restart where the template left them
        worker.reset()
    finally:
        db.dispose()


def test_sqlite_copies_of_the_template_are_independent(tmp_path: Path):
    one = templates().fresh_sqlite(tmp_path / "one.sqlite")
    two = templates().fresh_sqlite(tmp_path / "two.sqlite")
    try:
        fresh = state(one)
        assert fresh["elements"] and fresh["targets"] and state(two) == fresh
        scribble(one)
        assert state(one) != fresh and state(two) == fresh
    finally:
        one.dispose()
        two.dispose()
