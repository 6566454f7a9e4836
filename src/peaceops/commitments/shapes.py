"""What the commitments functions return: frozen shapes the pages, their JSON twins and the tests read."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class CommitmentRow(_Shape):
    id: int
    pax_id: int | None = Field(description="PA-X AgtId of the agreement.")
    agreement_id: int = Field(description="peaceops' own agreement id: /agreements/{agreement_id}.")
    agreement: str = Field(description="The agreement's title.")
    ref: str = Field(description="The commitment's reference within its agreement.")
    category: str | None = Field(description="PA-X provision category code.")
    category_label: str | None
    text: str
    parties: list[str]
    due: str
    status: str = Field(description="not_assessed, not_started, under_way, implemented, disputed or abandoned.")
    status_label: str
    changed_on: str | None = Field(description="Date of the latest status change, YYYY-MM-DD.")
    process_id: int | None


class CommitmentList(_Shape):
    total: int
    statuses: dict[str, int] = Field(description="How many of the listed commitments stand at each status.")
    commitments: list[CommitmentRow]


class StatusEntry(_Shape):
    status: str
    status_label: str
    changed_on: str
    evidence: str
    source: str
    recorded_by: str


class LinkedRecord(_Shape):
    """A linked debrief or incident the reader may see (the others are neither named nor counted)."""

    kind: str
    id: int
    label: str
    url: str


class CommitmentDetail(_Shape):
    commitment: CommitmentRow
    history: list[StatusEntry]
    links: list[LinkedRecord]
    process: str | None = Field(description="The linked peace process's name.")
    may_record: bool = Field(description="Whether the reader may record a status change.")


class SeedReport(_Shape):
    missions: list[str]
    agreements: int
    inserted: int
    unchanged: int


class ShareRow(_Shape):
    """One point of the implementation curves: the share of a group's commitments at a status at year end."""

    year: int
    group: str
    status: str
    status_label: str
    count: int
    total: int
    share: float
