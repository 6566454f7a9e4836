"""Issue 17's test of done for French: a browser whose language is French signs in, opens a mission, files an
incident report with a mistake in it, reads the scorecard and searches the agreements, and finds no English
text a person reads on the way.

What counts as English comes from the French catalogue itself: every marked text whose French differs from
its English (``english_phrases``). A text node of the page that is one of them, or that holds a run of three
or more of their words, is English left untranslated. Proper names, codes and data values (mission names,
agreement titles, the contents of a PA-X provision) are no marked text, so they pass; the few that happen to
be words of the catalogue are listed in ``DATA``, each with the reason it is data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect

from peaceops.i18n import LOCALE_DIR

pytestmark = [pytest.mark.e2e]

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+(?:![rs])?\}")
TAG = re.compile(r"<[^>]+>")
# Words of the catalogue that also occur as data on these pages, shown as the source gives them.
DATA: set[str] = set()
# What a person reads: text outside scripts and styles, in the page's language. Text marked as another
# language (lang="en" on a comms item, the language switcher's own names), code and keyboard keys are data.
VISIBLE_TEXT = """() => {
  const skip = (el) => el.closest('script, style, noscript, code, kbd, [translate="no"], [hidden]')
    || (el.closest('[lang]') && el.closest('[lang]').getAttribute('lang') !== document.documentElement.lang);
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || skip(el)) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  const title = document.title.trim();
  if (title) out.push(title);
  return out;
}"""


@dataclass(frozen=True)
class Catalogue:
    """The English of every marked text that French says differently: whole texts, and runs of words."""

    whole: frozenset[str]
    runs: tuple[str, ...]


def _plain(text: str) -> str:
    return " ".join(TAG.sub(" ", text.replace("%%", "%")).replace("\u00a0", " ").replace("\u202f", " ").split())


def _bare(text: str) -> str:
    return _plain(text).strip(" :;,.")


def english_phrases(po_file: Path) -> Catalogue:
    """The English texts a French page must not show: each msgid (and plural) whose French differs, without its
    markup; whole when it has no placeholder, else the runs of three words or more between its placeholders."""
    with po_file.open("rb") as po:
        catalogue = read_po(po, locale="fr")
    whole: set[str] = set()
    runs: set[str] = set()
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        french = {_bare(s) for s in strings}
        if not all(strings) or {_bare(i) for i in ids} <= french:
            continue  # the same words in French ("Mission", "CSV", "JSON:" and « JSON : »)
        for english in ids:
            if not PLACEHOLDER.search(english) and _bare(english) not in french:
                whole.add(_bare(english))
            for part in PLACEHOLDER.split(english):
                part = _plain(part).strip(" :;,.()–-")
                if len(part.split()) >= 3:
                    runs.add(part)
    return Catalogue(frozenset(w for w in whole if w and w not in DATA), tuple(sorted(runs - DATA)))


def english_on(page: Page, catalogue: Catalogue) -> list[str]:
    """The texts of the page that are English the catalogue translates (empty when the page reads in French)."""
    found = []
    for text in page.evaluate(VISIBLE_TEXT):
        bare = text.strip(" :;,.()–-·›")
        if bare in catalogue.whole or any(run in text for run in catalogue.runs):
            found.append(text)
    return sorted(set(found))


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return english_phrases(LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po")


@pytest.fixture
def french(browser: Browser, live_server: str) -> Iterator[Page]:
    """A browser that asks for French (``Accept-Language: fr-FR``), as a French-speaking officer's would; every
    request it makes stays on the app (as ``requests_stay_local`` checks for the shared page)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    yield page
    context.close()
    assert seen and [url for url in seen if not url.startswith((live_server + "/", "data:", "blob:"))] == []


def _look(page: Page, catalogue: Catalogue, screenshots: Path, name: str) -> None:
    """No English on the page, at desktop and phone widths (the phone screenshot taken for the eye)."""
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert english_on(page, catalogue) == [], f"{name}: English left on the page"
    page.screenshot(path=screenshots / f"fr-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 420, "height": 900})
    page.screenshot(path=screenshots / f"fr-{name}-420.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 1000})


def _charts_drawn(page: Page) -> None:
    page.wait_for_selector("body[data-ready='1']", timeout=60_000)
    assert page.evaluate("document.body.dataset.chartError") is None


def test_the_catalogue_check_finds_english(catalogue: Catalogue, browser: Browser):
    assert "Uniformed personnel over time" in catalogue.whole  # a heading of the mission page
    assert "Open the allegation records of" in catalogue.runs  # the words around a placeholder
    assert "Mission" not in catalogue.whole  # the same word in French: not a sign of English
    page = browser.new_page()
    page.set_content(
        '<html lang="fr"><body><h1>Uniformed personnel over time</h1><p>Évolution du personnel en tenue</p>'
        "<a>Open the allegation records of MINUSCA</a><p>MINUSCA</p>"
        '<blockquote lang="en">Uniformed personnel over time</blockquote><code>Uniformed personnel over time</code>'
        "</body></html>"
    )
    assert english_on(page, catalogue) == ["Open the allegation records of MINUSCA", "Uniformed personnel over time"]
    page.close()


def test_a_french_officer_reads_every_step_in_french(
    french: Page, live_server: str, catalogue: Catalogue, screenshots: Path, e2e_password: str
):
    page = french
    # Sign-in: the browser's language, before anyone is known.
    page.goto(live_server + "/login?next=/")
    _look(page, catalogue, screenshots, "login")
    page.get_by_label(re.compile("Nom d.utilisateur")).fill("e2e-analyst")
    page.get_by_label("Mot de passe").fill(e2e_password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(live_server + "/")

    # The mission page, its charts drawn with French months and separators.
    page.goto(live_server + "/missions/UNMISS")
    _charts_drawn(page)
    expect(page.get_by_role("heading", name="Évolution du personnel en tenue")).to_be_visible()
    _look(page, catalogue, screenshots, "mission")

    # An incident report with a mistake: the error, the form kept, all in French.
    page.goto(live_server + "/incidents/new")
    page.locator("#pick-mission").select_option("MINUSCA")
    page.get_by_role("button", name="Continuer").click()
    page.locator("#f-date").fill("2024-03-02")
    page.locator("#f-lon").fill("500")  # no such longitude
    page.locator("#f-lat").fill("4.4")
    page.locator("#f-category").select_option(index=1)
    page.locator("#f-source").select_option(index=1)
    page.locator("#f-reliability").select_option("B")
    page.locator("#f-credibility").select_option("2")
    page.locator("#f-description").fill("Tirs signalés près du marché.")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".alert, .field-error").first).to_be_visible()
    expect(page.locator("#f-description")).to_have_value("Tirs signalés près du marché.")
    _look(page, catalogue, screenshots, "incident-error")

    # The scorecard.
    page.goto(live_server + "/performance/scorecard")
    _charts_drawn(page)
    _look(page, catalogue, screenshots, "scorecard")

    # The agreement search: a French page around English agreements (their titles and texts are data).
    with page.expect_response(re.compile(r"/agreements\?"), timeout=240_000):
        page.goto(live_server + "/agreements?q=ceasefire&mode=keyword")
    expect(page.locator(".agreement-hit").first).to_be_visible()
    _look(page, catalogue, screenshots, "agreements")
