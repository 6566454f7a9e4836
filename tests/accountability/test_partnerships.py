"""Cooperation frameworks and partner operations: milestones with computed overdue status, audited
changes, partner-led operations beside UN missions with their support arrangements, access by role,
the page's empty state and its JSON and CSV twins, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from accountability_support import csrf_from
from sqlalchemy import select

from peaceops.partnerships.cooperation import overdue_milestones
from peaceops.store.audit import AuditEntry

TODAY = date.today()
FRAMEWORK = {"code": "un-au-test", "title": "A test joint framework", "partner": "African Union"}


def token(client) -> str:
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', client.get("/partnerships").text)
    assert found
    return found.group(1)


def post(client, path: str, body: dict):
    return client.post(path, json=body, headers={"X-CSRF-Token": token(client)})


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def test_milestones_are_overdue_when_open_past_their_due_date(client_as, register_db):
    analyst = client_as("analyst")
    framework = post(analyst, "/api/partnerships/frameworks", FRAMEWORK)
    assert framework.status_code == 201, framework.text
    fid = framework.json()["id"]
    assert framework.json()["code"] == "UN-AU-TEST" and framework.json()["monitored_status"] == "no milestones"
    url = f"/api/partnerships/frameworks/{fid}/milestones"
    late = post(analyst, url, {"title": "Joint annual report", "owner": "DPPA-DPO", "due_on": days(-10)}).json()
    soon = post(analyst, url, {"title": "Joint assessment mission", "owner": "AU PSOD", "due_on": days(20)}).json()
    assert late["overdue"] is True and late["days_overdue"] == 10
    assert soon["overdue"] is False and soon["days_overdue"] == 0

    detail = analyst.get(f"/api/partnerships/frameworks/{fid}").json()
    assert (detail["monitored_status"], detail["milestones_overdue"], detail["milestones_open"]) == ("overdue", 1, 2)
    assert [m["title"] for m in analyst.get("/api/partnerships/overdue").json()] == ["Joint annual report"]
    with register_db.session() as s:
        later = overdue_milestones(s, today=TODAY + timedelta(days=30))
        assert [m["title"] for m in later] == ["Joint annual report", "Joint assessment mission"]
        assert [m["days_overdue"] for m in later] == [40, 10]

    status = f"/api/partnerships/milestones/{late['id']}/status"
    future = post(analyst, status, {"status": "done", "on": days(3)})
    assert future.status_code == 422 and "future" in future.json()["detail"]
    done = post(analyst, status, {"status": "done", "on": days(-2)}).json()
    assert (done["status"], done["completed_on"], done["overdue"]) == ("done", days(-2), False)
    assert analyst.get("/api/partnerships/overdue").json() == []
    assert analyst.get(f"/api/partnerships/frameworks/{fid}").json()["monitored_status"] == "on track"
    reopen = post(analyst, status, {"status": "in_progress"})
    assert reopen.status_code == 422 and "needs a note" in reopen.json()["detail"]
    reopened = post(analyst, status, {"status": "in_progress", "note": "The report was sent back for revision"})
    assert reopened.json()["overdue"] is True and reopened.json()["completed_on"] is None
    move = f"/api/partnerships/milestones/{soon['id']}/status"
    assert post(analyst, move, {"status": "planned", "due_on": days(60)}).status_code == 422
    moved = post(analyst, move, {"status": "planned", "due_on": days(60), "note": "Postponed by the AU PSC"})
    assert moved.json()["due_on"] == days(60)
    assert post(analyst, status, {"status": "dropped", "note": "Merged into the annual review"}).status_code == 200
    assert post(analyst, move, {"status": "done"}).status_code == 200
    assert analyst.get(f"/api/partnerships/frameworks/{fid}").json()["monitored_status"] == "complete"

    with register_db.session() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "cooperation_milestone").order_by(AuditEntry.id)
        ).all()
        assert [e.action for e in entries] == ["create", "create", "status", "status", "status", "status", "status"]
        assert entries[2].before["status"] == "planned" and entries[2].after["status"] == "done"
        assert entries[4].after["due_on"] == days(60)

    exported = list(csv.DictReader(io.StringIO(analyst.get("/api/partnerships/milestones.csv").text)))
    assert [(r["framework"], r["status"]) for r in exported] == [("UN-AU-TEST", "dropped"), ("UN-AU-TEST", "done")]


def test_partner_operations_stand_beside_missions_with_their_support(client_as, register_db):
    analyst = client_as("analyst")
    operation = {
        "acronym": "test-aulo",
        "name": "A test AU-led operation",
        "kind": "partner_led",
        "lead": "African Union",
        "host": "som",
        "mandate": "S/RES/2719 (2023)",
        "started_on": "2025-01-01",
    }
    created = post(analyst, "/api/partnerships/operations", operation)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["acronym"], body["host"], body["active"], body["kind_label"]) == (
        "TEST-AULO",
        "Somalia",
        True,
        "Partner-led operation",
    )
    clash = post(analyst, "/api/partnerships/operations", {**operation, "acronym": "MINUSCA"})
    assert clash.status_code == 422 and "UN mission in the missions register" in clash.json()["detail"]
    assert (
        post(analyst, "/api/partnerships/operations", {**operation, "acronym": "X", "kind": "army"}).status_code == 422
    )
    support = post(
        analyst,
        f"/api/partnerships/operations/{body['id']}/arrangements",
        {"provider": "UNSOS", "kind": "logistics", "basis": "S/RES/2719 (2023)", "started_on": "2025-01-01"},
    )
    assert support.status_code == 201
    assert [(a["provider"], a["kind"]) for a in support.json()["arrangements"]] == [("UNSOS", "logistics")]
    assert (
        post(
            analyst, f"/api/partnerships/operations/{body['id']}/arrangements", {"provider": "UNSOS", "kind": "magic"}
        ).status_code
        == 422
    )

    viewer = client_as("viewer")
    overview = viewer.get("/api/partnerships").json()
    assert [o["acronym"] for o in overview["operations"]] == ["TEST-AULO"]
    exported = list(csv.DictReader(io.StringIO(viewer.get("/api/partnerships/operations.csv").text)))
    assert exported[0]["arrangements"] == "UNSOS (logistics)" and exported[0]["mandate"] == "S/RES/2719 (2023)"
    page = viewer.get(f"/partnerships/operations/{body['id']}")
    assert page.status_code == 200 and 'id="arrangements-table"' in page.text and "UNSOS" in page.text
    assert "Add a support arrangement" not in page.text
    with register_db.session() as s:
        entities = s.scalars(
            select(AuditEntry.entity).where(AuditEntry.actor == "analyst", AuditEntry.action == "create")
        ).all()
        assert sorted(entities) == ["partner_operation", "support_arrangement"]


def test_viewers_and_mission_officers_read_but_do_not_change_partnerships(client_as):
    for username in ("viewer", "officer"):
        client = client_as(username)
        assert client.get("/api/partnerships").status_code == 200
        refused = post(client, "/api/partnerships/frameworks", FRAMEWORK)
        assert refused.status_code == 403 and "not change them" in refused.json()["detail"]
        page = client.get("/partnerships")
        assert "Record a framework" not in page.text
        form = client.post("/partnerships/frameworks", data={**FRAMEWORK, "csrf_token": token(client)})
        assert form.status_code == 403


def test_the_page_shows_an_empty_state_then_the_records_entered_through_its_forms(client_as):
    analyst = client_as("analyst")
    page = analyst.get("/partnerships")
    assert page.status_code == 200
    assert 'id="frameworks-empty"' in page.text and 'id="operations-empty"' in page.text
    assert "peaceops ships none" in page.text
    created = analyst.post(
        "/partnerships/frameworks",
        data={**FRAMEWORK, "csrf_token": csrf_from(page.text), "signed_on": "2017-04-19"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    framework_url = created.headers["location"].split("?")[0]
    detail = analyst.get(framework_url)
    assert detail.status_code == 200 and "No milestone is recorded" in detail.text
    fid = framework_url.rsplit("/", 1)[1]
    added = analyst.post(
        f"/partnerships/frameworks/{fid}/milestones",
        data={"csrf_token": csrf_from(detail.text), "title": "Review", "owner": "UNOAU", "due_on": days(-1)},
        follow_redirects=False,
    )
    assert added.status_code == 303
    detail = analyst.get(framework_url)
    assert 'id="monitored-status">Overdue<' in detail.text and "<strong>Overdue</strong> by 1 day " in detail.text
    bad = analyst.post(
        f"/partnerships/frameworks/{fid}/milestones",
        data={"csrf_token": csrf_from(detail.text), "title": "Review", "owner": "UNOAU", "due_on": "soon"},
    )
    assert bad.status_code == 422 and "is not a date" in bad.text
    overview = analyst.get("/partnerships").text
    assert 'id="spec-milestones"' in overview and 'id="overdue-table"' in overview
    assert analyst.get("/partnerships/frameworks/999").status_code == 404
