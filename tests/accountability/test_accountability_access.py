"""Who reads what: allegation and incident records by role, on pages, the JSON API and CSV exports alike,
through the real login form and CSRF-protected forms, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re

import pytest
from accountability_support import OFFICER_MISSION, csrf_from
from sqlalchemy import select

from peaceops.store.audit import AuditEntry

RECORDS = ("/conduct/allegations", "/api/conduct/allegations", "/api/conduct/allegations.csv")


def csv_rows(response) -> list[dict[str, str]]:
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_a_viewer_sees_aggregates_but_no_case_details(signed_in, sheet_rows):
    viewer = signed_in("viewer")
    page = viewer.get("/conduct")
    assert page.status_code == 200 and "aggregate figures only" in page.text
    assert "/conduct/allegations" not in page.text.split("<footer")[0], "no link to the records"
    assert viewer.get("/api/conduct").json()["total"] == len(sheet_rows)
    assert viewer.get("/api/conduct/summary?by=mission").json()["total"] == len(sheet_rows)
    assert viewer.get("/api/conduct/summary.csv?by=year").status_code == 200
    for path in (*RECORDS, "/api/conduct/allegations/1"):
        response = viewer.get(path)
        assert response.status_code == 403, path
        assert "aggregate figures only" in response.text
        assert "Military (MC)" not in response.text
    assert viewer.get("/api/conduct/allegations").json()["error"] == "PermissionDenied"


@pytest.mark.parametrize("username", ["analyst", "admin"])
def test_analysts_and_administrators_read_every_record(signed_in, sheet_rows, username):
    client = signed_in(username)
    body = client.get("/api/conduct/allegations").json()
    assert body["scope"] is None and body["total"] == len(body["rows"]) == len(sheet_rows)
    exported = csv_rows(client.get("/api/conduct/allegations.csv"))
    assert len(exported) == len(sheet_rows) and {r["mission"] for r in exported} == {c["Mission"] for c in sheet_rows}
    page = client.get("/conduct/allegations?mission=UNMISS")
    unmiss = sum(c["Mission"] == "UNMISS" for c in sheet_rows)
    assert page.status_code == 200 and f"{unmiss} allegations" in page.text


def test_a_mission_officer_reads_only_the_records_of_their_mission(signed_in, sheet_rows):
    officer = signed_in("officer")
    theirs = sum(c["Mission"] == OFFICER_MISSION for c in sheet_rows)
    body = officer.get("/api/conduct/allegations").json()
    assert body["scope"] == OFFICER_MISSION and body["total"] == theirs
    assert {r["mission"] for r in body["rows"]} == {OFFICER_MISSION}
    exported = csv_rows(officer.get("/api/conduct/allegations.csv"))
    assert len(exported) == theirs and {r["mission"] for r in exported} == {OFFICER_MISSION}
    page = officer.get("/conduct/allegations")
    assert page.status_code == 200 and f"{theirs} allegations" in page.text
    rows = re.findall(r"<tr>\s*<td class=\"nowrap\">[^<]+</td>\s*<td>([A-Z]+)</td>", page.text)
    assert rows and set(rows) == {OFFICER_MISSION}
    for path in ("/api/conduct/allegations?mission=MONUSCO", "/api/conduct/allegations.csv?mission=MONUSCO"):
        assert officer.get(path).status_code == 403, path
    other = next(
        r for r in signed_in("analyst").get("/api/conduct/allegations").json()["rows"] if r["mission"] != "MINUSCA"
    )
    assert officer.get(f"/api/conduct/allegations/{other['id']}").status_code == 403
    assert officer.get(f"/api/conduct/allegations/{body['rows'][0]['id']}").status_code == 200


def test_records_never_carry_victim_identities(signed_in):
    body = signed_in("analyst").get("/api/conduct/allegations?limit=50").json()
    for row in body["rows"]:
        assert re.fullmatch(r"((Adult|Child|Unknown)( \(\d+\))?(; )?)*", row["victims"]), row["victims"]


def test_incident_records_follow_the_same_rules(signed_in, conduct_db):
    officer = signed_in("officer")
    form = officer.get("/safety/incidents/new")
    assert form.status_code == 200 and f'<option value="{OFFICER_MISSION}"' in form.text
    assert '<option value="UNMISS"' not in form.text, "an officer can only pick their mission"
    created = officer.post(
        "/safety/incidents",
        data={
            "csrf_token": csrf_from(form.text),
            "mission": OFFICER_MISSION,
            "occurred_on": "2024-02-03",
            "location": "Bangassou",
            "incident_type": "Ambush",
            "fatalities": "1",
            "injured": "3",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    page = officer.get(created.headers["location"])
    assert "The incident is recorded" in page.text
    moved = officer.post(
        created.headers["location"].split("?")[0] + "/status",
        data={"csrf_token": csrf_from(page.text), "status": "case_opened", "effective_on": "2024-03-01", "note": ""},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    analyst = signed_in("analyst")
    token = csrf_from(analyst.get("/safety/incidents/new").text)
    other = analyst.post(
        "/api/safety/incidents",
        json={"mission": "UNMISS", "occurred_on": "2024-01-05", "location": "Bor", "incident_type": "Direct attack"},
        headers={"X-CSRF-Token": token},
    )
    assert other.status_code == 201 and other.json()["status"] == "reported"

    assert [i["mission"] for i in officer.get("/api/safety/incidents").json()["incidents"]] == [OFFICER_MISSION]
    assert len(analyst.get("/api/safety/incidents").json()["incidents"]) == 2
    assert [r["mission"] for r in csv_rows(officer.get("/api/safety/incidents.csv"))] == [OFFICER_MISSION]
    assert officer.get(f"/safety/incidents/{other.json()['id']}").status_code == 403
    assert officer.get(f"/api/safety/incidents/{other.json()['id']}").status_code == 403
    refused = officer.post(
        "/api/safety/incidents",
        json={"mission": "UNMISS", "occurred_on": "2024-01-05", "location": "Bor", "incident_type": "Direct attack"},
        headers={"X-CSRF-Token": csrf_from(officer.get("/safety/incidents/new").text)},
    )
    assert refused.status_code == 403

    viewer = signed_in("viewer")
    safety = viewer.get("/api/safety").json()
    assert safety["records_visible"] is False
    assert safety["accountability"]["total"] == 2 and safety["accountability"]["judicial_follow_up"] == 1
    for path in ("/api/safety/incidents", "/api/safety/incidents.csv", "/safety/incidents/new", "/safety/incidents/1"):
        assert viewer.get(path).status_code == 403, path
    assert "Bangassou" not in viewer.get("/safety").text

    with conduct_db.session() as s:
        trail = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "safety_incident").order_by(AuditEntry.id)
        ).all()
    assert [(a.action, a.actor) for a in trail] == [("create", "officer"), ("status", "officer"), ("create", "analyst")]


def test_forms_without_the_csrf_token_are_refused(signed_in):
    officer = signed_in("officer")
    response = officer.post(
        "/safety/incidents",
        data={"mission": OFFICER_MISSION, "occurred_on": "2024-02-03", "location": "X", "incident_type": "Ambush"},
    )
    assert response.status_code == 403
    assert officer.get("/api/safety/incidents").json()["incidents"] == []


def test_anonymous_requests_must_sign_in(make_client, conduct_db):
    anonymous = make_client(conduct_db)
    assert anonymous.get("/api/conduct/summary?by=mission").status_code == 401
    assert anonymous.get("/api/conduct/allegations.csv").status_code == 401
    page = anonymous.get("/conduct", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
