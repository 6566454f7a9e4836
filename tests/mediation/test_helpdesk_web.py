"""The helpdesk through the web app, on one database per backend shared by this module (the roster of
roster_support, a viewer and an analyst): the request workflow with its history, audit and response
times; who may read contacts and requests; the gap report as page, JSON and CSV; the upload form."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from roster_support import (
    ANALYST,
    EXPECTED_ORDER,
    LAND_REQUEST,
    OFFICER,
    ROSTER,
    build_roster,
    make_users,
    signed_in_client,
)
from sqlalchemy import select
from support.databases import make_database
from support.requirements import DATA_DIR

from peaceops.errors import PermissionDenied
from peaceops.roster import helpdesk
from peaceops.roster.gaps import gap_report
from peaceops.roster.models import HelpRequest
from peaceops.roster.terms import CLEARANCES
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.audit import AuditEntry


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hd(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """One database per backend with the constructed roster, and an analyst and a viewer signed in."""
    tmp = tmp_path_factory.mktemp(f"helpdesk-{request.param}")
    for db in make_database(request.param, tmp):
        ids = build_roster(db)
        make_users(db)
        settings = Settings(var_dir=tmp / "var", data_dir=DATA_DIR, secret_key="h" * 40)
        clients = {role: signed_in_client(settings, db, role) for role in ("analyst", "viewer")}
        yield {"db": db, "ids": ids, **clients}
        for client in clients.values():
            client.close()


def _backdate(db: Database, request_id: int, hours: float) -> None:
    """Move every timestamp of the request back, as if it had been filed ``hours`` earlier."""
    shift = timedelta(hours=hours)
    with db.session() as s:
        r = s.get(HelpRequest, request_id)
        for name in ("created_at", "matched_at", "deployed_at", "closed_at"):
            if getattr(r, name) is not None:
                setattr(r, name, getattr(r, name) - shift)


def test_workflow_keeps_history_audit_and_response_times(hd):
    db, analyst, ids = hd["db"], hd["analyst"], hd["ids"]
    filed = analyst.post("/api/helpdesk", json=LAND_REQUEST)
    assert filed.status_code == 201, filed.text
    body = filed.json()
    rid = body["id"]
    assert (body["status"], body["next"], body["context"]) == (
        "open",
        ["matched", "cancelled"],
        LAND_REQUEST["context"],
    )
    assert [c["name"] for c in body["matches"]["ranked"]] == EXPECTED_ORDER

    _backdate(db, rid, 30)  # filed 30 hours ago: matched now
    moved = analyst.post(f"/api/helpdesk/{rid}/move", json={"to": "matched", "expert_id": ids["Bruno Keita"]})
    assert moved.status_code == 200, moved.text
    assert moved.json()["expert_name"] == "Bruno Keita"
    assert moved.json()["hours_to_match"] == pytest.approx(30, abs=0.05)
    refused = analyst.post(f"/api/helpdesk/{rid}/move", json={"to": "closed"})
    assert refused.status_code == 422
    assert (
        refused.json()["detail"] == f"Request {rid} is matched; it can move to deployed, open, cancelled, not closed."
    )

    _backdate(db, rid, 20)  # 20 more hours pass before deployment
    analyst.post(f"/api/helpdesk/{rid}/move", json={"to": "deployed", "note": "Arrived in Bamako."})
    done = analyst.post(f"/api/helpdesk/{rid}/move", json={"to": "closed", "note": "Options paper delivered."}).json()
    assert done["status"] == "closed" and done["next"] == [] and done["matches"] is None
    assert done["hours_to_match"] == pytest.approx(30, abs=0.05)  # both stamps moved back together
    assert done["hours_to_deploy"] == pytest.approx(50, abs=0.05)
    assert done["hours_to_close"] == pytest.approx(50, abs=0.05)
    assert [(e["from_status"], e["to_status"]) for e in done["events"]] == [
        (None, "open"), ("open", "matched"), ("matched", "deployed"), ("deployed", "closed"),
    ]  # fmt: skip
    assert done["events"][2]["note"] == "Arrived in Bamako."
    with db.session() as s:
        query = select(AuditEntry).where(AuditEntry.entity == "help_request", AuditEntry.entity_id == str(rid))
        entries = list(s.scalars(query.order_by(AuditEntry.id)))
    assert [(e.action, e.actor) for e in entries] == [
        (a, "hd-analyst") for a in ("helpdesk.file", "helpdesk.matched", "helpdesk.deployed", "helpdesk.closed")
    ]
    assert (entries[1].before["status"], entries[1].after["status"]) == ("open", "matched")
    assert entries[1].after["expert_id"] == ids["Bruno Keita"]

    # A second request, matched after 10 hours then cancelled: the median time to match is (30 + 10) / 2.
    second = analyst.post("/api/helpdesk", json={**LAND_REQUEST, "title": "Second", "needed_from": "2027-05-01",
                                                 "needed_to": "2027-05-10"}).json()  # fmt: skip
    _backdate(db, second["id"], 10)
    analyst.post(f"/api/helpdesk/{second['id']}/move", json={"to": "matched", "expert_id": ids["Chen Wei"]})
    cancelled = analyst.post(f"/api/helpdesk/{second['id']}/move", json={"to": "cancelled"}).json()
    assert cancelled["hours_to_close"] is None and cancelled["closed_at"] is not None
    listing = analyst.get("/api/helpdesk").json()
    assert listing["counts"] == {"open": 0, "matched": 0, "deployed": 0, "closed": 1, "cancelled": 1}
    times = listing["response_times"]
    assert times["hours_to_match"]["count"] == 2
    assert times["hours_to_match"]["median"] == pytest.approx(20, abs=0.05)
    assert (times["hours_to_close"]["count"], times["hours_to_deploy"]["count"]) == (1, 1)
    assert [r["id"] for r in listing["requests"]] == [second["id"], rid]
    assert listing["requests"][1]["age_days"] == pytest.approx(50 / 24, abs=0.05)
    page = analyst.get("/helpdesk").text
    assert 'id="median-hours_to_match">20.0 h<' in page and f'href="/helpdesk/{rid}"' in page
    assert analyst.get("/api/helpdesk.csv").text.splitlines()[0].startswith("id,title,expertise")

    # Mission officers file, read and cancel their own requests; they do not move others'.
    with db.session() as s:
        routine = helpdesk.file_request(s, ANALYST, helpdesk.clean_request({**LAND_REQUEST, "urgency": "routine"}))
        own = helpdesk.file_request(s, OFFICER, helpdesk.clean_request({**LAND_REQUEST, "title": "Officer's"}))
        queue = helpdesk.list_requests(s, OFFICER)
        assert queue.counts["open"] == 2
        # In hand first, urgent before routine; then the finished ones, newest first.
        assert [r.id for r in queue.requests] == [own.id, routine.id, second["id"], rid]
        helpdesk.move_request(s, ANALYST, routine.id, "cancelled")
        with pytest.raises(PermissionDenied, match="cannot move helpdesk requests"):
            helpdesk.move_request(s, OFFICER, own.id, "matched", expert_id=ids["Aminata Diallo"])
        helpdesk.move_request(s, OFFICER, own.id, "cancelled", note="Solved locally.")
        assert own.status == "cancelled"


def test_viewers_read_expertise_and_gaps_but_not_contacts_or_requests(hd):
    viewer, analyst, ids = hd["viewer"], hd["analyst"], hd["ids"]
    aminata = ids["Aminata Diallo"]
    seen = viewer.get("/api/roster").json()
    assert seen["contacts_visible"] is False
    assert {e["name"] for e in seen["experts"]} == {r["name"] for r in ROSTER}
    assert all(e["email"] is None and e["phone"] is None for e in seen["experts"])
    assert viewer.get(f"/api/roster/{aminata}").json()["expertise"] == ["land", "power_sharing"]
    for path in ("/roster", f"/roster/{aminata}", "/api/roster.csv"):
        text = viewer.get(path).text
        assert "aminata@example.org" not in text and "+223 1234" not in text, path
    assert "email" not in viewer.get("/api/roster.csv").text.splitlines()[0]
    assert analyst.get(f"/api/roster/{aminata}").json()["email"] == "aminata@example.org"
    assert "aminata@example.org" in analyst.get("/roster").text

    for path in ("/api/helpdesk", "/api/helpdesk/1", "/api/helpdesk.csv", "/helpdesk/1", "/helpdesk/new"):
        response = viewer.get(path)
        assert response.status_code == 403, path
    assert "are read by analysts, administrators and mission officers" in viewer.get("/api/helpdesk").json()["detail"]
    page = viewer.get("/helpdesk")
    assert page.status_code == 200 and 'id="requests-restricted"' in page.text and "requests-table" not in page.text
    assert viewer.post("/api/helpdesk", json=LAND_REQUEST).status_code == 403
    new_expert = {"name": "X", "email": "x@example.org", "expertise": ["land"]}
    assert viewer.post("/api/roster", json=new_expert).status_code == 403
    assert viewer.get("/api/roster/gaps").status_code == 200
    assert viewer.get("/roster/gaps").status_code == 200


def test_gap_report_counts_experts_available_in_the_horizon(hd):
    db, viewer = hd["db"], hd["viewer"]
    # On 2027-04-15 with 90 days ahead (to 2027-07-14): Aminata (to Feb), Dara (Jan) and Farid (March) are out.
    with db.session() as s:
        report = gap_report(s, date(2027, 4, 15))
    assert (report.until, report.experts, report.available) == (date(2027, 7, 14), 7, 4)
    rows = {(r.kind, r.code): (r.on_roster, r.available, r.gap) for r in
            report.expertise + report.languages + report.regions}  # fmt: skip
    assert rows[("expertise", "land")] == (5, 2, False)
    assert rows[("expertise", "natural_resources")] == (1, 1, True)
    assert rows[("expertise", "power_sharing")] == (1, 0, True)
    assert rows[("expertise", "ddr")] == (0, 0, True)
    assert rows[("language", "fr")] == (5, 3, False)
    assert rows[("language", "ar")] == (1, 0, True)
    assert rows[("language", "ru")] == (0, 0, True)  # a UN language nobody speaks is a gap, not a blank
    assert rows[("region", "Western Africa")] == (5, 3, False)
    assert rows[("region", "Northern Africa")] == (1, 0, True)
    assert ("expertise", "land") not in {(r.kind, r.code) for r in report.gaps}

    api = viewer.get("/api/roster/gaps", params={"on": "2027-04-15", "threshold": 3}).json()
    land = next(r for r in api["expertise"] if r["code"] == "land")
    assert (land["available"], land["gap"], api["threshold"]) == (2, True, 3)
    table = list(csv.DictReader(io.StringIO(viewer.get("/api/roster/gaps.csv", params={"on": "2027-04-15"}).text)))
    assert {
        "kind": "language",
        "code": "ar",
        "label": "Arabic",
        "on_roster": "1",
        "available": "0",
        "gap": "True",
    } in table
    page = viewer.get("/roster/gaps", params={"on": "2027-04-15"}).text
    assert 'id="gaps-languages"' in page and "Northern Africa" in page


def test_upload_form_reports_rejected_lines_and_changes_nothing_on_reimport(hd):
    analyst, db = hd["analyst"], hd["db"]
    header = "name,email,affiliation,phone,clearance,expertise,languages,regions,availability"
    first = ROSTER[0]
    same = ",".join(str(first.get(k, "")) for k in header.split(","))
    text = "\n".join([header, same, "Nobody,nobody@example.org,,,,astrology,,,", ""])
    files = {"file": ("roster.csv", text.encode(), "text/csv")}
    page = analyst.post("/roster/import", files=files)
    assert page.status_code == 200
    assert 'id="import-unchanged">1<' in page.text and 'id="import-created">0<' in page.text
    assert "Line 3: &#39;astrology&#39; is not an expertise area" in page.text
    with db.session() as s:
        assert helpdesk.list_requests(s, ANALYST).counts  # the session still works after the import
    assert len(analyst.get("/api/roster").json()["experts"]) == len(ROSTER)
    bad = analyst.post("/api/roster/import", files={"file": ("x.csv", b"\xff\xfe", "text/csv")})
    assert bad.status_code == 400 and "not UTF-8" in bad.json()["detail"]
    done = analyst.post("/api/roster/import", files=files).json()  # the upload is an import run too
    run = analyst.get(f"/api/imports/{done['run_id']}").json()
    assert (run["run"]["kind"], run["run"]["unchanged"], [r["line"] for r in run["rejections"]]) == ("experts", 1, [3])


def test_the_move_list_preselects_no_status_and_a_blank_choice_changes_nothing(hd):
    analyst = hd["analyst"]
    rid = analyst.post("/api/helpdesk", json={**LAND_REQUEST, "title": "Move list"}).json()["id"]
    page = analyst.get(f"/helpdesk/{rid}").text
    select_html = page.split('id="move-to"')[1].split("</select>")[0]
    assert '<option value="" selected>Choose the new status…</option>' in select_html
    assert '<option value="cancelled">Cancelled</option>' in select_html  # offered, never preselected
    assert "required" in select_html.split(">")[0]
    token = analyst.headers["X-CSRF-Token"]
    blank = analyst.post(f"/helpdesk/{rid}/move", data={"csrf_token": token, "to": "", "note": ""})
    assert blank.status_code == 422
    assert "Choose the status the request moves to; nothing was changed." in blank.text
    assert analyst.get(f"/api/helpdesk/{rid}").json()["status"] == "open"
    refused = analyst.post(f"/api/helpdesk/{rid}/move", json={"to": ""})
    assert refused.status_code == 422 and refused.json()["detail"].startswith("Choose the status")


def test_the_roster_form_lists_clearances_and_an_unknown_one_is_named_with_the_accepted_values(hd):
    analyst = hd["analyst"]
    page = analyst.get("/roster/new").text
    options = page.split('id="ex-clearance"')[1].split("</select>")[0]
    for code, label in CLEARANCES.items():
        assert f'<option value="{code}"' in options and f">{label}</option>" in options
    accepted = "none (None), confidential (UN confidential) or strictly_confidential (UN strictly confidential)"
    token = analyst.headers["X-CSRF-Token"]
    form = {"csrf_token": token, "name": "Ivo Petrov", "email": "ivo@example.org", "expertise": ["ddr"],
            "clearance": "secret", "languages": "", "regions": "", "availability": ""}  # fmt: skip
    bad = analyst.post("/roster", data=form, follow_redirects=False)
    assert bad.status_code == 422
    message = f"the clearance &#39;secret&#39; is not one the roster records; use {accepted}."
    assert message in bad.text
    api = analyst.post("/api/roster", json={"name": "Ivo Petrov", "email": "ivo@example.org", "expertise": ["ddr"],
                                            "clearance": "secret"})  # fmt: skip
    assert api.status_code == 422
    assert api.json()["detail"].endswith(f"the clearance 'secret' is not one the roster records; use {accepted}.")
    schema = analyst.get("/api/openapi.json").json()["components"]["schemas"]["ExpertIn"]["properties"]["clearance"]
    assert "strictly_confidential" in schema["description"]


def test_forms_create_and_edit_an_expert_with_audit(hd):
    """Runs last in this module: it adds an expert to the shared roster."""
    analyst, viewer, db = hd["analyst"], hd["viewer"], hd["db"]
    assert viewer.get("/roster/new").status_code == 403
    token = analyst.headers["X-CSRF-Token"]
    form = {"csrf_token": token, "name": "Hana Sato", "email": "hana@example.org", "expertise": ["ddr", "elections"],
            "languages": "ja:native; en:fluent", "regions": "South-eastern Asia; MMR", "clearance": "confidential",
            "availability": "2027-02-01..2027-03-15", "affiliation": "", "phone": "", "notes": ""}  # fmt: skip
    bad = analyst.post("/roster", data={**form, "availability": "2027-02-01"}, follow_redirects=False)
    assert bad.status_code == 422 and "is not a range like 2027-01-10..2027-03-31" in bad.text
    created = analyst.post("/roster", data=form, follow_redirects=False)
    assert created.status_code == 303, created.text
    expert_id = int(created.headers["location"].split("/")[2].split("?")[0])
    edited = analyst.post(f"/roster/{expert_id}", data={**form, "regions": "MMR"}, follow_redirects=False)
    assert edited.status_code == 303
    shown = analyst.get(f"/api/roster/{expert_id}").json()
    assert (shown["expertise"], shown["regions"], shown["languages"][0]) == (
        ["ddr", "elections"], ["MMR"], {"code": "en", "level": "fluent"},
    )  # fmt: skip
    assert shown["availability"] == [{"from": "2027-02-01", "to": "2027-03-15"}]
    assert "Edit Hana Sato" in analyst.get(f"/roster/{expert_id}/edit").text
    put = analyst.put(f"/api/roster/{expert_id}", json={**shown, "email": "aminata@example.org", "expertise": ["ddr"]})
    assert put.status_code == 422 and "already belongs to expert" in put.json()["detail"]
    with db.session() as s:
        query = select(AuditEntry).where(AuditEntry.entity == "expert", AuditEntry.entity_id == str(expert_id))
        entries = list(s.scalars(query.order_by(AuditEntry.id)))
    assert [(e.action, e.actor) for e in entries] == [
        ("expert.created", "hd-analyst"),
        ("expert.updated", "hd-analyst"),
    ]
    assert (entries[1].before["regions"], entries[1].after["regions"]) == (["MMR", "South-eastern Asia"], ["MMR"])
