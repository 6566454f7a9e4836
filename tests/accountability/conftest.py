"""Fixtures for the accountability tests: the real allegations workbook read independently, a database
with the conduct data and one account per role, and web clients signed in through the real login form
(``make_client`` and ``reader`` come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from accountability_support import OFFICER_MISSION, PASSWORD, ROLES, load, read_csv
from fastapi.testclient import TestClient
from support.web import signed_in as signed_in_as

from peaceops.access.users import add_user
from peaceops.store import Database


@pytest.fixture(scope="session")
def conduct_path(data_dir: Path) -> Path:
    return data_dir / "un_peacekeeping" / "conduct" / "table_of_allegations_as_of_july_2024.xlsx"


@pytest.fixture(scope="session")
def sheet_rows(conduct_path: Path) -> list[dict[str, Any]]:
    """Every non-empty row of the sheet "Export" as header -> cell value, read straight with openpyxl."""
    book = openpyxl.load_workbook(conduct_path, read_only=True)
    rows = list(book["Export"].iter_rows(values_only=True))
    book.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=True)) for r in rows[1:] if any(v not in (None, "") for v in r)]


@pytest.fixture(scope="session")
def register(data_dir: Path) -> set[str]:
    return {r["mission_acronym"].upper() for r in read_csv(data_dir, "missions", "DPPADPOSS-PKO.csv")}


@pytest.fixture(scope="session")
def strength_rows(data_dir: Path) -> list[dict[str, str]]:
    return read_csv(data_dir, "personnel", "IPI_mission_monthly_totals_1990-11_to_2017-03.csv")


@pytest.fixture(scope="session")
def fatality_rows(data_dir: Path) -> list[dict[str, str]]:
    return read_csv(data_dir, "fatalities", "DPPADPOSS-FATALITIES.csv")


@pytest.fixture
def conduct_db(db: Database, data_dir: Path) -> Database:
    """A fresh database (each backend) with the missions register, the allegations and one user per role."""
    load(db, data_dir, "missions", "allegations")
    with db.session() as s:
        for name, role in ROLES.items():
            add_user(s, name, PASSWORD, role, mission=OFFICER_MISSION if role == "mission_officer" else None)
    return db


@pytest.fixture
def signed_in(make_client, conduct_db) -> Callable[[str], TestClient]:
    """A client signed in as one of the role accounts, through the login form."""

    def make(username: str) -> TestClient:
        return signed_in_as(make_client(conduct_db), username, PASSWORD)

    return make


@pytest.fixture
def register_db(db: Database, data_dir: Path) -> Database:
    """A fresh database (each backend) with the missions register and one user per role, nothing else:
    environment, pledge and partnership records are created by each test through the API and forms."""
    load(db, data_dir, "missions")
    with db.session() as s:
        for name, role in ROLES.items():
            add_user(s, name, PASSWORD, role, mission=OFFICER_MISSION if role == "mission_officer" else None)
    return db


@pytest.fixture
def client_as(make_client, register_db) -> Callable[[str], TestClient]:
    """A client on ``register_db`` signed in as one of the role accounts, through the login form."""

    def make(username: str) -> TestClient:
        return signed_in_as(make_client(register_db), username, PASSWORD)

    return make
