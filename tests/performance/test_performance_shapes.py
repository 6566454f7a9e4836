"""The performance and comms answers are described once, by the domains' typed shapes (decision 019): each
JSON route's response model, and so its OpenAPI schema, is the domain type, and no web model describes the
same fields a second time. Needs neither the shared data nor a database."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from peaceops.comms import shapes as comms_shapes
from peaceops.comms.shapes import ItemImport
from peaceops.performance import shapes as performance_shapes
from peaceops.performance.shapes import (
    AssessmentList,
    AssessmentView,
    CellDrilldown,
    DerivedReport,
    ElementRollup,
    FrameworkIndex,
    FrameworkTree,
    Grid,
    IndicatorDetail,
    ResultNode,
    SaveOutcome,
    Scorecard,
    ScorecardSummary,
    TargetSet,
    TrendCell,
    UploadReport,
)
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app
from peaceops.web.routers import ROUTERS

M = "/api/performance/missions/{acronym}"
# (method, path, status, the domain type that is the answer)
CONVERTED: list[tuple[str, str, str, type[BaseModel]]] = [
    ("get", "/api/performance/frameworks", "200", FrameworkIndex),
    ("get", f"{M}/framework", "200", FrameworkTree),
    ("post", f"{M}/renew", "200", FrameworkTree),
    ("put", f"{M}/regions", "200", FrameworkTree),
    ("post", f"{M}/derive", "200", DerivedReport),
    ("get", f"{M}/values", "200", Grid),
    ("post", f"{M}/values", "200", SaveOutcome),
    ("post", f"{M}/targets", "200", TargetSet),
    ("post", f"{M}/upload", "200", UploadReport),
    ("get", f"{M}/indicators/{{code}}", "200", IndicatorDetail),
    ("get", f"{M}/assessments", "200", AssessmentList),
    ("get", f"{M}/assessments/{{period}}", "200", AssessmentView),
    ("post", f"{M}/assessments/{{period}}/{{action}}", "200", AssessmentView),
    ("get", "/api/performance/scorecard", "200", Scorecard),
    ("get", "/api/performance/scorecard/summary", "200", ScorecardSummary),
    ("get", "/api/performance/scorecard/{acronym}/{element}", "200", CellDrilldown),
    ("post", f"{M}/framework/results", "200", FrameworkTree),
    ("patch", f"{M}/framework/results/{{code}}", "200", FrameworkTree),
    ("delete", f"{M}/framework/results/{{code}}", "200", FrameworkTree),
    ("post", f"{M}/framework/indicators", "200", FrameworkTree),
    ("patch", f"{M}/framework/indicators/{{code}}", "200", FrameworkTree),
    ("delete", f"{M}/framework/indicators/{{code}}", "200", FrameworkTree),
    ("post", "/api/comms/items", "201", ItemImport),
]
WEB_MODULES = [
    *(f"peaceops.web.performance.{name}" for name in ("schemas", "routes", "assessments", "scorecards", "editing")),
    "peaceops.web.performance.charts",
    "peaceops.web.comms.routes",
]
DOMAIN_SHAPES = [
    obj
    for module in (performance_shapes, comms_shapes)
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
    assert shape.__module__.split(".")[1] in ("performance", "comms"), "the shape lives in its domain"
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
    """The performance and comms web modules hold request bodies only: no answer is described there."""
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
    """Outcomes and outputs carry an empty mandate task and tags where objectives have them; pooled roll-ups
    name their element first; the comms import report keeps its run out of the answer."""
    outcome = ResultNode(code="O1.1", level="outcome", title="t", description="", indicators=[], children=[])
    assert outcome.model_dump() == {
        "code": "O1.1", "level": "outcome", "title": "t", "description": "", "mandate_task": None, "tags": [],
        "indicators": [], "children": [],
    }  # fmt: skip
    pooled = dict(missions=2, on_track=1, at_risk=0, off_track=0, no_data=1, indicators=5, with_data=3)
    pooled |= {"rating": "at_risk", "score": 0.5}
    assert list(ElementRollup(code="A4P+.P6", title="Accountability", **pooled).model_dump()) == [
        "code", "title", *pooled,
    ]  # fmt: skip
    assert list(TrendCell(period="2024-02", element="A4P+.P6", title="t", **pooled).model_dump()) == [
        "period", "element", "title", *pooled,
    ]  # fmt: skip
    report = ItemImport(rows_read=2, added=1, unchanged=0, rejected=[{"line": 2, "reason": "empty"}], run_id=7)
    assert report.run_id == 7
    answer = '{"rows_read":2,"added":1,"unchanged":0,"rejected":[{"line":2,"reason":"empty"}],"updated":0}'
    assert report.model_dump_json() == answer
