"""Reading a file a mission fills in itself (training records, resource requirements, transition plans,
support given to partner operations...), CSV (UTF-8) or XLSX (first sheet), into numbered rows of text by
column name: the one reader of the domains' own import templates, so every such importer reads the same way.

A CSV line that cannot be read is rejected alone, by the one rule of ``sources.tabular``; an XLSX row's
number is its row in the sheet, the number a person sees in Excel.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime
from pathlib import Path

from peaceops.errors import ImportFileError
from peaceops.i18n import _, format_number
from peaceops.sources.tabular import EMPTY_FILE, NO_HEADER, NOT_A_FILE, NOT_XLSX, TOO_MANY_ROWS, csv_records, decode

Row = dict[str, str] | str  # the row's values by column, or why the line cannot be read
MAX_ROWS = 50_000


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx(name: str, raw: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise ImportFileError(_(NOT_XLSX).format(name=name, reason=exc.__class__.__name__)) from None
    rows = [(n, [_cell(v) for v in row]) for n, row in enumerate(book.worksheets[0].iter_rows(values_only=True), 1)]
    book.close()
    return rows


def read_table(
    path: Path, required: tuple[str, ...], layouts: str = "docs/examples/README.md"
) -> tuple[str, str, list[tuple[int, Row]]]:
    """(layout "csv" or "xlsx", SHA-256, rows); a file-level problem raises ImportFileError saying what to fix
    (``layouts`` names where the file's columns are described)."""
    if not path.is_file():
        raise ImportFileError(_(NOT_A_FILE).format(path=path))
    raw = path.read_bytes()
    if not raw.strip():
        raise ImportFileError(_(EMPTY_FILE).format(name=path.name))
    digest = hashlib.sha256(raw).hexdigest()
    records: list[tuple[int, list[str] | str]]
    if raw[:2] == b"PK":
        layout, sheet = "xlsx", _xlsx(path.name, raw)
        if not sheet:
            raise ImportFileError(_(NO_HEADER).format(name=path.name))
        names, records = sheet[0][1], [(n, cells) for n, cells in sheet[1:]]
    else:
        layout = "csv"
        names, lines = csv_records(decode(raw), path.name)
        records = list(lines)
    header = [h.strip().lower() for h in names]
    missing = [c for c in required if c not in header]
    if missing:
        message = _("{name} lacks the column(s) {missing}; the layouts are in {layouts}.")
        raise ImportFileError(message.format(name=path.name, missing=", ".join(missing), layouts=layouts))
    if len(records) > MAX_ROWS:
        raise ImportFileError(_(TOO_MANY_ROWS).format(name=path.name, rows=format_number(MAX_ROWS)))
    out: list[tuple[int, Row]] = []
    for line, cells in records:
        if isinstance(cells, str):
            out.append((line, cells))
        elif any(str(c).strip() for c in cells):
            out.append((line, {h: str(cells[i]).strip() if i < len(cells) else "" for i, h in enumerate(header)}))
    return layout, digest, out
