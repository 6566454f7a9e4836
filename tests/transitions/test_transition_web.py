"""The transition pages and JSON API: answers for every role, the mission scope of the records, the IPI
comparison of the drawdown, exports, and no 500 on bad input."""

from __future__ import annotations

import io
from datetime import date

import pytest
from support.web import any_csrf_from, signed_in

from peaceops.access.users import add_user
from peaceops.missions.lookup import find_mission
from peaceops.personnel.models import MissionStrength

PASSWORD = "transitions password"
USERS = {"analyst": ("analyst", None), "viewer": ("viewer", None), "minurcat": ("mission_officer", "MINURCAT"),
         "unmiss": ("mission_officer", "UNMISS")}  # fmt: skip


@pytest.fixture
def clients(examples, make_client):
    with examples.write() as s:
        for name, (role, mission) in USERS.items():
            add_user(s, name, PASSWORD, role, mission=mission)
        minurcat = find_mission(s, "MINURCAT")
        # Two months as the IPI monthly totals give them (values of the real file, 2010-07 and 2010-10).
        s.add(MissionStrength(mission_id=minurcat.id, month=date(2010, 7, 1), troops=2144, police=164, observers=25,
                              total=2333, contributors=37))  # fmt: skip
        s.add(MissionStrength(mission_id=minurcat.id, month=date(2010, 10, 1), troops=1327, police=109, observers=20,
                              total=1456, contributors=35))  # fmt: skip
    return {name: signed_in(make_client(examples), name, PASSWORD) for name in USERS}


def test_the_list_answers_every_role_and_is_empty_where_no_plan_is_recorded(clients):
    for client in clients.values():
        [plan] = client.get("/api/transitions", params={"mission": "MINURCAT"}).json()
        assert (plan["mission"], plan["phase"], plan["tasks_overdue"]) == ("MINURCAT", "completed", 3)
        assert {c["code"]: c["count"] for c in plan["tasks_by_recipient"]} == {"un_country_team": 1,
                                                                               "host_government": 3}  # fmt: skip
        assert {c["code"]: c["count"] for c in plan["bases"]} == {"closing": 1, "closed": 1, "handed_over": 1}
    assert clients["viewer"].get("/api/transitions", params={"mission": "unmiss"}).json() == []
    assert len(clients["viewer"].get("/api/transitions").json()) == 1


def test_drawdown_steps_are_compared_with_the_ipi_totals(clients):
    steps = clients["viewer"].get("/api/transitions/drawdown", params={"mission": "MINURCAT"}).json()
    by_step = {(s["step"], s["category"]): s for s in steps}
    first = by_step[("Example step 1 (invented)", "total")]
    assert (first["ipi_strength"], first["ipi_month"], first["actual_strength"], first["met"]) == (
        2333, "2010-07-31", 2350, True,
    )  # fmt: skip
    police = by_step[("Example step 2 (invented)", "police")]
    assert (police["ipi_strength"], police["compared"], police["over_ceiling"], police["met"]) == (109, 109, -41, True)
    last = by_step[("Example step 3 (invented)", "total")]
    assert (last["ipi_strength"], last["compared"], last["met"]) == (None, None, None)


def test_records_follow_the_mission_scope(clients):
    assert len(clients["analyst"].get("/api/transitions/tasks").json()) == 4
    assert len(clients["minurcat"].get("/api/transitions/bases", params={"mission": "MINURCAT"}).json()) == 3
    assert clients["unmiss"].get("/api/transitions/tasks", params={"mission": "MINURCAT"}).status_code == 403
    assert clients["unmiss"].get("/api/transitions/benchmarks").json() == []
    assert clients["viewer"].get("/api/transitions/bases").status_code == 403
    assert clients["viewer"].get("/transitions/export/tasks.csv").status_code == 403
    assert clients["viewer"].get("/transitions/export/drawdown.csv").status_code == 200
    benchmarks = clients["analyst"].get("/api/transitions/benchmarks", params={"mission": "MINURCAT"}).json()
    assert [b["code"] for b in benchmarks] == ["EX-B1", "EX-B2", "EX-B3"]
    assert benchmarks[1]["indicator"] == "POC_ALERT_RESPONSE" and benchmarks[1]["indicator_status"] is None


def test_protection_answers_every_role_and_shows_bases_to_record_readers_only(clients):
    analyst = clients["analyst"].get("/api/transitions/protection", params={"mission": "MINURCAT"}).json()
    viewer = clients["viewer"].get("/api/transitions/protection", params={"mission": "MINURCAT"}).json()
    assert [a["base"] for a in analyst["areas"]] == ["Example base near Birao (invented)",
                                                     "Example base near Abeche (invented)"]  # fmt: skip
    assert (viewer["areas_shown"], viewer["areas"]) == (False, [])
    assert (
        viewer["areas_by_verdict"]
        == analyst["areas_by_verdict"]
        == [{"code": "no_data", "label": "No evidence loaded", "count": 2}]
    )


def test_another_missions_officer_cannot_upload_its_plan(clients):
    upload = {"file": ("p.csv", b"mission,title,planned_exit\nMINURCAT,Changed,2011-12-31\n", "text/csv")}
    officer = clients["unmiss"]
    refused = officer.post("/api/imports/transition-plans", files=upload,
                           headers={"X-CSRF-Token": any_csrf_from(officer.get("/imports").text)})  # fmt: skip
    assert refused.status_code == 403
    assert clients["unmiss"].get("/api/transitions", params={"mission": "MINURCAT"}).json()[0]["title"] == (
        "Example transition plan (invented)"
    )
    own = clients["minurcat"]
    accepted = own.post("/api/imports/transition-plans", files=upload,
                        headers={"X-CSRF-Token": any_csrf_from(own.get("/imports").text)})  # fmt: skip
    assert accepted.status_code == 200
    assert own.get("/api/transitions", params={"mission": "MINURCAT"}).json()[0]["title"] == "Changed"


def test_exports(clients):
    text = clients["analyst"].get("/transitions/export/tasks.csv", params={"mission": "MINURCAT"}).text
    assert text.splitlines()[0].startswith("mission,code,title,recipient")
    assert len(text.splitlines()) == 5
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(clients["viewer"].get("/transitions/export/plans.xlsx").content)).active
    assert (sheet.max_row, sheet["A2"].value) == (2, "MINURCAT")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/transitions?mission=NOPE", 404),
        ("/api/transitions/protection", 422),
        ("/api/transitions/protection?mission=NOPE", 404),
        ("/api/transitions/tasks?mission=" + "X" * 40, 422),
        ("/transitions/NOPE", 404),
        ("/transitions/export/secrets.csv", 404),
        ("/transitions/export/plans.pdf", 404),
    ],
)
def test_bad_input_is_answered_without_a_500(clients, url, status):
    assert clients["analyst"].get(url).status_code == status


def test_the_pages_show_the_plan_to_each_role(clients):
    analyst = clients["analyst"].get("/transitions/MINURCAT").text
    assert "Example transition plan (invented)" in analyst and "Example base near Birao (invented)" in analyst
    assert "Example national coordination office (invented)" in analyst and "Does protection hold?" in analyst
    viewer = clients["viewer"].get("/transitions/MINURCAT")
    assert viewer.status_code == 200
    assert "Example base near Birao" not in viewer.text and "Handed over: 1" in viewer.text
    assert "No transition plan is recorded" in clients["viewer"].get("/transitions/UNMISS").text
    index = clients["viewer"].get("/transitions").text
    assert 'href="/transitions/MINURCAT"' in index
