"""Request ids, one structured log line per request, and Prometheus metrics (decision 050)."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web.app import create_app
from peaceops.web.observability import JsonFormatter


@pytest.fixture
def client(db: Database, tmp_path) -> TestClient:
    with TestClient(create_app(Settings(var_dir=tmp_path), db=db)) as client:
        yield client


def test_each_answer_carries_a_request_id_and_a_given_safe_id_is_kept(client: TestClient) -> None:
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    given = client.get("/healthz", headers={"X-Request-ID": "trace-0123456789"})
    assert given.headers["x-request-id"] == "trace-0123456789"
    forged = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith a newline"})
    assert forged.headers["x-request-id"] != "bad id\nwith a newline"
    assert len(forged.headers["x-request-id"]) == 32


def test_the_log_line_names_the_route_template_never_the_path_or_query(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="peaceops.requests"):
        answer = client.get("/api/missions/MINUSCA-SECRET-NAME?q=informant")
    lines = [r for r in caplog.records if r.name == "peaceops.requests"]
    assert len(lines) == 1
    line = lines[0]
    assert line.request_id == answer.headers["x-request-id"]
    assert line.status == answer.status_code
    assert line.method == "GET"
    assert line.route.startswith("/api/missions/{") and "SECRET" not in line.route
    assert "informant" not in line.getMessage() and "SECRET" not in line.getMessage()


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    for _ in range(3):
        client.get("/healthz")
    client.get("/no/such/page?who=informant")
    body = client.get("/metrics").text
    counted = [
        line for line in body.splitlines() if line.startswith("peaceops_http_requests_total{") and '"/healthz"' in line
    ]
    assert counted and float(counted[0].rsplit(" ", 1)[1]) >= 3
    assert 'route="unmatched"' in body
    assert "informant" not in body
    assert "peaceops_http_request_duration_seconds_bucket" in body


def test_the_templates_the_app_records_are_fastapis_own(tmp_path) -> None:
    """create_app works the templates out from the routers' prefixes; FastAPI's route contexts agree."""
    app = create_app(Settings(var_dir=tmp_path))
    fastapi_own = {id(c.original_route): c.path_format for c in iter_route_contexts(app.routes) if c.path_format}
    recorded = app.state.route_templates
    assert len(recorded) > 300
    assert {key: fastapi_own[key] for key in recorded} == recorded
    # The routes create_app adds to the app itself carry their full path already.
    assert {fastapi_own[key] for key in fastapi_own.keys() - recorded.keys()} == {
        "/api/openapi.json",
        "/static/geo/countries-110m.json",
        "/metrics",
        "/static/{path}",
    }


def test_json_log_lines_hold_the_extra_fields() -> None:
    record = logging.LogRecord("peaceops.requests", logging.INFO, __file__, 1, "GET %s", ("/healthz",), None)
    record.request_id, record.status = "abc12345", 200
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET /healthz"
    assert entry["request_id"] == "abc12345" and entry["status"] == 200
    assert entry["level"] == "info" and entry["logger"] == "peaceops.requests"
    assert entry["time"].endswith("+00:00")
