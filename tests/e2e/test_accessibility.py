"""WCAG 2.1 AA in a real browser: axe-core finds no serious or critical violation on any page of the
navigation (``web/navigation.py``: every group's links and the administration links), on a detail page of
each list and on the main entry forms, in English and in French; and no page scrolls sideways at 420 px.

axe-core is vendored (``static/vendor/axe-core``, VENDORED.md) and added to each page from the app's own
static files, so nothing is fetched from elsewhere (each test checks the page's requests). The module serves a
small seeded database of its own (the missions register, a few of the demo's smaller files and one record of
each kind that has a detail page) to one browser page per language, signed in once as an administrator; each
page checked is one test, and a failure quotes axe's own words and the elements at fault.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from peaceops.access.policy import Actor
from peaceops.access.users import add_user
from peaceops.agreements.models import Agreement
from peaceops.commitments.models import Commitment
from peaceops.commitments.seeding import seed_from_pax
from peaceops.environment.reports import EnvironmentInput, save_environment
from peaceops.incidents.reports import IncidentInput, file_incident
from peaceops.incidents.taxonomy import ensure_taxonomy
from peaceops.missions.models import Mission
from peaceops.partnerships.cooperation import FrameworkInput, MilestoneInput, add_milestone, record_framework
from peaceops.partnerships.pledges import PledgeInput, record_pledge
from peaceops.platform import import_file, prepare, provision_performance
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process
from peaceops.roster.experts import clean_expert, save_expert
from peaceops.roster.helpdesk import RequestData, file_request
from peaceops.safety.serious_incidents import SeriousIncidentInput, record_incident
from peaceops.settings import REPO_ROOT, Settings
from peaceops.store import Database
from peaceops.store.provenance import ImportRun
from peaceops.web import create_app
from peaceops.web.navigation import ADMIN_LINKS, GROUPS

pytestmark = pytest.mark.e2e

# Served by the app itself: the pages' Content-Security-Policy refuses inline scripts, and it stays on.
AXE = "/static/vendor/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
NARROW = 420
PASSWORD = "accessibility password, long enough"
ADMIN = Actor("a11y-admin", "admin")
# The demo's smaller files: enough for the lists, charts and detail pages to have rows (seconds, not minutes).
FILES = (
    ("missions", "un_peacekeeping/missions/DPPADPOSS-PKO.csv"),
    ("mission-totals", "un_peacekeeping/personnel/IPI_mission_monthly_totals_1990-11_to_2017-03.csv"),
    ("world-totals", "un_peacekeeping/personnel/IPI_global_monthly_summary_1990-11_to_2017-03.csv"),
    ("fatalities", "un_peacekeeping/fatalities/DPPADPOSS-FATALITIES.csv"),
    ("allegations", "un_peacekeeping/conduct/table_of_allegations_as_of_july_2024.xlsx"),
    ("ucdp-ged", "ucdp/ged/ged_central_african_republic.csv.gz"),
    ("pax-agreements", "pax/coded_v4/pax_all_agreements_data.csv"),
    ("ucdp-peace-agreements", "ucdp/peace_agreements/ucdp-peace-agreements-221.csv"),
)
# The repository's invented example files (docs/examples/README.md), in its order: training, transitions,
# partner support and resources have no public data, and their pages need rows.
EXAMPLES = REPO_ROOT / "docs" / "examples"
EXAMPLE_KINDS = (
    "training-courses", "training-sessions", "training-records", "training-requirements",
    "transition-plans", "transition-benchmarks", "transition-tasks", "transition-drawdown", "transition-bases",
    "partner-operations", "support-services", "support-deliveries", "support-requests", "support-financing",
    "support-milestones",
    "resources-milestones", "resources-requirements", "resources-orders", "resources-deliveries", "resources-budgets",
)  # fmt: skip

# The navigation's pages, as the header and its second row link them.
NAVIGATION = [href for _, links in GROUPS for href, _ in links] + [href for href, _ in ADMIN_LINKS]
# A detail page of each list, and the entry forms the lists link to; ``{name}`` is a seeded record's id.
DETAILS = [
    "/missions/MINUSCA",
    "/incidents/{incident}",
    "/agreements/{agreement}",
    "/processes/{process}",
    "/regions/{region}",
    "/performance/missions/MINUSCA",
    "/training/UNMISS",
    "/transitions/MINURCAT",
    "/support/EX-AUPSO",
    "/resources/UNMISS",
    "/safety/incidents/{safety}",
    "/countries/CAF",
    "/pledges/{pledge}",
    "/partnerships/frameworks/{framework}",
    "/commitments/{commitment}",
    "/helpdesk/{request}",
    "/roster/{expert}",
    "/imports/{run}",
    "/account",
]
FORMS = [
    "/incidents/new?mission=MINUSCA",
    "/processes/new",
    "/helpdesk/new",
    "/pledges/new",
    "/roster/new",
    "/safety/incidents/new",
]
PAGES = list(dict.fromkeys(NAVIGATION + DETAILS + FORMS))


@dataclass
class Site:
    base: str
    ids: dict[str, Any]


def _seed(db: Database, data_dir: Path, var: Path) -> dict[str, Any]:
    """The small database the pages are checked on; returns the ids the detail pages need."""
    prepare(db)
    for kind, path in FILES:
        import_file(db, kind, data_dir / path, "a11y", var_dir=var)
    provision_performance(db, var, ["MINUSCA", "UNMISS"])
    for kind in EXAMPLE_KINDS:
        report = import_file(db, kind, EXAMPLES / f"{kind}.example.csv", "a11y", var_dir=var)
        assert report.rejections == [], (kind, report.rejections[:3])
    with db.session() as s:
        seed_from_pax(s, "a11y", ["SEN"])  # the PA-X commitments of one country: dozens, not the demo's thousands
        add_user(s, ADMIN.username, PASSWORD, "admin", actor="a11y")
        mission = s.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))
        ensure_taxonomy(s, mission)
        incident = file_incident(
            s,
            ADMIN,
            IncidentInput(
                occurred_at=datetime(2024, 5, 1, 9, 0),
                category="armed_clash",
                source_type="patrol",
                reliability="B",
                credibility=2,
                mission="MINUSCA",
                longitude=18.56,
                latitude=4.36,
                place="Bangui, PK5",
                actors=["Armed group"],
                casualties={"civilians_injured": 1},
                description="Exchange of fire near the market; the patrol withdrew.",
            ),
        )
        process = create_process(
            s,
            ADMIN,
            ProcessDoc(name="Test talks", conflict="Test conflict", phase="negotiation"),
            today=date(2024, 1, 1),
        )
        safety = record_incident(
            s,
            ADMIN,
            SeriousIncidentInput(
                mission="MINUSCA", occurred_on=date(2024, 4, 2), location="Bria", incident_type="Ambush", injured=2
            ),
        )
        pledge = record_pledge(
            s,
            ADMIN,
            PledgeInput(
                country="GHA",
                event="Peacekeeping Ministerial 2023",
                pledged_on=date(2023, 12, 6),
                area="A4P+.P4",
                pledge_type="training",
                title="A training course for contingent commanders",
            ),
        )
        framework = record_framework(s, ADMIN, FrameworkInput("TEST-JF", "A test framework", "African Union"))
        add_milestone(s, ADMIN, framework.id, MilestoneInput("Next review", "UNOAU", date(2030, 1, 1)))
        save_environment(
            s,
            ADMIN,
            EnvironmentInput(
                mission="MINUSCA",
                period_start=date(2024, 1, 1),
                period_end=date(2024, 6, 30),
                energy_mwh=1000,
                renewable_mwh=150,
                renewable_target=0.2,
                water_m3=50000,
                water_target_m3=60000,
                source="test entry",
            ),
        )
        expert, _ = save_expert(
            s,
            ADMIN,
            clean_expert(
                {
                    "name": "Aminata Diallo",
                    "email": "aminata@example.org",
                    "expertise": "land; power sharing",
                    "languages": "fr:native; en:fluent",
                    "regions": "MLI",
                    "availability": "2026-12-01..2027-02-28",
                    "clearance": "confidential",
                }
            ),
        )
        request = file_request(
            s,
            ADMIN,
            RequestData(
                title="Land tenure adviser",
                expertise="land",
                languages=("fr",),
                region="MLI",
                urgency="urgent",
                needed_from=date(2027, 1, 1),
                needed_to=date(2027, 3, 1),
            ),
        )
        return {
            "incident": incident.id,
            "process": process.id,
            "safety": safety.id,
            "pledge": pledge.id,
            "framework": framework.id,
            "expert": expert.id,
            "request": request.id,
            "agreement": s.scalar(select(Agreement.id).where(Agreement.source == "pax").order_by(Agreement.id)),
            "commitment": s.scalar(select(Commitment.id).order_by(Commitment.id)),
            "run": s.scalar(select(ImportRun.id).order_by(ImportRun.id)),
            "region": "017",
        }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, serve) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("a11y")
    var = tmp / "var"
    db = Database(f"sqlite:///{tmp / 'peaceops.sqlite'}")
    ids = _seed(db, data_dir, var)
    app = create_app(Settings(var_dir=var, data_dir=data_dir, secret_key="a" * 40), db=db)
    with serve(app) as base:
        yield Site(base, ids)
    db.dispose()


@dataclass
class Tab:
    """The one browser page of a language, and every URL it has asked for since the last check."""

    page: Page
    requests: list[str]


@pytest.fixture(scope="module", params=["en", "fr"])
def tab(request: pytest.FixtureRequest, browser: Browser, site: Site) -> Iterator[Tab]:
    """One page per language, signed in once as the administrator (the language chosen by its cookie)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    host = site.base.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "peaceops_lang", "value": request.param, "domain": host, "path": "/"}])
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.goto(site.base + "/login")
    page.fill("#username", ADMIN.username)
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(site.base + "/")
    assert page.evaluate("document.documentElement.lang") == request.param
    yield Tab(page, seen)
    context.close()


def _settled(page: Page) -> None:
    """Charts drawn and maps placed: axe looks at the page a person sees."""
    page.wait_for_function("document.body.dataset.ready !== undefined", timeout=15000)
    if page.locator(".incident-map, [data-map]").count():
        page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=15000)


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}), {len(v['nodes'])} element(s)")
        for node in v["nodes"][:4]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


# The elements that stick out of a window ``limit`` px wide, outside any box that scrolls: what a failure names.
WIDEST = """(limit) => {
  const top = [document.body, document.documentElement];
  const scrolls = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
    if (!top.includes(p) && /auto|scroll|hidden/.test(getComputedStyle(p).overflowX)) return true; } return false; };
  return Array.from(document.querySelectorAll('body *'))
    .filter((e) => e.getBoundingClientRect().right > limit + 1 && !scrolls(e))
    .slice(0, 8)
    .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className
      ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right));
}"""


def _blocking(page: Page, only: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations of WCAG 2.0/2.1 A and AA on the page as it is now (or of the
    rules ``only`` names)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(url=AXE)
    run_only = only or {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("(only) => axe.run(document, {runOnly: only, resultTypes: ['violations']})", run_only)
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


# Narrow, tables and lists start to scroll inside the page: each such box must still be reachable by keyboard.
NARROW_RULES = {"type": "rule", "values": ["scrollable-region-focusable"]}
FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.mark.parametrize("path", PAGES)
def test_page_meets_wcag_aa_and_fits_420_px(tab: Tab, site: Site, path: str) -> None:
    page = tab.page
    page.set_viewport_size({"width": 1280, "height": 900})
    tab.requests.clear()
    url = site.base + path.format(**site.ids)
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    _settled(page)
    blocking = _blocking(page)
    assert blocking == [], f"{url}\n{_describe(blocking)}"

    page.set_viewport_size({"width": NARROW, "height": 900})
    try:  # charts redraw to the new width: give them the time to
        page.wait_for_function(f"document.scrollingElement.scrollWidth <= {NARROW}", timeout=5000)
    except PlaywrightTimeout:
        width = page.evaluate("document.scrollingElement.scrollWidth")
        pytest.fail(f"{url} is {width} px wide at {NARROW} px: {json.dumps(page.evaluate(WIDEST, NARROW), indent=1)}")
    page.evaluate(FRAMES)  # app.js looks at the boxes again in the frame after a resize
    blocking = _blocking(page, NARROW_RULES)
    assert blocking == [], f"{url} at {NARROW} px\n{_describe(blocking)}"
    outside = [u for u in tab.requests if not u.startswith((site.base + "/", "data:", "blob:"))]
    assert outside == [], "the page and axe-core come from the app alone"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sign_in_page_meets_wcag_aa_and_fits_420_px(browser: Browser, site: Site, language: str) -> None:
    """The one page everyone sees before the navigation, and the page an error in its form comes back to."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        host = site.base.split("//")[1].split(":")[0]
        context.add_cookies([{"name": "peaceops_lang", "value": language, "domain": host, "path": "/"}])
        page = context.new_page()
        page.goto(site.base + "/login")
        page.fill("#username", "nobody")
        page.fill("#password", "not the password")
        page.click("form.stack button[type=submit]")
        page.wait_for_selector("[role=alert]")
        blocking = _blocking(page)
        assert blocking == [], _describe(blocking)
        page.set_viewport_size({"width": NARROW, "height": 900})
        assert page.evaluate("document.scrollingElement.scrollWidth") <= NARROW
    finally:
        context.close()
