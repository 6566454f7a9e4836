"""``GET /healthz``: open to anyone (a load balancer does not sign in), so it says only what an operator
needs: whether the database answers and whether its schema is current, each with what to do."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from peaceops.store import health

pages = APIRouter(include_in_schema=False)  # /api/openapi.json describes the API; /healthz is for load balancers
api = APIRouter()


class CheckOut(BaseModel):
    name: str = Field(description="database or schema")
    ok: bool
    detail: str = Field(description="One sentence: the state, and what to do when it is not ok.")


class HealthOut(BaseModel):
    status: str = Field(description="ok, or failing when any check is not ok (the answer is then a 503)")
    checks: list[CheckOut]


@pages.get(
    "/healthz",
    response_model=HealthOut,
    summary="Whether this instance can serve: the database answers and its schema is current",
    responses={503: {"model": HealthOut, "description": "A check failed; its detail says what to do."}},
)
def healthz(request: Request) -> JSONResponse:
    result = health.check(request.app.state.db)
    body = HealthOut(
        status="ok" if result.ok else "failing",
        checks=[CheckOut(name=c.name, ok=c.ok, detail=c.detail) for c in result.checks],
    )
    return JSONResponse(body.model_dump(), status_code=200 if result.ok else 503)
