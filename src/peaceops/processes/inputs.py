"""What a person, the JSON API or an import file gives for a peace process: one validated document.

The same shapes serve the API body, the TOML/JSON import and the audit snapshot, so a process written
by any route reads back the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from peaceops.errors import ValidationFailed
from peaceops.framework.threat_areas import parse_threat_areas

Phase = Literal["prevention", "pre-negotiation", "negotiation", "implementation"]
Track = Literal["I", "II", "III"]
MediatorKind = Literal["un", "regional", "state", "ngo"]
Circle = Literal["core", "supporting"]
Name = Field(min_length=1, max_length=200)


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PartyDoc(_Doc):
    name: str = Name
    armed_groups: list[str] = Field(default_factory=list, description="Armed groups fighting for this party.")

    @field_validator("armed_groups")
    @classmethod
    def _groups(cls, value: list[str]) -> list[str]:
        groups = [g.strip() for g in value if g.strip()]
        if any(len(g) > 200 for g in groups):
            raise ValueError("an armed group's name is longer than 200 characters")
        return list(dict.fromkeys(groups))


class MediatorDoc(_Doc):
    name: str = Name
    organisation: str = Field(min_length=1, max_length=200, description="The mandating body: United Nations, AU...")
    kind: MediatorKind
    title: str = Field("", max_length=200, description="e.g. Special Envoy of the Secretary-General.")
    mandate: str = Field("", max_length=4000, description="What the mandate says, and who gave it.")
    mandate_area: str | None = Field(
        None, max_length=200, description="The conflict or region the mandate covers (default: the process's conflict)."
    )
    started_on: date
    ended_on: date | None = None
    lead: bool = Field(False, description="The agreed lead mediator of the process.")
    core_team: bool = Field(False, description="A member of a mediator's core team rather than a mediator.")

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise ValueError(f"{self.name}: the mandate ends ({self.ended_on}) before it starts ({self.started_on})")
        return self


class FriendDoc(_Doc):
    name: str = Name
    circle: Circle = "core"


class PhaseDoc(_Doc):
    phase: Phase
    started_on: date
    note: str = Field("", max_length=2000)


class ProcessDoc(_Doc):
    """A whole process. On update, a field left out (None) keeps its stored value."""

    name: str | None = Field(None, min_length=1, max_length=200)
    conflict: str | None = Field(None, min_length=1, max_length=200)
    country: str | None = Field(None, max_length=120)
    region: str | None = Field(None, max_length=120)
    tracks: list[Track] | None = None
    description: str | None = Field(None, max_length=8000)
    phase: Phase | None = Field(None, description="The current phase; a new value records a phase change.")
    phase_since: date | None = Field(None, description="When the phase began (default: today).")
    phase_note: str = Field("", max_length=2000)
    phases: list[PhaseDoc] | None = Field(None, description="The whole phase history (replaces the stored one).")
    parties: list[PartyDoc] | None = None
    ucdp_conflicts: list[int] | None = Field(None, description="UCDP conflict ids (UCDP/PRIO ACD conflict_id).")
    agreements: list[int] | None = Field(None, description="PA-X agreement ids (AgtId) of the process's agreements.")
    ucdp_agreements: list[int] | None = Field(None, description="UCDP peace agreement ids (paid) not in PA-X.")
    mediators: list[MediatorDoc] | None = None
    friends: list[FriendDoc] | None = None
    threat_areas: list[str] | None = Field(
        None,
        description="Threat area codes (organised_crime, terrorism, climate_security, hybrid_threats, cyber); "
        "a list, or one text with the codes separated by ;. Given, it replaces the stored ones.",
    )

    @field_validator("threat_areas", mode="before")
    @classmethod
    def _threat_areas(cls, value: object) -> list[str] | None:
        if value is None:
            return None
        if not isinstance(value, str | list | tuple):
            raise ValueError("the threat areas must be a list of codes, or codes separated by ;")
        try:
            return parse_threat_areas(value)
        except ValidationFailed as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def _unique(self) -> Self:
        for label, items in (("party", self.parties), ("friend", self.friends)):
            names = [i.name.casefold() for i in items or []]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"the {label} {dupes[0]!r} is listed twice")
        if self.phases is not None:
            days = [p.started_on for p in self.phases]
            if days != sorted(days):
                raise ValueError("the phases must be listed in date order")
        return self
