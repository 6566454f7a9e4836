"""The training pages and JSON API: answers for every role, scope of records, exports, and no 500 on bad input."""

from __future__ import annotations

import io

import pytest
from support.web import signed_in

from peaceops.access.users import add_user

PASSWORD = "training password"


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


def test_gaps_answer_for_every_role_and_an_empty_list_where_nothing_is_recorded(clients):
    for client in clients.values():
        answer = client.get("/api/training/gaps", params={"mission": "UNMISS"})
        assert answer.status_code == 200
        assert answer.json()["mission"] == "UNMISS"
        assert isinstance(answer.json()["gaps"], list)
    empty = clients["viewer"].get("/api/training/gaps", params={"mission": "minusca"}).json()
    assert (empty["mission"], empty["gaps"], empty["period"]) == ("MINUSCA", [], None)


def test_readiness_reads_the_example_contingents(clients):
    answer = clients["viewer"].get("/api/training/readiness", params={"mission": "UNMISS"}).json()
    units = {(c["country_iso3"], c["unit"]): c for c in answer["contingents"]}
    nepal = {c["capability"]: c["percent"] for c in units[("NPL", "Example infantry battalion A")]["capabilities"]}
    assert nepal == {"casualty_evacuation": round(100 * 120 / 850, 1), "conduct": round(100 * 800 / 850, 1),
                     "protection_of_civilians": round(100 * 600 / 850, 1)}  # fmt: skip
    assert answer["persons"] == 1


def test_records_follow_the_mission_scope(clients):
    assert len(clients["analyst"].get("/api/training/records").json()) == 7
    assert len(clients["unmiss"].get("/api/training/records", params={"mission": "UNMISS"}).json()) == 7
    assert clients["minusca"].get("/api/training/records", params={"mission": "UNMISS"}).status_code == 403
    assert clients["minusca"].get("/api/training/records").json() == []
    assert clients["viewer"].get("/api/training/records").status_code == 403
    assert clients["viewer"].get("/training/export/records.csv").status_code == 403


def test_another_missions_officer_cannot_upload_its_requirements(clients):
    upload = {"file": ("r.csv", b"mission,capability,required_percent\nUNMISS,conduct,50\n", "text/csv")}
    officer = clients["minusca"]
    refused = officer.post("/api/imports/training-requirements", files=upload,
                           headers={"X-CSRF-Token": _token(officer)})  # fmt: skip
    assert refused.status_code == 403
    assert (
        clients["unmiss"]
        .get("/api/training/readiness", params={"mission": "UNMISS"})
        .json()["requirements"][1]["required_percent"]
        == 100
    )


def _token(client):
    from support.web import any_csrf_from

    return any_csrf_from(client.get("/imports").text)


def test_courses_and_exports(clients):
    courses = clients["viewer"].get("/api/training/courses").json()
    assert {c["code"] for c in courses} >= {"EX-POC-1", "EX-CYBER-1"}
    assert next(c for c in courses if c["code"] == "EX-CYBER-1")["area"] == "cyber"
    text = clients["analyst"].get("/training/export/records.csv", params={"mission": "UNMISS"}).text
    assert text.splitlines()[0].startswith("mission,course,capability")
    assert len(text.splitlines()) == 8
    workbook = clients["viewer"].get("/training/export/courses.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.max_row == 6


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/training/gaps?mission=NOPE", 404),
        ("/api/training/gaps", 422),
        ("/api/training/gaps?mission=UNMISS&period=soon", 422),
        ("/api/training/readiness?mission=" + "X" * 40, 422),
        ("/training/NOPE", 404),
        ("/training/export/secrets.csv", 404),
        ("/training/export/courses.pdf", 404),
    ],
)
def test_bad_input_is_answered_without_a_500(clients, url, status):
    assert clients["analyst"].get(url).status_code == status


def test_the_pages_show_the_readiness_and_the_courses(clients):
    page = clients["viewer"].get("/training/UNMISS")
    assert page.status_code == 200
    assert "Example infantry battalion A" in page.text and "Capability gaps" in page.text
    index = clients["viewer"].get("/training").text
    assert 'href="/training/UNMISS"' in index and "EX-CASEVAC-1" in index
