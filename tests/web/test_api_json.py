"""The JSON twins of the pages, on the loaded database, read as the in-process local administrator."""

from __future__ import annotations

import csv

import pytest

from peaceops.personnel.overview import mission_detail
from peaceops.platform import DEMO_FILES
from peaceops.store.provenance import import_runs

MISSION_KEYS = {"acronym", "name", "start_date", "end_date", "active"}


@pytest.fixture(scope="module")
def register(data_dir):
    path = data_dir / "un_peacekeeping" / "missions" / "DPPADPOSS-PKO.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_api_missions_lists_every_mission_with_the_required_keys(reader, register):
    body = reader.get("/api/missions").json()
    missions = body["missions"]
    assert len(missions) == len(register) == 81
    assert all(MISSION_KEYS <= set(m) for m in missions)
    assert {m["acronym"] for m in missions} == {r["mission_acronym"] for r in register}
    unmiss = next(m for m in missions if m["acronym"] == "UNMISS")
    assert unmiss["start_date"] == "2011-07-08" and unmiss["end_date"] is None and unmiss["active"] is True


def test_api_missions_can_list_only_active_ones(reader, register):
    active = reader.get("/api/missions?status=active").json()["missions"]
    assert len(active) == sum(r["mission_isactive"] == "Yes" for r in register)
    assert all(m["active"] for m in active)
    bad = reader.get("/api/missions?status=sometimes")
    assert bad.status_code == 422 and bad.json()["error"] == "ValidationFailed"


def test_api_framework_has_8_areas_7_priorities_and_2_themes_linked_both_ways(reader):
    body = reader.get("/api/framework").json()
    assert (len(body["commitment_areas"]), len(body["priorities"]), len(body["themes"])) == (8, 7, 2)
    assert body["versions"]
    forward = {(e["code"], t) for e in body["priorities"] + body["themes"] for t in e["advances"]}
    backward = {(s, a["code"]) for a in body["commitment_areas"] for s in a["advanced_by"]}
    assert forward and forward == backward


def test_api_mission_detail_is_the_domain_result(reader, loaded_db):
    body = reader.get("/api/missions/unmiss").json()
    with loaded_db.session() as s:
        expected = mission_detail(s, "UNMISS")
    assert body == expected
    assert body["strength_series"] and body["women_share_series"] and body["top_contributors"]


def test_acronyms_with_spaces_work_in_the_path(reader):
    response = reader.get("/api/missions/UNOSOM%20II")
    assert response.status_code == 200 and response.json()["acronym"] == "UNOSOM II"


def test_unknown_mission_is_a_404_with_error_and_detail(reader):
    response = reader.get("/api/missions/MINUSXX")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "NotFound"
    assert "MINUSXX" in body["detail"] and "peaceops import missions" in body["detail"]


def test_unknown_api_path_is_a_404_json(reader):
    response = reader.get("/api/nowhere")
    assert response.status_code == 404 and set(response.json()) == {"error", "detail"}


def test_api_home_gives_headline_figures_and_map_points(reader):
    home = reader.get("/api/home").json()
    assert home["missions_total"] == 81
    assert home["map"] and all(p["longitude"] is not None for p in home["map"])
    assert home["personnel_deployed"] == sum(p["total"] for p in home["map"])
    assert {d["kind"] for d in home["datasets"]} == {kind for kind, _ in DEMO_FILES}
    assert all(d["label"] != d["kind"] for d in home["datasets"]), "every data set has a readable label"


def test_api_imports_lists_runs_and_every_rejection_of_one(reader, loaded_db):
    runs = reader.get("/api/imports").json()["runs"]
    with loaded_db.session() as s:
        assert [r["id"] for r in runs] == [r["id"] for r in import_runs(s)]
    run = next(r for r in runs if r["rejected"] > 100)
    detail = reader.get(f"/api/imports/{run['id']}").json()
    assert detail["run"]["id"] == run["id"]
    assert len(detail["rejections"]) == run["rejected"]
    lines = [r["line"] for r in detail["rejections"]]
    assert lines == sorted(lines) and all(r["reason"] for r in detail["rejections"])
    missing = reader.get("/api/imports/999999")
    assert missing.status_code == 404 and missing.json()["error"] == "NotFound"


def test_openapi_schema_documents_the_api_and_no_pages(reader):
    schema = reader.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/home",
        "/api/framework",
        "/api/missions",
        "/api/missions/{acronym}",
        "/api/imports",
        "/api/imports/{run_id}",
        "/api/admin/users",
        "/api/admin/audit",
        "/api/me",
    } <= paths
    assert all(p.startswith("/api/") for p in paths)
    mission = schema["components"]["schemas"]["MissionOut"]["properties"]
    assert MISSION_KEYS <= set(mission)
    ok = schema["paths"]["/api/missions"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/MissionsOut")


def test_the_stock_docs_pages_are_off_because_they_load_from_a_cdn(reader):
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert reader.get(path).status_code == 404
