"""Helpers shared by the web tests: signing in through the real form, reading tokens and chart specs."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from peaceops.store import Database
from peaceops.store.audit import AuditEntry

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has a form with a csrf_token field"
    return found.group(1)


def chart_specs(html: str) -> dict[str, Any]:
    """The Vega-Lite specs a page embeds, by slot name."""
    found = re.findall(r'<script type="application/json" id="spec-([\w-]+)">(.*?)</script>', html, re.S)
    return {name: json.loads(body) for name, body in found}


def audit_entries(db: Database, action: str | None = None) -> list[AuditEntry]:
    with db.session() as s:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(s.scalars(query))


def sign_in(client: TestClient, username: str, password: str = PASSWORD, next: str = "/") -> Any:
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "next": next, "csrf_token": token},
        follow_redirects=False,
    )
