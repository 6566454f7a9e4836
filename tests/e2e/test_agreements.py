"""A real browser on the agreements memory: keyword, semantic and filtered searches, then a comparison."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("requests_stay_local")]


def _search(page: Page, q: str, mode: str) -> None:
    page.get_by_label("Search agreements").fill(q)
    page.locator(f"input[name=mode][value={mode}]").check()
    # The var directory holds every agreement's embedding (`agreement_embeddings`); a cold model still loads.
    with page.expect_response(re.compile(r"/agreements\?"), timeout=240_000):
        page.locator("#search-button").click()
    expect(page.locator("#agreement-results .count")).to_contain_text(q)


def test_search_agreements_and_compare_them(page: Page, live_server: str, screenshots: Path, sign_in):
    page.set_viewport_size({"width": 1280, "height": 1000})
    sign_in(page, live_server, "/agreements")
    expect(page.get_by_role("link", name="Agreements")).to_have_attribute("aria-current", "page")

    # Keyword: a phrase and an exclusion; every hit marks the phrase's words.
    _search(page, '"cessation of hostilities" -Sudan', "keyword")
    hits = page.locator(".agreement-hit")
    expect(hits.first).to_be_visible()
    assert hits.count() == 20
    expect(hits.first.locator(".snippet mark").first).to_have_text(re.compile("cessation|hostilities", re.I))
    assert "sudan" not in " ".join(page.locator(".hit-title").all_inner_texts()).lower()
    assert "/agreements?q=" in page.url, "the search is in the address bar (htmx push)"
    page.screenshot(path=screenshots / "agreements-keyword.png", full_page=False)

    # Semantic: words the summaries do not use, still the refugee agreements.
    _search(page, "people who fled may go back to their houses safely", "semantic")
    titles = " ".join(page.locator(".hit-title").all_inner_texts()[:5]).lower()
    assert "refugee" in titles or "return" in titles, titles
    expect(page.locator(".badge-match").first).to_have_text("semantic")
    page.screenshot(path=screenshots / "agreements-semantic.png", full_page=False)

    # A question in two parts: every hit says how it met each part (its words, its PA-X category or both).
    _search(page, "ceasefire monitoring with women's participation", "hybrid")
    expect(hits.first).to_be_visible()
    for hit in hits.all()[:10]:
        reasons = hit.locator(".why li.met")
        expect(reasons).to_have_count(2)
        expect(reasons.nth(1)).to_contain_text("women's participation")
        expect(reasons.nth(1).locator("mark, .badge-category").first).to_be_visible()
    page.screenshot(path=screenshots / "agreements-aspects.png", full_page=False)

    # Filtered: women's participation, Africa, comprehensive agreements.
    page.locator("#filter-category").select_option("GeWom")
    page.locator("#filter-region").select_option("Africa (excl MENA)")
    page.locator("#filter-stage").select_option("SubComp")
    _search(page, "women", "hybrid")
    expect(hits.first).to_be_visible()
    metas = page.locator(".hit-meta").all_inner_texts()
    assert metas and all("comprehensive" in m for m in metas), metas
    page.screenshot(path=screenshots / "agreements-filtered.png", full_page=False)

    # Compare the first three on women, girls and gender.
    page.locator("#compare-category").select_option("GeWom")
    page.locator("#compare-button").click()
    expect(page).to_have_url(re.compile(r"/agreements/compare\?"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Women, girls and gender")
    columns = page.locator(".compare-column")
    expect(columns).to_have_count(3)
    expect(page.locator(".compare-column .badge-active")).to_have_count(3)  # all three are coded GeWom
    expect(page.locator(".passage mark").first).to_be_visible()
    page.screenshot(path=screenshots / "agreements-compare.png", full_page=True)

    # One agreement with its provisions.
    columns.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Categories")).to_be_visible()
    page.screenshot(path=screenshots / "agreement.png", full_page=False)
