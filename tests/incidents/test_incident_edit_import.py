"""Editing a report through its page (the API's edit rule, versions once verified) and incident CSV files
as import runs (kind ``incidents``: the upload, the API and ``peaceops import``), on both backends."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import func, select

from peaceops.access.policy import Actor
from peaceops.incidents.models import Incident
from peaceops.incidents.reports import IncidentInput, file_incident
from peaceops.missions.models import Mission
from peaceops.store.provenance import ImportRun

REPORT = {
    "occurred_at": "2024-07-02 06:30",
    "category": "attack_peacekeepers",
    "subcategory": "ambush",
    "longitude": 20.6416,
    "latitude": 5.7619,
    "actors": ["UPC"],
    "casualties": {"peacekeepers_injured": 2},
    "source_type": "patrol",
    "reliability": "B",
    "credibility": 2,
    "description": "A patrol came under fire north of Bambari.",
}


class _Fields(HTMLParser):
    """The values a browser would post from the page's report form: inputs, selected options, textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._option: dict[str, str | None] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") != "file":
            self.fields[str(a["name"])] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self._option = a
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[str(self._textarea)] = ""

    def handle_data(self, data: str) -> None:
        if self._option is not None and self._select and "selected" in self._option:
            value = self._option.get("value")
            self.fields[self._select] = value if value is not None else data
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _form(client, incident_id: int) -> dict[str, str]:
    """The edit form as the browser would post it unchanged: every prefilled field of the page."""
    page = client.get(f"/incidents/{incident_id}/edit")
    assert page.status_code == 200, page.text
    parser = _Fields()
    parser.feed(page.text.split('id="incident-form"', 1)[1].split("</form>", 1)[0])
    return parser.fields


def test_the_edit_page_opens_with_the_stored_values_and_a_draft_edit_changes_the_record(client_for):
    reporter = client_for("reporter")
    incident = reporter.post("/api/incidents", json={**REPORT, "submit": False}).json()
    assert incident["status"] == "draft"
    page = reporter.get(f"/incidents/{incident['id']}")
    assert f'href="/incidents/{incident["id"]}/edit"' in page.text
    form = _form(reporter, incident["id"])
    assert (form["date"], form["time"], form["longitude"], form["latitude"]) == (
        "2024-07-02",
        "06:30",
        "20.6416",
        "5.7619",
    )
    assert (form["category"], form["subcategory"], form["precision"]) == (
        "attack_peacekeepers",
        "attack_peacekeepers.ambush",
        "hour",
    )
    assert (form["actors"], form["peacekeepers_injured"], form["reliability"], form["credibility"]) == (
        "UPC",
        "2",
        "B",
        "2",
    )
    assert form["description"] == REPORT["description"] and "reason" not in form  # a draft keeps no version
    changed = {**form, "peacekeepers_injured": "3", "actors": "UPC; 3R", "description": "Two patrols under fire."}
    saved = reporter.post(f"/incidents/{incident['id']}/edit", data=changed, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/incidents/{incident['id']}?done=edited"
    after = reporter.get(f"/api/incidents/{incident['id']}").json()
    assert (after["peacekeepers_injured"], after["actors"], after["description"]) == (
        3,
        ["3R", "UPC"],
        "Two patrols under fire.",
    )
    assert (after["version"], after["versions"], after["status"]) == (1, [], "draft")
    assert [h["action"] for h in after["history"]] == ["filed", "edited"]


def test_the_edit_form_shows_validation_messages_with_the_input_kept(client_for):
    reporter = client_for("reporter")
    incident = reporter.post("/api/incidents", json={**REPORT, "submit": False}).json()
    form = _form(reporter, incident["id"])
    bad = {**form, "reliability": "Q", "longitude": "", "latitude": "", "place": "Nowhere-on-earth"}
    refused = reporter.post(f"/incidents/{incident['id']}/edit", data=bad, follow_redirects=False)
    assert refused.status_code == 422
    assert "Source reliability" in refused.text and "Nowhere-on-earth" in refused.text
    assert 'value="Nowhere-on-earth"' in refused.text and f'action="/incidents/{incident["id"]}/edit"' in refused.text
    assert reporter.get(f"/api/incidents/{incident['id']}").json()["longitude"] == 20.6416


def test_a_verified_report_needs_a_reason_and_keeps_the_previous_version(client_for):
    reporter, verifier = client_for("reporter"), client_for("verifier")
    incident = reporter.post("/api/incidents", json={**REPORT, "submit": True}).json()
    assert verifier.post(f"/api/incidents/{incident['id']}/verify", json={}).status_code == 200
    form = _form(verifier, incident["id"])
    page = verifier.get(f"/incidents/{incident['id']}/edit").text
    assert 'id="f-reason" name="reason"' in page and "required" in page.split('id="f-reason"')[1].split(">")[0]
    changed = {**form, "peacekeepers_killed": "1", "description": "One peacekeeper died of his wounds."}
    refused = verifier.post(f"/incidents/{incident['id']}/edit", data=changed, follow_redirects=False)
    assert refused.status_code == 422 and "Say why a verified incident is changed" in refused.text
    assert "One peacekeeper died of his wounds." in refused.text  # the typed text stays in the form
    unchanged = verifier.get(f"/api/incidents/{incident['id']}").json()
    assert (unchanged["peacekeepers_killed"], unchanged["version"], unchanged["versions"]) == (0, 1, [])
    assert unchanged["description"] == REPORT["description"]

    reason = "casualty report from the sector hospital"
    saved = verifier.post(
        f"/incidents/{incident['id']}/edit", data={**changed, "reason": reason}, follow_redirects=False
    )
    assert saved.status_code == 303
    after = verifier.get(f"/api/incidents/{incident['id']}").json()
    assert (after["peacekeepers_killed"], after["version"], after["status"]) == (1, 2, "verified")
    [kept] = after["versions"]
    assert (kept["version"], kept["reason"], kept["changed_by"]) == (1, reason, "verifier")
    assert kept["snapshot"]["peacekeepers_killed"] == 0 and kept["snapshot"]["description"] == REPORT["description"]
    shown = verifier.get(f"/incidents/{incident['id']}?done=edited").text
    assert "Earlier versions" in shown and reason in shown and "The changes are saved." in shown


def test_an_officer_of_another_mission_cannot_open_or_post_the_edit_form(client_for):
    reporter, outsider = client_for("reporter"), client_for("outsider")
    incident = reporter.post("/api/incidents", json={**REPORT, "submit": False}).json()
    form = _form(reporter, incident["id"])
    assert outsider.get(f"/incidents/{incident['id']}/edit").status_code == 403
    posted = outsider.post(
        f"/incidents/{incident['id']}/edit",
        data={**form, "csrf_token": outsider.headers["X-CSRF-Token"], "description": "overwritten"},
        follow_redirects=False,
    )
    assert posted.status_code == 403 and REPORT["description"] not in posted.text
    no_token = reporter.post(
        f"/incidents/{incident['id']}/edit",
        data={**form, "csrf_token": "forged", "description": "forged"},
        headers={"X-CSRF-Token": "forged"},
        follow_redirects=False,
    )
    assert no_token.status_code == 403  # CSRF as on every form
    assert reporter.get(f"/api/incidents/{incident['id']}").json()["description"] == REPORT["description"]
    viewer = client_for("viewer")
    assert viewer.get(f"/incidents/{incident['id']}/edit").status_code == 403


def test_a_merged_report_offers_no_edit(client_for):
    reporter = client_for("reporter")
    kept = reporter.post("/api/incidents", json={**REPORT, "occurred_at": "2024-07-09 06:30"}).json()
    dupe = reporter.post("/api/incidents", json={**REPORT, "occurred_at": "2024-07-09 08:30"}).json()
    assert reporter.post(f"/api/incidents/{kept['id']}/merge", json={"duplicate_id": dupe["id"]}).status_code == 200
    assert f'href="/incidents/{kept["id"]}/edit"' in reporter.get(f"/incidents/{kept['id']}").text
    assert f'href="/incidents/{dupe["id"]}/edit"' not in reporter.get(f"/incidents/{dupe['id']}").text
    assert reporter.get(f"/incidents/{dupe['id']}/edit").status_code == 422


# ------------------------------------------------------------------ CSV files as import runs
HEADER = (
    "external_ref,occurred_at,category,subcategory,longitude,latitude,place,civilians_killed,displaced,"
    "source_type,reliability,credibility\n"
)
GOOD_AND_BAD = (
    HEADER
    + "RUN-1,2024-05-01 10:00,attack_civilians,killing,18.5582,4.3612,,2,,patrol,B,2\n"
    + "RUN-2,2024-05-02 11:00,displacement,,,,Bambari,0,800,un_agency,A,1\n"
    + "RUN-3,2024-05-03 09:00,attack_civilians,,18.6,4.4,,1,,patrol,Z,2\n"
    + "RUN-4,2024-05-04 09:00,displacement,,,,Bria,0,,patrol,B,3\n"
)


def _refs(incident_db, prefix: str) -> list[tuple[str, str]]:
    with incident_db.session() as s:
        rows = s.execute(
            select(Incident.external_ref, Mission.acronym)
            .join(Mission, Mission.id == Incident.mission_id)
            .where(Incident.external_ref.like(f"{prefix}%"))
            .order_by(Incident.external_ref, Mission.acronym)
        )
        return [tuple(r) for r in rows]


def _runs(incident_db) -> int:
    with incident_db.session() as s:
        return int(s.scalar(select(func.count()).select_from(ImportRun)) or 0)


def test_an_uploaded_file_is_an_import_run_with_its_bad_lines_and_a_rerun_adds_nothing(client_for, incident_db):
    reporter = client_for("reporter")
    page = reporter.get("/incidents").text
    assert 'action="/imports/upload"' in page and 'name="kind" value="incidents"' in page
    upload = {"file": ("minusca-may.csv", GOOD_AND_BAD.encode(), "text/csv")}
    token = {"csrf_token": reporter.headers["X-CSRF-Token"], "kind": "incidents"}
    first = reporter.post("/imports/upload", data=token, files=upload, follow_redirects=False)
    assert first.status_code == 303
    run_page = reporter.get(first.headers["location"])
    assert run_page.status_code == 200 and "minusca-may.csv" in run_page.text and "RUN-3" in run_page.text
    run_id = int(first.headers["location"].rsplit("/", 1)[1])
    detail = reporter.get(f"/api/imports/{run_id}").json()
    assert (detail["run"]["kind"], detail["run"]["actor"]) == ("incidents", "reporter")
    assert (detail["run"]["rows_read"], detail["run"]["inserted"], detail["run"]["rejected"]) == (4, 2, 2)
    reasons = {r["line"]: r["reason"] for r in detail["rejections"]}
    assert sorted(reasons) == [4, 5]
    assert reasons[4].startswith("RUN-3: ") and "Source reliability 'Z'" in reasons[4]
    assert "number of people displaced" in reasons[5]
    assert _refs(incident_db, "RUN-") == [("RUN-1", "MINUSCA"), ("RUN-2", "MINUSCA")]
    bambari = reporter.get("/api/incidents?mission=MINUSCA").json()["incidents"]
    assert [r["place_name"] for r in bambari if r["external_ref"] == "RUN-2"] == ["Bambari town"]

    again = reporter.post("/imports/upload", data=token, files=upload, follow_redirects=False)
    second = reporter.get(f"/api/imports/{again.headers['location'].rsplit('/', 1)[1]}").json()["run"]
    assert (second["inserted"], second["updated"], second["unchanged"], second["rejected"]) == (0, 0, 2, 2)
    assert _refs(incident_db, "RUN-") == [("RUN-1", "MINUSCA"), ("RUN-2", "MINUSCA")]


def test_a_mission_officer_cannot_import_into_another_mission(client_for, incident_db):
    outsider = client_for("outsider")
    body = HEADER.replace("external_ref,", "mission,external_ref,") + (
        "MINUSCA,OTHER-1,2024-05-01 10:00,attack_civilians,killing,18.5582,4.3612,,2,,patrol,B,2\n"
    )
    before = _runs(incident_db)
    token = {"csrf_token": outsider.headers["X-CSRF-Token"], "kind": "incidents"}
    refused = outsider.post(
        "/imports/upload", data=token, files={"file": ("other.csv", body.encode(), "text/csv")}, follow_redirects=False
    )
    assert refused.status_code == 403 and "outside your scope" in refused.text
    api = outsider.post("/api/incidents/import", content=body.encode(), headers={"Content-Type": "text/csv"})
    assert api.status_code == 403
    assert _runs(incident_db) == before and _refs(incident_db, "OTHER-") == []
    viewer = client_for("viewer")
    assert viewer.post("/imports/upload", data={**token, "csrf_token": viewer.headers["X-CSRF-Token"]},
                       files={"file": ("other.csv", body.encode(), "text/csv")}).status_code == 403  # fmt: skip


def test_file_level_errors_leave_the_database_unchanged(client_for, incident_db):
    analyst = client_for("analyst")
    before = _runs(incident_db)
    token = {"csrf_token": analyst.headers["X-CSRF-Token"], "kind": "incidents"}
    no_mission = analyst.post("/imports/upload", data=token, files={"file": ("a.csv", GOOD_AND_BAD.encode())})
    assert no_mission.status_code == 400 and "does not say which mission" in no_mission.text
    columns = analyst.post("/imports/upload", data=token, files={"file": ("b.csv", b"occurred_at,category\n")})
    assert columns.status_code == 400 and "lacks the column" in columns.text
    assert _runs(incident_db) == before


def test_an_analyst_imports_rows_of_several_missions_by_their_mission_column(client_for, incident_db):
    analyst = client_for("analyst")
    body = (
        "mission,"
        + HEADER
        + (
            "MINUSCA,MULTI-1,2024-05-01 10:00,attack_civilians,killing,18.5582,4.3612,,2,,patrol,B,2\n"
            "MONUSCO,MULTI-1,2024-05-01 10:00,attack_civilians,killing,29.22,-1.68,,1,,patrol,B,2\n"
            "NOSUCH,MULTI-2,2024-05-01 10:00,attack_civilians,killing,29.22,-1.68,,1,,patrol,B,2\n"
            ",MULTI-3,2024-05-01 10:00,attack_civilians,killing,29.22,-1.68,,1,,patrol,B,2\n"
        )
    )
    result = analyst.post("/api/incidents/import", content=body.encode(), headers={"Content-Type": "text/csv"}).json()
    assert (result["inserted"], result["missions"]) == (2, ["MINUSCA", "MONUSCO"])
    assert {r["line"]: r["reason"][:30] for r in result["rejected"]} == {
        4: "Mission 'NOSUCH' is not known;",
        5: "mission is empty; give the mis",
    }
    assert _refs(incident_db, "MULTI-") == [("MULTI-1", "MINUSCA"), ("MULTI-1", "MONUSCO")]
    run = analyst.get(f"/api/imports/{result['run_id']}").json()
    assert (run["run"]["kind"], run["run"]["inserted"], [r["line"] for r in run["rejections"]]) == (
        "incidents",
        2,
        [4, 5],
    )


def test_lines_that_cannot_be_read_are_rejected_alone_through_the_api_never_a_server_error(client_for, incident_db):
    reporter = client_for("reporter")
    good = "2024-05-01 10:00,attack_civilians,killing,18.5582,4.3612,,2,,patrol,B,2"
    body = (
        (HEADER.rstrip("\n") + ",description\n").encode()
        + f"UNREAD-1,{good},{'x' * 200_000}\n".encode()  # a value over the CSV field limit (128 KiB)
        + f"UNREAD-2,{good},Près de Bégoua\n".encode("latin-1")  # not UTF-8
        + f"UNREAD-3,{good},Près de Bégoua\n".encode()
        + f'UNREAD-4,{good},"never closed\n'.encode()
    )
    response = reporter.post("/api/incidents/import", content=body, headers={"Content-Type": "text/csv"})
    assert response.status_code == 200, response.text[:500]
    result = response.json()
    assert (result["rows"], result["inserted"]) == (4, 1)
    reasons = {r["line"]: r["reason"] for r in result["rejected"]}
    assert sorted(reasons) == [2, 3, 5]
    assert "longer than 131,072 characters" in reasons[2]
    assert "is not UTF-8 text (byte 0xe8)" in reasons[3]
    assert "opens a quote that is never closed" in reasons[5]
    with incident_db.session() as s:
        stored = s.scalar(select(Incident.description).where(Incident.external_ref == "UNREAD-3"))
    assert stored == "Près de Bégoua"
    assert _refs(incident_db, "UNREAD-") == [("UNREAD-3", "MINUSCA")]


def test_peaceops_import_incidents_runs_as_a_local_administrator(incident_db, tmp_path: Path, data_dir: Path):
    url = incident_db.engine.url.render_as_string(hide_password=False)
    if incident_db.schema:
        url += f"?options=-csearch_path%3D{incident_db.schema}"
    path = tmp_path / "cli-incidents.csv"
    path.write_text("mission," + HEADER + "\n".join(
        f"MINUSCA,{line.replace('RUN-', 'CLI-')}" for line in GOOD_AND_BAD.splitlines()[1:]
    ) + "\n", encoding="utf-8")  # fmt: skip
    env = {
        **os.environ,
        "PEACEOPS_DATABASE_URL": url,
        "PEACEOPS_VAR_DIR": str(tmp_path / "var"),
        "PEACEOPS_DATA_DIR": str(data_dir),
        "COLUMNS": "160",
    }
    run = subprocess.run(
        [sys.executable, "-m", "peaceops", "import", "incidents", str(path)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "incidents" in run.stdout and "CLI-3" in run.stdout
    assert _refs(incident_db, "CLI-") == [("CLI-1", "MINUSCA"), ("CLI-2", "MINUSCA")]
    with incident_db.session() as s:
        last = s.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
        assert (last.kind, last.actor, last.inserted, last.rejected) == ("incidents", "cli", 2, 2)
        assert [r.line for r in last.rejections] == [4, 5]
        reporters = set(s.scalars(select(Incident.reported_by).where(Incident.external_ref.like("CLI-%"))))
    assert reporters == {"cli"}


def test_another_missions_report_form_names_the_officers_own_mission_and_links_back(client_for, incident_db):
    outsider = client_for("outsider")  # a MONUSCO officer
    expected = (
        "You can report and edit incidents only for your own mission, MONUSCO; other missions&#39; incidents are "
        "outside your scope."
    )
    links = ('href="/incidents/new">Report an incident for MONUSCO</a>', 'href="/incidents?mission=MONUSCO">')
    new = outsider.get("/incidents/new?mission=MINUSCA")
    assert new.status_code == 403 and expected in new.text and 'id="incident-form"' not in new.text
    assert all(link in new.text for link in links)
    filed = outsider.post(
        "/incidents",
        data={"csrf_token": outsider.headers["X-CSRF-Token"], "mission": "MINUSCA", "date": "2024-07-02",
              "category": "attack_peacekeepers", "source_type": "patrol", "reliability": "B", "credibility": "2"},
        follow_redirects=False,
    )  # fmt: skip
    assert filed.status_code == 403 and expected in filed.text and all(link in filed.text for link in links)
    own = outsider.get("/incidents/new?mission=monusco")
    assert own.status_code == 200 and 'name="mission" value="MONUSCO"' in own.text
    # A restricted MINUSCA report: its edit link is refused the same way and shows nothing of the report.
    secret = "Survivor statement taken at the clinic (restricted)."
    holder = Actor(
        "reporter", "mission_officer", mission="MINUSCA", compartments=frozenset({"incidents:sensitive:minusca"})
    )
    with incident_db.session() as s:
        restricted = file_incident(s, holder, IncidentInput(
            occurred_at="2024-05-01 09:00", category="sexual_violence", source_type="patrol", reliability="B",
            credibility=2, longitude=18.5582, latitude=4.3612, actors=["Unit 7"], extra={"survivors": "2"},
            description=secret,
        ))  # fmt: skip
        assert restricted.compartment is not None
        restricted_id = restricted.id
    edit = outsider.get(f"/incidents/{restricted_id}/edit")
    assert edit.status_code == 403 and expected in edit.text and all(link in edit.text for link in links)
    assert secret not in edit.text and "Unit 7" not in edit.text and "sexual" not in edit.text.lower()
    posted = outsider.post(
        f"/incidents/{restricted_id}/edit",
        data={"csrf_token": outsider.headers["X-CSRF-Token"], "description": "overwritten"},
        follow_redirects=False,
    )
    assert posted.status_code == 403 and expected in posted.text and secret not in posted.text
