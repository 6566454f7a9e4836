"""Helpers shared by the web tests: signing in through the real form, reading tokens and chart specs."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from support import web
from support.web import csrf_from

from peaceops.store import Database
from peaceops.store.audit import AuditEntry

__all__ = ["PASSWORD", "audit_entries", "chart_specs", "csrf_from", "sign_in"]

PASSWORD = "correct horse battery"


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
    return web.sign_in(client, username, password, next)
