from sqlalchemy import select

from peaceops.personnel.models import Mission


def test_loaded_db_has_every_mission(loaded_db):
    with loaded_db.session() as s:
        assert len(s.scalars(select(Mission)).all()) == 81
