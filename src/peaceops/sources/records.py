"""What every reader returns: good records with their line numbers, and rejected lines with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rejection:
    """A rejected line; rows with the same ``cause`` are summarised together, listing their ``detail``."""

    line: int
    reason: str
    cause: str = ""
    detail: str = ""


@dataclass
class SourceRows:
    """Rows read from one file: ``records`` are (line, fields) pairs that passed format validation."""

    kind: str
    path: str
    sha256: str
    layout: str
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    rows_read: int = 0

    def reject(self, line: int, reason: str) -> None:
        self.rejections.append(Rejection(line, reason))
