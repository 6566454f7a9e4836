"""A real browser through the mandatory second factor: the password leads to the set-up (QR code drawn on
the server), one code switches it on and shows the recovery codes, and the next sign-in asks for a code.
Its own small server (a fresh SQLite file with two accounts), so it does not wait for the demo build."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect
from support.databases import make_database

from peaceops.access.users import add_user
from peaceops.settings import Settings
from peaceops.web import create_app

pytestmark = pytest.mark.e2e
PASSWORD = "browser second factor"
WIDTHS = (1280, 420)


@pytest.fixture(scope="module")
def totp_server(tmp_path_factory: pytest.TempPathFactory, serve) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("totp-e2e")
    for db in make_database("sqlite", folder):
        with db.write() as s:
            add_user(s, "chief", PASSWORD, "admin")
            add_user(s, "amina", PASSWORD, "analyst")
        settings = Settings(var_dir=folder / "var", secret_key="b" * 40, require_totp_for="admin")
        with serve(create_app(settings, db=db)) as base:
            yield base


def shoot(page: Page, screenshots: Path, name: str) -> None:
    """Screenshots at each width; the page never scrolls sideways."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        page.screenshot(path=screenshots / f"totp-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def password(page: Page, base: str, path: str, username: str = "chief") -> None:
    page.goto(base + path)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_set_up_at_the_first_sign_in_then_sign_in_with_a_code(page: Page, totp_server: str, screenshots: Path):
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.set_viewport_size({"width": 1280, "height": 900})

    password(page, totp_server, "/admin/users")
    expect(page).to_have_url(totp_server + "/login/enrol")
    expect(page.locator("figure.qr svg")).to_be_visible()
    shoot(page, screenshots, "enrol")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Six-digit code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Switch it on").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    shoot(page, screenshots, "recovery-codes")
    page.get_by_role("link", name=re.compile("continue")).click()
    expect(page).to_have_url(totp_server + "/admin/users")

    # An analyst (no second factor required) signed in elsewhere; the administrator's button ends it.
    elsewhere = page.context.browser.new_context().new_page()
    password(elsewhere, totp_server, "/account", "amina")
    expect(elsewhere).to_have_url(totp_server + "/account")
    page.get_by_role("button", name="End sessions amina").click()
    expect(page.get_by_role("status")).to_contain_text("Ended 1 session of amina")
    shoot(page, screenshots, "admin-users")
    elsewhere.reload()
    expect(elsewhere).to_have_url(re.compile(r"/login\?next=%2Faccount"))
    elsewhere.context.close()

    page.get_by_role("link", name=re.compile("chief")).click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.locator(".account-factor")).to_contain_text("On since")
    shoot(page, screenshots, "account")

    page.get_by_role("button", name="Sign out").click()
    password(page, totp_server, "/account")
    expect(page).to_have_url(totp_server + "/login/code")
    shoot(page, screenshots, "code")
    # The code of the next step: within the window, and never the step the set-up used.
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(totp_server + "/account")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()

    assert seen and all(url.startswith(totp_server + "/") for url in seen), "nothing but the app is fetched"
