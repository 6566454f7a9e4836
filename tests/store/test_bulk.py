"""sync_table, the bulk upsert of Arrow columns, gives what sync_rows gives with the same rows, on both stores:
the same counts, the same changes in the same order, the same stored rows, the same ids kept."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pyarrow as pa
import pytest
from sqlalchemy import delete, select

from peaceops.missions.models import Mission
from peaceops.personnel.models import Deployment
from peaceops.store import Database, generation
from peaceops.store.bulk import sync_table
from peaceops.store.sync import SyncResult, sync_rows

MISSION_SCHEMA = pa.schema(
    [
        ("acronym", pa.string()),
        ("name", pa.string()),
        ("hq_longitude", pa.float64()),
        ("active", pa.bool_()),
        ("start_date", pa.date32()),
        ("notes", pa.string()),
    ]
)
DEPLOYMENT_SCHEMA = pa.schema(
    [
        ("mission_id", pa.int64()),
        ("month", pa.date32()),
        ("contributor_iso3", pa.string()),
        ("personnel_type", pa.string()),
        ("male", pa.int64()),
        ("female", pa.int64()),
        ("total", pa.int64()),
    ]
)
DEPLOYMENT_KEY = ["mission_id", "month", "contributor_iso3", "personnel_type"]


CHOICES: dict[str, list[Any]] = {
    "name": ["Mission", "Mission Alpha", "", "Mission «Ω», 2"],
    # Within 1e-9 of each other (equal to sync_rows), or not:
    "hq_longitude": [None, 15.25, 15.25 + 1e-12, -3.5, 0.0, 1e-12],
    "active": [True, False],
    "start_date": [None, date(2004, 4, 4), date(1999, 12, 31)],
    "notes": [None, "", "a note", 'quote " and, comma'],
}


def _missions(rng: random.Random, acronyms: list[str]) -> list[dict[str, Any]]:
    """Each mission as it was (its fields drawn once from its name), or with one field changed."""
    rows = []
    for acronym in acronyms:
        base = random.Random(acronym)
        row = {"acronym": acronym, **{name: base.choice(values) for name, values in CHOICES.items()}}
        if rng.random() < 0.5:
            name = rng.choice(list(CHOICES))
            row[name] = rng.choice(CHOICES[name])
        rows.append(row)
    return rows


def _mission_batches(seed: int) -> list[list[dict[str, Any]]]:
    rng = random.Random(seed)
    names = [f"M{i}" for i in range(12)]
    return [_missions(rng, rng.sample(names, rng.randint(0, 10))) for _ in range(5)]


def _stored(db: Database, model: Any, columns: list[str]) -> list[tuple[Any, ...]]:
    with db.session() as s:
        table = model.__table__
        return sorted(tuple(row) for row in s.execute(select(table.c.id, *(table.c[c] for c in columns))))


def _summary(result: SyncResult) -> tuple[Any, ...]:
    return result.inserted, result.updated, result.unchanged, result.removed, result.changes


def _run(db: Database, batches: list[list[dict[str, Any]]], bulk: bool, **options: Any) -> list[tuple[Any, ...]]:
    model, key, schema = options.pop("model"), options.pop("key"), options.pop("schema")
    out = []
    for batch in batches:
        with db.write() as s:
            if bulk:
                result = sync_table(s, model, key, pa.Table.from_pylist(batch, schema=schema), **options)
            else:
                result = sync_rows(s, model, key, [dict(r) for r in batch], **options)
        out.append(_summary(result))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_missions_synced_in_bulk_as_row_by_row(db: Database, seed: int):
    batches = _mission_batches(seed)
    options = {"model": Mission, "key": ["acronym"], "schema": MISSION_SCHEMA}
    columns = ["kind", *MISSION_SCHEMA.names]
    by_row = _run(db, batches, bulk=False, **options)
    rows_after = _stored(db, Mission, columns)
    with db.write() as s:
        s.execute(delete(Mission))
    in_bulk = _run(db, batches, bulk=True, **options)
    assert in_bulk == by_row
    assert sum(summary[1] for summary in in_bulk) and sum(summary[2] for summary in in_bulk)
    # The same rows, and the ids kept by the same rows (the ids themselves start where the first run ended).
    bulk_after = _stored(db, Mission, columns)
    assert [r[1:] for r in bulk_after] == [r[1:] for r in rows_after]
    assert all(r[1] == "peacekeeping" for r in bulk_after)  # the model's default, as an ORM insert fills it


def _deployments(rng: random.Random, missions: list[int]) -> list[dict[str, Any]]:
    keys = {
        (m, date(2013, rng.randint(1, 3), 1), rng.choice(["GHA", "NPL", "FRA"]), rng.choice(["troops", "police"]))
        for m in missions
        for _ in range(rng.randint(0, 6))
    }
    rows = []
    for mission_id, month, iso3, ptype in sorted(keys):
        male, female = rng.randint(0, 3), rng.randint(0, 2)
        rows.append(
            {
                "mission_id": mission_id,
                "month": month,
                "contributor_iso3": iso3,
                "personnel_type": ptype,
                "male": male,
                "female": female,
                "total": male + female,
            }
        )
    rng.shuffle(rows)
    return rows


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("replace", [False, True])
def test_deployments_synced_in_bulk_as_row_by_row(db: Database, seed: int, replace: bool):
    with db.write() as s:
        s.add_all(Mission(acronym=f"M{i}", name=f"Mission {i}") for i in range(4))
    with db.session() as s:
        missions = list(s.scalars(select(Mission.id)))
    rng = random.Random(seed)
    batches = [_deployments(rng, rng.sample(missions, rng.randint(1, 4))) for _ in range(4)]
    options = {
        "model": Deployment,
        "key": DEPLOYMENT_KEY,
        "schema": DEPLOYMENT_SCHEMA,
        "replace_within": DEPLOYMENT_KEY[:3] if replace else None,
    }
    by_row = _run(db, batches, bulk=False, **dict(options))
    rows_after = _stored(db, Deployment, DEPLOYMENT_SCHEMA.names)
    with db.write() as s:
        s.execute(delete(Deployment))
    in_bulk = _run(db, batches, bulk=True, **dict(options))
    assert in_bulk == by_row
    assert [r[1:] for r in _stored(db, Deployment, DEPLOYMENT_SCHEMA.names)] == [r[1:] for r in rows_after]
    assert any(summary[1] for summary in in_bulk) and (not replace or any(summary[3] for summary in in_bulk))


def test_a_rerun_keeps_every_id_and_a_bulk_insert_raises_the_data_generation(db: Database):
    rows = pa.Table.from_pylist(_mission_batches(1)[0] or _missions(random.Random(1), ["A"]), schema=MISSION_SCHEMA)
    with db.session() as s:
        before = generation.current(s)
    with db.write() as s:
        first = sync_table(s, Mission, ["acronym"], rows)
    with db.session() as s:
        assert generation.current(s) > before  # COPY on PostgreSQL passes by the engine's events: marked by hand
    ids = _stored(db, Mission, ["acronym"])
    with db.write() as s:
        again = sync_table(s, Mission, ["acronym"], rows)
    assert (first.inserted, again.inserted, again.updated, again.unchanged) == (rows.num_rows, 0, 0, rows.num_rows)
    assert _stored(db, Mission, ["acronym"]) == ids


def test_floats_within_a_billionth_are_equal_and_a_null_is_a_change(db: Database):
    base = {"acronym": "A", "name": "Alpha", "hq_longitude": 15.25, "active": True, "start_date": None, "notes": None}
    batches = [[base], [{**base, "hq_longitude": 15.25 + 1e-12}], [{**base, "hq_longitude": None}], [base]]
    options = {"model": Mission, "key": ["acronym"], "schema": MISSION_SCHEMA}
    in_bulk = _run(db, batches, bulk=True, **options)
    assert [summary[:4] for summary in in_bulk] == [(1, 0, 0, 0), (0, 0, 1, 0), (0, 1, 0, 0), (0, 1, 0, 0)]
    assert in_bulk[2][4] == [
        ({"acronym": "A", **{k: v for k, v in base.items() if k != "acronym"}}, {**base, "hq_longitude": None})
    ]
    with db.write() as s:
        s.execute(delete(Mission))
    assert _run(db, batches, bulk=False, **options) == in_bulk
