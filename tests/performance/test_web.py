"""Performance pages and their JSON twins: roles, CSRF on every write, grid cells, workflow over HTTP."""

from __future__ import annotations

from perf_web import csrf_from

from peaceops.performance.frameworks import template_library

BASE = "/performance/missions/UNMISS"
API = "/api/performance/missions/UNMISS"
Q = "2024-Q1"


def cell(client, code, value, *, field="value", period=Q, disaggregation="", token=None):
    token = token or csrf_from(client.get(f"{BASE}/entry?period={period}").text)
    return client.post(
        f"{BASE}/entry/cell",
        data={"code": code, "period": period, "field": field, "value": value, "disaggregation": disaggregation},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )


def test_pages_and_their_json_twins(client_for):
    client = client_for("viewer")
    index = client.get("/performance")
    assert index.status_code == 200 and '<a href="/performance" aria-current="page">Performance</a>' in index.text
    missions = {m["acronym"]: m for m in client.get("/api/performance/frameworks").json()["missions"]}
    template = next(t for t in template_library() if t.code == "a4p-default")
    assert missions["UNMISS"]["version"] == 1 and missions["UNMISS"]["indicators"] == template.indicators == 26
    assert missions["MINUSCA"]["version"] is None  # active, no framework yet
    page = client.get(BASE)
    assert page.status_code == 200 and "Protect civilians under threat" in page.text and "A4P+.P2" in page.text
    tree = client.get(f"{API}/framework").json()
    assert [o["code"] for o in tree["objectives"]] == ["O1", "O2", "O3", "O4", "O5", "O6"]
    o4 = tree["objectives"][3]
    assert {t["code"] for t in o4["tags"]} == {"A4P+.T1", "A4P+.P3", "A4P.2"}
    assert {i["code"] for i in o4["children"][0]["indicators"]} == {
        "GEN_WOMEN_TROOPS", "GEN_WOMEN_STAFF_OBS", "GEN_WOMEN_FPU", "GEN_WOMEN_IPO",
    }  # fmt: skip
    for path in (f"{BASE}/entry?period={Q}", f"{BASE}/assessments/{Q}", f"{BASE}/indicators/POC_ALERTS"):
        assert client.get(path).status_code == 200, path
    grid = client.get(f"{API}/values?period={Q}").json()
    # POL_PROVISIONS_DONE is the one quarterly derived indicator (from the commitments, decision 037).
    assert grid["period"] == Q and {r["kind"] for r in grid["rows"]} == {"entered", "formula", "derived"}
    assert [r["code"] for r in grid["rows"] if r["kind"] == "derived"] == ["POL_PROVISIONS_DONE"]
    assert client.get(f"{API}/values?period=2024-03").json()["period_kind"] == "month"
    assert client.get(f"{API}/assessments/{Q}").json()["status"] == "none"
    assert client.get("/api/openapi.json").json()["paths"]["/api/performance/missions/{acronym}/values"]


def test_a_viewer_sees_no_inputs_and_cannot_save(client_for):
    client = client_for("viewer")
    page = client.get(f"{BASE}/entry?period={Q}").text
    assert 'class="cell"' not in page and "your role cannot change" in page
    response = cell(client, "POC_ALERTS", "3")
    assert (
        response.headers["X-Cell-Status"] == "error" and "can read performance data but not change it" in response.text
    )


def test_grid_cells_save_with_the_csrf_header_and_report_rule_breaks(client_for):
    client = client_for("officer-unmiss")
    page = client.get(f"{BASE}/entry?period={Q}").text
    assert page.count('class="cell"') > 10
    no_token = client.post(
        f"{BASE}/entry/cell", data={"code": "POC_ALERTS", "period": Q, "field": "value", "value": "4"}
    )
    assert no_token.status_code == 403
    token = csrf_from(page)
    saved = cell(client, "POC_ALERTS", "40", token=token)
    assert saved.status_code == 200 and saved.headers["X-Cell-Status"] == "saved" and "Saved" in saved.text
    answered = cell(client, "POC_ALERTS_ANSWERED", "30", token=token)
    assert 'id="fv-POC_ALERT_RESPONSE" hx-swap-oob="true">75<' in answered.text  # the formula row refreshes
    too_many = cell(client, "POC_ALERTS_ANSWERED", "45", token=token)
    assert too_many.headers["X-Cell-Status"] == "error"
    assert "POC_ALERTS_ANSWERED is 45, more than POC_ALERTS (40)" in too_many.text
    assert cell(client, "POC_ALERT_RESPONSE", "85", field="target", token=token).headers["X-Cell-Status"] == "saved"
    rows = {(r["code"], r["disaggregation"]): r for r in client.get(f"{API}/values?period={Q}").json()["rows"]}
    assert rows[("POC_ALERTS_ANSWERED", "")]["value"] == 30 and rows[("POC_ALERT_RESPONSE", "")]["target"] == 85
    history = client.get(f"{API}/indicators/POC_ALERTS_ANSWERED?period={Q}").json()["history"]
    assert [(h["value"], h["entered_by"]) for h in history] == [(30.0, "officer-unmiss")]


def test_the_api_saves_values_and_maps_errors(client_for):
    client = client_for("analyst")
    token = csrf_from(client.get(f"{BASE}/entry?period={Q}").text)
    headers = {"X-CSRF-Token": token}
    ok = client.post(f"{API}/values", json={"code": "SAF_CASEVAC_60", "period": Q, "value": 82}, headers=headers)
    assert ok.status_code == 200 and ok.json()["status"] == "saved"
    bad = client.post(f"{API}/values", json={"code": "SAF_CASEVAC_60", "period": Q, "value": 182}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"] == "ValueRejected" and "above 100" in bad.json()["detail"]
    target = client.post(
        f"{API}/targets", json={"code": "SAF_CASEVAC_60", "period": "2024", "value": 90}, headers=headers
    )
    assert target.json() == {"code": "SAF_CASEVAC_60", "period": "2024", "disaggregation": "", "value": 90.0}
    assert client.post(f"{API}/values", json={"code": "X", "period": Q, "value": 1}).status_code == 403  # no token


def test_mission_officers_cannot_touch_another_mission(client_for):
    client = client_for("officer-minusca")
    assert 'class="cell"' not in client.get(f"{BASE}/entry?period={Q}").text
    token = csrf_from(client.get(f"{BASE}/entry?period={Q}").text)
    response = client.post(
        f"{API}/values", json={"code": "POC_ALERTS", "period": Q, "value": 1}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 403 and "mission officer for MINUSCA" in response.json()["detail"]
    start = client.post(f"{API}/assessments/{Q}/start", json={}, headers={"X-CSRF-Token": token})
    assert start.status_code == 403


def test_the_workflow_over_http_with_the_lock_and_audit(client_for):
    officer, admin = client_for("officer-unmiss"), client_for("admin-a")
    t_officer = csrf_from(officer.get(f"{BASE}/assessments/{Q}").text)
    t_admin = csrf_from(admin.get(f"{BASE}/assessments/{Q}").text)
    form = {"csrf_token": t_officer}
    assert officer.post(f"{BASE}/assessments/{Q}/start", data=form, follow_redirects=False).status_code == 303
    missing = officer.post(f"{BASE}/assessments/{Q}/override", data={**form, "objective": "O2", "rating": "at_risk"})
    assert missing.status_code == 422 and "needs a written reason" in missing.text
    officer.post(f"{BASE}/assessments/{Q}/narrative", data={**form, "narrative": "Rains cut the roads to Bor."})
    submitted = officer.post(f"{BASE}/assessments/{Q}/submit", data=form, follow_redirects=True)
    assert "Submitted" in submitted.text
    assert (
        officer.post(f"{API}/assessments/{Q}/approve", json={}, headers={"X-CSRF-Token": t_officer}).status_code == 403
    )
    approved = admin.post(f"{BASE}/assessments/{Q}/approve", data={"csrf_token": t_admin}, follow_redirects=True)
    assert approved.status_code == 200 and "are frozen and the period's values are locked" in approved.text
    locked = cell(officer, "POC_ALERTS", "12")
    assert locked.headers["X-Cell-Status"] == "error" and "is locked" in locked.text
    api_locked = officer.post(
        f"{API}/values", json={"code": "POC_ALERTS", "period": Q, "value": 12}, headers={"X-CSRF-Token": t_officer}
    )
    assert api_locked.status_code == 409 and api_locked.json()["error"] == "PeriodLocked"
    reopened = admin.post(
        f"{API}/assessments/{Q}/reopen", json={"reason": "New alert log from Bor."}, headers={"X-CSRF-Token": t_admin}
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "draft"
    trail = [e["action"] for e in reopened.json()["events"]]
    assert trail == ["create", "submit", "approve", "reopen"]
    audit = admin.get("/api/admin/audit?limit=50").json()["entries"]
    reopen = next(e for e in audit if e["action"] == "reopen")
    assert (
        reopen["actor"] == "admin-a"
        and reopen["entity"] == "perf_assessment"
        and reopen["after"]["note"] == "New alert log from Bor."
    )
    assert cell(officer, "POC_ALERTS", "12").headers["X-Cell-Status"] == "saved"


def test_a_renewal_starts_a_new_version_and_keeps_the_old_one(client_for):
    client = client_for("analyst")
    token = csrf_from(client.get(BASE).text)
    cell(client, "POC_ALERTS", "40")
    response = client.post(
        f"{BASE}/renew", data={"csrf_token": token, "mandate": "S/RES/2729 (2024)", "valid_from": "2024-05-01"},
        follow_redirects=True,
    )  # fmt: skip
    assert response.status_code == 200 and "version 2" in response.text
    v2 = client.get(f"{API}/framework").json()
    v1 = client.get(f"{API}/framework?version=1").json()
    assert (v2["version"], v2["mandate"], v2["valid_from"]) == (2, "S/RES/2729 (2024)", "2024-05-01")
    assert (v1["version"], v1["valid_to"]) == (1, "2024-04-30")
    assert [v["version"] for v in v2["versions"]] == [1, 2]
    assert client.get(f"{API}/values?period={Q}").json()["version"] == 1  # Q1 2024 belongs to version 1
    assert client.get(f"{API}/values?period=2024-Q3").json()["version"] == 2
    old = {r["code"]: r for r in client.get(f"{API}/values?period={Q}").json()["rows"]}
    assert old["POC_ALERTS"]["value"] == 40


def test_regions_give_region_rows_and_their_values_stay_within_the_total(client_for):
    client = client_for("officer-unmiss")
    token = csrf_from(client.get(BASE).text)
    page = client.post(
        f"{BASE}/regions",
        data={"csrf_token": token, "regions": "Sector North\nSector South, Juba"},
        follow_redirects=True,
    )
    assert page.status_code == 200 and "Now: Sector North, Sector South, Juba." in page.text
    rows = [r for r in client.get(f"{API}/values?period={Q}").json()["rows"] if r["code"] == "POC_ALERTS"]
    assert [r["disaggregation"] for r in rows] == ["", "region:Sector North", "region:Sector South", "region:Juba"]
    assert cell(client, "POC_ALERTS", "40", token=token).headers["X-Cell-Status"] == "saved"
    north = cell(client, "POC_ALERTS", "25", disaggregation="region:Sector North", token=token)
    assert north.headers["X-Cell-Status"] == "saved"
    south = cell(client, "POC_ALERTS", "20", disaggregation="region:Sector South", token=token)
    assert "with the other region figures (25) that is more than the total of POC_ALERTS (40)" in south.text
    bad = client.put(f"{API}/regions", json={"regions": ["a:b"]}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422 and "no colon" in bad.json()["detail"]


def test_approve_is_offered_only_to_an_administrator_who_did_not_submit_and_refused_to_the_others(client_for):
    submitter, other_admin, officer = client_for("admin-a"), client_for("admin-b"), client_for("officer-unmiss")
    page = f"{BASE}/assessments/{Q}"
    form = {"csrf_token": csrf_from(submitter.get(page).text)}
    submitter.post(f"{page}/start", data=form)
    submitter.post(f"{page}/narrative", data={**form, "narrative": "Rains cut the roads to Bor."})
    assert submitter.post(f"{page}/submit", data=form, follow_redirects=False).status_code == 303
    button = f'action="{page}/approve"'
    own = submitter.get(page).text
    assert button not in own
    assert "You submitted this assessment, so another administrator approves it." in own
    assert button not in officer.get(page).text
    assert button in other_admin.get(page).text
    refused = submitter.post(f"{page}/approve", data=form)
    assert refused.status_code == 403 and "cannot also approve it; ask another administrator" in refused.text
    t_officer = csrf_from(officer.get(page).text)
    assert officer.post(f"{page}/approve", data={"csrf_token": t_officer}).status_code == 403
    assert submitter.get(f"{API}/assessments/{Q}").json()["status"] == "submitted"
    approved = other_admin.post(f"{page}/approve", data={"csrf_token": csrf_from(other_admin.get(page).text)})
    assert approved.status_code == 200 and "are frozen and the period's values are locked" in approved.text
