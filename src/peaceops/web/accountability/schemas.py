"""Request shapes and query parameters of the accountability API (safety, conduct, country profiles).

The responses are the domains' own typed shapes (``safety.shapes``, ``conduct.shapes``,
``countries.shapes``), used as the routes' response models: see decision 019.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, BeforeValidator, Field


class IncidentIn(BaseModel):
    mission: str = Field(max_length=32)
    occurred_on: date
    location: str = Field(max_length=200)
    incident_type: str = Field(max_length=60)
    description: str = Field("", max_length=4000, description="What happened; never names or personal data.")
    fatalities: int = Field(0, ge=0)
    injured: int = Field(0, ge=0)
    reference: str | None = Field(None, max_length=80)


class StatusIn(BaseModel):
    status: str = Field(max_length=24)
    effective_on: date
    note: str = Field("", max_length=2000)


def _blank(value: object) -> object:
    """A filter form's "all" option sends an empty value: read it as no filter."""
    return None if value == "" else value


MissionQuery = Annotated[
    Annotated[str, Field(max_length=32)] | None,
    BeforeValidator(_blank),
    Query(description="Mission acronym, e.g. MINUSCA."),
]
YearQuery = Annotated[
    Annotated[int, Field(ge=1940, le=2100)] | None, BeforeValidator(_blank), Query(description="Calendar year.")
]
CountryQuery = Annotated[
    Annotated[str, Field(min_length=3, max_length=3)] | None,
    BeforeValidator(_blank),
    Query(description="ISO 3166 alpha-3 code of the personnel's country."),
]
