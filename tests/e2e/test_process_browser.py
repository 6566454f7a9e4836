"""A real browser on a peace process: the coordination warning shows with its reason, the timeline draws.

This module runs its own small server (one process over the real UCDP peace agreements), not the shared
demo database: the page needs nothing else, and loading the whole demo would cost minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pages import wait_for_charts
from playwright.sync_api import Page, expect

from peaceops.access.users import add_user
from peaceops.platform import import_file, prepare
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("requests_stay_local")]


class _Editor:
    username = "e2e"
    role = "analyst"
    mission = None


# A test scenario over real agreements of the UCDP dataset (South Sudan, conflict 11345); the mediators are
# placeholders, not a record of who mediated.
SCENARIO = ProcessDoc(
    name="South Sudan talks (test scenario)",
    conflict="South Sudan: Government",
    country="South Sudan",
    region="Horn of Africa",
    tracks=["I", "III"],
    ucdp_conflicts=[11345],
    ucdp_agreements=[1482, 29, 1625],
    phases=[
        {"phase": "negotiation", "started_on": "2014-01-01"},
        {"phase": "implementation", "started_on": "2015-08-17"},
        {"phase": "negotiation", "started_on": "2017-06-01"},
    ],
    mediators=[
        {"name": "Envoy A", "organisation": "IGAD", "kind": "regional", "title": "Chief mediator",
         "started_on": "2014-01-01", "ended_on": "2016-06-30", "lead": True},
        {"name": "Envoy B", "organisation": "IGAD", "kind": "regional", "title": "Special Envoy",
         "started_on": "2016-11-01"},
        {"name": "Envoy C", "organisation": "United Nations", "kind": "un", "title": "Special Envoy",
         "started_on": "2016-10-01"},
        {"name": "Adviser D", "organisation": "IGAD", "kind": "regional", "started_on": "2014-01-01",
         "core_team": True},
    ],
    friends=[{"name": f"Friend {i}", "circle": "core"} for i in range(1, 5)],
)  # fmt: skip


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, e2e_password: str, serve) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("e2e-processes")
    db = Database(f"sqlite:///{tmp / 'peaceops.sqlite'}")
    prepare(db)
    import_file(
        db, "ucdp-peace-agreements", data_dir / "ucdp" / "peace_agreements" / "ucdp-peace-agreements-221.csv", "e2e"
    )
    with db.session() as s:
        add_user(s, "e2e-analyst", e2e_password, "analyst", actor="e2e")
        create_process(s, _Editor(), SCENARIO)
    app = create_app(Settings(var_dir=tmp / "var", data_dir=data_dir, secret_key="e" * 40), db=db)
    with serve(app) as base:
        yield base
    db.dispose()


def test_process_page_shows_the_warning_and_draws_the_timeline(
    page: Page, live_server: str, screenshots: Path, sign_in
):
    page.set_viewport_size({"width": 1280, "height": 1100})
    sign_in(page, live_server, "/processes")
    expect(page.get_by_role("link", name="Processes", exact=True)).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="South Sudan talks (test scenario)").click()

    warning = page.locator("#warnings li[data-check='no-agreed-lead']")
    expect(warning).to_be_visible()
    expect(warning.locator(".message")).to_contain_text("Envoy C (United Nations) and Envoy B (IGAD)")
    expect(warning.locator(".reason")).to_contain_text("forum shopping")
    expect(page.locator("#compartment")).to_have_text("process:1")

    wait_for_charts(page)
    chart = page.locator("#chart-timeline")
    expect(chart).to_have_attribute("data-rendered", "1")
    svg = chart.locator("svg").first
    expect(svg).to_be_visible()
    text = " ".join(svg.locator("text").all_text_contents())
    for label in ("Phase", "Envoy A (lead)", "Envoy C", "Agreements"):
        assert label in text, label
    assert chart.locator("path[aria-roledescription='bar'], g.mark-rect path").count() >= 5  # 3 phases, 4 tenures
    page.screenshot(path=screenshots / "process-page.png", full_page=True)

    page.get_by_role("link", name="The timeline as a list of events").click()
    wait_for_charts(page)
    events = page.locator("#events tbody tr")
    assert events.count() == 3 + 4 + 1 + 3  # phases, appointments, one departure, agreements
    expect(page.locator("#events")).to_contain_text("Agreement to Resolve the Crisis in South Sudan")
    page.screenshot(path=screenshots / "process-timeline.png", full_page=True)
