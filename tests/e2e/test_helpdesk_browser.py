"""A real browser on the helpdesk: an analyst files a request through the form, sees the experts ranked with
their reasons and the excluded ones with theirs, chooses one, and the roster and gap pages render.

Runs its own small server (a fresh SQLite file with three experts and one analyst) rather than the
session's loaded demo database: nothing here needs the demo data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pages import sign_in_as
from playwright.sync_api import Page, expect

from peaceops.access.policy import Actor
from peaceops.access.users import add_user
from peaceops.platform import prepare
from peaceops.roster.experts import clean_expert, save_expert
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

pytestmark = pytest.mark.e2e
PASSWORD = "helpdesk browser password"
EXPERTS = [
    {"name": "Aminata Diallo", "email": "aminata@example.org", "expertise": "land", "languages": "fr:native; en:fluent",
     "regions": "MLI", "availability": "2026-12-01..2027-02-28", "clearance": "confidential", "phone": "+223 1234"},
    {"name": "Chen Wei", "email": "chen@example.org", "expertise": "natural_resources", "languages": "fr:working",
     "regions": "Western Africa", "availability": "2026-11-01..2027-06-30", "clearance": "confidential"},
    {"name": "Esi Mensah", "email": "esi@example.org", "expertise": "land", "languages": "fr:native",
     "regions": "MLI", "availability": "2027-01-01..2027-12-31", "clearance": "none"},
]  # fmt: skip


@pytest.fixture(scope="module")
def helpdesk_server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, serve) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("helpdesk-e2e")
    db = Database(f"sqlite:///{tmp / 'peaceops.sqlite'}")
    prepare(db)
    with db.session() as s:
        add_user(s, "hd-analyst", PASSWORD, "analyst")
        for row in EXPERTS:
            save_expert(s, Actor("e2e", "admin"), clean_expert(row))
    app = create_app(Settings(var_dir=tmp / "var", data_dir=data_dir, secret_key="b" * 40), db=db)
    with serve(app) as base:
        yield base
    db.dispose()


def test_analyst_files_a_request_and_sees_ranked_experts_with_reasons(
    page: Page, helpdesk_server: str, screenshots: Path
):
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(page, helpdesk_server, "/helpdesk", "hd-analyst", PASSWORD)
    expect(page.locator("#requests-empty")).to_be_visible()
    page.get_by_role("link", name="File a request").click()

    page.get_by_label("Short title").fill("Land tenure chapter")
    page.get_by_label("Expertise needed").select_option("land")
    page.get_by_label("Languages").fill("fr, en")
    page.get_by_label("Country or region").fill("MLI")
    page.get_by_label("Urgency").select_option("urgent")
    page.get_by_label("Needed from").fill("2027-01-01")
    page.get_by_label("Needed until").fill("2027-01-30")
    page.get_by_label("Clearance required").select_option("confidential")
    page.get_by_label("Process / context").fill("Inter-Malian dialogue")
    page.get_by_role("button", name="File the request").click()

    expect(page).to_have_url(re.compile(r"/helpdesk/\d+\?filed=1$"))
    expect(page.get_by_role("status")).to_contain_text("The request is filed.")
    ranked = page.locator("#ranked-experts > li")
    expect(ranked).to_have_count(2)
    expect(ranked.nth(0)).to_contain_text("Aminata Diallo")
    expect(ranked.nth(0).locator(".score")).to_have_text("100.0")
    expect(ranked.nth(0)).to_contain_text("Region: has worked on Mali (+15 of 15).")
    expect(ranked.nth(1)).to_contain_text("Chen Wei")
    expect(ranked.nth(1)).to_contain_text("Related expertise: Natural resources, close to Land")
    expect(page.locator("#excluded-experts")).to_contain_text(
        "Esi Mensah: Clearance None is below the required UN confidential."
    )
    page.screenshot(path=screenshots / "helpdesk-request.png", full_page=True)

    page.get_by_role("button", name="Choose Chen Wei").click()
    expect(page.locator("#request-status")).to_contain_text("matched")
    expect(page.locator("#request-status")).to_contain_text("Chen Wei")
    expect(page.locator("#history")).to_contain_text("open → matched")

    page.get_by_role("link", name="Helpdesk", exact=True).first.click()
    expect(page.locator("#count-matched")).to_have_text("1")
    expect(page.locator("#requests-table")).to_contain_text("Land tenure chapter")
    page.screenshot(path=screenshots / "helpdesk.png", full_page=True)

    page.goto(helpdesk_server + "/roster")
    expect(page.locator("#roster-table tbody tr")).to_have_count(3)
    expect(page.locator("#roster-table")).to_contain_text("aminata@example.org")
    page.screenshot(path=screenshots / "roster.png", full_page=True)
    page.goto(helpdesk_server + "/roster/gaps?on=2027-01-10")
    expect(page.locator("#gaps-expertise")).to_contain_text("Land")
    page.screenshot(path=screenshots / "roster-gaps.png", full_page=True)
    assert [u for u in seen if not u.startswith((helpdesk_server + "/", "data:", "blob:"))] == []
