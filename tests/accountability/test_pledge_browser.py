"""A real browser: an analyst records a pledge through the form and finds it on the pledging country's
contribution profile; the environment and partnerships pages draw their charts from records entered here.

A live server of its own over SQLite with only the missions register (no pledge, environment or partnership
data ships with peaceops), Debian's Chromium as in tests/e2e (RECIPES.md section 1, tests/conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from accountability_support import load
from playwright.sync_api import Page, expect

from peaceops.access.users import add_user
from peaceops.environment.reports import EnvironmentInput, save_environment
from peaceops.partnerships.cooperation import FrameworkInput, MilestoneInput, add_milestone, record_framework
from peaceops.platform import prepare
from peaceops.settings import REPO_ROOT, Settings
from peaceops.store import Database
from peaceops.web import create_app

pytestmark = pytest.mark.e2e
PASSWORD = "browser password, long enough"
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"


class Analyst:
    username, role, mission = "browser-analyst", "analyst", None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, serve) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("pledge-browser")
    db = Database(f"sqlite:///{tmp / 'peaceops.sqlite'}")
    prepare(db)
    load(db, data_dir, "missions")
    with db.session() as s:
        add_user(s, Analyst.username, PASSWORD, "analyst", actor="test")
        for start, end, renewable, water in (
            ("2024-01-01", "2024-06-30", 150, 50000),
            ("2024-07-01", "2024-12-31", 330, 65000),
        ):
            save_environment(
                s,
                Analyst(),
                EnvironmentInput(
                    mission="MINUSCA",
                    period_start=date.fromisoformat(start),
                    period_end=date.fromisoformat(end),
                    energy_mwh=1000,
                    renewable_mwh=renewable,
                    renewable_target=0.2,
                    water_m3=water,
                    water_target_m3=60000,
                    source="browser test entry",
                ),
            )
        framework = record_framework(s, Analyst(), FrameworkInput("TEST-JF", "A test framework", "African Union"))
        add_milestone(
            s, Analyst(), framework.id, MilestoneInput("Overdue review", "UNOAU", date.today() - timedelta(5))
        )
        add_milestone(s, Analyst(), framework.id, MilestoneInput("Next review", "UNOAU", date.today() + timedelta(30)))
    settings = Settings(var_dir=tmp / "var", data_dir=data_dir, secret_key="b" * 40)
    app = create_app(settings, db=db)
    with serve(app) as base:
        yield base
    db.dispose()


def sign_in(page: Page, server: str, path: str) -> None:
    page.goto(server + path)
    page.get_by_label("User name").fill(Analyst.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(server + path)))


def charts_drawn(page: Page, names: list[str]) -> None:
    page.wait_for_selector("body[data-ready='1']")
    assert page.evaluate("document.body.dataset.chartError") is None
    for name in names:
        chart = page.locator(f"#chart-{name}")
        expect(chart.locator("svg")).to_be_visible()
        assert chart.locator("g.mark-rect path, g.mark-tick path, g.mark-symbol path").count() > 0, name


def test_a_pledge_added_in_the_browser_appears_on_the_country_profile(page: Page, server: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, server, "/pledges")
    expect(page.locator("#pledges-empty")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "pledges-empty.png", full_page=True)

    page.get_by_role("link", name="Record a pledge").first.click()
    page.get_by_label("Pledging country").fill("NPL")
    page.get_by_label("Event").fill("Browser test ministerial")
    page.get_by_label("Date of the pledge").fill("2025-05-13")
    page.get_by_label("A4P / A4P+ area").select_option("A4P+.P4")
    page.get_by_label("Type").select_option("troops")
    page.get_by_label("What is pledged").fill("Quick reaction force company (test)")
    page.get_by_label("Quantity").fill("180")
    page.get_by_label("Unit").fill("personnel")
    page.get_by_role("button", name="Record the pledge").click()
    expect(page).to_have_url(re.compile(r"/pledges/\d+\?recorded=1$"))
    expect(page.locator("#pledge-status")).to_contain_text("Announced")

    page.get_by_label("New status").select_option("in_progress")
    page.get_by_role("button", name="Save the status").click()
    expect(page.locator("#pledge-status")).to_contain_text("In progress")
    expect(page.locator("#history tbody tr")).to_have_count(2)
    page.screenshot(path=SCREENSHOTS / "pledge.png", full_page=True)

    page.get_by_role("link", name="Nepal").click()
    expect(page).to_have_url(server + "/countries/NPL")
    row = page.locator("#country-pledges tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Quick reaction force company (test)")
    expect(row).to_contain_text("In progress")
    charts_drawn(page, ["pledges"])
    page.locator("#pledges-title").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "country-npl-pledges.png", full_page=True)

    page.goto(server + "/pledges")
    charts_drawn(page, ["countries", "areas"])
    expect(page.locator("#stat-pledges")).to_have_text("1")
    page.screenshot(path=SCREENSHOTS / "pledges.png", full_page=True)
    assert outside == []


def test_environment_and_partnerships_pages_draw_their_charts(page: Page, server: str):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, server, "/environment")
    charts_drawn(page, ["renewable_share", "water_m3"])
    expect(page.locator("#stat-renewable_share")).to_have_text("1 / 2")
    expect(page.locator("#environment-table tbody tr")).to_have_count(2)
    page.screenshot(path=SCREENSHOTS / "environment.png", full_page=True)

    page.goto(server + "/partnerships")
    charts_drawn(page, ["milestones"])
    expect(page.locator("#overdue-table tbody tr")).to_have_count(1)
    expect(page.locator("#overdue-table")).to_contain_text("Overdue review")
    page.screenshot(path=SCREENSHOTS / "partnerships.png", full_page=True)
