"""The support pages and JSON API: answers for every role (an empty list where nothing is recorded), request
details by role and scope, exports, an upload, and no 500 on bad input."""

from __future__ import annotations

import io

import pytest
from support.web import any_csrf_from, signed_in

from peaceops.access.users import add_user

PASSWORD = "support password"
ROLES = {"analyst": "analyst", "viewer": "viewer", "unmiss": "mission_officer"}


def _clients(db, make_client):
    with db.write() as s:
        for name, role in ROLES.items():
            add_user(s, name, PASSWORD, role, mission="UNMISS" if role == "mission_officer" else None)
    return {name: signed_in(make_client(db), name, PASSWORD) for name in ROLES}


@pytest.fixture
def clients(examples, make_client):
    return _clients(examples, make_client)


def test_the_operations_api_answers_an_empty_list_where_nothing_is_recorded(missions, make_client):
    for client in _clients(missions, make_client).values():
        answer = client.get("/api/support/operations")
        assert (answer.status_code, answer.json()) == (200, [])
        page = client.get("/support")
        assert page.status_code == 200 and 'id="support-empty"' in page.text


def test_the_operations_api_answers_every_role_with_the_records(clients):
    for client in clients.values():
        (operation,) = client.get("/api/support/operations").json()
        assert (operation["acronym"], operation["services"], operation["milestones"]) == ("EX-AUPSO", 5, 6)
        assert 0 < operation["delivery_rate"] < 1
        detail = client.get("/api/support/operations/EX-AUPSO").json()
        assert {s["service"] for s in detail["services"]} == {"rations", "fuel", "medical_evacuation", "engineering",
                                                                 "communications"}  # fmt: skip
        assert sum(c["total"] for c in detail["request_counts"]) == 6
        assert len(client.get("/api/support/deliveries", params={"operation": "EX-AUPSO"}).json()) == 11
        assert len(client.get("/api/support/financing").json()) == 6
        assert len(client.get("/api/support/milestones").json()) == 6


def test_request_details_follow_the_role_and_the_providing_mission(clients):
    assert len(clients["analyst"].get("/api/support/requests").json()) == 6
    assert clients["unmiss"].get("/api/support/requests").json() == []  # UNMISS provides none of the services
    assert clients["viewer"].get("/api/support/requests").status_code == 403
    assert clients["viewer"].get("/support/export/requests.csv").status_code == 403
    analyst_page = clients["analyst"].get("/support/EX-AUPSO").text
    viewer_page = clients["viewer"].get("/support/EX-AUPSO").text
    assert "Example forward base A" in analyst_page and 'id="support-requests"' in analyst_page
    assert "Example forward base A" not in viewer_page and "your role sees the counts" in viewer_page
    assert 'id="support-request-counts"' in viewer_page


def test_exports_as_csv_and_xlsx(clients):
    text = clients["analyst"].get("/support/export/deliveries.csv", params={"operation": "EX-AUPSO"}).text
    lines = text.splitlines()
    assert lines[0].startswith("operation,service,service_label,period") and len(lines) == 12
    assert "EX-AUPSO,rations,Rations,2026-Q1" in text
    from openpyxl import load_workbook

    book = clients["viewer"].get("/support/export/milestones.xlsx")
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet.max_row == 7 and sheet.cell(1, 1).value == "operation"
    requests = clients["analyst"].get("/support/export/requests.csv").text
    assert len(requests.splitlines()) == 7


def test_the_pages_show_the_operation_beside_the_missions(clients):
    index = clients["viewer"].get("/support").text
    assert 'href="/support/EX-AUPSO"' in index and "above the ceiling" in index
    page = clients["viewer"].get("/support/EX-AUPSO").text
    assert "Rations" in page and "Human rights and humanitarian law compliance framework" in page
    assert 'id="chart-delivery"' in page
    missions = clients["viewer"].get("/missions").text
    assert 'id="supported-operations"' in missions and 'href="/support/EX-AUPSO"' in missions
    operation_id = clients["viewer"].get("/api/support/operations").json()[0]["partnership_id"]
    partnership = clients["viewer"].get(f"/partnerships/operations/{operation_id}").text
    assert 'href="/support/EX-AUPSO"' in partnership


def test_the_pages_read_in_french(clients):
    client = clients["viewer"]
    page = client.get("/support/EX-AUPSO", headers={"Accept-Language": "fr"}).text
    assert "Rations" in page and "Évacuation sanitaire" in page and "Services fournis par l’ONU" in page


def test_an_analyst_uploads_a_support_file_and_a_viewer_cannot(clients):
    upload = {"file": ("d.csv", b"operation,service,period,agreed,delivered\nEX-AUPSO,fuel,2026-10,10,9\n", "text/csv")}
    analyst, viewer = clients["analyst"], clients["viewer"]
    done = analyst.post("/api/imports/support-deliveries", files=upload,
                        headers={"X-CSRF-Token": any_csrf_from(analyst.get("/imports").text)})  # fmt: skip
    assert done.status_code == 200 and done.json()["inserted"] == 1
    refused = viewer.post("/api/imports/support-deliveries", files=upload,
                          headers={"X-CSRF-Token": any_csrf_from(viewer.get("/imports").text)})  # fmt: skip
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/support/operations/NOPE", 404),
        ("/support/NOPE", 404),
        ("/api/support/deliveries?operation=NOPE", 404),
        ("/api/support/requests?operation=" + "X" * 40, 422),
        ("/support/export/secrets.csv", 404),
        ("/support/export/services.pdf", 404),
        ("/support/UNMISS", 404),
    ],
)
def test_bad_input_is_answered_without_a_500(clients, url, status):
    assert clients["analyst"].get(url).status_code == status
