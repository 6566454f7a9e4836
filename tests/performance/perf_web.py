"""Signing in through the real login form, and reading the CSRF token the pages carry (tests/support/web.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from support import web

PASSWORD = "performance password"
# A form's csrf_token field, or the hx-headers token of pages without a form.
csrf_from = web.any_csrf_from


def sign_in(client: TestClient, username: str) -> None:
    web.signed_in(client, username, PASSWORD)
