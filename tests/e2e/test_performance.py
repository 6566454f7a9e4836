"""A real browser: enter values in the grid with the keyboard, then submit and approve an assessment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pages import sign_in_as as sign_in
from playwright.sync_api import Browser, Page, expect

from peaceops.performance.provision import provision

pytestmark = pytest.mark.e2e
BASE = "/performance/missions/UNMISS"
Q = "2024-Q1"


@pytest.fixture(scope="module")
def unmiss_framework(e2e_db) -> None:
    """UNMISS gets its framework from the template, as `make demo` does for every active mission."""
    with e2e_db.session() as s:
        provision(s, var_dir=None, missions=["UNMISS"])


def local_only(page: Page, live_server: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def value_cell(page: Page, code: str, column: str = "value"):
    return page.get_by_label(f"{code} Total {column} for {Q}", exact=True)


def test_enter_values_then_submit_and_approve(
    page: Page, browser: Browser, live_server: str, screenshots: Path, e2e_password: str, unmiss_framework
):
    page.set_viewport_size({"width": 1360, "height": 1000})
    seen = local_only(page, live_server)
    sign_in(page, live_server, f"{BASE}/entry?period={Q}", "e2e-analyst", e2e_password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("UNMISS data entry: Q1 2024")

    # Type a value, press Enter: the cell saves and the cursor moves to the next row's value.
    alerts = value_cell(page, "POC_ALERTS")
    alerts.click()
    page.keyboard.type("40")
    page.keyboard.press("Enter")
    answered = value_cell(page, "POC_ALERTS_ANSWERED")
    expect(answered).to_be_focused()
    page.keyboard.type("30")
    page.keyboard.press("Enter")
    row = page.locator("tr", has=page.locator('span[id="fv-POC_ALERT_RESPONSE"]'))
    expect(page.locator('span[id="fv-POC_ALERT_RESPONSE"]')).to_have_text("75")  # the formula row refreshed
    expect(page.locator("tr", has=answered).locator(".cell-ok")).to_have_text("Saved")

    # A value that breaks a rule is refused in place, with the reason, and the cell is marked invalid.
    answered.fill("45")
    answered.press("Tab")
    error = page.locator("tr", has=answered).locator(".cell-error")
    expect(error).to_contain_text("POC_ALERTS_ANSWERED is 45, more than POC_ALERTS (40)")
    expect(answered).to_have_attribute("aria-invalid", "true")
    answered.fill("30")
    answered.press("Tab")
    expect(answered).to_have_attribute("aria-invalid", "false")

    target = value_cell(page, "POC_ALERT_RESPONSE", "target")
    target.fill("80")
    target.press("Tab")
    expect(row.locator(".cell-ok")).to_have_text("Target saved")
    page.screenshot(path=screenshots / "performance-entry.png", full_page=True)

    # The assessment: the computed rating for O2 reads the values just entered.
    page.goto(f"{live_server}{BASE}/assessments/{Q}")
    expect(page.locator("#rating-O2 .rating-head .rating")).to_have_text("On track")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator("#assessment-status")).to_have_text("Draft")
    page.get_by_label("What happened in Q1 2024").fill("Alerts were answered in time in three of four cases.")
    page.get_by_role("button", name="Save the narrative").click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("#assessment-status")).to_have_text("Submitted")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # analysts do not approve
    page.screenshot(path=screenshots / "performance-assessment-submitted.png", full_page=True)

    # An administrator approves in another browser session; the period locks.
    admin_context = browser.new_context(viewport={"width": 1360, "height": 1000})
    admin = admin_context.new_page()
    seen += local_only(admin, live_server)
    sign_in(admin, live_server, f"{BASE}/assessments/{Q}", "e2e-admin", e2e_password)
    admin.get_by_role("button", name="Approve").click()
    expect(admin.locator("#assessment-status")).to_have_text("Approved")
    trail = admin.locator("#trail tbody tr")
    expect(trail).to_have_count(3)
    expect(trail.nth(2)).to_contain_text("e2e-admin")
    expect(admin.get_by_role("button", name="Reopen")).to_be_visible()
    admin.screenshot(path=screenshots / "performance-assessment-approved.png", full_page=True)
    admin_context.close()

    page.goto(f"{live_server}{BASE}/entry?period={Q}")
    expect(page.get_by_text("This period is locked")).to_be_visible()
    expect(page.locator("input.cell")).to_have_count(0)
    outside = [url for url in seen if not url.startswith((live_server + "/", "data:", "blob:"))]
    assert seen and outside == []


def test_framework_tree_and_derived_indicator_chart(
    page: Page, live_server: str, screenshots: Path, e2e_password: str, unmiss_framework
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, BASE, "e2e-analyst", e2e_password)
    expect(page.locator("li.objective")).to_have_count(6)
    expect(page.locator("#O4 .tag-theme")).to_contain_text("Women, peace and security")
    page.screenshot(path=screenshots / "performance-framework.png", full_page=True)
    page.goto(f"{live_server}{BASE}/indicators/GEN_WOMEN_TROOPS")
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#chart-series svg")).to_be_visible()
    assert page.locator("#chart-series g.mark-line path").count() > 0
    page.screenshot(path=screenshots / "performance-indicator.png", full_page=True)


@pytest.mark.pdf
def test_scorecard_heatmap_drilldown_and_pdf_report(
    page: Page, live_server: str, screenshots: Path, e2e_password: str, unmiss_framework
):
    page.set_viewport_size({"width": 1360, "height": 1000})
    seen = local_only(page, live_server)
    sign_in(page, live_server, "/performance/scorecard?period=2024-03", "e2e-analyst", e2e_password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Scorecard: March 2024")
    heatmap = page.locator("#heatmap")
    row = heatmap.locator("tbody tr", has=page.get_by_role("link", name="UNMISS", exact=True))
    expect(row.locator("td.heat")).to_have_count(7)  # one cell per A4P+ priority
    page.wait_for_function("document.body.dataset.ready === '1' || document.body.dataset.chartError !== undefined")
    assert page.evaluate("document.body.dataset.chartError") is None
    expect(page.locator("#chart-trend svg")).to_be_visible()
    page.screenshot(path=screenshots / "performance-scorecard.png", full_page=True)

    # Drill into UNMISS x P2: the indicators behind the cell, the same count as the heatmap says.
    cell = row.locator('td[data-priority="A4P+.P2"] a')
    label = cell.get_attribute("aria-label") or ""
    behind = int(re.search(r"of (\d+) indicators", label).group(1))
    cell.click()
    expect(page).to_have_url(re.compile(r"/performance/scorecard/UNMISS/A4P%2B\.P2\?period=2024-03$"))
    expect(page.locator("#cell-indicators tbody tr")).to_have_count(behind)
    expect(page.locator('#cell-indicators tr[data-code="POC_ALERT_RESPONSE"]')).to_be_visible()
    page.screenshot(path=screenshots / "performance-scorecard-cell.png", full_page=True)

    # The report for the quarter, then its PDF through the link the page offers.
    page.locator("#report-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("UNMISS: Q1 2024")
    # Every objective is in the summary table; only those with values get a page of their own, each with a
    # chart (decision 027: no empty pages).
    expect(page.locator("#report-objectives tbody tr")).to_have_count(6)
    sections = page.locator(".report-objective")
    assert 1 <= sections.count() < 6
    for n in range(sections.count()):
        expect(sections.nth(n).locator("svg").first).to_be_visible()
    page.screenshot(path=screenshots / "performance-report.png", full_page=True)
    href = page.locator("#report-pdf").get_attribute("href")
    assert href == "/performance/missions/UNMISS/report.pdf?period=2024-Q1"
    pdf = page.request.get(live_server + href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    outside = [url for url in seen if not url.startswith((live_server + "/", "data:", "blob:"))]
    assert seen and outside == []
