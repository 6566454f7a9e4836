"""A real browser files an incident by clicking the map, a second officer verifies it, and it appears on
the clustered map and in the weekly counts; the form and map are also looked at on a phone-sized screen.

The module runs its own small server (missions register, a gazetteer from the real CAR UCDP GED events,
three accounts) so it does not need the whole demo database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pages import sign_in_as
from playwright.sync_api import Browser, Page, expect

from peaceops.access.users import add_user
from peaceops.incidents.gazetteer import build_gazetteer
from peaceops.platform import import_file, prepare
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.events import read_event_file, write_events
from peaceops.web import create_app

pytestmark = [pytest.mark.e2e]
PASSWORD = "incident browser password"


@pytest.fixture(scope="module")
def incident_server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, serve) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("incident-e2e")
    var = tmp / "var"
    write_events(var, read_event_file(data_dir / "ucdp" / "ged" / "ged_central_african_republic.csv.gz"))
    db = Database(f"sqlite:///{tmp / 'peaceops.sqlite'}")
    prepare(db)
    import_file(db, "missions", data_dir / "un_peacekeeping" / "missions" / "DPPADPOSS-PKO.csv", "e2e")
    with db.session() as s:
        build_gazetteer(s, var, "e2e")
        add_user(s, "field-reporter", PASSWORD, "mission_officer", mission="MINUSCA")
        add_user(s, "jmac-verifier", PASSWORD, "mission_officer", mission="MINUSCA")
        add_user(s, "other-mission", PASSWORD, "mission_officer", mission="MONUSCO")
    app = create_app(Settings(var_dir=var, data_dir=data_dir, secret_key="b" * 40), db=db)
    with serve(app) as base:
        yield base
    db.dispose()


def _local_only(page: Page, base: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_file_by_map_click_verify_as_another_officer_then_map_and_weekly_counts(
    browser: Browser, incident_server: str, screenshots: Path
):
    reporter = browser.new_page(viewport={"width": 1200, "height": 1000})
    seen = _local_only(reporter, incident_server)
    sign_in_as(reporter, incident_server, "/incidents/new", "field-reporter", PASSWORD)
    reporter.wait_for_selector("body[data-map-ready='1']")
    expect(reporter.locator("#form-map path.leaflet-interactive, #form-map svg path").first).to_be_attached()
    reporter.screenshot(path=screenshots / "incident-form.png", full_page=True)

    box = reporter.locator("#form-map").bounding_box()
    assert box
    reporter.mouse.click(box["x"] + box["width"] / 2 + 15, box["y"] + box["height"] / 2 + 10)
    lon, lat = float(reporter.locator("#f-lon").input_value()), float(reporter.locator("#f-lat").input_value())
    assert 17.5 < lon < 19.8 and 3.3 < lat < 5.4  # the map opens on MINUSCA's headquarters, Bangui

    reporter.get_by_label("Category", exact=True).select_option("attack_civilians")
    reporter.get_by_label("Subcategory").select_option("attack_civilians.looting")
    reporter.locator("#f-actors").fill("3R")
    reporter.get_by_label("civilians killed").fill("2")
    reporter.get_by_label("What happened").fill("Village looted and burned at dawn.")
    reporter.get_by_label("Source type").select_option("community_alert_network")
    reporter.get_by_label("Source reliability").select_option("B")
    reporter.get_by_label("Information credibility").select_option("2")
    reporter.get_by_role("button", name="Submit for verification").click()
    expect(reporter.locator("#incident-status")).to_have_text("submitted")
    incident_id = int(re.search(r"/incidents/(\d+)", reporter.url).group(1))
    expect(reporter.get_by_text("another officer verifies your report")).to_be_visible()

    verifier_context = browser.new_context(viewport={"width": 1200, "height": 1000})
    verifier = verifier_context.new_page()
    seen += _local_only(verifier, incident_server)
    sign_in_as(verifier, incident_server, f"/incidents/{incident_id}", "jmac-verifier", PASSWORD)
    verifier.get_by_role("button", name="Verify").click()
    expect(verifier.locator("#incident-status")).to_have_text("verified")
    verifier.screenshot(path=screenshots / "incident-detail.png", full_page=True)

    verifier.goto(incident_server + "/incidents")
    verifier.wait_for_selector("body[data-map-ready='1']")
    ids = verifier.locator("#incident-map").get_attribute("data-ids") or ""
    assert str(incident_id) in ids.split()
    expect(verifier.locator("#incident-map .leaflet-interactive, #incident-map .marker-cluster").first).to_be_visible()
    weekly = verifier.locator("#weekly-counts")
    expect(weekly).to_be_visible()
    assert "Bangui" in weekly.locator("tbody th").first.inner_text()
    assert weekly.locator("tbody tr").first.locator("td").last.inner_text().strip() == "1"
    verifier.screenshot(path=screenshots / "incident-map.png", full_page=True)

    phone = verifier_context.new_page()  # the same signed-in session, on a phone-sized screen
    phone.set_viewport_size({"width": 390, "height": 844})
    seen += _local_only(phone, incident_server)
    phone.goto(incident_server + "/incidents")
    phone.wait_for_selector("body[data-map-ready='1']")
    phone.screenshot(path=screenshots / "incident-map-phone.png", full_page=True)
    phone.goto(incident_server + "/incidents/new")
    phone.wait_for_selector("body[data-map-ready='1']")
    phone.screenshot(path=screenshots / "incident-form-phone.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen

    reporter.close()
    verifier_context.close()
    outside = [u for u in seen if not u.startswith((incident_server + "/", "data:", "blob:"))]
    assert seen and outside == []


def test_edit_a_report_from_its_page_naming_a_new_place(browser: Browser, incident_server: str, screenshots: Path):
    """The edit form opens with the stored place and coordinates; naming another place drops the old
    coordinates (the gazetteer gives the new ones), and the saved report is at the new place."""
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    sign_in_as(page, incident_server, "/incidents/new", "field-reporter", PASSWORD)
    page.get_by_label("or place").fill("Bria")
    page.get_by_label("Category", exact=True).select_option("threat")
    page.get_by_label("Source type").select_option("media")
    page.get_by_label("Source reliability").select_option("C")
    page.get_by_label("Information credibility").select_option("3")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#incident-status")).to_have_text("draft")
    incident_id = int(re.search(r"/incidents/(\d+)", page.url).group(1))

    page.locator("#edit-link").click()
    expect(page).to_have_url(re.compile(rf"/incidents/{incident_id}/edit$"))
    page.wait_for_selector("body[data-map-ready='1']")
    expect(page.get_by_label("or place")).to_have_value("Bria town")
    assert page.locator("#f-lon").input_value() != "" and page.locator("#f-lat").input_value() != ""
    expect(page.get_by_label("Category", exact=True)).to_have_value("threat")
    page.get_by_label("or place").fill("Bambari")
    page.get_by_label("or place").dispatch_event("change")
    expect(page.locator("#f-lon")).to_have_value("")
    page.get_by_label("What happened").fill("Threats against the market traders.")
    page.screenshot(path=screenshots / "incident-edit.png", full_page=True)
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#incident-status")).to_have_text("draft")
    expect(page.get_by_text("The changes are saved.")).to_be_visible()
    expect(page.get_by_text("Bambari town")).to_be_visible()
    expect(page.get_by_text("Threats against the market traders.")).to_be_visible()

    page.set_viewport_size({"width": 420, "height": 900})
    page.goto(f"{incident_server}/incidents/{incident_id}/edit")
    page.wait_for_selector("body[data-map-ready='1']")
    page.screenshot(path=screenshots / "incident-edit-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 420  # nothing wider than the screen
    context.close()
