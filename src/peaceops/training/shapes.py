"""What the training functions return: typed, frozen shapes that the pages, their JSON twins (response models,
decision 019), the exports and the tests read. Field order is the JSON's key order."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class CourseOut(_Shape):
    code: str
    title: str
    capability: str
    capability_label: str
    area: str = Field(description="An A4P+ priority code (A4P+.P3) or a threat area (organised_crime, cyber...).")
    area_label: str
    partner: str | None
    partner_kind: str | None
    sessions: int
    trained: int = Field(description="People trained on the course, over every record the reader may see.")


class SessionOut(_Shape):
    course: str
    starts: date
    ends: date
    place: str
    provider: str | None


class RecordOut(_Shape):
    mission: str
    course: str
    capability: str
    country_iso3: str
    unit: str
    person: str
    expert_id: int | None
    completed: date
    trained: int
    strength: int | None
    certificate_expires: date | None
    expired: bool


class CapabilityCoverage(_Shape):
    """One required capability in one contingent, or in the whole mission (``country_iso3`` empty)."""

    capability: str
    capability_label: str
    required_percent: float
    trained: int = Field(description="People with a valid certificate (capped at the unit's strength).")
    strength: int
    percent: float | None = Field(description="trained / strength x 100; null when no strength is recorded.")
    met: bool | None


class ContingentReadiness(_Shape):
    country_iso3: str
    country: str
    unit: str
    strength: int | None
    capabilities: list[CapabilityCoverage]
    ready: bool | None = Field(description="Every requirement met; null where a share cannot be computed.")


class Readiness(_Shape):
    mission: str
    as_of: date
    requirements: list[CapabilityCoverage] = Field(description="Mission-wide coverage per required capability.")
    contingents: list[ContingentReadiness]
    persons: int = Field(description="Training records of individual persons (experts, envoys, staff).")


class CapabilityGap(_Shape):
    mission: str
    capability: str
    capability_label: str
    country_iso3: str = Field(description="The contingent's country; empty for a mission-wide gap.")
    evidence: str = Field(description="indicator (an off-track performance indicator) or allegations.")
    indicator: str | None
    period: str | None
    coverage_percent: float | None
    required_percent: float
    why: str = Field(description="One sentence naming the evidence and the low training coverage.")


class Gaps(_Shape):
    mission: str
    period: str | None = Field(description="The assessment period whose indicator ratings were read.")
    gaps: list[CapabilityGap]
