"""Helpers for browser tests."""

from __future__ import annotations

from playwright.sync_api import Page


def wait_for_charts(page: Page) -> None:
    page.wait_for_selector("body[data-ready='1']")
    assert page.evaluate("document.body.dataset.chartError") is None
