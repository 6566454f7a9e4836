"""The resources pages and JSON API: answers for every role, the mission scope of records, exports, uploads,
and no 500 on bad input."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from resources_support import DAY
from support.web import any_csrf_from, signed_in

from peaceops.access.users import add_user

PASSWORD = "resources password"
ON = {"as_of": DAY.isoformat()}


@pytest.fixture
def clients(examples, make_client):
    with examples.write() as s:
        add_user(s, "analyst", PASSWORD, "analyst")
        add_user(s, "viewer", PASSWORD, "viewer")
        add_user(s, "minusca", PASSWORD, "mission_officer", mission="MINUSCA")
        add_user(s, "unmiss", PASSWORD, "mission_officer", mission="UNMISS")
    return {
        name: signed_in(make_client(examples), name, PASSWORD) for name in ("analyst", "viewer", "minusca", "unmiss")
    }


def test_requirements_answer_with_the_records_and_an_empty_list_where_none(clients):
    answer = clients["unmiss"].get("/api/resources/requirements", params={"mission": "UNMISS", **ON})
    assert answer.status_code == 200
    rows = {r["code"]: r for r in answer.json()}
    assert len(rows) == 7
    assert (rows["EX-REQ-002"]["state"], rows["EX-REQ-002"]["days_late"]) == ("late", 11)
    assert rows["EX-REQ-002"]["due"] == "2026-11-20"
    empty = clients["analyst"].get("/api/resources/requirements", params={"mission": "minusca"})
    assert (empty.status_code, empty.json()) == (200, [])
    assert clients["minusca"].get("/api/resources/requirements", params={"mission": "MINUSCA"}).json() == []


def test_records_follow_the_mission_scope(clients):
    for what in ("requirements", "orders", "deliveries", "budgets", "milestones"):
        assert len(clients["analyst"].get(f"/api/resources/{what}").json()) > 0, what
        assert clients["minusca"].get(f"/api/resources/{what}", params={"mission": "UNMISS"}).status_code == 403
        own = clients["minusca"].get(f"/api/resources/{what}").json()  # their own mission's: none imported yet
        assert [r for r in own if r.get("source") != "register"] == []
        assert clients["viewer"].get(f"/api/resources/{what}").status_code == 403
        assert clients["viewer"].get(f"/resources/export/{what}.csv").status_code == 403
    assert clients["minusca"].get("/api/resources/risk", params={"mission": "UNMISS"}).status_code == 403
    assert clients["viewer"].get("/api/resources/risk", params={"mission": "UNMISS"}).status_code == 403


def test_counts_are_open_to_every_reader(clients):
    for client in clients.values():
        summary = client.get("/api/resources/summary", params={"mission": "UNMISS", **ON}).json()
        assert (summary["requirements"], summary["states"]["late"], summary["budget_lines"]) == (7, 1, 4)
    missions = clients["viewer"].get("/api/resources/missions").json()
    assert [m["mission"] for m in missions] == ["UNMISS"]


def test_budgets_risk_and_milestones_answer(clients):
    analyst = clients["analyst"]
    budgets = analyst.get("/api/resources/budgets", params={"mission": "UNMISS"}).json()
    assert [b["period"] for b in budgets] == ["2026/27", "2026/27", "2026/27", "2025/26"]
    view = analyst.get("/api/resources/risk", params={"mission": "UNMISS", **ON}).json()
    assert [r["requirement"]["code"] for r in view["rows"]] == ["EX-REQ-003", "EX-REQ-002", "EX-REQ-004"]
    milestones = analyst.get("/api/resources/milestones", params={"mission": "UNMISS"}).json()
    assert [m["code"] for m in milestones][:2] == ["register:start", "EX-DEPLOY-1"]


def test_exports_csv_and_xlsx(clients):
    text = clients["unmiss"].get("/resources/export/requirements.csv", params={"mission": "UNMISS", **ON}).text
    lines = text.splitlines()
    assert lines[0].startswith("mission,code,item,category")
    assert len(lines) == 8
    book = clients["analyst"].get("/resources/export/budgets.xlsx", params={"mission": "UNMISS"})
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert (sheet.title, sheet.max_row, sheet["A1"].value) == ("budgets", 5, "mission")
    deliveries = clients["analyst"].get("/resources/export/deliveries.csv").text.splitlines()
    assert len(deliveries) == 6 and "rejected" in deliveries[4]


def test_another_missions_officer_cannot_upload_its_records_and_its_own_are_taken(clients):
    officer = clients["minusca"]
    token = {"X-CSRF-Token": any_csrf_from(officer.get("/imports").text)}
    upload = {"file": ("m.csv", b"mission,code,kind,due,title\nUNMISS,X-1,drawdown,2027-01-01,Other mission\n",
                       "text/csv")}  # fmt: skip
    assert officer.post("/api/imports/resources-milestones", files=upload, headers=token).status_code == 403
    own = {"file": ("m.csv", b"mission,code,kind,due,title\nMINUSCA,X-1,drawdown,2027-01-01,Own mission\n"
                    b"MINUSCA,X-2,drawdown,someday,Bad date\n", "text/csv")}  # fmt: skip
    report = officer.post("/api/imports/resources-milestones", files=own, headers=token)
    assert report.status_code == 200
    assert (report.json()["inserted"], report.json()["rejections"][0]["line"]) == (1, 3)
    assert [m["code"] for m in officer.get("/api/resources/milestones").json()] == ["register:start", "X-1"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/resources/requirements?mission=NOPE", 404),
        ("/api/resources/requirements?mission=UNMISS&as_of=yesterday", 422),
        ("/api/resources/requirements?mission=UNMISS&threat_area=piracy", 404),
        ("/api/resources/risk", 422),
        ("/api/resources/summary?mission=" + "X" * 40, 422),
        ("/resources/NOPE", 404),
        ("/resources/UNMISS?as_of=2026-13-45", 422),
        ("/resources/export/secrets.csv", 404),
        ("/resources/export/budgets.pdf", 404),
    ],
)
def test_bad_input_is_answered_without_a_500(clients, url, status):
    assert clients["analyst"].get(url).status_code == status


def test_the_pages_show_the_records_to_readers_and_counts_to_the_others(clients):
    page = clients["unmiss"].get("/resources/UNMISS", params=ON)
    assert page.status_code == 200
    text = page.text
    assert "Late deliveries beside rising conflict alerts" in text and "EX-PO-002" in text
    assert "200,000 of 500,000 received; it was due on 20 Nov 2026, 11 days ago." in text
    assert "No cost per output: SAF_CASEVAC_60" in text or "No cost per output: no results framework" in text
    viewer = clients["viewer"].get("/resources/UNMISS", params=ON).text
    assert "Your role shows the counts only" in viewer
    assert "EX-PO-002" not in viewer and "Example Fuel Company" not in viewer and "3,000,000" not in viewer
    index = clients["viewer"].get("/resources").text
    assert 'href="/resources/UNMISS"' in index
    filtered = clients["analyst"].get("/resources/UNMISS", params={"threat_area": "cyber", **ON}).text
    assert "EX-REQ-006" in filtered and "EX-REQ-002</th>" not in filtered.split('id="requirements-title"')[1]


def test_the_mission_page_reads_in_french(clients):
    client = clients["analyst"]
    client.cookies.set("peaceops_lang", "fr")
    page = client.get("/resources/UNMISS", params=ON, headers={"Accept-Language": "fr"}).text
    assert "Besoins" in page and "en retard" in page
