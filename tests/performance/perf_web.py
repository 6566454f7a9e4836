"""Signing in through the real login form, and reading the CSRF token the pages carry."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

PASSWORD = "performance password"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
HEADER_TOKEN = re.compile(r'hx-headers=\'\{"X-CSRF-Token": "([^"]+)"\}\'')


def csrf_from(html: str) -> str:
    found = TOKEN.search(html) or HEADER_TOKEN.search(html)
    assert found, "the page carries the session's CSRF token"
    return found.group(1)


def sign_in(client: TestClient, username: str) -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": "/", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
