"""The agreements, peace-process and roster answers are described once, by the domains' typed shapes (decision
019): each JSON route's response model, and so its OpenAPI schema, is the domain type, and the web modules
hold request bodies only, no model describing an answer a second time. Needs neither the shared data nor a
database."""

from __future__ import annotations

import importlib
import importlib.util
import typing
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from peaceops.agreements import shapes as agreement_shapes
from peaceops.agreements.shapes import AgreementDetail, AgreementSearch, Comparison, Facets
from peaceops.assignments.shapes import DebriefsDue
from peaceops.processes import shapes as process_shapes
from peaceops.processes.shapes import (
    DebriefDetail,
    DebriefList,
    DebriefSearch,
    ForumShopping,
    MandateReview,
    ProcessDetail,
    ProcessList,
    Timeline,
    TimelineEvent,
)
from peaceops.roster import shapes as roster_shapes
from peaceops.roster.shapes import (
    AvailabilityWindow,
    ExpertImportSummary,
    ExpertLanguage,
    ExpertProfile,
    GapReport,
    HelpdeskQueue,
    HelpRequestDetail,
    HelpRequestStep,
    Roster,
)
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app
from peaceops.web.routers import ROUTERS

DOMAINS = ("agreements", "processes", "roster", "assignments")
# (method, path, status, the domain type that is the answer)
CONVERTED: list[tuple[str, str, str, type[BaseModel]]] = [
    ("get", "/api/agreements/search", "200", AgreementSearch),
    ("get", "/api/agreements/facets", "200", Facets),
    ("get", "/api/agreements/compare", "200", Comparison),
    ("get", "/api/agreements/{agreement_id}", "200", AgreementDetail),
    ("get", "/api/processes", "200", ProcessList),
    ("post", "/api/processes", "201", ProcessDetail),
    ("get", "/api/processes/{process_id}", "200", ProcessDetail),
    ("patch", "/api/processes/{process_id}", "200", ProcessDetail),
    ("get", "/api/processes/{process_id}/timeline", "200", Timeline),
    ("get", "/api/debriefs/search", "200", DebriefSearch),
    ("get", "/api/debriefs/{debrief_id}", "200", DebriefDetail),
    ("put", "/api/debriefs/{debrief_id}", "200", DebriefDetail),
    ("get", "/api/processes/{process_id}/debriefs", "200", DebriefList),
    ("post", "/api/processes/{process_id}/debriefs", "201", DebriefDetail),
    ("get", "/api/roster", "200", Roster),
    ("post", "/api/roster", "201", ExpertProfile),
    ("get", "/api/roster/{expert_id}", "200", ExpertProfile),
    ("put", "/api/roster/{expert_id}", "200", ExpertProfile),
    ("get", "/api/roster/gaps", "200", GapReport),
    ("post", "/api/roster/import", "200", ExpertImportSummary),
    ("get", "/api/helpdesk", "200", HelpdeskQueue),
    ("post", "/api/helpdesk", "201", HelpRequestDetail),
    ("get", "/api/helpdesk/{request_id}", "200", HelpRequestDetail),
    ("post", "/api/helpdesk/{request_id}/move", "200", HelpRequestDetail),
    ("put", "/api/helpdesk/{request_id}/process", "200", HelpRequestDetail),
    ("post", "/api/roster/{expert_id}/reviewed", "200", ExpertProfile),
    ("get", "/api/processes/mandates", "200", MandateReview),
    ("get", "/api/processes/forum-shopping", "200", ForumShopping),
    ("get", "/api/processes/debriefs-due", "200", DebriefsDue),
]
ROUTE_MODULES = {name: module for name, module in ROUTERS if name in ("agreements", "processes", "helpdesk")}
WEB_MODULES = [
    "peaceops.web.agreements.routes",
    "peaceops.web.processes.routes",
    "peaceops.web.processes.charts",
    "peaceops.web.roster.routes",
    "peaceops.web.roster.schemas",
]
DOMAIN_SHAPES = [
    obj
    for module in (agreement_shapes, process_shapes, roster_shapes)
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


def _api_routes() -> list[APIRoute]:
    return [r for module in ROUTE_MODULES.values() for r in module.api.routes if isinstance(r, APIRoute)]


def _models_in(annotation: Any) -> set[type[BaseModel]]:
    """The models a type annotation names, nested models included."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found = {annotation}
        for field in annotation.model_fields.values():
            found |= _models_in(field.annotation)
        return found
    return {m for arg in typing.get_args(annotation) for m in _models_in(arg)}


@pytest.mark.parametrize(("method", "path", "status", "shape"), CONVERTED, ids=[f"{m} {p}" for m, p, _, _ in CONVERTED])
def test_the_openapi_answer_of_each_route_is_the_domain_type(openapi, method, path, status, shape):
    assert shape.__module__.split(".")[1] in DOMAINS, "the shape lives in its domain"
    assert shape.__module__.endswith(".shapes")
    route = next(r for r in _api_routes() if "/api" + r.path == path and method.upper() in r.methods)
    assert route.response_model is shape
    answer = openapi["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    assert answer == {"$ref": f"#/components/schemas/{shape.__name__}"}
    component = openapi["components"]["schemas"][shape.__name__]
    own = shape.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
    own.pop("$defs", None)
    assert component == own, "the documented answer is exactly the domain type's schema"


def test_every_json_answer_of_the_three_areas_is_pinned():
    """A route of these areas that describes its answer uses a domain shape, and is listed above."""
    described = {
        (method.lower(), "/api" + r.path)
        for r in _api_routes()
        if isinstance(r.response_model, type) and issubclass(r.response_model, BaseModel)
        for method in r.methods
    }
    assert described == {(m, p) for m, p, _, _ in CONVERTED}


def test_no_web_model_describes_a_domain_shape_again():
    """The web modules of these areas hold request bodies (and their parts) only: no answer is described there."""
    bodies = {
        m for r in _api_routes() for param in r.dependant.body_params for m in _models_in(param.field_info.annotation)
    }
    fields = {tuple(shape.model_fields): shape for shape in DOMAIN_SHAPES}
    for name in WEB_MODULES:
        module = importlib.import_module(name)
        models = [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == name
        ]
        assert [m.__name__ for m in models if m.__name__.endswith("Out")] == [], name
        assert [m.__name__ for m in models if m not in bodies] == [], f"{name} holds a model that is no request body"
        twins = [
            (m.__name__, fields[tuple(m.model_fields)].__name__)
            for m in models
            if tuple(m.model_fields) in fields and m not in bodies
        ]
        assert twins == [], f"{name} re-describes a domain shape: use the domain type as the response model"
    assert not any(importlib.util.find_spec(f"peaceops.web.{area}.schemas") for area in ("agreements", "processes"))


def test_the_json_keys_keep_the_order_and_names_the_api_has_always_had():
    """Windows are ``from``/``to`` in JSON (``from_`` in Python); a request's detail adds its history after the
    queue's fields."""
    window = AvailabilityWindow(from_=date(2027, 1, 1), to=date(2027, 2, 1))
    assert window.model_dump(mode="json", by_alias=True) == {"from": "2027-01-01", "to": "2027-02-01"}
    assert AvailabilityWindow.model_validate({"from": "2027-01-01", "to": "2027-02-01"}) == window
    assert list(ExpertLanguage(code="fr", level="native").model_dump()) == ["code", "level"]
    fields = list(HelpRequestDetail.model_fields)
    assert fields[0] == "id" and fields[-3:] == ["events", "next", "matches"]
    at = datetime(2027, 1, 1)
    step = HelpRequestStep(from_status=None, to_status="open", expert_id=None, note="", actor="a", at=at)
    assert list(step.model_dump()) == ["from_status", "to_status", "expert_id", "note", "actor", "at"]
    assert list(TimelineEvent.model_fields)[:3] == ["date", "kind", "kind_label"]


def test_shapes_are_frozen():
    window = AvailabilityWindow(from_=date(2027, 1, 1), to=date(2027, 2, 1))
    with pytest.raises(ValueError, match="frozen"):
        window.to = date(2028, 1, 1)  # type: ignore[misc]
    assert all(shape.model_config.get("frozen") for shape in DOMAIN_SHAPES)
