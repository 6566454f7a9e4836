"""Helpers for browser tests."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def wait_for_charts(page: Page) -> None:
    page.wait_for_selector("body[data-ready='1']")
    assert page.evaluate("document.body.dataset.chartError") is None


def sign_in_as(page: Page, live_server: str, path: str, username: str, password: str) -> None:
    """Open a page as an anonymous visitor, get sent to the login form, sign in, land on the page."""
    page.goto(live_server + path)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(live_server + path.split("?")[0])))
