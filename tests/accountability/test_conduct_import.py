"""Importing the table of allegations on SQLite and PostgreSQL: every row kept, re-imports idempotent,
a newer release updates the changed case, a damaged file changes nothing."""

from __future__ import annotations

from collections import Counter

import openpyxl
import pytest
from accountability_support import load
from sqlalchemy import func, select

from peaceops.conduct.models import Allegation
from peaceops.errors import ImportFileError
from peaceops.platform import DEMO_FILES, IMPORT_KINDS, import_file
from peaceops.store.audit import AuditEntry
from peaceops.store.provenance import ImportRun


def count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Allegation))


def test_allegations_is_an_import_kind_the_demo_loads():
    assert "allegations" in IMPORT_KINDS
    kinds = [kind for kind, _ in DEMO_FILES]
    assert kinds.index("missions") < kinds.index("allegations")


def test_import_keeps_every_allegation_and_reimport_adds_nothing(db, data_dir, conduct_path, sheet_rows, register):
    load(db, data_dir, "missions")
    first = import_file(db, "allegations", conduct_path, "tester")
    assert (first.rows_read, first.inserted, first.rejected) == (len(sheet_rows), len(sheet_rows), 0)
    assert count(db) == len(sheet_rows)
    second = import_file(db, "allegations", conduct_path, "tester")
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, len(sheet_rows))
    assert count(db) == len(sheet_rows)
    with db.session() as s:
        per_mission = dict(
            s.execute(select(Allegation.mission_acronym, func.count()).group_by(Allegation.mission_acronym)).all()
        )
        outside = set(s.scalars(select(Allegation.mission_acronym).where(Allegation.mission_id.is_(None))))
        runs = s.scalars(select(ImportRun).where(ImportRun.kind == "allegations")).all()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "conduct_allegation")).all()
    assert per_mission == Counter(r["Mission"] for r in sheet_rows)
    assert outside == {r["Mission"] for r in sheet_rows} - register, "missions outside the register are kept by name"
    assert len(runs) == 2 and {a.action for a in audit} == {"import"}
    assert audit[0].actor == "tester" and audit[0].after["inserted"] == len(sheet_rows)


def test_identical_rows_stay_separate_allegations(db, data_dir, conduct_path, sheet_rows):
    load(db, data_dir, "missions", "allegations")
    repeated = [n for n in Counter(tuple(r.values()) for r in sheet_rows).values() if n > 1]
    assert repeated, "the real table lists some allegations with identical public fields"
    assert count(db) == len(sheet_rows)


def test_a_newer_release_updates_the_changed_case_and_audits_it(db, data_dir, conduct_path, tmp_path):
    load(db, data_dir, "missions", "allegations")
    book = openpyxl.load_workbook(conduct_path)
    sheet = book["Export"]
    header = [c.value for c in sheet[1]]
    result = header.index("Result") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, result).value == "Pending (1)")
    mission = sheet.cell(row, header.index("Mission") + 1).value
    sheet.cell(row, header.index("Result") + 1).value = "Substantiated (Transactional sex) (1)"
    sheet.cell(row, header.index("Investigation (days)") + 1).value = "UN OIOS (321)"
    newer = tmp_path / "newer.xlsx"
    book.save(newer)
    report = import_file(db, "allegations", newer, "tester")
    assert (report.inserted, report.updated) == (0, 1)
    with db.session() as s:
        changed = s.scalars(select(Allegation).where(Allegation.investigation_days == 321)).all()
        update = s.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert len(changed) == 1 and changed[0].outcome == "Substantiated" and changed[0].mission_acronym == mission
    assert update.before["outcome"] == "Pending" and update.after["outcome"] == "Substantiated"


def test_a_damaged_file_leaves_the_database_as_it_was(db, data_dir, conduct_path, tmp_path):
    load(db, data_dir, "missions", "allegations")
    book = openpyxl.load_workbook(conduct_path)
    book["Export"].title = "Sheet1"
    damaged = tmp_path / "damaged.xlsx"
    book.save(damaged)
    with pytest.raises(ImportFileError):
        import_file(db, "allegations", damaged, "tester")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportRun).where(ImportRun.kind == "allegations")) == 1
    assert count(db) == 753


def test_rejected_rows_are_stored_with_their_line_and_reason(db, data_dir, conduct_path, tmp_path):
    load(db, data_dir, "missions")
    book = openpyxl.load_workbook(conduct_path)
    sheet = book["Export"]
    sheet.cell(7, 1).value = "July 2024"
    damaged = tmp_path / "bad-date.xlsx"
    book.save(damaged)
    report = import_file(db, "allegations", damaged, "tester")
    assert report.rejected == 1 and report.inserted == 752
    with db.session() as s:
        run = s.get(ImportRun, report.run_id)
        assert run is not None
        assert [(r.line, r.reason[:27]) for r in run.rejections] == [(7, "Line 7: Date 'July 2024' is")]
