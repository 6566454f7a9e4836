"""Request bodies are held to a limit (issue 15, finding 11): a clear 413 before the body is stored, on
forms, JSON and file uploads, whether the body announces its length or arrives in chunks (decision 025)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from support.web import signed_in

from peaceops.access.users import add_user
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.audit import AuditEntry
from peaceops.store.provenance import ImportRun
from peaceops.web import create_app
from peaceops.web.request_limits import BodyLimit, is_upload_route
from peaceops.web.routers import ROUTERS

PASSWORD = "request limits password, long enough"
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture
def limited(settings: Settings) -> Settings:
    """Small limits, so the tests send little: 4 KB for forms and JSON, 1 MB for uploads."""
    return settings.model_copy(update={"max_body_kb": 4, "max_upload_mb": 1})


@pytest.fixture
def admin_db(db: Database) -> Database:
    with db.write() as s:
        add_user(s, "admin", PASSWORD, "admin")
    return db


@pytest.fixture
def anonymous(limited: Settings, admin_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(limited, db=admin_db)) as web:
        yield web


@pytest.fixture
def admin(limited: Settings, admin_db: Database) -> Iterator[TestClient]:
    with signed_in(TestClient(create_app(limited, db=admin_db)), "admin", PASSWORD, header_from="/") as web:
        yield web


@pytest.fixture
def uploads(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """What reached the import pipeline: the upload route replaced by a recorder."""
    seen: list[bytes] = []

    def record(db: Any, kind: str, filename: str, content: bytes, who: Any, **kwargs: Any) -> Any:
        seen.append(content)
        raise AssertionError("stop here: the route ran")

    monkeypatch.setattr("peaceops.web.imports.routes.import_upload", record)
    return seen


def count(db: Database, model: type, **where: Any) -> int:
    with db.session() as s:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(s.scalar(query) or 0)


def chunks(total: int, size: int = 1024) -> Iterator[bytes]:
    """A body without Content-Length (sent chunked)."""
    for start in range(0, total, size):
        yield b"a" * min(size, total - start)


def test_a_login_form_over_the_limit_is_refused_before_the_route_runs(anonymous, admin_db):
    body = b"username=admin&password=" + b"x" * 5000
    response = anonymous.post("/login", content=body, headers=FORM)
    assert response.status_code == 413
    assert "at most 4 KB is accepted here" in response.text and "<html" in response.text
    assert count(admin_db, AuditEntry, action="login_failed") == 0  # no failed login recorded: the route never ran


def test_a_chunked_form_is_counted_and_refused_at_the_limit(anonymous, admin_db):
    response = anonymous.post("/login", content=chunks(50_000), headers=FORM)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert "at most 4 KB is accepted here" in response.text
    assert count(admin_db, AuditEntry, action="login_failed") == 0


def test_a_json_body_over_the_limit_is_a_413_in_json(admin, admin_db):
    response = admin.post("/api/comms/lexicon", json={"term": "x" * 5000, "language": "en"})
    assert response.status_code == 413
    assert response.json() == {
        "error": "TooLarge",
        "detail": "This request is too large: at most 4 KB is accepted here. Send less at once; "
        "files go through an upload form or an import route.",
    }


def test_a_body_under_the_limit_reaches_the_route(admin):
    response = admin.post("/api/comms/lexicon", json={"term": "x" * 3000})
    assert response.status_code == 422 and "language" in response.json()["detail"]  # the body was read


def test_a_file_over_the_upload_limit_is_refused_and_nothing_is_imported(admin, admin_db, uploads):
    big = io.BytesIO(b"mission,year\n" + b"MINUSCA,2020\n" * 90_000)  # about 1.1 MB
    response = admin.post("/api/imports/personnel", files={"file": ("big.csv", big, "text/csv")})
    assert response.status_code == 413  # announced beyond every limit: refused before the route is chosen
    assert response.json()["detail"] == (
        "This request is too large: at most 4 KB is accepted for a form or an API request, and 1 MB for a "
        "file upload. Send less at once, or split the file."
    )
    assert uploads == [] and count(admin_db, ImportRun) == 0


def test_a_chunked_upload_over_the_upload_limit_is_refused(admin, uploads):
    headers = {"content-type": "multipart/form-data; boundary=b"}
    response = admin.post("/api/imports/personnel", content=chunks(2 * 1024 * 1024, 64 * 1024), headers=headers)
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "This file is too large to upload: at most 1 MB is accepted in one request. "
        "Split it into smaller files and upload each one."
    )
    assert uploads == []


def test_a_file_over_the_form_limit_but_under_the_upload_limit_is_uploaded(admin, uploads):
    content = b"mission,year\n" + b"MINUSCA,2020\n" * 5000  # 65 KB: over 4 KB, under 1 MB
    with pytest.raises(AssertionError, match="the route ran"):
        admin.post("/api/imports/personnel", files={"file": ("ok.csv", io.BytesIO(content), "text/csv")})
    assert uploads == [content]


def test_an_anonymous_upload_over_the_form_limit_is_asked_to_sign_in(anonymous, uploads):
    content = io.BytesIO(b"x" * 10_000)
    response = anonymous.post("/api/imports/personnel", files={"file": ("f.csv", content, "text/csv")})
    assert response.status_code == 401
    assert response.json() == {"error": "LoginRequired", "detail": "Please sign in, then upload the file again."}
    assert uploads == []


def test_a_route_that_does_not_read_an_announced_over_limit_body_still_answers_413(admin):
    response = admin.request("DELETE", "/api/admin/compartments", content=b"x" * 5000)
    assert response.status_code == 413


def test_every_route_that_takes_a_file_is_marked_as_an_upload_and_no_other():
    """``openapi_extra=UPLOAD`` is the one mark; a route with a file parameter without it would get the
    small limit, and the mark on any other route would raise its limit for nothing."""
    from fastapi import params

    checked = 0
    for _tag, module in ROUTERS:
        for router in (module.pages, module.api):
            for route in router.routes:
                takes_file = any(isinstance(f.field_info, params.File) for f in route.dependant.body_params)
                raw_import = route.path == "/incidents/import"  # CSV as the raw request body
                assert is_upload_route(route) == (takes_file or raw_import), route.path
                checked += takes_file or raw_import
    assert checked == 9


# The middleware alone, on a recording app: how much of a body reaches the app.


def _scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {"type": "http", "method": "POST", "path": path, "headers": headers, "query_string": b""}


async def _drive(limit: BodyLimit, scope: dict[str, Any], body: list[bytes]) -> tuple[list[dict[str, Any]], int]:
    pending = [{"type": "http.request", "body": c, "more_body": i < len(body) - 1} for i, c in enumerate(body)]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await limit(scope, receive, send)
    return sent, len(pending)


def _run(coroutine: Any) -> Any:
    """Run on a thread of its own: a browser test in the same worker may leave an event loop running here."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class Reader:
    """An app that reads its whole body, like the form parser spooling a file."""

    def __init__(self) -> None:
        self.received = 0
        self.called = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.called = True
        while True:
            message = await receive()
            self.received += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def test_the_app_never_receives_more_than_the_limit_of_a_chunked_body():
    reader = Reader()
    limit = BodyLimit(reader, max_body=8 * 1024, max_upload=64 * 1024)
    sent, unread = _run(_drive(limit, _scope("/api/x", []), [b"z" * 4000] * 20))
    assert sent[0]["status"] == 413 and b"at most 8 KB is accepted here" in sent[-1]["body"]
    assert reader.received <= 8 * 1024  # the chunk that would pass the limit is never handed on
    assert unread == 17  # and the rest of the body is never read


def test_an_announced_length_over_every_limit_never_reaches_the_app():
    reader = Reader()
    limit = BodyLimit(reader, max_body=8 * 1024, max_upload=64 * 1024)
    scope = _scope("/api/x", [(b"content-length", b"144000000")])
    sent, unread = _run(_drive(limit, scope, [b"z" * 4000]))
    assert not reader.called and unread == 1
    assert sent[0]["status"] == 413
    assert b"at most 8 KB is accepted for a form or an API request, and 64 KB for a file upload" in sent[-1]["body"]
