"""Environmental figures: the CSV import (line-numbered rejections, idempotent upsert, audited updates),
targets met or missed, entry through the form and the API by role, the page and its twins, on both backends."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from accountability_support import OFFICER_MISSION, csrf_from
from sqlalchemy import func, select

from peaceops.environment.models import EnvironmentReport
from peaceops.errors import ImportFileError
from peaceops.platform import IMPORT_KINDS, import_file
from peaceops.store.audit import AuditEntry

HEADER = (
    "mission,period_start,period_end,energy_mwh,renewable_mwh,renewable_target_pct,water_m3,water_target_m3,"
    "wastewater_treated_pct,wastewater_target_pct,solid_waste_t,solid_waste_target_t,source"
)
GOOD = [
    "MINUSCA,2024-01-01,2024-06-30,1000,150,20,50000,60000,80,90,400,500,test entry",  # line 2
    "MINUSCA,2024-07-01,2024-12-31,1100,330,20,65000,60000,95,90,380,500,test entry",  # line 3
    "unmiss,2024-01-01,2024-12-31,2000,,,,,,,,,",  # line 4: lower case acronym, one figure
]
BAD = [
    "NOSUCH,2024-01-01,2024-06-30,1,,,,,,,,,",  # line 5: not in the register
    "MINUSMA,2024-01-01,2024-06-30,100,150,,,,,,,,",  # line 6: renewable above total
    "MINUSMA,2024-01-01,2024-06-30,,,,,,120,,,,",  # line 7: share above 100%
    "MINUSMA,2024-13-01,2024-06-30,1,,,,,,,,,",  # line 8: not a date
    "MINUSCA,2024-01-01,2024-06-30,900,,,,,,,,,",  # line 9: same mission and period as line 2
    "MINUSMA,2024-06-30,2024-01-01,1,,,,,,,,,",  # line 10: ends before it starts
    "MINUSMA,2024-01-01,2024-06-30,,,,,,,,,,",  # line 11: nothing given
    "MINUSMA,2024-01-01,2024-06-30,1,2",  # line 12: too few fields
]


def write(tmp_path: Path, lines: list[str], name: str = "environment.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_environment_is_an_import_kind():
    assert {"environment", "pledges"} <= set(IMPORT_KINDS)


def test_import_keeps_good_lines_rejects_bad_ones_with_line_numbers_and_is_idempotent(register_db, tmp_path):
    path = write(tmp_path, GOOD + BAD)
    ticks: list[int] = []
    report = import_file(register_db, "environment", path, "test", lambda n: ticks.append)
    assert (report.rows_read, report.inserted, report.updated, report.unchanged) == (11, 3, 0, 0)
    assert sum(ticks) == 3, "the progress callback advanced once per accepted line"
    reasons = {r.line: r.reason for r in report.rejections}
    assert sorted(reasons) == [5, 6, 7, 8, 9, 10, 11, 12]
    assert "NOSUCH" in reasons[5] and "missions register" in reasons[5]
    assert "exceeds the total" in reasons[6]
    assert "above 100%" in reasons[7]
    assert "not a date" in reasons[8]
    assert "already appears on line 2" in reasons[9]
    assert "ends" in reasons[10]
    assert "No figure" in reasons[11]
    assert "fields where the header has 13" in reasons[12]
    assert all(reason.startswith(f"Line {line}") for line, reason in reasons.items())

    again = import_file(register_db, "environment", path, "test")
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 8)
    with register_db.session() as s:
        assert s.scalar(select(func.count()).select_from(EnvironmentReport)) == 3

    changed = write(tmp_path, [GOOD[0].replace(",150,", ",250,"), *GOOD[1:]], "environment-v2.csv")
    third = import_file(register_db, "environment", changed, "test")
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 2)
    with register_db.session() as s:
        updates = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "environment_report", AuditEntry.action == "update")
        ).all()
        assert len(updates) == 1
        assert updates[0].before["renewable_mwh"] == 150 and updates[0].after["renewable_mwh"] == 250
        runs = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "environment_report", AuditEntry.action == "import")
        ).all()
        assert len(runs) == 3


def test_a_damaged_file_is_refused_whole(register_db, tmp_path):
    missing = tmp_path / "missing-column.csv"
    missing.write_text("mission,period_start\nMINUSCA,2024-01-01\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="missing period_end"):
        import_file(register_db, "environment", missing, "test")
    unknown = tmp_path / "unknown-column.csv"
    unknown.write_text("mission,period_start,period_end,co2_t\nMINUSCA,2024-01-01,2024-06-30,5\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="co2_t"):
        import_file(register_db, "environment", unknown, "test")
    with register_db.session() as s:
        assert s.scalar(select(func.count()).select_from(EnvironmentReport)) == 0


def test_figures_are_compared_with_their_targets(register_db, tmp_path, client_as):
    import_file(register_db, "environment", write(tmp_path, GOOD), "test")
    viewer = client_as("viewer")
    body = viewer.get("/api/environment?mission=MINUSCA").json()
    assert body["mission"] == "MINUSCA" and [r["period_start"] for r in body["reports"]] == ["2024-01-01", "2024-07-01"]
    first, second = body["reports"]
    assert (
        first["renewable_share"] == 0.15 and first["renewable_target"] == 0.2 and first["renewable_share_met"] is False
    )
    assert second["renewable_share"] == 0.3 and second["renewable_share_met"] is True
    assert first["water_m3_met"] is True and second["water_m3_met"] is False  # a ceiling
    assert first["wastewater_treated_share_met"] is False and second["wastewater_treated_share_met"] is True
    metrics = {m["metric"]: m for m in body["metrics"]}
    assert (metrics["renewable_share"]["with_target"], metrics["renewable_share"]["met"]) == (2, 1)
    assert (metrics["solid_waste_t"]["with_target"], metrics["solid_waste_t"]["met"]) == (2, 2)

    everything = viewer.get("/api/environment").json()
    unmiss = next(r for r in everything["reports"] if r["mission"] == "UNMISS")
    assert unmiss["energy_mwh"] == 2000 and unmiss["renewable_share"] is None and unmiss["renewable_share_met"] is None

    exported = list(csv.DictReader(io.StringIO(viewer.get("/api/environment.csv?mission=MINUSCA").text)))
    assert [(r["period_start"], r["renewable_share"], r["water_m3_met"]) for r in exported] == [
        ("2024-01-01", "0.15", "True"),
        ("2024-07-01", "0.3", "False"),
    ]
    page = viewer.get("/environment?mission=MINUSCA")
    assert page.status_code == 200
    assert 'id="stat-renewable_share">1 / 2<' in page.text
    assert 'id="spec-renewable_share"' in page.text and 'id="environment-table"' in page.text
    assert "Enter figures for a period" not in page.text, "a viewer gets no entry button"


def test_the_page_says_how_to_add_figures_when_there_are_none(client_as):
    page = client_as("viewer").get("/environment")
    assert page.status_code == 200
    assert 'id="environment-empty"' in page.text and "peaceops import environment" in page.text
    body = client_as("viewer").get("/api/environment").json()
    assert (body["reports"], body["missions"]) == ([], [])
    assert [(m["metric"], m["with_target"], m["met_share"]) for m in body["metrics"]] == [
        ("renewable_share", 0, None),
        ("water_m3", 0, None),
        ("wastewater_treated_share", 0, None),
        ("solid_waste_t", 0, None),
    ]


def session_token(client) -> str:
    """The session's CSRF token, as every page carries it for htmx requests."""
    page = client.get("/environment").text
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', page)
    assert found, "the page carries the session's CSRF token"
    return found.group(1)


def test_roles_entering_figures(client_as, register_db):
    entry = {"mission": OFFICER_MISSION, "period_start": "2024-01-01", "period_end": "2024-03-31", "water_m3": 900}
    viewer = client_as("viewer")
    assert viewer.get("/environment/new").status_code == 403
    assert viewer.get("/api/environment").status_code == 200
    refused = viewer.post("/api/environment", json=entry, headers={"X-CSRF-Token": session_token(viewer)})
    assert refused.status_code == 403 and "can read environmental figures but not change them" in refused.text

    officer = client_as("officer")
    form_page = officer.get("/environment/new")
    assert form_page.status_code == 200 and f'<option value="{OFFICER_MISSION}"' in form_page.text
    token = csrf_from(form_page.text)
    created = officer.post("/api/environment", json=entry, headers={"X-CSRF-Token": token})
    assert created.status_code == 201, created.text
    assert created.json()["mission"] == OFFICER_MISSION and created.json()["water_m3"] == 900
    other = officer.post("/api/environment", json={**entry, "mission": "UNMISS"}, headers={"X-CSRF-Token": token})
    assert other.status_code == 403 and "outside your scope" in other.json()["detail"]

    analyst = client_as("analyst")
    token = csrf_from(analyst.get("/environment/new").text)
    response = analyst.post(
        "/environment",
        data={
            "csrf_token": token,
            "mission": "UNMISS",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "energy_mwh": "500",
            "renewable_mwh": "100",
            "renewable_target_pct": "25",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/environment?mission=UNMISS&saved=1"
    row = analyst.get("/api/environment?mission=UNMISS").json()["reports"][0]
    assert (row["renewable_share"], row["renewable_target"], row["renewable_share_met"]) == (0.2, 0.25, False)

    bad = analyst.post(
        "/environment",
        data={
            "csrf_token": token,
            "mission": "UNMISS",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "energy_mwh": "100",
            "renewable_mwh": "200",
        },
    )
    assert bad.status_code == 422 and "exceeds the total" in bad.text
    corrected = analyst.post(
        "/api/environment",
        json={"mission": "UNMISS", "period_start": "2024-01-01", "period_end": "2024-12-31", "energy_mwh": 600},
        headers={"X-CSRF-Token": token},
    )
    assert corrected.status_code == 201 and corrected.json()["renewable_mwh"] is None
    with register_db.session() as s:
        assert s.scalar(select(func.count()).select_from(EnvironmentReport)) == 2, "the same period is updated"
        actions = [a for (a,) in s.execute(select(AuditEntry.action).where(AuditEntry.entity == "environment_report"))]
        assert sorted(actions) == ["create", "create", "update"]


def test_a_csv_uploaded_on_the_page_is_imported_like_the_cli_does(client_as, register_db):
    analyst = client_as("analyst")
    page = analyst.get("/environment").text
    assert 'action="/imports/upload"' in page and 'value="environment"' in page
    body = "\n".join([HEADER, *GOOD, BAD[0]]) + "\n"
    token = csrf_from(page)
    upload = {"file": ("minusca-2024.csv", body.encode(), "text/csv")}
    first = analyst.post("/imports/upload", data={"csrf_token": token, "kind": "environment"}, files=upload)
    assert first.status_code == 200 and "minusca-2024.csv" in first.text
    run = analyst.get("/api/imports").json()["runs"][0]
    assert (run["kind"], run["inserted"], run["rejected"]) == ("environment", 3, 1)
    detail = analyst.get(f"/api/imports/{run['id']}").json()
    assert [r["line"] for r in detail["rejections"]] == [5] and "NOSUCH" in detail["rejections"][0]["reason"]
    analyst.post("/imports/upload", data={"csrf_token": token, "kind": "environment"}, files=upload)
    with register_db.session() as s:
        assert s.scalar(select(func.count()).select_from(EnvironmentReport)) == 3, "a second upload adds nothing"

    officer = client_as("officer")
    refused = officer.post(
        "/imports/upload", data={"csrf_token": csrf_from(officer.get("/environment").text), "kind": "environment"},
        files=upload,
    )  # fmt: skip
    assert (
        refused.status_code == 403 and "outside" not in refused.text and "analysts and administrators" in refused.text
    )
    other_kind = analyst.post("/imports/upload", data={"csrf_token": token, "kind": "ucdp-ged"}, files=upload)
    assert other_kind.status_code == 422 and "not uploaded here" in other_kind.text


def test_the_import_api_takes_an_uploadable_kind_in_one_call_and_refuses_the_others(client_as, register_db):
    analyst = client_as("analyst")
    headers = {"X-CSRF-Token": session_token(analyst)}
    upload = {"file": ("minusca-2024.csv", ("\n".join([HEADER, *GOOD, BAD[0]]) + "\n").encode(), "text/csv")}
    first = analyst.post("/api/imports/environment", files=upload, headers=headers)
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["kind"], report["rows_read"], report["inserted"], report["rejected"]) == ("environment", 4, 3, 1)
    assert report["rejections"][0]["line"] == 5 and "NOSUCH" in report["rejections"][0]["reason"]
    again = analyst.post("/api/imports/environment", files=upload, headers=headers).json()
    assert (again["inserted"], again["unchanged"], again["run_id"]) == (0, 3, report["run_id"] + 1)
    for kind in ("ucdp-ged", "missions", "budgets"):
        refused = analyst.post(f"/api/imports/{kind}", files=upload, headers=headers)
        assert refused.status_code == 422 and "not uploaded here" in refused.json()["detail"], kind
    officer = client_as("officer")
    denied = officer.post("/api/imports/environment", files=upload, headers={"X-CSRF-Token": session_token(officer)})
    assert denied.status_code == 403
    with register_db.session() as s:
        assert s.scalar(select(func.count()).select_from(EnvironmentReport)) == 3
