"""sync_rows: the idempotent upsert by natural key every importer stands on, on both backends."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from peaceops.missions.models import Mission
from peaceops.personnel.models import Deployment
from peaceops.store import Database
from peaceops.store.sync import sync_rows

MISSIONS = [
    {"acronym": "ALPHA", "name": "Mission Alpha", "hq_longitude": 15.25, "active": True},
    {"acronym": "BRAVO", "name": "Mission Bravo", "hq_longitude": None, "active": False},
    {"acronym": "CHARLIE", "name": "Mission Charlie", "hq_longitude": -3.5, "active": True},
]


def stored_missions(db: Database) -> dict[str, tuple[Any, ...]]:
    with db.session() as s:
        rows = s.execute(select(Mission.acronym, Mission.name, Mission.hq_longitude, Mission.active, Mission.id))
        return {r.acronym: (r.name, r.hq_longitude, r.active, r.id) for r in rows}


def sync_missions(db: Database, rows: list[dict[str, Any]], **options: Any):
    with db.session() as s:
        return sync_rows(s, Mission, ["acronym"], [dict(r) for r in rows], **options)


def test_new_rows_are_inserted_and_a_rerun_changes_nothing(db: Database):
    first = sync_missions(db, MISSIONS)
    assert (first.inserted, first.updated, first.unchanged, first.removed) == (3, 0, 0, 0)
    before = stored_missions(db)
    assert {k: v[:3] for k, v in before.items()} == {
        "ALPHA": ("Mission Alpha", 15.25, True),
        "BRAVO": ("Mission Bravo", None, False),
        "CHARLIE": ("Mission Charlie", -3.5, True),
    }
    again = sync_missions(db, MISSIONS)
    assert (again.inserted, again.updated, again.unchanged, again.removed) == (0, 0, 3, 0)
    assert again.changes == []
    assert stored_missions(db) == before  # same rows, same ids


def test_changed_rows_are_updated_in_place_with_their_before_and_after(db: Database):
    sync_missions(db, MISSIONS)
    ids = {k: v[3] for k, v in stored_missions(db).items()}
    changed = [
        {**MISSIONS[0], "name": "Mission Alpha (renamed)"},
        {**MISSIONS[1], "hq_longitude": 7.0},
        MISSIONS[2],
        {"acronym": "DELTA", "name": "Mission Delta", "hq_longitude": 1.0, "active": True},
    ]
    result = sync_missions(db, changed)
    assert (result.inserted, result.updated, result.unchanged) == (1, 2, 1)
    after = stored_missions(db)
    assert after["ALPHA"][0] == "Mission Alpha (renamed)" and after["BRAVO"][1] == 7.0
    assert {k: after[k][3] for k in ids} == ids  # updated where they were, not re-inserted
    old, new = result.changes[0]
    assert old["acronym"] == new["acronym"] == "ALPHA"
    assert (old["name"], new["name"]) == ("Mission Alpha", "Mission Alpha (renamed)")
    assert [new["acronym"] for _, new in result.changes] == ["ALPHA", "BRAVO"]


def test_floats_equal_within_rounding_count_as_unchanged(db: Database):
    sync_missions(db, MISSIONS)
    nudged = [{**MISSIONS[0], "hq_longitude": 15.25 + 1e-12}, MISSIONS[1], {**MISSIONS[2], "hq_longitude": -3.4}]
    result = sync_missions(db, nudged)
    assert (result.updated, result.unchanged) == (1, 2)
    assert stored_missions(db)["CHARLIE"][1] == -3.4


def test_only_the_first_keep_changes_are_kept_but_all_are_counted(db: Database):
    sync_missions(db, MISSIONS)
    result = sync_missions(db, [{**m, "name": m["name"] + "!"} for m in MISSIONS], keep_changes=2)
    assert result.updated == 3 and len(result.changes) == 2


def test_progress_is_told_every_row_once(db: Database):
    sync_missions(db, MISSIONS[:2])
    told: list[int] = []
    changed = [{**MISSIONS[0], "name": "Changed"}, MISSIONS[1], MISSIONS[2]]  # one each: update, same, new
    sync_missions(db, changed, progress=told.append)
    assert sum(told) == 3 and all(n >= 0 for n in told)


def test_no_rows_is_nothing_to_do(db: Database):
    result = sync_missions(db, [])
    assert (result.inserted, result.updated, result.unchanged, result.removed) == (0, 0, 0, 0)
    assert stored_missions(db) == {}


def deployments(mission_id: int, month: date, types: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"mission_id": mission_id, "month": month, "contributor_iso3": "GHA", "personnel_type": kind,
         "male": total - 1, "female": 1, "total": total}
        for kind, total in types.items()
    ]  # fmt: skip


KEY = ["mission_id", "month", "contributor_iso3", "personnel_type"]
JAN, FEB = date(2014, 1, 1), date(2014, 2, 1)


def stored_deployments(db: Database) -> set[tuple[Any, ...]]:
    with db.session() as s:
        rows = s.execute(select(Deployment.month, Deployment.personnel_type, Deployment.total))
        return {tuple(r) for r in rows}


def test_replace_within_drops_rows_a_newer_file_no_longer_lists_in_the_same_scope(db: Database):
    sync_missions(db, MISSIONS[:1])
    mission_id = stored_missions(db)["ALPHA"][3]
    with db.session() as s:
        first = sync_rows(
            s,
            Deployment,
            KEY,
            deployments(mission_id, JAN, {"troops": 100, "police": 20})
            + deployments(mission_id, FEB, {"troops": 90, "police": 25}),
            replace_within=KEY[:3],
        )
    assert (first.inserted, first.removed) == (4, 0)
    # A newer January lists troops only: January's police figure goes, February (not in the file) stays.
    with db.session() as s:
        newer = sync_rows(s, Deployment, KEY, deployments(mission_id, JAN, {"troops": 110}), replace_within=KEY[:3])
    assert (newer.inserted, newer.updated, newer.unchanged, newer.removed) == (0, 1, 0, 1)
    assert stored_deployments(db) == {(JAN, "troops", 110), (FEB, "troops", 90), (FEB, "police", 25)}
    # Without replace_within nothing is removed.
    with db.session() as s:
        plain = sync_rows(s, Deployment, KEY, deployments(mission_id, FEB, {"troops": 90}))
    assert (plain.unchanged, plain.removed) == (1, 0)
    assert len(stored_deployments(db)) == 3
    # And a rerun of the newer file is a no-op.
    with db.session() as s:
        rerun = sync_rows(s, Deployment, KEY, deployments(mission_id, JAN, {"troops": 110}), replace_within=KEY[:3])
    assert (rerun.inserted, rerun.updated, rerun.unchanged, rerun.removed) == (0, 0, 1, 0)
