"""Member State pledges: recording by role, the status workflow with its history and audit, the CSV import
(line-numbered rejections, idempotence, status changes kept as history), progress by country and area, and
the country profile's pledges section, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from accountability_support import csrf_from
from sqlalchemy import func, select

from peaceops.partnerships.models import Pledge, PledgeStatusChange
from peaceops.platform import import_file
from peaceops.store.audit import AuditEntry

PLEDGE = {
    "country": "NPL",
    "event": "Test ministerial",
    "pledged_on": "2023-12-06",
    "area": "A4P+.P4",
    "pledge_type": "troops",
    "title": "A quick reaction force company",
    "quantity": 180,
    "unit": "personnel",
}


def token(client) -> str:
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', client.get("/pledges").text)
    assert found
    return found.group(1)


def post(client, path: str, body: dict):
    return client.post(path, json=body, headers={"X-CSRF-Token": token(client)})


def test_viewers_read_pledges_but_only_analysts_and_administrators_record_them(client_as):
    viewer, officer, analyst = client_as("viewer"), client_as("officer"), client_as("analyst")
    for client in (viewer, officer):
        refused = post(client, "/api/pledges", PLEDGE)
        assert refused.status_code == 403 and "can read pledges but not change them" in refused.json()["detail"]
        assert client.get("/pledges/new").status_code == 403
    created = post(analyst, "/api/pledges", PLEDGE)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["country"], body["area"], body["type_label"], body["status"]) == (
        "Nepal",
        "A4P+.P4",
        "Troops",
        "announced",
    )
    assert [h["to_status"] for h in body["history"]] == ["announced"]
    listed = viewer.get("/api/pledges").json()
    assert [p["id"] for p in listed["pledges"]] == [body["id"]]
    assert viewer.get(f"/api/pledges/{body['id']}").json()["title"] == PLEDGE["title"]
    assert (
        viewer.post(
            f"/api/pledges/{body['id']}/status",
            json={"status": "delivered", "effective_on": "2024-01-01"},
            headers={"X-CSRF-Token": token(viewer)},
        ).status_code
        == 403
    )
    again = post(analyst, "/api/pledges", PLEDGE)
    assert again.status_code == 422 and f"already recorded as pledge {body['id']}" in again.json()["detail"]
    for field, value, message in [
        ("country", "XXX", "ISO 3166"),
        ("area", "A4P.99", "not in the A4P framework"),
        ("pledge_type", "ships", "is not one of"),
        ("pledged_on", (date.today() + timedelta(days=2)).isoformat(), "in the future"),
    ]:
        response = post(analyst, "/api/pledges", {**PLEDGE, "title": f"other {field}", field: value})
        assert response.status_code == 422 and message in response.json()["detail"], field


def test_status_workflow_is_kept_in_history_and_audited(client_as, register_db):
    analyst = client_as("analyst")
    pledge_id = post(analyst, "/api/pledges", PLEDGE).json()["id"]
    url = f"/api/pledges/{pledge_id}/status"

    def move(status: str, on: str, **extra):
        return post(analyst, url, {"status": status, "effective_on": on, **extra})

    assert move("announced", "2024-01-01").status_code == 422  # already there
    early = move("in_progress", "2023-01-01")
    assert early.status_code == 422 and "before the pledge was made" in early.json()["detail"]
    no_evidence = move("delivered", "2024-03-01")
    assert no_evidence.status_code == 422 and "needs evidence" in no_evidence.json()["detail"]
    assert move("in_progress", "2024-01-15").json()["status"] == "in_progress"
    delivered = move("delivered", "2024-06-01", evidence="Deployment confirmed in the force generation report")
    assert delivered.status_code == 200 and delivered.json()["evidence"].startswith("Deployment confirmed")
    back = move("in_progress", "2024-06-10")
    assert back.status_code == 422 and "correction" in back.json()["detail"]
    assert move("in_progress", "2024-06-10", note="Rotation delayed; not yet complete").status_code == 200
    assert move("withdrawn", "2024-07-01").json()["status"] == "withdrawn"
    reinstate = move("delivered", "2024-08-01")
    assert reinstate.status_code == 422 and "correction" in reinstate.json()["detail"]
    final = move("delivered", "2024-08-01", note="Withdrawal reversed by the Permanent Mission")
    assert final.status_code == 200
    history = final.json()["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "announced"),
        ("announced", "in_progress"),
        ("in_progress", "delivered"),
        ("delivered", "in_progress"),
        ("in_progress", "withdrawn"),
        ("withdrawn", "delivered"),
    ]
    assert all(h["actor"] == "analyst" for h in history)
    with register_db.session() as s:
        audits = s.scalars(select(AuditEntry).where(AuditEntry.entity == "pledge").order_by(AuditEntry.id)).all()
        assert [a.action for a in audits] == ["create", "status", "status", "status", "status", "status"]
        assert audits[2].before["status"] == "in_progress" and audits[2].after["status"] == "delivered"
        assert audits[-1].after["note"] == "Withdrawal reversed by the Permanent Mission"

    page = analyst.get(f"/pledges/{pledge_id}")
    assert page.status_code == 200 and page.text.count("<tr>") >= 7
    form = analyst.post(
        f"/pledges/{pledge_id}/status",
        data={"csrf_token": csrf_from(page.text), "status": "in_progress", "effective_on": "2024-09-01"},
    )
    assert form.status_code == 422 and "say why in the note" in form.text


HEADER = "country,event,date,area,type,title,quantity,unit,status,status_date,evidence"
LINES = [
    "NPL,Accra ministerial,2023-12-06,A4P+.P4,troops,Engineering company,150,personnel,announced,,",  # 2
    "BGD,Accra ministerial,2023-12-06,A4P.2,gender_parity,Women engagement teams,4,teams,in progress,2024-03-01,",  # 3
    "GHA,Seoul ministerial,2021-12-08,A4P.5,training,Mobile training team,1,team,delivered,2022-06-01,Report",  # 4
    "XYZ,Accra ministerial,2023-12-06,A4P.4,troops,Unknown country,1,,announced,,",  # 5
    "NPL,Accra ministerial,2023-12-06,A4P.42,troops,Unknown area,1,,announced,,",  # 6
    "NPL,Accra ministerial,2023-12-06,A4P.4,ships,Unknown type,1,,announced,,",  # 7
    "NPL,Accra ministerial,2023-12-06,A4P.4,equipment,No evidence,2,helicopters,delivered,,",  # 8
    "NPL,Accra ministerial,2023-12-06,A4P+.P4,troops,Engineering company,160,personnel,announced,,",  # 9 repeat
    "NPL,Accra ministerial,not a date,A4P.4,police,Bad date,1,,announced,,",  # 10
    "NPL,Accra ministerial,2023-12-06,A4P.4,police,Bad status,1,,promised,,",  # 11
]


def write(tmp_path: Path, lines: list[str], name: str = "pledges.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_pledge_import_rejects_bad_lines_is_idempotent_and_records_status_changes(register_db, tmp_path, client_as):
    report = import_file(register_db, "pledges", write(tmp_path, LINES), "test")
    assert (report.rows_read, report.inserted, report.rejected) == (10, 3, 7)
    reasons = {r.line: r.reason for r in report.rejections}
    assert sorted(reasons) == [5, 6, 7, 8, 9, 10, 11]
    assert "ISO 3166" in reasons[5]
    assert "A4P.42" in reasons[6]
    assert "ships" in reasons[7]
    assert "needs evidence" in reasons[8]
    assert "already appears on line 2" in reasons[9]
    assert "not a date" in reasons[10]
    assert "promised" in reasons[11]

    again = import_file(register_db, "pledges", write(tmp_path, LINES), "test")
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 7)

    moved = [
        LINES[0].replace("announced,,", "delivered,2024-05-01,Deployed in UNIFIL"),
        LINES[1],
        LINES[2].replace("delivered,2022-06-01,Report", "in progress,2022-07-01,"),  # back without a note
    ]
    third = import_file(register_db, "pledges", write(tmp_path, moved, "pledges-v2.csv"), "test")
    assert (third.inserted, third.updated, third.unchanged, third.rejected) == (0, 1, 1, 1)
    assert third.rejections[0].line == 4 and "correction" in third.rejections[0].reason
    with register_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Pledge)) == 3
        npl = s.scalar(select(Pledge).where(Pledge.country_iso3 == "NPL"))
        assert (npl.status, npl.status_since, npl.evidence) == ("delivered", date(2024, 5, 1), "Deployed in UNIFIL")
        steps = s.scalars(
            select(PledgeStatusChange.to_status)
            .where(PledgeStatusChange.pledge_id == npl.id)
            .order_by(PledgeStatusChange.id)
        ).all()
        assert steps == ["announced", "delivered"]
        bgd = s.scalar(select(Pledge).where(Pledge.country_iso3 == "BGD"))
        assert (bgd.status, bgd.status_since) == ("in_progress", date(2024, 3, 1))

    noted = tmp_path / "pledges-v3.csv"
    noted.write_text(f"{HEADER},note\n{moved[2]},Training postponed after review\n", encoding="utf-8")
    fourth = import_file(register_db, "pledges", noted, "test")
    assert (fourth.updated, fourth.rejected) == (1, 0)
    with register_db.session() as s:
        gha = s.scalar(select(Pledge).where(Pledge.country_iso3 == "GHA"))
        last = s.scalars(
            select(PledgeStatusChange).where(PledgeStatusChange.pledge_id == gha.id).order_by(PledgeStatusChange.id)
        ).all()[-1]
        assert (gha.status, last.from_status, last.note) == (
            "in_progress",
            "delivered",
            "Training postponed after review",
        )
        imported = s.scalars(select(AuditEntry).where(AuditEntry.entity == "pledge", AuditEntry.action == "update"))
        assert sorted(a.after["status"] for a in imported) == ["delivered", "in_progress"]

    viewer = client_as("viewer")
    by_country = viewer.get("/api/pledges/progress?by=country").json()
    assert by_country["total"] == 3
    assert {r["country"]: (r["count"], r["delivered"]) for r in by_country["rows"]} == {
        "NPL": (1, 1),
        "BGD": (1, 0),
        "GHA": (1, 0),
    }
    by_area = viewer.get("/api/pledges/progress?by=area").json()
    assert {r["area"]: r["count"] for r in by_area["rows"]} == {"A4P+.P4": 1, "A4P.2": 1, "A4P.5": 1}
    assert by_area["delivered_share"] == round(1 / 3, 4)
    assert viewer.get("/api/pledges/progress?by=planet").status_code == 422
    exported = list(csv.DictReader(io.StringIO(viewer.get("/api/pledges.csv?status=delivered").text)))
    assert [r["country_iso3"] for r in exported] == ["NPL"]
    page = viewer.get("/pledges")
    assert page.status_code == 200 and 'id="stat-pledges">3<' in page.text
    assert 'id="spec-countries"' in page.text and 'id="spec-areas"' in page.text
    assert "Record a pledge" not in page.text


def test_the_pages_say_how_to_add_pledges_when_there_are_none(client_as):
    viewer = client_as("viewer")
    page = viewer.get("/pledges")
    assert page.status_code == 200 and 'id="pledges-empty"' in page.text and "peaceops import pledges" in page.text
    profile = viewer.get("/countries/NPL")
    assert profile.status_code == 200 and 'id="pledges-empty"' in profile.text
    assert viewer.get("/api/countries/NPL").json()["pledges"]["total"] == 0


def test_a_pledge_recorded_through_the_form_shows_on_the_country_profile(client_as):
    analyst = client_as("analyst")
    form = analyst.get("/pledges/new?country=BGD")
    assert form.status_code == 200 and 'value="BGD"' in form.text
    response = analyst.post(
        "/pledges",
        data={
            "csrf_token": csrf_from(form.text),
            "country": "bgd",
            "event": "Berlin ministerial",
            "pledged_on": "2025-05-13",
            "area": "A4P.2",
            "pledge_type": "gender_parity",
            "title": "Women officers in formed police units",
            "quantity": "40",
            "unit": "officers",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and re.fullmatch(r"/pledges/\d+\?recorded=1", response.headers["location"])
    profile = analyst.get("/api/countries/BGD").json()["pledges"]
    assert profile["total"] == 1 and profile["rows"][0]["title"] == "Women officers in formed police units"
    assert [(r["area"], r["announced"]) for r in profile["by_area"]] == [("A4P.2", 1)]
    page = analyst.get("/countries/BGD").text
    assert 'id="country-pledges"' in page and "Women officers in formed police units" in page
    assert 'id="spec-pledges"' in page
    assert any(c["iso3"] == "BGD" and c["pledges"] == 1 for c in analyst.get("/api/countries").json()["countries"])
    bad = analyst.post(
        "/pledges",
        data={
            **dict.fromkeys(("event", "title", "area", "pledge_type"), "x"),
            "csrf_token": csrf_from(form.text),
            "country": "BGD",
            "pledged_on": "x",
        },
    )
    assert bad.status_code == 422 and "is not a date" in bad.text


@pytest.mark.parametrize("path", ["/api/pledges/999", "/pledges/999"])
def test_an_unknown_pledge_is_a_404(client_as, path):
    assert client_as("viewer").get(path).status_code == 404
