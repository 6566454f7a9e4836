"""Transition fixtures: a fresh database per backend with two missions and the A4P framework (no shared data)."""

from __future__ import annotations

from datetime import date

import pytest
from transitions_support import EXAMPLES, KINDS

from peaceops.framework import load_framework
from peaceops.missions.models import Mission
from peaceops.platform import import_file
from peaceops.store import Database


@pytest.fixture
def missions(db: Database) -> Database:
    with db.write() as s:
        s.add(Mission(acronym="MINURCAT", name="United Nations Mission in the Central African Republic and Chad",
                      start_date=date(2007, 9, 1), end_date=date(2010, 12, 31), host_iso3="TCD",
                      active=False))  # fmt: skip
        s.add(Mission(acronym="UNMISS", name="United Nations Mission in South Sudan", start_date=date(2011, 7, 9),
                      host_iso3="SSD", active=True))  # fmt: skip
        load_framework(s)
    return db


@pytest.fixture
def examples(missions: Database) -> Database:
    """The invented example files of docs/examples imported in order."""
    for kind in KINDS:
        import_file(missions, kind, EXAMPLES / f"{kind}.example.csv", "test")
    return missions
