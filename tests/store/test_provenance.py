"""Import provenance: each run with its counts and rejected lines, listed newest first, paged in detail."""

from __future__ import annotations

import pytest

from peaceops.errors import NotFound
from peaceops.store import Database
from peaceops.store.provenance import ImportRun, import_run_detail, import_runs, record_import

SHA = "ab" * 32


def record(db: Database, kind: str, source: str, rejections: list[tuple[int, str]], **counts: int) -> int:
    with db.session() as s:
        run = record_import(
            s,
            kind=kind,
            source=source,
            sha256=SHA,
            actor="tester",
            rows_read=sum(counts.values()) + len(rejections),
            counts=counts,
            rejections=rejections,
        )
        assert run.id is not None  # flushed: the caller can tie audit entries to it before the commit
        return run.id


def test_record_import_stores_the_run_and_its_rejections(db: Database):
    rejections = [(7, "month is not a date"), (3, "unknown mission XYZ"), (12, "negative total")]
    run_id = record(db, "missions", "/data/un/DPPADPOSS-PKO.csv", rejections, inserted=5, updated=2, unchanged=1)
    with db.session() as s:
        run = s.get(ImportRun, run_id)
        assert run is not None
        assert (run.kind, run.sha256, run.actor, run.rows_read) == ("missions", SHA, "tester", 11)
        assert (run.inserted, run.updated, run.unchanged, run.rejected) == (5, 2, 1, 3)
        assert [(r.line, r.reason) for r in run.rejections] == sorted(rejections)  # in line order


def test_import_runs_lists_newest_first_with_the_file_name(db: Database):
    first = record(db, "missions", "/data/un/DPPADPOSS-PKO.csv", [], inserted=81)
    second = record(db, "fatalities", "C:\\downloads\\DPPADPOSS-FATALITIES.csv", [(2, "bad date")], unchanged=4)
    with db.session() as s:
        runs = import_runs(s)
    assert [r["id"] for r in runs] == [second, first]
    assert runs[0]["source_name"] == "DPPADPOSS-FATALITIES.csv" and runs[1]["source_name"] == "DPPADPOSS-PKO.csv"
    assert (runs[0]["kind"], runs[0]["rejected"], runs[0]["unchanged"]) == ("fatalities", 1, 4)
    assert runs[1]["inserted"] == 81 and isinstance(runs[1]["started_at"], str) and "T" in runs[1]["started_at"]


def test_run_detail_pages_through_rejections_in_line_order(db: Database):
    rejections = [(line, f"reason {line}") for line in (9, 2, 5, 14, 3)]
    run_id = record(db, "contributions", "/data/c.csv", rejections, inserted=1)
    with db.session() as s:
        whole = import_run_detail(s, run_id)
        assert [r["line"] for r in whole["rejections"]] == [2, 3, 5, 9, 14]
        assert whole["run"]["id"] == run_id and whole["offset"] == 0 and whole["run"]["rejected"] == 5
        page = import_run_detail(s, run_id, offset=2, limit=2)
        assert page["rejections"] == [{"line": 5, "reason": "reason 5"}, {"line": 9, "reason": "reason 9"}]
        assert page["offset"] == 2
        assert import_run_detail(s, run_id, offset=-3, limit=1)["offset"] == 0  # a negative offset is the start
        assert import_run_detail(s, run_id, offset=10)["rejections"] == []


def test_an_unknown_run_is_not_found(db: Database):
    with db.session() as s:
        with pytest.raises(NotFound, match="no import run 424242"):
            import_run_detail(s, 424242)
