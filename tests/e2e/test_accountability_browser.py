"""A real browser on the accountability pages: charts drawn from the loaded data, filters, the incident
workflow through its forms, and a viewer kept from the allegation records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pages import sign_in_as as sign_in
from playwright.sync_api import Page, expect

from peaceops.access.users import add_user

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("requests_stay_local")]


def charts_drawn(page: Page, names: list[str]) -> None:
    page.wait_for_selector("body[data-ready='1']")
    assert page.evaluate("document.body.dataset.chartError") is None
    for name in names:
        chart = page.locator(f"#chart-{name}")
        expect(chart.locator("svg")).to_be_visible()
        assert chart.locator("g.mark-rect path, g.mark-line path, g.mark-area path, g.mark-symbol path").count() > 0, (
            name
        )


def test_conduct_page_draws_its_charts_and_filters_by_mission(
    page: Page, live_server: str, screenshots: Path, e2e_password: str
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "/conduct", "e2e-analyst", e2e_password)
    charts_drawn(page, ["years", "missions", "timeliness", "outcomes", "countries"])
    total = page.request.get(live_server + "/api/conduct/summary?by=mission").json()["total"]
    expect(page.locator("#stat-allegations")).to_have_text(f"{total}")
    page.screenshot(path=screenshots / "conduct.png", full_page=True)

    page.get_by_label("Mission", exact=True).select_option("MINUSCA")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(live_server + "/conduct?mission=MINUSCA&year=")
    charts_drawn(page, ["years", "timeliness", "outcomes", "countries"])
    minusca = page.request.get(live_server + "/api/conduct?mission=MINUSCA").json()["total"]
    expect(page.locator("#stat-allegations")).to_have_text(f"{minusca}")
    page.get_by_role("link", name=re.compile("Open the allegation records")).click()
    expect(page.locator("#records-table tbody tr")).to_have_count(50)
    page.screenshot(path=screenshots / "conduct-records.png", full_page=True)


def test_country_profile_draws_personnel_fatalities_and_allegations(
    page: Page, live_server: str, screenshots: Path, e2e_password: str
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "/countries", "e2e-analyst", e2e_password)
    page.get_by_role("link", name="South Africa").click()
    expect(page).to_have_url(live_server + "/countries/ZAF")
    charts_drawn(page, ["personnel", "women", "fatalities", "allegations"])
    profile = page.request.get(live_server + "/api/countries/ZAF").json()
    expect(page.locator("#stat-allegations")).to_have_text(str(profile["allegations"]["total"]))
    expect(page.locator("#stat-fatalities")).to_have_text(str(profile["fatalities"]["total"]))
    page.screenshot(path=screenshots / "country-zaf.png", full_page=True)


def test_safety_page_and_an_incident_moved_through_its_case(
    page: Page, live_server: str, screenshots: Path, e2e_password: str
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "/safety", "e2e-analyst", e2e_password)
    charts_drawn(page, ["fatalities", "rates", "malicious", "types", "comparison"])
    top = page.request.get(live_server + "/api/safety").json()["comparison"][0]["mission"]
    expect(page.locator("#stat-top-rate")).to_have_text(top)
    page.screenshot(path=screenshots / "safety.png", full_page=True)

    page.get_by_role("link", name="Record an incident").click()
    page.get_by_label("Mission", exact=True).select_option("MINUSCA")
    page.get_by_label("Date of the incident").fill("2024-02-03")
    page.get_by_label("Place").fill("Bangassou")
    page.get_by_label("Type of incident").select_option("Ambush")
    page.get_by_label("Peacekeepers killed").fill("1")
    page.get_by_role("button", name="Record the incident").click()
    expect(page.get_by_role("status")).to_contain_text("The incident is recorded")
    page.get_by_label("New status").select_option("case_opened")
    page.get_by_label("Effective on").fill("2024-03-01")
    page.get_by_role("button", name="Save the status").click()
    expect(page.locator("#incident-status")).to_contain_text("Case opened")
    expect(page.locator("#history tbody tr")).to_have_count(2)
    page.screenshot(path=screenshots / "safety-incident.png", full_page=True)


def test_a_viewer_cannot_open_the_allegation_records(
    page: Page, live_server: str, screenshots: Path, e2e_db, e2e_password: str
):
    with e2e_db.session() as s:
        add_user(s, "e2e-conduct-viewer", e2e_password, "viewer", actor="e2e")
    sign_in(page, live_server, "/conduct", "e2e-conduct-viewer", e2e_password)
    expect(page.get_by_role("note")).to_contain_text("aggregate figures only")
    page.goto(live_server + "/conduct/allegations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    page.screenshot(path=screenshots / "conduct-viewer-refused.png", full_page=True)
