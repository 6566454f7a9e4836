"""The upgrade path from the previous release's schema, with data in it, on both stores (issue 20, part 6).

Release 0.1.0 (the last one landed before the job queue) left databases at revision ``0029``. An operator
upgrades by installing the new code and running ``peaceops db upgrade``: the rows written under the old
schema must come through, the app must read them, and every new migration must also go back down
(``migrate_to``) with the data in place, for a rollback.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from support.databases import PG_URL, drop_schema, need_postgres, new_schema

from peaceops.access.models import User
from peaceops.missions.models import Mission
from peaceops.platform import prepare
from peaceops.store import Database
from peaceops.store.database import current_revision, migrate_to
from peaceops.store.health import check

PREVIOUS_RELEASE = "0029"
HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'old.sqlite'}")
        yield db
        db.dispose()
        return
    need_postgres()
    admin = create_engine(PG_URL)
    schema = new_schema(admin)
    db = Database(PG_URL, schema=schema)
    try:
        yield db
    finally:
        db.dispose()
        drop_schema(admin, schema)
        admin.dispose()


def _old_rows(db: Database) -> None:
    """Rows as release 0.1.0 wrote them, in its own schema's columns."""
    now = datetime(2026, 12, 5, 12, 0)
    with db.write() as session:
        session.execute(
            text(
                "INSERT INTO mission (acronym, name, kind, active) "
                "VALUES ('MINUSCA', 'MINUSCA in CAR', 'peacekeeping', :t)"
            ),
            {"t": True},
        )
        session.execute(
            text(
                "INSERT INTO app_user (username, password_hash, role, active, created_at, locale) "
                "VALUES ('analyst', :h, 'analyst', :t, :now, 'fr')"
            ),
            {"h": HASH, "t": True, "now": now},
        )


def test_a_database_of_the_previous_release_upgrades_with_its_data_and_rolls_back(empty: Database) -> None:
    migrate_to(empty, PREVIOUS_RELEASE)
    assert current_revision(empty) == PREVIOUS_RELEASE
    _old_rows(empty)

    prepare(empty)  # what `peaceops db upgrade` and `peaceops serve` run
    head = current_revision(empty)
    assert head != PREVIOUS_RELEASE
    assert check(empty).ok
    with empty.session() as session:
        mission = session.scalars(select(Mission).where(Mission.acronym == "MINUSCA")).one()
        user = session.scalars(select(User).where(User.username == "analyst")).one()
        assert mission.active and user.locale == "fr" and user.password_hash == HASH

    migrate_to(empty, PREVIOUS_RELEASE)  # every newer migration goes back down, data in place
    assert current_revision(empty) == PREVIOUS_RELEASE
    with empty.session() as session:
        assert session.execute(text("SELECT count(*) FROM mission")).scalar() == 1
    prepare(empty)
    assert current_revision(empty) == head and check(empty).ok
