"""What the assignments functions return: typed, frozen shapes the pages, their JSON twins and the tests read."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class DebriefDue(_Shape):
    """An assignment that has ended without a debrief by the person who held it. Never a debrief's content."""

    kind: str = Field(description="mediator, core_team or expert (deployed through the helpdesk).")
    process_id: int
    process: str
    name: str = Field(description="Who held the assignment, and owes the debrief.")
    role: str = Field(description="Their title, or what the helpdesk deployed them for.")
    organisation: str | None = Field(description="The mandating body of a mediator; null for an expert.")
    request_id: int | None = Field(description="The helpdesk request of an expert's deployment.")
    started_on: str
    ended_on: str
    days_since_end: int


class DebriefsDue(_Shape):
    """The debriefs due in the processes whose compartments the reader holds (knowing that a debrief exists,
    or does not, is need-to-know like the debrief itself)."""

    today: str
    holds_any: bool = Field(description="False when the reader holds no process compartment: nothing can be shown.")
    processes: list[int] | None = Field(description="The processes looked at (null: every one, for the local admin).")
    experts_included: bool = Field(description="Whether experts' deployments are included (helpdesk readers only).")
    reason: str = Field(description="Why it matters, in the words of the IPI Blue Paper (2009).")
    due: list[DebriefDue]
