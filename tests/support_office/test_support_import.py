"""The support-office importers (and the partner operations they name): good rows, bad rows rejected alone
with their line, idempotent reruns, XLSX, who may import, and the audit trail."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from support_office_helpers import EXAMPLES, KINDS, write

from peaceops.access.policy import Actor
from peaceops.errors import ImportFileError, PermissionDenied
from peaceops.partnerships.models import PartnerOperation
from peaceops.platform import import_file
from peaceops.store.audit import AuditEntry
from peaceops.support.models import (
    SupportDelivery,
    SupportFinancing,
    SupportMilestone,
    SupportRequest,
    SupportService,
)

OFFICER = Actor(username="officer", role="mission_officer", mission="UNMISS")
VIEWER = Actor(username="viewer", role="viewer")
HEAD = {
    "support-services": "operation,service,provider,unit\n",
    "support-deliveries": "operation,service,period,agreed,delivered\n",
    "support-requests": "operation,reference,service,requested_on,needed_by,quantity,location,status,closed_on,note\n",
    "support-financing": "operation,source,funder,period,committed_usd,received_usd\n",
    "support-milestones": "operation,title,area,owner,due_on,status,completed_on,note\n",
}


def count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def reasons(report):
    return {r.line: r.reason for r in report.rejections}


def test_the_example_files_import_and_a_second_run_changes_nothing(examples):
    assert count(examples, PartnerOperation) == 2
    assert count(examples, SupportService) == 5
    assert count(examples, SupportDelivery) == 11
    assert count(examples, SupportRequest) == 6
    assert count(examples, SupportFinancing) == 6
    assert count(examples, SupportMilestone) == 6
    for kind in KINDS:
        again = import_file(examples, kind, EXAMPLES / f"{kind}.example.csv", "test")
        assert (again.inserted, again.updated, again.rejected) == (0, 0, 0), kind
        assert again.unchanged == again.rows_read
    with examples.session() as s:
        imports = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import"))
        created = s.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "partner_operation",
                                                                AuditEntry.action == "create")
        )  # fmt: skip
    assert imports == 2 * len(KINDS)
    assert created == 2


def test_a_changed_line_updates_its_record_and_is_audited(examples, tmp_path):
    path = write(tmp_path, "d.csv", HEAD["support-deliveries"] + "EX-AUPSO,rations,2026-Q3,1800000,1700000\n")
    report = import_file(examples, "support-deliveries", path, "test")
    assert (report.inserted, report.updated) == (0, 1)
    with examples.session() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "support_delivery", AuditEntry.action == "update")
        ).one()
        assert entry.before["delivered"] == 1620000 and entry.after["delivered"] == 1700000
        assert s.scalar(select(func.max(SupportDelivery.delivered))) == 2500000


def test_bad_operation_lines_are_rejected_alone(missions, tmp_path):
    path = write(
        tmp_path, "ops.csv",
        "acronym,name,kind,lead,host,started_on\n"
        "EX-ONE,Example one,partner_led,African Union,SOM,2025-01-01\n"
        "UNMISS,Clash,partner_led,African Union,,\n"
        "EX-TWO,Bad kind,crusade,African Union,,\n"
        "EX-THREE,Bad host,joint,African Union,XXX,\n"
        "EX-FOUR,Bad date,joint,African Union,,01/02/2025\n"
        "ex-one,Repeated,partner_led,African Union,,\n"
        "EX-FIVE,,partner_led,African Union,,\n",
    )  # fmt: skip
    report = import_file(missions, "partner-operations", path, "test")
    assert (report.inserted, report.rejected) == (1, 6)
    why = reasons(report)
    assert "is a UN mission in the missions register" in why[3]
    assert "Kind 'crusade' is not one of" in why[4]
    assert "ISO 3166" in why[5]
    assert "YYYY-MM-DD" in why[6]
    assert "repeats operation EX-ONE" in why[7]
    assert "Give the name" in why[8]


def test_bad_service_lines_are_rejected_alone(examples, tmp_path):
    path = write(
        tmp_path, "s.csv",
        HEAD["support-services"]
        + "EX-AUPSO,water,UNMISS,\n"
        + "EX-NOPE,fuel,EX-UNSO,litres\n"
        + "EX-AUPSO,catering,EX-UNSO,meals\n"
        + "EX-AUPSO,transport,,movements\n"
        + "EX-AUPSO,water,EX-UNSO,litres\n",
    )  # fmt: skip
    report = import_file(examples, "support-services", path, "test")
    assert (report.inserted, report.rejected) == (1, 4)
    why = reasons(report)
    assert "'EX-NOPE' is not a recorded partner operation" in why[3]
    assert "service 'catering' is not known; use one of rations, fuel" in why[4]
    assert "provider is empty" in why[5]
    assert "repeats an earlier line" in why[6]
    with examples.session() as s:
        water = s.scalars(select(SupportService).where(SupportService.service == "water")).one()
        assert (water.unit, water.provider_mission_id is not None) == ("litres", True)  # the default unit


def test_bad_delivery_lines_are_rejected_alone(examples, tmp_path):
    path = write(
        tmp_path, "d.csv",
        HEAD["support-deliveries"]
        + "EX-AUPSO,rations,2026-10,600000,590000\n"
        + "EX-AUPSO,rations,2026-Q5,1,1\n"
        + "EX-AUPSO,water,2026-10,1,1\n"
        + "EX-AUPSO,fuel,2026-10,\"1,000\",5\n"
        + "EX-AUPSO,fuel,2026-11,-5,5\n"
        + "EX-AUPSO,fuel,2026-12,,\n"
        + "EX-AUPSO,fuel,2026-07-01/2026-06-30,1,1\n"
        + "EX-AUPSO,fuel,2025-07-01/2026-06-30,2400000,\n",
    )  # fmt: skip
    report = import_file(examples, "support-deliveries", path, "test")
    assert (report.inserted, report.rejected) == (2, 6)
    why = reasons(report)
    assert "is not a month (2025-03), a quarter (2025-Q1)" in why[3]
    assert "water is not a recorded service of EX-AUPSO" in why[4]
    assert "without separators" in why[5]
    assert why[6] == "agreed cannot be negative"
    assert "both empty" in why[7]
    assert "ends before it starts" in why[8]


def test_bad_request_lines_are_rejected_alone(examples, tmp_path):
    path = write(
        tmp_path, "r.csv",
        HEAD["support-requests"]
        + "EX-AUPSO,EX-REQ-100,fuel,2026-11-02,2026-11-30,1000,Example base,open,,\n"
        + "EX-AUPSO,,fuel,2026-11-02,,,,,,\n"
        + "EX-AUPSO,EX-REQ-101,fuel,2099-01-01,,,,,,\n"
        + "EX-AUPSO,EX-REQ-102,fuel,2026-11-02,2026-10-01,,,,,\n"
        + "EX-AUPSO,EX-REQ-103,fuel,2026-11-02,,,,lost,,\n"
        + "EX-AUPSO,EX-REQ-104,fuel,2026-11-02,,,,open,2026-11-03,\n"
        + "EX-AUPSO,EX-REQ-105,fuel,2026-11-02,,,,met,2026-11-01,\n"
        + "EX-AUPSO,EX-REQ-106,water,2026-11-02,,,,,,\n",
    )  # fmt: skip
    report = import_file(examples, "support-requests", path, "test")
    assert (report.inserted, report.rejected) == (1, 7)
    why = reasons(report)
    assert "reference is empty" in why[3]
    assert why[4] == "requested_on is in the future"
    assert why[5] == "needed_by is before requested_on"
    assert "status 'lost' is not known; use one of open, met, partly_met, not_met, cancelled" in why[6]
    assert "an open request has no closed_on" in why[7]
    assert why[8] == "closed_on is before requested_on"
    assert "not a recorded service" in why[9]


def test_bad_financing_lines_are_rejected_alone(examples, tmp_path):
    path = write(
        tmp_path, "f.csv",
        HEAD["support-financing"]
        + "EX-AUPSO,un_trust_fund,,2026,1000000,\n"
        + "EX-AUPSO,lottery,,2026,1,1\n"
        + "EX-AUPSO,partner,Someone,2026,,\n"
        + "EX-AUPSO,partner,Someone,soon,1,1\n"
        + "EX-AUPSO,partner,Someone,2026,many,1\n",
    )  # fmt: skip
    report = import_file(examples, "support-financing", path, "test")
    assert (report.inserted, report.rejected) == (1, 4)
    why = reasons(report)
    assert "source 'lottery' is not known" in why[3]
    assert "both empty" in why[4]
    assert "period 'soon' is not a month" in why[5]
    assert "committed_usd 'many' is not a number" in why[6]


def test_bad_milestone_lines_are_rejected_alone_and_a_reopening_needs_a_note(examples, tmp_path):
    path = write(
        tmp_path, "m.csv",
        HEAD["support-milestones"]
        + "EX-AUPSO,New milestone (example),reporting,Someone,2027-09-30,,,\n"
        + "EX-AUPSO,,reporting,Someone,2027-09-30,,,\n"
        + "EX-AUPSO,Bad area,oversight,Someone,2027-09-30,,,\n"
        + "EX-AUPSO,Done without a date,reporting,Someone,2027-09-30,done,,\n"
        + "EX-AUPSO,Date without done,reporting,Someone,2027-09-30,planned,2026-01-01,\n"
        + "EX-AUPSO,Joint budget submitted (example),budget,Example joint budget team,2026-03-31,in_progress,,\n"
        + "EX-AUPSO,External audit of the first budget year (example),financial_accountability,Example audit "
          "board,2027-06-30,planned,,\n"
        + "EX-AUPSO,Joint report to the Security Council (example),reporting,Example joint secretariat,"
          "2027-09-30,planned,,The Council moved its programme of work (invented)\n",
    )  # fmt: skip
    report = import_file(examples, "support-milestones", path, "test")
    assert (report.inserted, report.updated, report.rejected) == (1, 1, 6)
    why = reasons(report)
    assert why[3] == "title is empty; name the milestone"
    assert "area 'oversight' is not known" in why[4]
    assert why[5] == "a done milestone needs its completed_on date"
    assert why[6] == "completed_on is only for a done milestone"
    assert why[7] == "reopening a milestone that is done needs a note saying why"
    assert why[8] == "moving the due date from 2027-03-31 needs a note saying why"


def test_an_xlsx_file_is_read_like_a_csv(examples, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["operation", "service", "period", "agreed", "delivered"])
    sheet.append(["EX-AUPSO", "fuel", "2026-10", 800000, 790000.5])
    sheet.append(["EX-AUPSO", "fuel", "2026-11", "eight", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "deliveries.xlsx"
    path.write_bytes(buffer.getvalue())
    report = import_file(examples, "support-deliveries", path, "test")
    assert (report.layout, report.inserted, report.rejected) == ("xlsx", 1, 1)
    assert report.rejections[0].line == 3 and "agreed 'eight' is not a number" in report.rejections[0].reason


def test_a_file_without_the_required_columns_is_refused_whole(examples, tmp_path):
    path = write(tmp_path, "d.csv", "operation,service\nEX-AUPSO,fuel\n")
    with pytest.raises(ImportFileError, match="lacks the column"):
        import_file(examples, "support-deliveries", path, "test")


@pytest.mark.parametrize("who", [OFFICER, VIEWER])
def test_only_analysts_and_administrators_import_support_records(examples, tmp_path, who):
    path = write(tmp_path, "d.csv", HEAD["support-deliveries"] + "EX-AUPSO,fuel,2026-10,1,1\n")
    with pytest.raises(PermissionDenied):
        import_file(examples, "support-deliveries", path, who.username, who=who)
    ops = write(tmp_path, "o.csv", "acronym,name,kind,lead\nEX-NEW,Example,joint,African Union\n")
    with pytest.raises(PermissionDenied):
        import_file(examples, "partner-operations", ops, who.username, who=who)
    assert count(examples, SupportDelivery) == 11
    assert count(examples, PartnerOperation) == 2
    analyst = Actor(username="analyst", role="analyst")
    assert import_file(examples, "support-deliveries", path, "analyst", who=analyst).inserted == 1
