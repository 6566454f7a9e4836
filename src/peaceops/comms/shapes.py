"""What the strategic-communications functions return that the web describes: typed, frozen shapes that the
pages, their JSON twins (as the response models, see decision 019) and the tests read. Field order is the
JSON's key order. The other answers of comms (queue, items, narratives, alerts, lexicon) are not described
again by the web and stay plain for now."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class ImportRejection(_Shape):
    line: int
    reason: str


class ItemImport(_Shape):
    """What adding items did: rows read, items added, rows already present, and each rejected row."""

    rows_read: int
    added: int
    unchanged: int = Field(description="Rows whose item was already stored (or came twice in the batch).")
    rejected: list[ImportRejection]
    updated: int = Field(0, description="Stored items whose threat areas the rows changed (decision 046).")
    run_id: int | None = Field(default=None, exclude=True, description="The import run (not in the JSON answer).")
