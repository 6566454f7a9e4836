"""Hostile values never make a 500, on either database (issue 15, finding 10); each case here was found
by the fuzzing run (test_openapi_fuzz.py) or follows from one it found.

- Every number a page or API route reads from its query string: beyond 64 bits (SQLite cannot bind them),
  past PostgreSQL's INTEGER, negative (PostgreSQL refuses a negative LIMIT or OFFSET), not a number at
  all. Found: ``GET /api/comms/queue?offset=2**63``; the walk covers every route's numeric query
  parameters, pages included (they are not in the OpenAPI description).
- A value the database cannot store, whichever route lets it through: a NUL byte (PostgreSQL refuses it
  in any text; found on the PostgreSQL run: ``GET /api/incidents.geojson?category=%00EV``), a text longer
  than its column, an integer beyond 64 bits in a JSON body. The answer is a 422 saying what to correct.
"""

from __future__ import annotations

import pytest
from fastapi.openapi.utils import get_flat_params
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from support.web import any_csrf_from, signed_in

from peaceops.access.users import add_user
from peaceops.missions.models import Mission
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app
from peaceops.web.error_handlers import UNSTORABLE
from peaceops.web.routers import ROUTERS

PASSWORD = "hostile numbers password, long"
HOSTILE = ["9223372036854775808", "-9223372036854775809", "2147483648", "-1", "0", "nan", "inf", "1e400"]
PATH_VALUES = {"acronym": "UNMISS", "iso3": "SSD", "level": "cm", "period": "2024", "code": "1.1"}


def numeric_query_routes() -> list[tuple[str, str]]:
    """(path, parameter) for every GET route with a numeric query parameter, path ids filled in."""
    found = []
    for _tag, module in ROUTERS:
        for router, prefix in ((module.pages, ""), (module.api, "/api")):
            for route in router.routes:
                if not isinstance(route, APIRoute) or "GET" not in route.methods:
                    continue
                for param in get_flat_params(route.dependant):
                    kind = type(param.field_info).__name__
                    if kind == "Query" and param.field_info.annotation in (int, float, int | None, float | None):
                        path = prefix + route.path
                        for name in route.param_convertors:
                            path = path.replace("{" + name + "}", PATH_VALUES.get(name, "1"))
                        found.append((path, param.alias))
    return sorted(set(found))


ROUTES = numeric_query_routes()


def test_the_walk_finds_the_routes_it_is_about():
    assert ("/api/comms/queue", "offset") in ROUTES and ("/comms/queue", "page") in ROUTES
    assert len(ROUTES) >= 20


@pytest.fixture
def admin(settings: Settings, db: Database):
    with db.write() as s:
        add_user(s, "admin", PASSWORD, "admin")
    web = TestClient(create_app(settings, db=db), raise_server_exceptions=False)  # every 500 is listed, not raised
    with signed_in(web, "admin", PASSWORD) as web:
        yield web


def test_no_numeric_query_parameter_makes_a_server_error(admin):
    failures = []
    for path, name in ROUTES:
        for value in HOSTILE:
            response = admin.get(path, params={name: value})
            if response.status_code >= 500:
                failures.append(f"{path}?{name}={value}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_nul_byte_in_a_query_is_never_a_500(admin, db):
    response = admin.get("/api/incidents.geojson", params={"category": "\x00EV"})
    if db.dialect == "postgresql":
        assert response.status_code == 422 and response.json()["detail"] == UNSTORABLE
    else:
        assert response.status_code == 200


def test_a_number_beyond_its_column_in_a_json_body_is_a_422(admin, db):
    """``fatalities`` has a lower bound only: 2**64 reached the INSERT (SQLite cannot bind it, PostgreSQL's
    INTEGER cannot hold it)."""
    with db.write() as s:
        s.add(Mission(acronym="UNMISS", name="United Nations Mission in South Sudan"))
    admin.headers["X-CSRF-Token"] = any_csrf_from(admin.get("/").text)
    incident = {"mission": "UNMISS", "occurred_on": "2024-01-05", "location": "Juba", "incident_type": "Ambush"}
    response = admin.post("/api/safety/incidents", json=incident | {"fatalities": 2**64})
    assert response.status_code == 422
    assert response.json() == {"error": "ValidationFailed", "detail": UNSTORABLE}
    assert admin.post("/api/safety/incidents", json=incident | {"fatalities": 2}).status_code == 201
