"""The four training importers: good rows, bad rows rejected alone with their line, idempotent reruns, XLSX,
mission scope of the importer, and the audit trail."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from training_support import EXAMPLES, write

from peaceops.access.policy import Actor
from peaceops.errors import ImportFileError, PermissionDenied
from peaceops.platform import import_file
from peaceops.store.audit import AuditEntry
from peaceops.training.models import TrainingCourse, TrainingPartner, TrainingRecord, TrainingRequirement

OFFICER_MINUSCA = Actor(username="officer", role="mission_officer", mission="MINUSCA")


def count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_the_example_files_import_and_a_second_run_changes_nothing(examples):
    assert count(examples, TrainingCourse) == 5
    assert count(examples, TrainingPartner) == 3
    assert count(examples, TrainingRecord) == 7
    assert count(examples, TrainingRequirement) == 3
    for kind in ("training-courses", "training-sessions", "training-records", "training-requirements"):
        again = import_file(examples, kind, EXAMPLES / f"{kind}.example.csv", "test")
        assert (again.inserted, again.updated, again.rejected) == (0, 0, 0)
        assert again.unchanged == again.rows_read
    with examples.session() as s:
        imports = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import"))
    assert imports == 8


def test_bad_course_lines_are_rejected_alone_with_their_line(missions, tmp_path):
    path = write(
        tmp_path, "courses.csv",
        "code,title,capability,area\n"
        "C1,Good course,conduct,A4P+.P3\n"
        "C2,Unknown capability,cooking,A4P+.P3\n"
        "C3,Unknown area,conduct,A4P+.P9\n"
        "C4,Threat area,protection_of_civilians,Terrorism\n"
        ",No code,conduct,cyber\n"
        "C1,Repeated,conduct,A4P+.P3\n",
    )  # fmt: skip
    report = import_file(missions, "training-courses", path, "test")
    assert (report.inserted, report.rejected) == (2, 4)
    reasons = {r.line: r.reason for r in report.rejections}
    assert "capability 'cooking' is not known" in reasons[3]
    assert "neither an A4P+ priority" in reasons[4]
    assert reasons[6] == "code and title are required"
    assert "repeats an earlier line" in reasons[7]
    with missions.session() as s:
        assert s.scalar(select(TrainingCourse.area).where(TrainingCourse.code == "C4")) == "terrorism"


def test_bad_record_lines_are_rejected_alone(missions, tmp_path):
    import_file(missions, "training-courses", EXAMPLES / "training-courses.example.csv", "test")
    path = write(
        tmp_path, "records.csv",
        "mission,course,completed,country,unit,trained,strength,person\n"
        "UNMISS,EX-CD-1,2026-01-20,NPL,Battalion,80,100,\n"
        "UNMISX,EX-CD-1,2026-01-20,NPL,Battalion,80,100,\n"
        "UNMISS,EX-NONE,2026-01-20,NPL,Battalion,80,100,\n"
        "UNMISS,EX-CD-1,20/01/2026,NPL,Battalion,80,100,\n"
        "UNMISS,EX-CD-1,2026-01-21,XXX,Battalion,80,100,\n"
        "UNMISS,EX-CD-1,2026-01-22,NPL,Battalion,120,100,\n"
        "UNMISS,EX-CD-1,2026-01-23,NPL,Battalion,many,100,\n"
        "UNMISS,EX-CD-1,2026-01-24,,,,,\n"
        "UNMISS,EX-MED-1,2026-03-05,,,,,A person\n",
    )  # fmt: skip
    report = import_file(missions, "training-records", path, "test")
    assert (report.inserted, report.rejected) == (2, 7)
    reasons = {r.line: r.reason for r in report.rejections}
    assert "mission 'UNMISX' is not known" in reasons[3]
    assert "import the courses file first" in reasons[4]
    assert "YYYY-MM-DD" in reasons[5]
    assert "ISO 3166" in reasons[6]
    assert "more than the unit's strength" in reasons[7]
    assert "not a whole number" in reasons[8]
    assert reasons[9] == "name a unit (with its country) or a person"


def test_an_xlsx_file_is_read_like_a_csv(missions, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["mission", "capability", "required_percent", "indicators"])
    sheet.append(["UNMISS", "conduct", 100, ""])
    sheet.append(["UNMISS", "casualty_evacuation", "150", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "requirements.xlsx"
    path.write_bytes(buffer.getvalue())
    report = import_file(missions, "training-requirements", path, "test")
    assert (report.layout, report.inserted, report.rejected) == ("xlsx", 1, 1)
    assert report.rejections[0].line == 3 and "outside 0 to 100" in report.rejections[0].reason


def test_a_file_without_the_required_columns_is_refused_whole(missions, tmp_path):
    path = write(tmp_path, "r.csv", "mission,capability\nUNMISS,conduct\n")
    with pytest.raises(ImportFileError, match="lacks the column"):
        import_file(missions, "training-requirements", path, "test")


def test_another_missions_officer_cannot_import_its_records(missions, tmp_path):
    path = write(tmp_path, "r.csv", "mission,capability,required_percent\nUNMISS,conduct,100\n")
    with pytest.raises(PermissionDenied, match="outside your scope"):
        import_file(missions, "training-requirements", path, "officer", who=OFFICER_MINUSCA)
    assert count(missions, TrainingRequirement) == 0
    own = write(tmp_path, "own.csv", "mission,capability,required_percent\nMINUSCA,conduct,100\n")
    assert import_file(missions, "training-requirements", own, "officer", who=OFFICER_MINUSCA).inserted == 1
    with pytest.raises(PermissionDenied):
        import_file(missions, "training-courses", EXAMPLES / "training-courses.example.csv", "o", who=OFFICER_MINUSCA)
