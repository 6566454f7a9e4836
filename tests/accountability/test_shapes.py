"""The safety, conduct and country answers are described once, by the domains' typed shapes (decision 019):
each JSON route's response model, and so its OpenAPI schema, is the domain type, and no web model
describes the same fields a second time. Needs neither the shared data nor a database."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from peaceops.conduct import shapes as conduct_shapes
from peaceops.conduct.shapes import (
    AllegationDetail,
    AllegationGroup,
    AllegationRecords,
    AllegationSummary,
    ConductOverview,
    InvestigationDaysByYear,
)
from peaceops.countries import shapes as country_shapes
from peaceops.countries.shapes import CountryList, CountryProfile
from peaceops.safety import shapes as safety_shapes
from peaceops.safety.shapes import (
    FatalityGroup,
    FatalitySummary,
    SafetyOverview,
    SeriousIncidentDetail,
    SeriousIncidentList,
)
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app
from peaceops.web.routers import ROUTERS

# (method, path, status, the domain type that is the answer)
CONVERTED: list[tuple[str, str, str, type[BaseModel]]] = [
    ("get", "/api/safety", "200", SafetyOverview),
    ("get", "/api/fatalities/summary", "200", FatalitySummary),
    ("get", "/api/safety/incidents", "200", SeriousIncidentList),
    ("get", "/api/safety/incidents/{incident_id}", "200", SeriousIncidentDetail),
    ("post", "/api/safety/incidents", "201", SeriousIncidentDetail),
    ("post", "/api/safety/incidents/{incident_id}/status", "200", SeriousIncidentDetail),
    ("get", "/api/conduct", "200", ConductOverview),
    ("get", "/api/conduct/summary", "200", AllegationSummary),
    ("get", "/api/conduct/allegations", "200", AllegationRecords),
    ("get", "/api/conduct/allegations/{allegation_id}", "200", AllegationDetail),
    ("get", "/api/countries", "200", CountryList),
    ("get", "/api/countries/{iso3}", "200", CountryProfile),
]
WEB_MODULES = [f"peaceops.web.accountability.{name}" for name in ("schemas", "safety", "conduct", "countries")]
DOMAIN_SHAPES = [
    obj
    for module in (safety_shapes, conduct_shapes, country_shapes)
    for obj in vars(module).values()
    if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    tmp: Path = tmp_path_factory.mktemp("shapes")
    settings = Settings(var_dir=tmp / "var", data_dir=tmp, secret_key="t" * 40)
    return create_app(settings, db=Database(f"sqlite:///{tmp / 'unused.sqlite'}"))


@pytest.fixture(scope="module")
def openapi(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


@pytest.mark.parametrize(("method", "path", "status", "shape"), CONVERTED, ids=[f"{m} {p}" for m, p, _, _ in CONVERTED])
def test_the_openapi_answer_of_each_route_is_the_domain_type(app, openapi, method, path, status, shape):
    assert shape.__module__.split(".")[1] in ("safety", "conduct", "countries"), "the shape lives in its domain"
    route = next(
        r
        for _, module in ROUTERS
        for r in module.api.routes
        if isinstance(r, APIRoute) and "/api" + r.path == path and method.upper() in r.methods
    )
    assert route.response_model is shape
    answer = openapi["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    assert answer == {"$ref": f"#/components/schemas/{shape.__name__}"}
    component = openapi["components"]["schemas"][shape.__name__]
    own = shape.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
    own.pop("$defs", None)
    assert component == own, "the documented answer is exactly the domain type's schema"


def test_no_web_model_describes_a_domain_shape_again():
    """The safety, conduct and country web modules hold request bodies only: no answer is described there."""
    fields = {tuple(shape.model_fields): shape for shape in DOMAIN_SHAPES}
    for name in WEB_MODULES:
        module = importlib.import_module(name)
        models = [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == name
        ]
        assert [m.__name__ for m in models if m.__name__.endswith("Out")] == [], name
        twins = [
            (m.__name__, fields[tuple(m.model_fields)].__name__) for m in models if tuple(m.model_fields) in fields
        ]
        assert twins == [], f"{name} re-describes a domain shape: use the domain type as the response model"


def test_the_json_keys_keep_the_order_the_api_has_always_had():
    """Rows grouped by a dimension carry the dimension's key as an extra field after ``count``, and the
    timeliness rows name their year after the day figures: the order the answers had before the shapes."""
    assert list(FatalityGroup(mission="MINUSMA", count=3, malicious=2, in_register=True).model_dump()) == [
        "count",
        "mission",
        "malicious",
        "in_register",
    ]
    row = AllegationGroup(country="ZAF", name="South Africa", count=4, substantiated=1, pending=0, child_victims=0)
    assert list(row.model_dump()) == ["count", "country", "name", "substantiated", "pending", "child_victims"]
    assert row.value("country") == "ZAF" and row.value("in_register") is None
    days = dict.fromkeys(("median_days", "p25_days", "p75_days", "mean_days", "within_90"))
    by_year = InvestigationDaysByYear(year=2016, allegations=2, completed=1, pending=1, not_applicable=0, **days)
    assert list(by_year.model_dump())[-3:] == ["year", "pending", "not_applicable"]
