"""Upload errors a person can act on (issue 17, part 3): a refused file goes back to the page it came from,
with the reason beside its upload form and the file expected; a run names the uploaded file, never the
server's temporary path; a file that is not a CSV is told so; a pledge line lists every problem it has."""

from __future__ import annotations

import re

import pytest
from accountability_support import csrf_from

from peaceops.platform import import_file

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
PLEDGE_HEADER = "country,event,date,area,type,title,quantity,unit,status,status_date,evidence"
GOOD_PLEDGE = "NPL,Accra ministerial,2023-12-06,A4P+.P4,troops,Engineering company,150,personnel,announced,,"
ENV_HEADER = "mission,period_start,period_end,energy_mwh"


def _upload(client, page: str, kind: str, name: str, content: bytes):
    html = client.get(page).text
    back = re.search(r'name="back" value="([^"]*)"', html)
    assert back, "the upload form says which page it is on"
    data = {"csrf_token": csrf_from(html), "kind": kind, "back": back.group(1).replace("&amp;", "&")}
    return client.post("/imports/upload", data=data, files={"file": (name, content, "text/csv")})


@pytest.mark.parametrize(
    ("user", "page", "kind", "nav"),
    [
        ("analyst", "/pledges", "pledges", "/pledges"),
        ("analyst", "/environment?mission=MINUSCA", "environment", "/environment"),
        ("officer", "/incidents", "incidents", "/incidents"),
    ],
)
def test_a_refused_upload_is_told_on_the_page_it_came_from_beside_its_form(client_as, user, page, kind, nav):
    client = client_as(user)
    response = _upload(client, page, kind, "photo.png", PNG)
    assert response.status_code == 200
    assert str(response.url).removeprefix("http://testserver") == page, "back on the page the file came from"
    text = response.text
    assert "Error 400" not in text and "The request could not be done" not in text
    error = re.search(r'<div class="alert upload-error" id="upload-file-error" role="alert">(.*?)</div>', text, re.S)
    assert error, "the reason is shown beside the upload form"
    assert "photo.png is a PNG image, not a CSV file." in error.group(1) and "CSV UTF-8" in error.group(1)
    assert "The file expected:" in error.group(1) and "CSV" in error.group(1)
    assert 'aria-describedby="upload-file-error"' in text and 'action="/imports/upload"' in text, "form kept"
    assert re.search(rf'<a href="{nav}"[^>]*aria-current="page"', text), "its own section stays highlighted"
    again = client.get(page).text
    assert "upload-file-error" not in again, "the message is shown once, not on every later visit"


def test_an_upload_refused_elsewhere_does_not_show_on_another_pages_form(client_as):
    client = client_as("analyst")
    _upload(client, "/environment", "environment", "photo.png", PNG)
    # the message was for the environment page: the browser was sent there and it was shown there once
    assert "upload-file-error" not in client.get("/pledges").text


def test_the_back_field_cannot_send_the_browser_to_another_site(client_as):
    client = client_as("analyst")
    html = client.get("/pledges").text
    data = {"csrf_token": csrf_from(html), "kind": "pledges", "back": "//evil.example/x"}
    response = client.post(
        "/imports/upload", data=data, files={"file": ("p.png", PNG, "image/png")}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_an_imported_upload_names_its_own_file_never_a_server_path(client_as):
    client = client_as("analyst")
    body = f"{PLEDGE_HEADER}\n{GOOD_PLEDGE}\n".encode()
    response = _upload(client, "/pledges", "pledges", "accra-pledges.csv", body)
    assert response.status_code == 200 and str(response.url).endswith("/pledges"), "back on the pledges page"
    done = re.search(
        r'<div class="notice upload-done" id="upload-file-done" role="status">(.*?)</div>', response.text, re.S
    )
    assert done, "what the upload did is shown beside the upload form"
    assert "accra-pledges.csv is imported: 1 added, 0 updated, 0 unchanged, 0 rejected." in done.group(1)
    run_link = re.search(r'href="(/imports/\d+)"', done.group(1))
    assert run_link, "with a link to the run's page, which lists every line"
    assert re.search(r'<a href="/pledges"[^>]*aria-current="page"', response.text), "the section stays highlighted"
    run_page = client.get(run_link.group(1))
    assert run_page.status_code == 200 and "accra-pledges.csv" in run_page.text
    for page in (response.text, run_page.text):
        assert "/tmp" not in page and "tmp" not in re.sub(r"<script.*?</script>", "", page, flags=re.S)
    runs = client.get("/api/imports").json()["runs"]
    assert runs[0]["source"] == "accra-pledges.csv" and runs[0]["source_name"] == "accra-pledges.csv"
    detail = client.get(f"/api/imports/{runs[0]['id']}").json()
    assert detail["run"]["source"] == "accra-pledges.csv"
    api = client.post(
        "/api/imports/pledges",
        files={"file": ("C:\\Users\\me\\pledges.csv", body, "text/csv")},
        headers={"X-CSRF-Token": csrf_from(client.get("/pledges").text)},
    )
    assert api.status_code == 200 and api.json()["source"] == "pledges.csv"
    assert "tmp" not in client.get("/imports").text.split("<main", 1)[1]


def test_a_pledge_line_lists_every_problem_it_has_and_the_good_lines_are_kept(register_db, tmp_path):
    bad = "XYZ,Accra ministerial,not a date,A4P.42,ships,Three problems,-4,,promised,,"
    path = tmp_path / "pledges.csv"
    path.write_text(f"{PLEDGE_HEADER}\n{GOOD_PLEDGE}\n{bad}\n", encoding="utf-8")
    report = import_file(register_db, "pledges", path, "test")
    assert (report.inserted, report.rejected) == (1, 1)
    reason = report.rejections[0].reason
    assert reason.startswith("Line 3: ")
    for problem in ("'XYZ' is not an ISO 3166", "'not a date' is not a date", "A4P.42", "'ships'", "'promised'"):
        assert problem in reason, problem
    assert "quantity -4 is negative" in reason


def test_a_pledge_date_written_as_a_null_marker_is_refused_as_empty(register_db, tmp_path):
    path = tmp_path / "pledges.csv"
    path.write_text(f"{PLEDGE_HEADER}\n{GOOD_PLEDGE.replace('2023-12-06', 'NA')}\n", encoding="utf-8")
    report = import_file(register_db, "pledges", path, "test")
    assert report.inserted == 0 and "The pledge date is empty." in report.rejections[0].reason
