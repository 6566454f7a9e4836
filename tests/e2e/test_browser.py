"""A real browser: sign in through the form, see the map and every chart drawn, never leave 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pages import wait_for_charts
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("requests_stay_local")]
MISSION_MARKS = "g.mark-symbol.role-mark path"


def test_sign_in_and_see_the_mission_map(page: Page, live_server: str, screenshots: Path, sign_in):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    wait_for_charts(page)
    points = page.request.get(live_server + "/api/home").json()["map"]
    mission_map = page.locator("#mission-map svg")
    expect(mission_map).to_be_visible()
    expect(page.locator(f"#mission-map {MISSION_MARKS}")).to_have_count(len(points))
    assert page.locator("#mission-map g.mark-shape path").count() > 150, "the countries are drawn"
    expect(page.locator(".stat-value").first).to_have_text(re.compile(r"\d"))
    page.screenshot(path=screenshots / "home.png", full_page=True)

    page.locator(f'#mission-map {MISSION_MARKS}[aria-label^="MINUSTAH:"]').click()
    expect(page).to_have_url(live_server + "/missions/MINUSTAH")
    expect(page.get_by_role("heading", level=1)).to_contain_text("MINUSTAH")


def test_mission_page_draws_every_chart(page: Page, live_server: str, screenshots: Path, sign_in):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "/missions/UNMISS")
    wait_for_charts(page)
    charts = {
        "strength": "g.mark-area path",
        "women": "g.mark-line path",
        "contributors": "g.mark-rect path",
        "fatalities": "g.mark-rect path",
    }
    for name, marks in charts.items():
        chart = page.locator(f"#chart-{name}")
        expect(chart.locator("svg")).to_be_visible()
        assert chart.locator(marks).count() > 0, name
    assert page.locator("#chart-contributors g.mark-rect path").count() == 20, "10 countries, women and men"
    expect(page.get_by_text("The gender data here stops in February 2014")).to_be_visible()
    page.screenshot(path=screenshots / "mission-unmiss.png", full_page=True)

    page.goto(live_server + "/missions/MINUSCA")
    wait_for_charts(page)
    expect(page.locator("#chart-strength svg")).to_be_visible()
    expect(page.get_by_text("No contributions by gender for MINUSCA")).to_be_visible()
    page.screenshot(path=screenshots / "mission-minusca.png", full_page=True)


def test_narrow_screen_keeps_the_charts_inside_the_page(page: Page, live_server: str, screenshots: Path, sign_in):
    page.set_viewport_size({"width": 400, "height": 800})
    sign_in(page, live_server, "/missions/UNMISS")
    wait_for_charts(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    page.screenshot(path=screenshots / "mission-unmiss-narrow.png", full_page=True)


def test_missions_filter_swaps_the_table_with_htmx(page: Page, live_server: str, screenshots: Path, sign_in):
    sign_in(page, live_server, "/missions")
    active = page.request.get(live_server + "/api/missions?status=active").json()["missions"]
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Active only").click()
    expect(page).to_have_url(live_server + "/missions?status=active")
    expect(page.locator("table.missions tbody tr")).to_have_count(len(active))
    assert page.evaluate("window.notReloaded") is True, "the table was swapped in place"
    page.screenshot(path=screenshots / "missions-active.png", full_page=True)


def test_framework_page_links_priorities_and_areas(page: Page, live_server: str, screenshots: Path, sign_in):
    sign_in(page, live_server, "/framework")
    page.locator("#A4Pplus-P6").get_by_role("link", name=re.compile("Protection")).click()
    expect(page).to_have_url(live_server + "/framework#A4P-3")
    expect(page.locator("#A4P-3")).to_contain_text("Strategic communications")
    page.screenshot(path=screenshots / "framework.png", full_page=True)


def test_admin_adds_a_user_in_the_browser(page: Page, live_server: str, screenshots: Path, sign_in, e2e_password: str):
    sign_in(page, live_server, "/admin/users", username="e2e-admin")
    page.get_by_label("User name").fill("e2e-viewer")
    page.get_by_label("Password").fill(e2e_password)
    page.get_by_label("Viewer: reads everything").check()
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("status")).to_contain_text("Created the account e2e-viewer")
    page.screenshot(path=screenshots / "admin-users.png", full_page=True)
    page.goto(live_server + "/admin/audit")
    expect(page.locator("table.audit")).to_contain_text("e2e-viewer")
    page.screenshot(path=screenshots / "admin-audit.png", full_page=True)


def test_an_anonymous_browser_sees_only_the_login_page(page: Page, live_server: str, screenshots: Path):
    page.goto(live_server + "/missions/UNMISS")
    expect(page).to_have_url(live_server + "/login?next=%2Fmissions%2FUNMISS")
    expect(page.get_by_role("heading", name="Sign in to peaceops")).to_be_visible()
    assert page.locator("nav.site-nav").count() == 0
    page.screenshot(path=screenshots / "login.png", full_page=True)
    api = page.request.get(live_server + "/api/home")
    assert api.status == 401 and api.json()["error"] == "LoginRequired"
