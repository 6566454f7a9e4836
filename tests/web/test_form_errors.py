"""Errors a person can act on, forms that guide (issue 17, parts 3 and 4), through the web client.

Every problem of a form is told beside its field, in plain words and in the person's language, on the form
as it was filled in; an upload is answered beside the upload form of the page it came from (what was wrong
and which file is expected, or what was imported); an error page keeps the section the person was working in
and offers the way back; actions are offered only to those the access policy lets take them."""

from __future__ import annotations

import html
import re

import pytest
from webclient import csrf_from

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
PLEDGE_HEADER = "country,event,date,area,type,title"


def field_errors(page: str) -> dict[str, str]:
    """The sentence shown beside each field: field id -> text."""
    found = re.findall(r'<p class="field-error" id="([\w-]+)-error">(.*?)</p>', page, re.S)
    return {name: html.unescape(text) for name, text in found}


def described_by(page: str, field_id: str) -> str:
    """The aria-describedby of the field ``field_id`` (where a screen reader finds its error)."""
    tag = re.search(rf'<(?:input|select|textarea|fieldset)\b[^>]*\bid="{field_id}"[^>]*>', page)
    assert tag, field_id
    found = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
    return found.group(1) if found else ""


def section(page: str) -> list[str]:
    """The navigation links marked as the current page or section."""
    return re.findall(r'<a href="([^"]+)"[^>]*aria-current="page"', page)


def french(client):
    client.cookies.set("peaceops_lang", "fr")
    return client


# ---- the pledge form: every problem at once, each beside its field, the input kept ----------------------------


def test_the_pledge_form_tells_every_problem_beside_its_field_and_keeps_what_was_typed(signed_in):
    analyst = signed_in("analyst")
    token = csrf_from(analyst.get("/pledges/new").text)
    sent = {
        "csrf_token": token,
        "country": "XYZ",
        "event": "   ",
        "pledged_on": "14/03/2024",
        "area": "A4P.99",
        "pledge_type": "troops",
        "title": "An engineering company",
        "quantity": "lots",
    }
    answer = analyst.post("/pledges", data=sent)
    assert answer.status_code == 422
    errors = field_errors(answer.text)
    assert set(errors) == {"pledge-country", "pledge-event", "pledge-date", "pledge-area", "pledge-quantity"}
    assert "'XYZ' is not an ISO 3166 alpha-3 code" in errors["pledge-country"]
    assert errors["pledge-event"] == "The event needs 1 to 160 characters."
    assert "'14/03/2024' is not a date (YYYY-MM-DD)" in errors["pledge-date"]
    assert "'A4P.99' is not in the A4P framework" in errors["pledge-area"]
    assert "'lots' is not a number" in errors["pledge-quantity"]
    assert "5 fields need correcting" in answer.text, "one short line above the form says how many"
    assert described_by(answer.text, "pledge-country") == "pledge-country-error"
    assert 'aria-invalid="true"' in re.search(r'<input id="pledge-country"[^>]*>', answer.text).group(0)
    assert 'value="An engineering company"' in answer.text and 'value="lots"' in answer.text, "input kept"
    assert re.search(r'<option value="troops" selected>', answer.text), "the chosen type stays chosen"
    for internal in ("string_too_short", "value_error", "String should have", "Traceback"):
        assert internal not in answer.text


def test_the_pledge_form_speaks_french_beside_its_fields(signed_in):
    analyst = french(signed_in("analyst"))
    token = csrf_from(analyst.get("/pledges/new").text)
    answer = analyst.post(
        "/pledges",
        data={
            "csrf_token": token,
            "country": "XYZ",
            "event": "Ministérielle",
            "pledged_on": "2099-01-01",
            "area": "A4P.4",
            "pledge_type": "troops",
            "title": "Compagnie du génie",
        },  # fmt: skip
    )
    assert answer.status_code == 422
    errors = field_errors(answer.text)
    assert errors["pledge-country"].startswith("Le pays 'XYZ' n’est pas un code ISO 3166 alpha-3")
    assert errors["pledge-date"] == "La date de l’annonce, 2099-01-01, est dans le futur."
    assert "Rien n’est encore enregistré : 2 champs sont à corriger" in html.unescape(answer.text)


def test_the_pledge_form_lists_the_countries_it_takes(signed_in):
    page = french(signed_in("analyst")).get("/pledges/new").text
    assert 'list="pledge-countries"' in page
    assert '<option value="NPL">Népal</option>' in page and '<option value="BGD">Bangladesh</option>' in page


def test_a_pledge_status_form_starts_on_no_choice_and_tells_its_problem_beside_the_field(signed_in):
    analyst = signed_in("analyst")
    token = csrf_from(analyst.get("/pledges/new").text)
    made = analyst.post(
        "/pledges",
        data={
            "csrf_token": token,
            "country": "NPL",
            "event": "Accra ministerial",
            "pledged_on": "2023-12-06",
            "area": "A4P.4",
            "pledge_type": "troops",
            "title": "A quick reaction force",
        },  # fmt: skip
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    page_url = made.headers["location"].split("?")[0]
    page = analyst.get(page_url).text
    select = re.search(r'<select id="new-status".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="" selected>', select), "no status is preselected"
    answer = analyst.post(
        f"{page_url}/status",
        data={"csrf_token": token, "status": "delivered", "effective_on": "2024-02-01", "note": "Deployed in May"},
    )
    assert answer.status_code == 422
    assert field_errors(answer.text) == {
        "status-evidence": "A delivered pledge needs evidence (a document, a link, a report)."
    }
    assert ">Deployed in May</textarea>" in answer.text and '<option value="delivered" selected>' in answer.text


# ---- other forms of the accountability and mediation sections ---------------------------------------------------


def test_the_environment_form_tells_each_figure_its_problem(signed_in):
    analyst = signed_in("analyst")
    token = csrf_from(analyst.get("/environment/new").text)
    answer = analyst.post(
        "/environment",
        data={
            "csrf_token": token,
            "mission": "UNMISS",
            "period_start": "2024-06-01",
            "period_end": "2024-01-31",
            "energy_mwh": "100",
            "renewable_mwh": "250",
            "renewable_target_pct": "140",
            "water_m3": "-3",
        },  # fmt: skip
    )
    assert answer.status_code == 422
    errors = field_errors(answer.text)
    assert errors["env-end"] == "The period ends (2024-01-31) before it starts (2024-06-01)."
    assert errors["env-renewable_mwh"] == "The renewable energy (250 MWh) exceeds the total (100 MWh)."
    assert errors["env-renewable_target_pct"] == "The renewable target is a percentage: 0 to 100."
    assert errors["env-water_m3"] == "Water used cannot be negative."
    assert 'value="250"' in answer.text


def test_the_serious_incident_form_tells_each_field_its_problem(signed_in):
    analyst = signed_in("analyst")
    token = csrf_from(analyst.get("/safety/incidents/new").text)
    answer = analyst.post(
        "/safety/incidents",
        data={
            "csrf_token": token,
            "mission": "UNMISS",
            "occurred_on": "yesterday",
            "location": " ",
            "incident_type": "Ambush",
            "fatalities": "two",
            "description": "An ambush on the road.",
        },  # fmt: skip
    )
    assert answer.status_code == 422
    errors = field_errors(answer.text)
    assert set(errors) == {"incident-date", "incident-location", "incident-fatalities"}
    assert "'yesterday' is not a date" in errors["incident-date"]
    assert described_by(answer.text, "incident-description") == "description-help", "its own help kept"
    assert ">An ambush on the road.</textarea>" in answer.text


def test_the_roster_names_the_clearances_it_takes_beside_the_field(signed_in):
    admin = signed_in("admin")
    page = admin.get("/roster/new").text
    options = re.findall(
        r'<option value="(\w+)"', re.search(r'<select id="ex-clearance".*?</select>', page, re.S).group(0)
    )
    assert options == ["none", "confidential", "strictly_confidential"], "the field lists the values it takes"
    answer = admin.post(
        "/roster",
        data={
            "csrf_token": csrf_from(page),
            "name": "Amina Diallo",
            "email": "amina@example.org",
            "expertise": "elections",
            "clearance": "secret",
        },  # fmt: skip
    )
    assert answer.status_code == 422
    error = field_errors(answer.text)["ex-clearance"]
    assert "'secret'" in error and "confidential (UN confidential)" in error
    assert 'value="amina@example.org"' in answer.text


def test_a_helpdesk_request_is_told_which_field_to_correct(signed_in):
    analyst = signed_in("analyst")
    token = csrf_from(analyst.get("/helpdesk/new").text)
    answer = analyst.post(
        "/helpdesk",
        data={
            "csrf_token": token,
            "title": "Ceasefire monitoring adviser",
            "expertise": "ceasefire_monitoring",
            "region": "MLI",
            "urgency": "priority",
            "needed_from": "2027-03-01",
            "needed_to": "2027-02-01",
        },  # fmt: skip
    )
    assert answer.status_code == 422
    assert field_errors(answer.text) == {"req-to": "Needed until is before needed from."}


# ---- uploads: the answer beside the upload form of the page it came from ---------------------------------------


def _upload(client, page: str, kind: str, files: dict | None):
    html_page = client.get(page).text
    data = {"csrf_token": csrf_from(html_page), "kind": kind, "back": page}
    return client.post("/imports/upload", data=data, files=files or {})


def test_an_upload_without_a_file_is_told_beside_the_form_in_the_section_it_came_from(signed_in):
    analyst = signed_in("analyst")
    answer = _upload(analyst, "/pledges", "pledges", None)
    assert answer.status_code == 200 and str(answer.url).endswith("/pledges")
    error = re.search(
        r'<div class="alert upload-error" id="upload-file-error" role="alert">(.*?)</div>', answer.text, re.S
    )
    assert error and "Choose a file to import." in error.group(1)
    assert "The file expected: Member States&#39; pledges (CSV: country, event, date" in error.group(1)
    assert "/pledges" in section(answer.text) and "Error 422" not in answer.text


def test_a_refused_upload_is_told_in_french_naming_the_file_expected(signed_in):
    analyst = french(signed_in("analyst"))
    answer = _upload(analyst, "/pledges", "pledges", {"file": ("photo.png", PNG, "image/png")})
    assert answer.status_code == 200 and str(answer.url).endswith("/pledges")
    error = html.unescape(re.search(r'id="upload-file-error" role="alert">(.*?)</div>', answer.text, re.S).group(1))
    assert "photo.png est une image PNG, pas un fichier CSV." in error
    assert "Choisissez un fichier CSV" in error
    assert "Fichier attendu : Annonces de contributions des États Membres (CSV : country, event" in error


def test_an_imported_upload_is_told_beside_the_form_with_the_way_to_its_rejected_lines(signed_in):
    analyst = signed_in("analyst")
    body = f"{PLEDGE_HEADER}\nNPL,Accra,2023-12-06,A4P.4,troops,Company\nXYZ,Accra,2023-12-06,A4P.4,ships,Bad\n"
    answer = _upload(analyst, "/pledges", "pledges", {"file": ("accra.csv", body.encode(), "text/csv")})
    assert answer.status_code == 200 and str(answer.url).endswith("/pledges")
    done = re.search(r'id="upload-file-done" role="status">(.*?)</div>', answer.text, re.S).group(1)
    assert "accra.csv is imported: 1 added, 0 updated, 0 unchanged, 1 rejected." in done
    run = re.search(r'href="(/imports/\d+)"', done).group(1)
    rejected = analyst.get(run).text
    assert "Line 3: The country &#39;XYZ&#39; is not an ISO 3166 alpha-3 code" in rejected
    assert "The type &#39;ships&#39; is not one of troops (Troops)" in rejected, "every problem of the line"
    assert "/tmp" not in answer.text + rejected


def test_communications_items_refused_as_a_whole_go_back_to_the_communications_page(signed_in):
    analyst = signed_in("analyst")
    token = csrf_from(analyst.get("/comms").text)
    answer = analyst.post("/comms/items/import", data={"csrf_token": token}, files={"file": ("photo.png", PNG)})
    assert answer.status_code == 200 and str(answer.url).split("#")[0].endswith("/comms")
    error = html.unescape(re.search(r'id="items-file-error" role="alert">(.*?)</div>', answer.text, re.S).group(1))
    assert "photo.png is a PNG image, not a CSV file." in error and "no 'text' column" not in error
    assert "The file expected: monitored items as a CSV file (UTF-8)" in error and "JSONL" in error


# ---- error pages: plain words, the way back, the section kept ---------------------------------------------------


def test_a_form_the_browser_sent_incomplete_keeps_its_section_and_offers_the_way_back(signed_in):
    analyst = french(signed_in("analyst"))
    token = csrf_from(analyst.get("/pledges/new").text)
    answer = analyst.post("/pledges", data={"csrf_token": token}, headers={"referer": "http://testserver/pledges/new"})
    assert answer.status_code == 422
    text = html.unescape(answer.text)
    assert "Renseignez le champ « date de l’annonce »." in text and "pledged on" not in text
    assert '<a href="/pledges/new" id="error-back">Retour à la page précédente</a>' in text
    assert "/pledges" in section(answer.text), "the pledges section stays highlighted"


def test_a_refusal_with_status_400_has_a_title_in_plain_words(signed_in):
    analyst = signed_in("analyst")
    token = csrf_from(analyst.get("/pledges").text)
    answer = analyst.post(
        "/imports/upload",
        data={"csrf_token": token, "kind": "pledges"},
        files={"file": ("photo.png", PNG, "image/png")},
        headers={"referer": "http://testserver/pledges"},
    )
    assert answer.status_code == 400
    assert "This could not be done" in answer.text and "The request could not be done" not in answer.text
    assert 'id="error-back"' in answer.text and "/pledges" in section(answer.text)


# ---- actions offered only to those who may take them ----------------------------------------------------------


@pytest.mark.parametrize(("user", "offered"), [("viewer", False), ("officer", False), ("analyst", True)])
def test_the_commitments_upload_is_offered_only_to_who_may_upload(signed_in, user, offered):
    page = signed_in(user).get("/commitments").text
    assert ('name="kind" value="commitments"' in page) is offered


def test_creating_a_results_framework_is_offered_only_for_the_missions_one_may_edit(signed_in):
    viewer_page = signed_in("viewer").get("/performance").text
    assert "/create" not in viewer_page
    officer_page = signed_in("officer").get("/performance").text
    assert re.findall(r'action="/performance/missions/(\w+)/create"', officer_page) == ["UNMISS"]
    analyst_page = signed_in("analyst").get("/performance").text
    assert len(re.findall(r'action="/performance/missions/\w+/create"', analyst_page)) > 5


def test_pledges_filtered_by_an_area_the_framework_lacks_are_refused_in_plain_words(signed_in):
    viewer = signed_in("viewer")
    answer = viewer.get("/api/pledges?area=A4P.99")
    assert answer.status_code == 422
    assert answer.json()["detail"] == "The area 'A4P.99' is not in the A4P framework; /framework lists the area codes."
    assert viewer.get("/api/pledges?area=A4P.4").status_code == 200


def test_a_roster_file_refused_as_a_whole_is_told_on_the_roster_page(signed_in):
    analyst = signed_in("analyst")
    token = csrf_from(analyst.get("/roster").text)
    answer = analyst.post("/roster/import", data={"csrf_token": token}, files={"file": ("cv.pdf", b"%PDF-1.4\n%x\n")})
    assert answer.status_code == 200 and str(answer.url).split("#")[0].endswith("/roster")
    error = html.unescape(re.search(r'id="import-file-error" role="alert">(.*?)</div>', answer.text, re.S).group(1))
    assert "cv.pdf is a PDF document, not a CSV file." in error
    assert "The file expected: Experts (CSV: name, email, expertise" in error
    assert described_by(answer.text, "import-file") == "import-file-error"
