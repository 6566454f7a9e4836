"""The five transition importers: good rows, bad rows rejected alone with their line, idempotent reruns, XLSX,
the mission scope of the importer, and the audit trail."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from transitions_support import EXAMPLES, KINDS, write

from peaceops.access.policy import Actor
from peaceops.errors import ImportFileError, PermissionDenied
from peaceops.platform import import_file
from peaceops.store.audit import AuditEntry
from peaceops.transitions.models import (
    DrawdownStep,
    TransitionBase,
    TransitionBenchmark,
    TransitionPlan,
    TransitionTask,
)

OFFICER_UNMISS = Actor(username="officer", role="mission_officer", mission="UNMISS")
PLAN = "mission,title,planned_exit\nUNMISS,Plan,2027-12-31\n"


def count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def reasons(report):
    return {r.line: r.reason for r in report.rejections}


def test_the_example_files_import_and_a_second_run_changes_nothing(examples):
    counts = [count(examples, m) for m in (TransitionPlan, TransitionBenchmark, TransitionTask, DrawdownStep,
                                           TransitionBase)]  # fmt: skip
    assert counts == [1, 3, 4, 4, 3]
    for kind in KINDS:
        again = import_file(examples, kind, EXAMPLES / f"{kind}.example.csv", "test")
        assert (again.inserted, again.updated, again.rejected) == (0, 0, 0)
        assert again.unchanged == again.rows_read
    with examples.session() as s:
        imports = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import"))
        task = s.scalar(select(TransitionTask).where(TransitionTask.code == "EX-T1"))
        benchmark = s.get(TransitionBenchmark, task.benchmark_id)
        base = s.scalar(select(TransitionBase).where(TransitionBase.name.like("%Birao%")))
    assert imports == 10
    assert benchmark.code == "EX-B1"
    assert (base.country_iso3, base.status, base.latitude) == ("CAF", "handed_over", 10.28)


def test_a_changed_line_updates_its_record_and_is_audited(examples, tmp_path):
    path = write(tmp_path, "t.csv", "mission,code,task,recipient,entity,due,status,handed_over\n"
                 "MINURCAT,EX-T2,Escorts,host_government,Police,2010-11-15,handed_over,2010-12-01\n")  # fmt: skip
    report = import_file(examples, "transition-tasks", path, "test")
    assert (report.inserted, report.updated) == (0, 1)
    with examples.session() as s:
        assert s.scalar(select(TransitionTask.status).where(TransitionTask.code == "EX-T2")) == "handed_over"
        updates = s.scalars(select(AuditEntry).where(AuditEntry.action == "update",
                                                     AuditEntry.entity == "transition_task")).all()  # fmt: skip
    assert len(updates) == 1


def test_bad_plan_lines_are_rejected_alone_with_their_line(missions, tmp_path):
    path = write(
        tmp_path, "plans.csv",
        "mission,title,adopted,planned_exit,phase\n"
        "UNMISS,Good plan,2026-01-01,2027-12-31,drawdown\n"
        "UNMISX,Unknown mission,,2027-12-31,\n"
        "MINURCAT,,,2010-12-31,\n"
        "MINURCAT,Exit before adoption,2010-06-01,2010-05-01,\n"
        "MINURCAT,Bad phase,,2010-12-31,leaving\n"
        "MINURCAT,Bad date,,31/12/2010,\n"
        "UNMISS,Repeated,,2027-12-31,\n",
    )  # fmt: skip
    report = import_file(missions, "transition-plans", path, "test")
    assert (report.inserted, report.rejected) == (1, 6)
    why = reasons(report)
    assert "mission 'UNMISX' is not known" in why[3]
    assert why[4] == "title is empty"
    assert why[5] == "planned_exit is before adopted"
    assert "phase 'leaving' is not known; use one of planning, drawdown" in why[6]
    assert "YYYY-MM-DD" in why[7]
    assert "repeats an earlier line" in why[8]


def test_records_of_a_mission_without_a_plan_are_rejected(missions, tmp_path):
    path = write(tmp_path, "b.csv", "mission,code,benchmark,due\nUNMISS,B1,Elections held,2027-06-30\n")
    report = import_file(missions, "transition-benchmarks", path, "test")
    assert report.rejected == 1 and "has no transition plan; import its plan first" in report.rejections[0].reason


def test_bad_task_and_benchmark_lines_are_rejected_alone(missions, tmp_path):
    import_file(missions, "transition-plans", write(tmp_path, "p.csv", PLAN), "test")
    benchmarks = write(
        tmp_path, "b.csv",
        "mission,code,benchmark,due,status,achieved\n"
        "UNMISS,B1,Elections held,2027-06-30,,\n"
        "UNMISS,B2,Done early,2027-06-30,in_progress,2026-01-01\n",
    )  # fmt: skip
    report = import_file(missions, "transition-benchmarks", benchmarks, "test")
    assert (report.inserted, report.rejected) == (1, 1)
    assert "set status to achieved" in report.rejections[0].reason
    tasks = write(
        tmp_path, "t.csv",
        "mission,code,task,recipient,entity,due,status,handed_over,benchmark\n"
        "UNMISS,T1,Prisons,host_government,Ministry of Justice,2027-03-31,,,B1\n"
        "UNMISS,T2,Mine action,un country team,UNMAS,2027-03-31,in_progress,,\n"
        "UNMISS,T3,Radio,the press,Radio,2027-03-31,,,\n"
        "UNMISS,T4,Roads,host_government,,2027-03-31,,,\n"
        "UNMISS,T5,Camps,host_government,Police,2027-03-31,handed_over,,\n"
        "UNMISS,T6,Schools,un_country_team,UNICEF,2027-03-31,,,B9\n",
    )  # fmt: skip
    report = import_file(missions, "transition-tasks", tasks, "test")
    assert (report.inserted, report.rejected) == (2, 4)
    why = reasons(report)
    assert "recipient 'the press' is not known; use one of un_country_team, host_government, other" in why[4]
    assert why[5] == "entity is empty"
    assert why[6] == "status is handed_over but handed_over (the date) is empty"
    assert "benchmark 'B9' is not in the mission's plan" in why[7]


def test_bad_drawdown_and_base_lines_are_rejected_alone(missions, tmp_path):
    import_file(missions, "transition-plans", write(tmp_path, "p.csv", PLAN), "test")
    steps = write(
        tmp_path, "d.csv",
        "mission,step,category,planned_date,planned_ceiling,actual_date,actual_strength\n"
        "UNMISS,Phase 1,total,2026-06-30,\"12,000\",,\n"
        "UNMISS,Phase 1,police,2026-06-30,1500,2026-07-02,1450\n"
        "UNMISS,Phase 2,sailors,2026-12-31,1000,,\n"
        "UNMISS,Phase 2,total,2026-12-31,-5,,\n"
        "UNMISS,Phase 3,total,2027-06-30,8000,,7900\n",
    )  # fmt: skip
    report = import_file(missions, "transition-drawdown", steps, "test")
    assert (report.inserted, report.rejected) == (2, 3)
    why = reasons(report)
    assert "category 'sailors' is not known" in why[4]
    assert why[5] == "planned_ceiling cannot be negative"
    assert why[6] == "actual_strength is given without actual_date; say on which day it was reached"
    bases = write(
        tmp_path, "b.csv",
        "mission,base,country,latitude,longitude,planned_closure,actual_closure,status\n"
        "UNMISS,Site A,,9.53,31.66,2026-09-30,,\n"
        "UNMISS,Site B,XXX,9.53,31.66,2026-09-30,,\n"
        "UNMISS,Site C,,95,31.66,2026-09-30,,\n"
        "UNMISS,Site D,,north,31.66,2026-09-30,,\n"
        "UNMISS,Site E,,9.5,31.6,2026-09-30,2026-10-01,open\n"
        "UNMISS,Site F,,\"9,5\",31.6,2026-09-30,,closed\n"
        "UNMISS,Site G,,9.5,31.6,2026-09-30,2026-10-01,\n",
    )  # fmt: skip
    report = import_file(missions, "transition-bases", bases, "test")
    assert (report.inserted, report.rejected) == (2, 5)
    why = reasons(report)
    assert "country 'XXX' is not an ISO 3166 alpha-3 code" in why[3]
    assert why[4] == "latitude 95 is outside -90 to 90"
    assert "is not a number of decimal degrees" in why[5]
    assert "set status to closed or handed_over" in why[6]
    assert why[7] == "status is closed but actual_closure (the date) is empty"
    with missions.session() as s:
        site = s.scalar(select(TransitionBase).where(TransitionBase.name == "Site A"))
        closed = s.scalar(select(TransitionBase).where(TransitionBase.name == "Site G"))
    assert (site.country_iso3, site.status, closed.status) == ("SSD", "open", "closed")


def test_an_xlsx_file_is_read_like_a_csv(missions, tmp_path):
    from openpyxl import Workbook

    import_file(missions, "transition-plans", write(tmp_path, "p.csv", PLAN), "test")
    book = Workbook()
    sheet = book.active
    sheet.append(["mission", "step", "planned_date", "planned_ceiling"])
    sheet.append(["UNMISS", "Phase 1", "2026-06-30", 12000])
    sheet.append(["UNMISS", "Phase 2", "not a date", 9000])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "drawdown.xlsx"
    path.write_bytes(buffer.getvalue())
    report = import_file(missions, "transition-drawdown", path, "test")
    assert (report.layout, report.inserted, report.rejected) == ("xlsx", 1, 1)
    assert report.rejections[0].line == 3 and "is not a date" in report.rejections[0].reason


def test_a_file_without_the_required_columns_is_refused_whole(missions, tmp_path):
    with pytest.raises(ImportFileError, match="lacks the column"):
        import_file(missions, "transition-plans", write(tmp_path, "p.csv", "mission,title\nUNMISS,Plan\n"), "test")
    assert count(missions, TransitionPlan) == 0


def test_another_missions_officer_cannot_import_its_records(missions, tmp_path):
    other = write(tmp_path, "p.csv", "mission,title,planned_exit\nMINURCAT,Plan,2010-12-31\nUNMISS,Plan,2027-12-31\n")
    with pytest.raises(PermissionDenied, match="outside your scope"):
        import_file(missions, "transition-plans", other, "officer", who=OFFICER_UNMISS)
    assert count(missions, TransitionPlan) == 0
    own = write(tmp_path, "own.csv", PLAN)
    assert import_file(missions, "transition-plans", own, "officer", who=OFFICER_UNMISS).inserted == 1
    viewer = Actor(username="v", role="viewer")
    with pytest.raises(PermissionDenied):
        import_file(missions, "transition-plans", own, "v", who=viewer)
