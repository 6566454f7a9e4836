"""What the web adds to the audit log on its own: where each request came from, every file handed out
(CSV, GeoJSON, Excel, PDF) and every refusal. The entries name the path, never what was refused or
exported (decision 022)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peaceops.store import Database, audit

ANONYMOUS = "(not signed in)"


def client_address(scope: Scope) -> str | None:
    """The peer's address (behind a proxy, uvicorn's --proxy-headers puts the real one here)."""
    client = scope.get("client")
    return str(client[0])[:64] if client else None


def _actor(scope: Scope) -> str:
    user = scope.get("state", {}).get("user")
    return getattr(user, "username", None) or ANONYMOUS


def _target(scope: Scope) -> str:
    """The method, the path and the names of the query's parameters: never their values, which may quote
    what a confidential record holds (a restricted report's actor as a filter, a debrief's words as a search)."""
    names = dict.fromkeys(name for name, _ in parse_qsl(scope.get("query_string", b"").decode("latin-1"), True))
    return (f"{scope['method']} {scope['path']}" + (f"?{'&'.join(names)}" if names else ""))[:80]


def _write(db: Database, actor: str, action: str, target: str, after: dict[str, Any], client: str | None) -> None:
    with audit.client(client), db.write() as session:
        audit.record(session, actor, action, "request", target, after=after)


async def record_denied(request: Request, reason: str) -> None:
    """An attempt the access policy refused (403), with who, from where and which path."""
    scope = request.scope
    db: Database = request.app.state.db
    after = {"status": 403, "reason": reason}
    await run_in_threadpool(_write, db, _actor(scope), "denied", _target(scope), after, client_address(scope))


class AuditTrail:
    """Sets the audit client for the request, and records each file download once it is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        address = client_address(scope)

        async def send_and_record(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                disposition = Headers(raw=message.get("headers", [])).get("content-disposition", "")
                if "filename" in disposition:
                    db: Database = scope["app"].state.db
                    after = {"file": disposition.split("filename=", 1)[1].split(";")[0].strip('"')[:120]}
                    await run_in_threadpool(_write, db, _actor(scope), "export", _target(scope), after, address)
            await send(message)

        with audit.client(address):
            await self.app(scope, receive, send_and_record)
