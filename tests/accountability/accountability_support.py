"""Helpers the accountability tests share (a module of its own: test modules cannot import conftest)."""

from __future__ import annotations

import csv
from pathlib import Path

from support.web import csrf_from

from peaceops.platform import demo_paths, import_file
from peaceops.settings import Settings
from peaceops.store import Database

__all__ = ["OFFICER_MISSION", "PASSWORD", "ROLES", "csrf_from", "load", "read_csv"]

PASSWORD = "accountability password"
ROLES = {"viewer": "viewer", "analyst": "analyst", "admin": "admin", "officer": "mission_officer"}
OFFICER_MISSION = "MINUSCA"


def read_csv(data_dir: Path, *parts: str) -> list[dict[str, str]]:
    with data_dir.joinpath("un_peacekeeping", *parts).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def load(db: Database, data_dir: Path, *kinds: str) -> Database:
    """Import the named demo files, in the demo's order."""
    for kind, path in demo_paths(Settings(data_dir=data_dir)):
        if kind in kinds:
            import_file(db, kind, path, "test")
    return db
