"""Conflict monitoring in a real browser: the risk maps, a unit's fan chart, and an alert acknowledged."""

from __future__ import annotations

from pathlib import Path

import pytest
from pages import wait_for_charts
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("requests_stay_local")]


def test_dashboard_maps_unit_page_and_alert_triage(page: Page, live_server: str, screenshots: Path, sign_in):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "/conflict")
    wait_for_charts(page)
    board = page.request.get(live_server + "/api/conflict/dashboard?level=pgm").json()
    # One risk map and one events map per area (each fitted to its data), over the offline basemap.
    cells = page.locator("[id^=chart-risk] g.cells_marks path")
    assert cells.count() == len(board["units"]), "every cell is drawn, on its area's map"
    assert page.locator("[id^=chart-events] g.events_marks path").count() == len(board["events"])
    assert page.locator("[id^=chart-risk]").count() == len({u["country_gw"] for u in board["units"]})
    assert page.locator("[id^=chart-risk] g.mark-text text").count() > 0, "towns are named"
    expect(page.locator("#alert-list tbody tr")).to_have_count(len(board["alerts"]))
    page.screenshot(path=screenshots / "conflict-pgm.png", full_page=True)

    page.get_by_role("navigation", name="Level").get_by_role("link", name="Countries").click()
    wait_for_charts(page)
    countries = page.request.get(live_server + "/api/conflict/dashboard?level=cm").json()["units"]
    assert page.locator("#chart-risk g.countries_marks path").count() == len(countries)
    page.screenshot(path=screenshots / "conflict-cm.png", full_page=True)

    top = board["units"][0]
    page.goto(f"{live_server}/conflict/units/pgm/{top['unit_id']}")
    wait_for_charts(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(top["name"])
    assert page.locator("#chart-fan g.mark-area path").count() == 2, "the 50% and 90% bands"
    assert page.locator("#chart-fan g.mark-line path").count() == 2, "observed and median"
    page.screenshot(path=screenshots / "conflict-unit.png", full_page=True)

    alert = next(a for a in board["alerts"] if a["status"] == "new")
    page.goto(f"{live_server}/conflict/alerts/{alert['id']}")
    page.get_by_label("Note").fill("Shared with the JMAC")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#alert-status")).to_have_text("acknowledged")
    expect(page.get_by_text("Shared with the JMAC")).to_be_visible()
    page.screenshot(path=screenshots / "conflict-alert.png", full_page=True)
