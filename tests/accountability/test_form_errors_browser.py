"""A real browser (issue 17, part 3): a form error is shown beside its field with what was typed kept, and an
upload error beside the upload form of the page it came from, in English and in French, at 1280 and 420 px.

A live server of its own over SQLite with the missions register and one analyst; Debian's Chromium as in
tests/e2e (RECIPES.md section 1, tests/conftest.py). The screenshots go to var/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from accountability_support import load
from playwright.sync_api import Page, expect

from peaceops.access.users import add_user
from peaceops.platform import prepare
from peaceops.settings import REPO_ROOT, Settings
from peaceops.store import Database
from peaceops.web import create_app

pytestmark = pytest.mark.e2e
PASSWORD = "browser password, long enough"
USERNAME = "form-analyst"
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
WIDTHS = (1280, 420)
# What the page says, by language: a field's error, the summary above the form and the upload error.
WORDS = {
    "en": {
        "country_error": "The country 'XYZ' is not an ISO 3166 alpha-3 code (such as NPL for Nepal).",
        "summary": "Nothing is saved yet: 2 fields need correcting",
        "upload_error": "photo.png is a PNG image, not a CSV file.",
        "expected": "The file expected: Member States' pledges (CSV: country, event, date",
    },
    "fr": {
        "country_error": "Le pays 'XYZ' n’est pas un code ISO 3166 alpha-3 (par exemple NPL pour le Népal).",
        "summary": "Rien n’est encore enregistré : 2 champs sont à corriger",
        "upload_error": "photo.png est une image PNG, pas un fichier CSV.",
        "expected": "Fichier attendu : Annonces de contributions des États Membres",
    },
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, serve) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("form-errors-browser")
    db = Database(f"sqlite:///{tmp / 'peaceops.sqlite'}")
    prepare(db)
    load(db, data_dir, "missions")
    with db.session() as s:
        add_user(s, USERNAME, PASSWORD, "analyst", actor="test")
    settings = Settings(var_dir=tmp / "var", data_dir=data_dir, secret_key="f" * 40)
    with serve(create_app(settings, db=db)) as base:
        yield base
    db.dispose()


def _sign_in(page: Page, server: str, language: str) -> None:
    page.context.add_cookies([{"name": "peaceops_lang", "value": language, "url": server}])
    page.goto(server + "/login?next=/pledges")
    page.locator("#username").fill(USERNAME)
    page.locator("#password").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page).to_have_url(server + "/pledges")


def _fits(page: Page, width: int) -> None:
    """Nothing is wider than the window: no sideways scrolling at this width."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _just_below(page: Page, field: str, error: str) -> None:
    """The error sits right under its field, where the eye is (not in a list at the top of the page)."""
    box, under = page.locator(field).bounding_box(), page.locator(error).bounding_box()
    assert box and under
    assert 0 <= under["y"] - (box["y"] + box["height"]) < 24
    assert abs(under["x"] - box["x"]) < 4


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_form_error_is_shown_beside_its_field_with_the_input_kept(page: Page, server: str, language: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    words = WORDS[language]
    _sign_in(page, server, language)
    page.goto(server + "/pledges/new")
    page.locator("#pledge-country").fill("XYZ")
    page.locator("#pledge-event").fill("Accra ministerial")
    page.locator("#pledge-date").fill("2023-12-06")
    page.locator("#pledge-area").select_option("A4P.4")
    page.locator("#pledge-type").select_option("troops")
    page.locator("#pledge-title").fill("An engineering company")
    page.locator("#pledge-quantity").fill("lots")
    page.locator("form[action='/pledges'] button[type=submit]").click()

    expect(page).to_have_url(server + "/pledges")  # the form, shown again (the post's answer)
    expect(page.locator("#pledge-country-error")).to_have_text(words["country_error"])
    expect(page.locator("#pledge-quantity-error")).to_contain_text("'lots'")
    expect(page.locator("p.alert[role=alert]")).to_contain_text(words["summary"])
    expect(page.locator("#pledge-country")).to_have_value("XYZ")
    expect(page.locator("#pledge-title")).to_have_value("An engineering company")
    expect(page.locator("#pledge-type")).to_have_value("troops")
    expect(page.locator("#pledge-country")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#pledge-country")).to_have_attribute("aria-describedby", "pledge-country-error")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        _fits(page, width)
        _just_below(page, "#pledge-country", "#pledge-country-error")
        page.locator("#pledge-country").scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / f"form-error-{width}-{language}.png", full_page=True)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_upload_error_is_shown_beside_the_upload_form_of_its_page(page: Page, server: str, language: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    words = WORDS[language]
    _sign_in(page, server, language)
    page.locator("#upload-file").set_input_files({"name": "photo.png", "mimeType": "image/png", "buffer": PNG})
    page.locator("form.upload-form button[type=submit]").click()

    expect(page).to_have_url(server + "/pledges")
    error = page.locator("#upload-file-error")
    expect(error).to_contain_text(words["upload_error"])
    expect(error).to_contain_text(words["expected"])
    expect(page.locator("#upload-file")).to_have_attribute("aria-describedby", "upload-file-error")
    assert page.locator("a[aria-current=page][href='/pledges']").count() >= 1  # still in its own section
    assert re.search("Error 4\\d\\d", page.content()) is None
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        _fits(page, width)
        page.locator("#upload-file-error").scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / f"upload-error-{width}-{language}.png", full_page=True)
