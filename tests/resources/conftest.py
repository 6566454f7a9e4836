"""Resources fixtures: a fresh database per backend with two missions and the A4P framework (no shared data),
and the invented example files of docs/examples imported in order."""

from __future__ import annotations

from datetime import date

import pytest
from resources_support import EXAMPLES, KINDS

from peaceops.framework import load_framework
from peaceops.missions.models import Mission
from peaceops.platform import import_file
from peaceops.store import Database


@pytest.fixture
def missions(db: Database) -> Database:
    with db.write() as s:
        s.add(Mission(acronym="UNMISS", name="United Nations Mission in South Sudan", start_date=date(2011, 7, 9),
                      host_iso3="SSD", active=True))  # fmt: skip
        s.add(Mission(acronym="MINUSCA", name="MINUSCA", start_date=date(2014, 4, 10), host_iso3="CAF", active=True))
        load_framework(s)
    return db


@pytest.fixture
def examples(missions: Database) -> Database:
    for kind in KINDS:
        import_file(missions, kind, EXAMPLES / f"{kind}.example.csv", "test")
    return missions
