"""What every reader returns: good records with their line numbers, and rejected lines with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Rejection:
    """A rejected line; rows with the same ``cause`` are summarised together, listing their ``detail``."""

    line: int
    reason: str
    cause: str = ""
    detail: str = ""


Record = tuple[int, dict[str, Any]]


@dataclass
class SourceRows:
    """Rows read from one file: ``records`` are (line, fields) pairs that passed format validation.

    A reader that validates column-wise (``sources.columnar``) sets ``table`` instead: the same records as
    Arrow columns, a ``line`` column first, which importers write in bulk. ``records`` is then built from
    it the first time it is asked for, so a bulk import never makes one Python dictionary per row.
    """

    kind: str
    path: str
    sha256: str
    layout: str
    rejections: list[Rejection] = field(default_factory=list)
    rows_read: int = 0
    table: pa.Table | None = None
    _records: list[Record] | None = field(default=None, repr=False, compare=False)

    @property
    def records(self) -> list[Record]:
        if self._records is None:
            self._records = [] if self.table is None else table_records(self.table)
        return self._records

    @records.setter
    def records(self, value: list[Record]) -> None:
        self._records, self.table = value, None

    @property
    def accepted(self) -> int:
        """How many records were accepted, without building them."""
        if self._records is None and self.table is not None:
            return int(self.table.num_rows)
        return len(self.records)

    def reject(self, line: int, reason: str) -> None:
        self.rejections.append(Rejection(line, reason))


def table_records(table: pa.Table) -> list[Record]:
    """(line, fields) pairs from a table whose first column is ``line``, in the table's order."""
    names = table.column_names[1:]
    lines = table.column(0).to_pylist()
    values = zip(*(table.column(name).to_pylist() for name in names), strict=True) if names else ((),) * len(lines)
    return [(line, dict(zip(names, row, strict=True))) for line, row in zip(lines, values, strict=True)]
