"""The incident pages, API and exports on both backends: one scope rule for all of them, the form,
the workflow over HTTP, the CSV import endpoint and the GeoJSON export."""

from __future__ import annotations

import csv
import io
import re

import pytest

REPORT = {
    "occurred_at": "2024-09-14 07:45",
    "category": "attack_peacekeepers",
    "subcategory": "ambush",
    "longitude": 16.078,
    "latitude": 7.245,
    "actors": ["Unidentified armed group"],
    "casualties": {"peacekeepers_killed": 1, "peacekeepers_injured": 3},
    "source_type": "patrol",
    "reliability": "A",
    "credibility": 1,
    "description": "A patrol was ambushed.",
    "submit": True,
}


@pytest.fixture(scope="module")
def filed(client_for) -> dict:
    """One incident filed through the API by the MINUSCA reporter and verified by a second officer."""
    response = client_for("reporter").post("/api/incidents", json=REPORT)
    assert response.status_code == 201, response.text
    incident = response.json()
    verified = client_for("verifier").post(
        f"/api/incidents/{incident['id']}/verify", json={"note": "confirmed by sector HQ"}
    )
    assert verified.status_code == 200, verified.text
    return verified.json()


def test_api_files_and_verifies_with_history(filed):
    assert filed["status"] == "verified" and filed["verified_by"] == "verifier"
    assert [h["action"] for h in filed["history"]] == ["filed", "submit", "verify"]
    assert filed["peacekeepers_killed"] == 1 and filed["grading"] == "A1"


def test_another_mission_cannot_see_the_incident_by_page_api_or_export(client_for, filed):
    outsider = client_for("outsider")
    incident_id = filed["id"]
    assert outsider.get(f"/api/incidents/{incident_id}").status_code == 403
    page = outsider.get(f"/incidents/{incident_id}")
    assert page.status_code == 403 and "outside your scope" in page.text
    assert incident_id not in [r["id"] for r in outsider.get("/api/incidents").json()["incidents"]]
    assert outsider.get("/api/incidents?mission=MINUSCA").json()["incidents"] == []
    assert incident_id not in [p[0] for p in outsider.get("/api/incidents/map").json()["points"]]
    listing = outsider.get("/incidents")
    assert listing.status_code == 200 and f'href="/incidents/{incident_id}"' not in listing.text
    exported = list(csv.DictReader(io.StringIO(outsider.get("/api/incidents.csv").text)))
    assert str(incident_id) not in [r["id"] for r in exported]
    geo = outsider.get("/api/incidents.geojson").json()
    assert incident_id not in [f["properties"]["id"] for f in geo["features"]]
    assert outsider.get("/api/incidents/weekly?mission=MINUSCA").json()["rows"] == []
    # ... while the mission's own officers and analysts do see it in each of them.
    for name in ("verifier", "analyst"):
        client = client_for(name)
        assert client.get(f"/api/incidents/{incident_id}").status_code == 200
        rows = list(csv.DictReader(io.StringIO(client.get("/api/incidents.csv?mission=MINUSCA").text)))
        assert str(incident_id) in [r["id"] for r in rows]
        feature = [
            f for f in client.get("/api/incidents.geojson").json()["features"] if f["properties"]["id"] == incident_id
        ]
        assert feature and feature[0]["geometry"]["coordinates"] == [16.078, 7.245]


def test_viewers_see_no_incident_records(client_for, filed):
    viewer = client_for("viewer")
    assert viewer.get("/api/incidents").status_code == 403
    assert viewer.get(f"/api/incidents/{filed['id']}").status_code == 403
    assert viewer.get("/api/incidents.csv").status_code == 403
    assert viewer.post("/api/incidents", json={**REPORT, "mission": "MINUSCA"}).status_code == 403


def test_the_form_files_a_report_and_shows_errors_in_place(client_for):
    client = client_for("reporter")
    page = client.get("/incidents/new")
    assert page.status_code == 200 and 'id="form-map"' in page.text and "Bambari town" in page.text
    token = client.headers["X-CSRF-Token"]
    form = {
        "csrf_token": token,
        "mission": "MINUSCA",
        "date": "2024-09-20",
        "time": "18:10",
        "precision": "hour",
        "place": "Bria",
        "category": "displacement",
        "extra_displaced": "",
        "actors": "FPRC; New militia",
        "civilians_killed": "0",
        "source_type": "humanitarian_partner",
        "reliability": "C",
        "credibility": "3",
        "action": "submit",
    }
    bad = client.post("/incidents", data=form, follow_redirects=False)
    assert bad.status_code == 422 and "number of people displaced" in bad.text
    assert 'value="Bria"' in bad.text  # what was typed stays in the form
    good = client.post("/incidents", data={**form, "extra_displaced": "1200"}, follow_redirects=False)
    assert good.status_code == 303
    shown = client.get(good.headers["location"])
    assert "Bria town" in shown.text and "submitted" in shown.text and "New militia" in shown.text
    assert "another officer verifies your report" in shown.text


def test_reject_then_publish_over_http_and_page_buttons(client_for):
    reporter, verifier = client_for("reporter"), client_for("verifier")
    incident = reporter.post("/api/incidents", json={**REPORT, "occurred_at": "2024-10-01 10:00"}).json()
    refused = reporter.post(f"/api/incidents/{incident['id']}/verify", json={})
    assert refused.status_code == 403 and "four-eyes" in refused.json()["detail"]
    assert verifier.post(f"/api/incidents/{incident['id']}/reject", json={"note": ""}).status_code == 422
    page = verifier.get(f"/incidents/{incident['id']}")
    assert ">Verify</button>" in page.text and ">Reject</button>" in page.text
    step = verifier.post(
        f"/incidents/{incident['id']}/step",
        data={"csrf_token": verifier.headers["X-CSRF-Token"], "action": "verify"},
        follow_redirects=False,
    )
    assert step.status_code == 303
    published = verifier.post(f"/api/incidents/{incident['id']}/publish", json={}).json()
    assert published["status"] == "published" and published["published_at"]


def test_csv_import_endpoint_reports_rejected_rows(client_for):
    body = (
        "external_ref,occurred_at,category,longitude,latitude,source_type,reliability,credibility\n"
        "WEB-1,2024-08-01 10:00,threat,18.5,4.3,media,D,4\n"
        "WEB-2,2024-08-01 10:00,threat,18.5,,media,D,4\n"
    )
    client = client_for("reporter")
    result = client.post("/api/incidents/import", content=body.encode(), headers={"Content-Type": "text/csv"}).json()
    assert (result["inserted"], len(result["rejected"])) == (1, 1)
    assert result["rejected"][0]["line"] == 3 and "both longitude and latitude" in result["rejected"][0]["reason"]
    again = client.post("/api/incidents/import", content=body.encode(), headers={"Content-Type": "text/csv"}).json()
    assert (again["inserted"], again["unchanged"]) == (0, 1)
    assert (
        client_for("outsider").post("/api/incidents/import?mission=MINUSCA", content=body.encode()).status_code == 403
    )


def test_map_page_and_api_filters(client_for, filed):
    client = client_for("analyst")
    page = client.get("/incidents?mission=MINUSCA&category=attack_peacekeepers&start=2024-09-01&end=2024-09-30")
    assert page.status_code == 200 and 'id="incident-map"' in page.text and 'id="weekly-counts"' in page.text
    assert (
        "/api/incidents/map?mission=MINUSCA&amp;start=2024-09-01&amp;end=2024-09-30&amp;category=attack_peacekeepers"
        in page.text
    )
    points = client.get("/api/incidents/map?mission=MINUSCA&category=attack_peacekeepers&status=verified").json()[
        "points"
    ]
    assert filed["id"] in [p[0] for p in points]
    assert client.get("/api/incidents/map?actor=Nobody").json()["points"] == []
    assert filed["id"] in [
        p[0] for p in client.get("/api/incidents/map?actor=Unidentified armed group").json()["points"]
    ]
    assert client.get("/api/incidents/map?status=nonsense").status_code == 422
    assert client.get("/api/incidents/map?bbox=1,2,3").status_code == 422
    weekly = client.get("/api/incidents/weekly?mission=MINUSCA&start=2024-09-09&end=2024-09-15").json()
    assert weekly["weeks"] == ["2024-09-09"] and sum(r["total"] for r in weekly["rows"]) >= 1
    assert client.get("/api/incidents/gazetteer?q=Bamb&mission=MINUSCA").json()["places"][0]["name"].startswith("Bamb")


def test_the_mission_edits_its_taxonomy_through_the_categories_page(client_for):
    reporter = client_for("reporter")
    page = reporter.get("/incidents/taxonomy")
    assert page.status_code == 200 and "Conflict-related sexual violence" in page.text
    form = {
        "csrf_token": reporter.headers["X-CSRF-Token"],
        "mission": "MINUSCA",
        "code": "roadblock_extortion",
        "label": "Extortion at roadblocks",
        "parent": "",
        "required_fields": ["armed_elements"],
    }
    saved = reporter.post("/incidents/taxonomy", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert "Extortion at roadblocks" in reporter.get("/incidents/taxonomy").text
    assert 'value="roadblock_extortion" data-required="armed_elements"' in reporter.get("/incidents/new").text
    bad = reporter.post("/incidents/taxonomy", data={**form, "code": "Bad Code"}, follow_redirects=False)
    assert bad.status_code == 422 and "must be 2-60 lower-case letters" in bad.text
    outsider = client_for("outsider")
    refused = outsider.post(
        "/incidents/taxonomy",
        data={**form, "csrf_token": outsider.headers["X-CSRF-Token"], "code": "other"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert outsider.get("/api/incidents/taxonomy?mission=MINUSCA").status_code == 403


def test_an_empty_date_in_the_form_asks_for_the_date_of_the_incident(client_for):
    client = client_for("reporter")
    form = {
        "csrf_token": client.headers["X-CSRF-Token"],
        "mission": "MINUSCA",
        "date": "  ",
        "time": "",
        "precision": "day",
        "place": "Bria",
        "category": "displacement",
        "extra_displaced": "40",
        "source_type": "humanitarian_partner",
        "reliability": "C",
        "credibility": "3",
    }
    response = client.post("/incidents", data=form, follow_redirects=False)
    assert response.status_code == 422
    assert "Give the date of the incident (YYYY-MM-DD)." in response.text
    assert "00:00" not in response.text and "is not readable" not in response.text
    assert 'value="Bria"' in response.text


def test_form_errors_stand_beside_their_fields_in_plain_words_with_a_summary(client_for):
    """A report with several fields wrong comes back with a short summary above the form and each
    sentence beside its own field, the input kept; no internal code (category or source type codes, field
    names) is shown."""
    client = client_for("reporter")
    form = {
        "csrf_token": client.headers["X-CSRF-Token"],
        "mission": "MINUSCA",
        "date": "2024-09-20",
        "time": "18:10",
        "precision": "hour",
        "place": "Bria",
        "category": "",
        "civilians_killed": "two",
        "description": "Shots heard near the market.",
        "source_type": "",
        "reliability": "",
        "credibility": "3",
        "action": "submit",
    }
    response = client.post("/incidents", data=form, follow_redirects=False)
    assert response.status_code == 422
    html = response.text
    assert 'id="form-error"' in html and "4 fields need" in html  # the summary counts, and says where to look
    expected = {
        "f-category": "Choose the category of the incident.",
        "f-source": "Choose the source type.",
        "f-reliability": "Choose the source reliability",
        "f-civilians_killed": "Civilians killed must be a whole number",
    }
    for field_id, sentence in expected.items():
        beside = html.split(f'id="{field_id}-error"', 1)
        assert len(beside) == 2, f"no error beside {field_id}"
        assert sentence in beside[1].split("</p>", 1)[0]
        assert f'aria-describedby="{field_id}-error"' in html
    shown = re.findall(r'<p class="(?:alert|field-error)"[^>]*>([^<]*)</p>', html)
    assert len(shown) == 5, shown  # the summary and the four fields' sentences
    for code in ("humanitarian_partner", "_", "''", "E_", "not one of", "taxonomy"):
        assert not any(code in sentence for sentence in shown), (code, shown)
    assert 'value="Bria"' in html and "Shots heard near the market." in html and 'value="two"' in html


def test_a_french_reporter_sees_the_form_errors_in_french_beside_their_fields(client_for):
    """The acceptance walk in French: a report with mistakes comes back with each sentence in French beside
    its field, the summary and the labels in French too, and no English sentence."""
    client = client_for("reporter")
    form = {
        "csrf_token": client.headers["X-CSRF-Token"],
        "mission": "MINUSCA",
        "date": "2024-09-20",
        "time": "18:10",
        "precision": "hour",
        "place": "Bria",
        "category": "",
        "civilians_killed": "two",
        "source_type": "patrol",
        "reliability": "",
        "credibility": "3",
        "action": "submit",
    }
    client.cookies.set("peaceops_lang", "fr")
    try:
        response = client.post("/incidents", data=form, follow_redirects=False)
    finally:
        client.cookies.delete("peaceops_lang")
    assert response.status_code == 422
    html = response.text
    expected = {
        "f-category": "Choisissez la catégorie de l’incident.",
        "f-reliability": "Choisissez la fiabilité de la source.",
        "f-civilians_killed": "Civils tués\u00a0: indiquez un nombre entier",
    }
    for field_id, sentence in expected.items():
        beside = html.split(f'id="{field_id}-error"', 1)[1].split("</p>", 1)[0]
        assert sentence in beside, (field_id, beside)
    assert "Nothing is saved" not in html and "Choose" not in html and "whole number" not in html
    assert "Soumettre pour vérification" in html and "Crédibilité de l’information" in html
