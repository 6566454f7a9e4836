"""The resources pages in a real browser with the invented example files of docs/examples imported: the index
and UNMISS's page at 1280 and 420 px wide (screenshots under var/screenshots), never scrolling sideways.
Its own small server (a fresh SQLite file), so it does not wait for the demo build; the one conflict alert
and the patrol values are test fixtures, not data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from support.databases import make_database

from peaceops.access.policy import Actor
from peaceops.access.users import add_user
from peaceops.conflict.models import ConflictAlert, ForecastRun
from peaceops.framework import load_framework
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.performance.frameworks import create_framework
from peaceops.performance.values import save_value
from peaceops.platform import import_file
from peaceops.settings import REPO_ROOT, Settings
from peaceops.web import create_app

pytestmark = pytest.mark.e2e
PASSWORD = "browser resources"
WIDTHS = (1280, 420)
EXAMPLES = REPO_ROOT / "docs" / "examples"
KINDS = ("milestones", "requirements", "orders", "deliveries", "budgets")


@pytest.fixture(scope="module")
def resources_server(tmp_path_factory: pytest.TempPathFactory, serve) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("resources-e2e")
    for db in make_database("sqlite", folder):
        with db.write() as s:
            s.add(Mission(acronym="UNMISS", name="United Nations Mission in South Sudan", start_date=date(2011, 7, 9),
                          host_iso3="SSD", active=True))  # fmt: skip
            load_framework(s)
            add_user(s, "amina", PASSWORD, "analyst")
        for kind in KINDS:
            import_file(db, f"resources-{kind}", EXAMPLES / f"resources-{kind}.example.csv", "e2e")
        admin = Actor(username="e2e", role="admin")
        with db.write() as s:
            framework = create_framework(s, find_mission(s, "UNMISS"), admin)
            for period, value in (("2026-Q3", 300), ("2026-Q4", 200)):
                save_value(s, framework, "POC_PATROLS_DAY", period, value, admin, source="test fixture")
            run = ForecastRun(level="cm", cutoff=date(2026, 10, 1), horizon=3, model_version="test",
                              data_version="test", config_hash="e2e", config={}, units=1, seconds=0.0,
                              actor="e2e")  # fmt: skip
            s.add(run)
            s.flush()
            s.add(ConflictAlert(kind="escalation", level="cm", unit_id=626, country_gw=626, run_id=run.id,
                                cutoff=date(2026, 10, 1), risk=0.6, risk_before=0.45, evidence={},
                                summary="Test fixture alert", status="new"))  # fmt: skip
        settings = Settings(var_dir=folder / "var", secret_key="r" * 40)
        with serve(create_app(settings, db=db)) as base:
            yield base


def shoot(page: Page, screenshots: Path, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        page.screenshot(path=screenshots / f"resources-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_resources_pages_with_the_example_files(page: Page, resources_server: str, screenshots: Path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(resources_server + "/resources")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("User name").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Resources on mission timelines")).to_be_visible()
    expect(page.get_by_role("link", name="UNMISS")).to_be_visible()
    shoot(page, screenshots, "index")

    page.goto(resources_server + "/resources/UNMISS?as_of=2026-12-01")
    expect(page.get_by_role("heading", name="Late deliveries beside rising conflict alerts")).to_be_visible()
    risk = page.locator("section[aria-labelledby=risk-title]")
    expect(risk.get_by_role("link", name="South Sudan")).to_have_count(3)  # the fixture alert, by three rows
    expect(page.locator("#requirements-title ~ .table-scroll tbody tr")).to_have_count(7)
    expect(page.get_by_text("1,150,000 US dollars spent over 500")).to_be_visible()
    shoot(page, screenshots, "unmiss")

    page.get_by_label("Threat area").select_option("cyber")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#requirements-title ~ .table-scroll tbody tr")).to_have_count(1)
