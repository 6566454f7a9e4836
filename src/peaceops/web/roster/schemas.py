"""Request bodies of the expert roster and helpdesk API.

The responses are the roster domain's own typed shapes (``roster.shapes``), used as the routes' response
models: see decision 019."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from peaceops.roster.terms import clearances_accepted

CLEARANCE_HELP = f"One of {clearances_accepted()}; the label is accepted too."


class LanguageIn(BaseModel):
    code: str = Field(description="ISO 639-1 code, e.g. fr.", max_length=2)
    level: str = Field("fluent", description="native, fluent, working or basic.", max_length=16)


class WindowIn(BaseModel):
    from_: date = Field(alias="from")
    to: date

    model_config = {"populate_by_name": True}


class ExpertIn(BaseModel):
    name: str = Field(max_length=200)
    email: str = Field(max_length=200, description="Identifies the expert: imports and edits upsert on it.")
    affiliation: str = Field("", max_length=200)
    phone: str = Field("", max_length=60)
    clearance: str = Field("none", description=CLEARANCE_HELP, max_length=32)
    expertise: list[str] = Field(description="Codes from the controlled list (GET /api/roster/terms).")
    languages: list[LanguageIn] = []
    regions: list[str] = Field([], description="ISO3 country codes or UN M49 sub-region names.")
    availability: list[WindowIn] = []
    notes: str = Field("", max_length=4000)
    kind: str = Field("technical", max_length=24, description="technical, ngo_mediator or envoy_candidate.")
    last_reviewed: date | None = Field(None, description="When the entry was last reviewed (kept when left out).")


class RequestIn(BaseModel):
    title: str = Field(max_length=200)
    expertise: str = Field(max_length=40)
    languages: list[str] = []
    region: str = Field(max_length=60, description="An ISO3 country code or a UN M49 sub-region.")
    urgency: str = Field("routine", max_length=16, description="routine, priority or urgent.")
    needed_from: date
    needed_to: date
    clearance: str = Field("none", description=CLEARANCE_HELP, max_length=32)
    description: str = Field("", max_length=8000)
    context: str = Field("", max_length=300, description="The peace process or context, in free text.")
    process_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="The peace process (registry id) the expert will serve; not for partners."
    )


class MoveIn(BaseModel):
    to: str = Field(description="matched, deployed, closed, cancelled or open.", max_length=16)
    expert_id: int | None = Field(None, description="Required to match.")
    note: str = Field("", max_length=4000)


class LinkIn(BaseModel):
    process_id: int | None = Field(None, ge=1, le=2**31 - 1, description="The peace process; null unlinks.")
