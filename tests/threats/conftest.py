"""Threat-area fixtures: a fresh database per backend with two missions of Middle Africa (no shared data)."""

from __future__ import annotations

import pytest
from threat_support import add_missions

from peaceops.store import Database


@pytest.fixture
def missions(db: Database) -> Database:
    with db.write() as s:
        add_missions(s)
    return db
