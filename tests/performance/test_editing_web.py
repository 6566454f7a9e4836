"""Editing the framework tree over HTTP: the forms on the framework page and the JSON API."""

from __future__ import annotations

from perf_web import csrf_from

BASE = "/performance/missions/UNMISS"
API = "/api/performance/missions/UNMISS/framework"


def codes(tree):
    out, stack = [], list(tree["objectives"])
    while stack:
        node = stack.pop(0)
        out.append(node["code"])
        out += [i["code"] for i in node["indicators"]]
        stack = node["children"] + stack
    return out


def test_an_officer_adds_and_edits_through_the_forms(client_for):
    client = client_for("officer-unmiss")
    page = client.get(BASE).text
    assert f'href="{BASE}/framework/results/O2/edit"' in page and "+ indicator" in page
    form = client.get(f"{BASE}/framework/results/new?level=outcome&parent=O2")
    assert form.status_code == 200 and 'name="parent"' in form.text
    token = csrf_from(form.text)
    added = client.post(
        f"{BASE}/framework/results/new",
        data={"csrf_token": token, "level": "outcome", "code": "O2.9", "parent": "O2", "title": "Early warning works"},
        follow_redirects=False,
    )
    assert added.status_code == 303 and added.headers["location"] == f"{BASE}#O2.9"
    fields = {
        "csrf_token": token, "code": "EW_ALERTS_SHARED", "name": "Alerts shared with communities", "result": "O2.9",
        "unit": "count", "frequency": "month", "aggregation": "sum", "direction": "higher", "kind": "entered",
        "baseline": "", "baseline_period": "", "numerator": "", "denominator": "", "factor": "1", "derivation": "",
        "not_above": "", "definition": "", "data_source": "Civil affairs",
    }  # fmt: skip
    assert client.post(f"{BASE}/framework/indicators/new", data=fields, follow_redirects=False).status_code == 303
    tree = client.get(API).json()
    assert codes(tree)[codes(tree).index("O2.9") : codes(tree).index("O2.9") + 2] == ["O2.9", "EW_ALERTS_SHARED"]
    # a bad edit re-shows the form with the reason and what was typed
    bad = client.post(
        f"{BASE}/framework/indicators/EW_ALERTS_SHARED/edit", data={**fields, "unit": "litres"}, follow_redirects=False
    )
    assert bad.status_code == 422 and "unit &#39;litres&#39; is not one of" in bad.text and "Civil affairs" in bad.text
    renamed = {**fields, "name": "Alerts shared with community networks"}
    assert client.post(f"{BASE}/framework/indicators/EW_ALERTS_SHARED/edit", data=renamed).status_code == 200
    assert "Alerts shared with community networks" in client.get(BASE).text
    removed = client.post(
        f"{BASE}/framework/indicators/EW_ALERTS_SHARED/edit", data={"csrf_token": token, "remove": "1"}
    )
    assert removed.status_code == 200 and "EW_ALERTS_SHARED" not in client.get(API).text


def test_the_api_edits_and_refuses_what_it_must(client_for):
    admin = client_for("admin-a")
    token = {"X-CSRF-Token": csrf_from(admin.get(BASE).text)}
    body = {"code": "O7", "level": "objective", "title": "Partnerships deliver", "tags": ["A4P+.P6"]}
    tree = admin.post(f"{API}/results", json=body, headers=token).json()
    assert tree["objectives"][-1]["code"] == "O7" and tree["objectives"][-1]["tags"][0]["code"] == "A4P+.P6"
    patched = admin.patch(f"{API}/results/O7", json={"title": "Partnerships deliver support"}, headers=token).json()
    assert patched["objectives"][-1]["title"] == "Partnerships deliver support"
    refused = admin.delete(f"{API}/results/O1", headers=token)
    assert refused.status_code == 422 and "O1 still holds" in refused.json()["detail"]
    assert admin.delete(f"{API}/results/O7", headers=token).status_code == 200
    viewer = client_for("viewer")
    own = {"X-CSRF-Token": csrf_from(viewer.get(BASE).text)}
    assert "framework/results/O2/edit" not in viewer.get(BASE).text
    denied = viewer.patch(f"{API}/results/O1", json={"title": "Mine"}, headers=own)
    assert denied.status_code == 403 and "can read performance data but not change it" in denied.json()["detail"]
