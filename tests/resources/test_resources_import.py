"""The five resources importers: good rows, bad rows rejected alone with their line, idempotent reruns, XLSX,
the mission scope of the importer, and the audit trail."""

from __future__ import annotations

import io

import pytest
from resources_support import EXAMPLES, KINDS, write
from sqlalchemy import func, select

from peaceops.access.policy import Actor
from peaceops.errors import ImportFileError, PermissionDenied
from peaceops.platform import import_file
from peaceops.resources.models import (
    ResourceBudget,
    ResourceDelivery,
    ResourceMilestone,
    ResourceOrder,
    ResourceRequirement,
)
from peaceops.store.audit import AuditEntry

OFFICER_MINUSCA = Actor(username="officer", role="mission_officer", mission="MINUSCA")


def count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_the_example_files_import_and_a_second_run_changes_nothing(examples):
    counts = [count(examples, m) for m in (ResourceMilestone, ResourceRequirement, ResourceOrder, ResourceDelivery,
                                           ResourceBudget)]  # fmt: skip
    assert counts == [3, 7, 5, 5, 4]
    for kind in KINDS:
        again = import_file(examples, kind, EXAMPLES / f"{kind}.example.csv", "test")
        assert (again.inserted, again.updated, again.rejected) == (0, 0, 0)
        assert again.unchanged == again.rows_read
    with examples.session() as s:
        imports = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import"))
    assert imports == 10


def test_a_changed_line_updates_its_record_and_is_audited(examples, tmp_path):
    line = 'UNMISS,2025/26,Facilities and infrastructure (invented example),9000000,8800000,"8,700,000"\n'
    path = write(tmp_path, "b.csv", "mission,period,category,approved,committed,spent\n" + line)
    report = import_file(examples, "resources-budgets", path, "test")
    assert (report.inserted, report.updated) == (0, 1)
    with examples.session() as s:
        spent = s.scalar(select(ResourceBudget.spent).where(ResourceBudget.period == "2025/26"))
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "resource_budget",
                                                   AuditEntry.action == "update")).one()  # fmt: skip
    assert spent == 8_700_000
    assert (entry.before["spent"], entry.after["spent"]) == (8_650_000, 8_700_000)


def test_bad_milestone_lines_are_rejected_alone(missions, tmp_path):
    path = write(tmp_path, "m.csv",
        "mission,code,kind,due,title\n"
        "UNMISS,R-1,mandate_renewal,2027-04-30,Renewal\n"
        "UNMISS,R-2,coronation,2027-04-30,Unknown kind\n"
        "UNMISS,R-3,drawdown,30/06/2027,Bad date\n"
        "NOPE,R-4,drawdown,2027-06-30,Unknown mission\n"
        "UNMISS,R 5!,drawdown,2027-06-30,Bad code\n"
        "UNMISS,R-6,drawdown,2027-06-30,\n"
        "UNMISS,r-1,closure,2027-12-31,Repeated code\n")  # fmt: skip
    report = import_file(missions, "resources-milestones", path, "test")
    assert (report.inserted, report.rejected) == (1, 6)
    reasons = {r.line: r.reason for r in report.rejections}
    assert "kind 'coronation' is not known" in reasons[3]
    assert "YYYY-MM-DD" in reasons[4]
    assert "mission 'NOPE' is not known" in reasons[5]
    assert "is not a code" in reasons[6]
    assert reasons[7].startswith("title is empty")
    assert "repeats an earlier line" in reasons[8]


def test_bad_requirement_lines_are_rejected_alone(missions, tmp_path):
    import_file(missions, "resources-milestones", EXAMPLES / "resources-milestones.example.csv", "test")
    path = write(tmp_path, "r.csv",
        "mission,code,item,category,quantity,needed_by,milestone,latitude,longitude,alert_area,threat_area\n"
        "UNMISS,A,Fuel,fuel,100,2026-12-01,,,,,\n"
        "UNMISS,B,Fuel,fuel,100,,EX-DEPLOY-1,8.2,29.6,,\n"
        "UNMISS,C,Fuel,fuel,100,,,,,,\n"
        "UNMISS,D,Fuel,fuel,100,,EX-NONE,,,,\n"
        "UNMISS,E,Fuel,petrol,100,2026-12-01,,,,,\n"
        "UNMISS,F,Fuel,fuel,0,2026-12-01,,,,,\n"
        "UNMISS,G,Fuel,fuel,lots,2026-12-01,,,,,\n"
        "UNMISS,H,Fuel,fuel,100,2026-12-01,,95,29.6,,\n"
        "UNMISS,I,Fuel,fuel,100,2026-12-01,,8.2,,,\n"
        "UNMISS,J,Fuel,fuel,100,2026-12-01,,,,grid:12,\n"
        "UNMISS,K,Fuel,fuel,100,2026-12-01,,,,,piracy\n"
        "MINUSCA,L,Fuel,fuel,100,,EX-DEPLOY-1,,,,\n"
        "UNMISS,M,Fuel,fuel,100,2026-12-01,,,,cm:626,cyber\n")  # fmt: skip
    report = import_file(missions, "resources-requirements", path, "test")
    assert (report.inserted, report.rejected) == (3, 10)
    reasons = {r.line: r.reason for r in report.rejections}
    assert reasons[4] == "say by when: a needed_by date, a milestone code, or both"
    assert "milestone 'EX-NONE' is not a milestone of UNMISS" in reasons[5]
    assert "category 'petrol' is not known" in reasons[6]
    assert reasons[7] == "quantity must be more than zero"
    assert "'lots' is not a number" in reasons[8]
    assert "latitude must lie within" in reasons[9]
    assert reasons[10] == "give both latitude and longitude, or neither"
    assert "is not an alert unit" in reasons[11]
    assert "threat_area 'piracy' is not known" in reasons[12]
    assert "not a milestone of MINUSCA" in reasons[13]  # a milestone of another mission does not count
    with missions.session() as s:
        placed = dict(s.execute(select(ResourceRequirement.code,
                                       ResourceRequirement.alert_unit_id)).all())  # fmt: skip
    assert placed == {"A": None, "B": 196 * 720 + 419 + 1, "M": 626}  # 8.2N 29.6E is PRIO-GRID row 196, col 419


def test_orders_and_deliveries_need_what_they_point_at(examples, tmp_path):
    orders = write(tmp_path, "o.csv",
        "mission,reference,requirement,quantity,status,ordered,expected\n"
        "UNMISS,PO-9,EX-REQ-004,4,placed,2026-12-01,2026-12-15\n"
        "UNMISS,PO-10,EX-REQ-999,4,placed,2026-12-01,2026-12-15\n"
        "MINUSCA,PO-11,EX-REQ-004,4,placed,2026-12-01,2026-12-15\n"
        "UNMISS,PO-12,EX-REQ-004,4,lost,2026-12-01,2026-12-15\n"
        "UNMISS,PO-13,EX-REQ-004,4,placed,2026-12-01,2026-11-15\n")  # fmt: skip
    report = import_file(examples, "resources-orders", orders, "test")
    assert (report.inserted, report.rejected) == (1, 4)
    reasons = {r.line: r.reason for r in report.rejections}
    assert "requirement 'EX-REQ-999' is not a requirement of UNMISS" in reasons[3]
    assert "is not a requirement of MINUSCA" in reasons[4]
    assert "status 'lost' is not known" in reasons[5]
    assert reasons[6] == "expected is before ordered"
    deliveries = write(tmp_path, "d.csv",
        "mission,order,delivered,quantity,status\n"
        "UNMISS,PO-9,2026-12-10,2,received\n"
        "UNMISS,PO-9,2026-11-10,2,received\n"
        "UNMISS,PO-404,2026-12-10,2,received\n"
        "UNMISS,PO-9,2026-12-11,2,stolen\n")  # fmt: skip
    report = import_file(examples, "resources-deliveries", deliveries, "test")
    assert (report.inserted, report.rejected) == (1, 3)
    reasons = {r.line: r.reason for r in report.rejections}
    assert "before the order was placed (2026-12-01)" in reasons[3]
    assert "order 'PO-404' is not an order of UNMISS" in reasons[4]
    assert "status 'stolen' is not known" in reasons[5]


def test_bad_budget_lines_are_rejected_alone(missions, tmp_path):
    path = write(tmp_path, "b.csv",
        "mission,period,category,approved,committed,spent,indicator\n"
        "UNMISS,2026/27,Fuel,\"1,000,000\",500000,250000.50,\n"
        "UNMISS,2026-Q3,Fuel,1000,500,250,POC_PATROLS_DAY\n"
        "UNMISS,2026/28,Fuel,1000,500,250,\n"
        "UNMISS,next year,Fuel,1000,500,250,\n"
        "UNMISS,2026,Fuel,-1000,500,250,\n"
        "UNMISS,2026,,1000,500,250,\n"
        "UNMISS,2026,Fuel,1000,500,,\n")  # fmt: skip
    report = import_file(missions, "resources-budgets", path, "test")
    assert (report.inserted, report.rejected) == (2, 5)
    reasons = {r.line: r.reason for r in report.rejections}
    assert "the second year must follow the first" in reasons[4]
    assert "is not a budget period" in reasons[5]
    assert reasons[6] == "approved must be zero or more"
    assert reasons[7].startswith("category is empty")
    assert reasons[8] == "spent is empty; write a number"
    with missions.session() as s:
        year = s.scalars(select(ResourceBudget).where(ResourceBudget.period == "2026/27")).one()
    assert (year.period_start.isoformat(), year.period_end.isoformat(), year.approved, year.spent) == (
        "2026-07-01", "2027-06-30", 1_000_000, 250_000.5)  # fmt: skip


def test_an_xlsx_file_is_read_like_a_csv(missions, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["mission", "code", "kind", "due", "title"])
    sheet.append(["UNMISS", "R-1", "mandate_renewal", "2027-04-30", "Renewal"])
    sheet.append(["UNMISS", "R-2", "drawdown", "soon", "Bad date"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "milestones.xlsx"
    path.write_bytes(buffer.getvalue())
    report = import_file(missions, "resources-milestones", path, "test")
    assert (report.layout, report.inserted, report.rejected) == ("xlsx", 1, 1)
    assert report.rejections[0].line == 3 and "YYYY-MM-DD" in report.rejections[0].reason


def test_a_file_without_the_required_columns_is_refused_whole(missions, tmp_path):
    path = write(tmp_path, "r.csv", "mission,code,item\nUNMISS,A,Fuel\n")
    with pytest.raises(ImportFileError, match="lacks the column"):
        import_file(missions, "resources-requirements", path, "test")
    assert count(missions, ResourceRequirement) == 0


def test_another_missions_officer_cannot_import_its_records(missions, tmp_path):
    path = EXAMPLES / "resources-milestones.example.csv"
    with pytest.raises(PermissionDenied, match="outside your scope"):
        import_file(missions, "resources-milestones", path, "officer", who=OFFICER_MINUSCA)
    assert count(missions, ResourceMilestone) == 0
    own = write(tmp_path, "own.csv", "mission,code,kind,due,title\nMINUSCA,R-1,mandate_renewal,2027-11-15,Renewal\n")
    assert import_file(missions, "resources-milestones", own, "officer", who=OFFICER_MINUSCA).inserted == 1
    viewer = Actor(username="viewer", role="viewer")
    with pytest.raises(PermissionDenied):
        import_file(missions, "resources-milestones", own, "viewer", who=viewer)
