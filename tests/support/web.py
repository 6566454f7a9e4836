"""Signing in through the real login form, and the CSRF tokens pages carry: one copy for every test folder."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
HEADER_TOKEN = re.compile(r'"X-CSRF-Token": "([^"]+)"')


def csrf_from(html: str) -> str:
    """The token of the page's first form."""
    found = FORM_TOKEN.search(html)
    assert found, "the page has a form with a csrf_token field"
    return found.group(1)


def any_csrf_from(html: str) -> str:
    """The session's token from a form field or from the page's htmx headers."""
    found = FORM_TOKEN.search(html) or HEADER_TOKEN.search(html)
    assert found, "the page carries the session's CSRF token"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str, next: str = "/") -> Any:
    """Post the login form as a browser would; the response (303 on success)."""
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "next": next, "csrf_token": token},
        follow_redirects=False,
    )


def signed_in(client: TestClient, username: str, password: str, *, header_from: str | None = None) -> TestClient:
    """``client`` signed in as ``username`` (asserted); with ``header_from``, the X-CSRF-Token header is set
    from that page's token, for API calls and htmx-style posts."""
    response = sign_in(client, username, password)
    assert response.status_code == 303, response.text
    if header_from is not None:
        client.headers["X-CSRF-Token"] = any_csrf_from(client.get(header_from).text)
    return client


def signed_in_client(app: FastAPI, username: str, password: str, *, header_from: str | None = None) -> TestClient:
    """A new client of ``app``, signed in (see ``signed_in``); the caller closes it."""
    return signed_in(TestClient(app), username, password, header_from=header_from)
