"""Reader for implementation-tracking files (CSV in UTF-8, or an XLSX workbook's first sheet).

The layout, one row per commitment or per status update of one (the header names the columns, in any
order, case ignored; only ``agreement`` is required, with ``ref`` or ``category``):

| column | what |
|---|---|
| agreement | the PA-X AgtId of the agreement |
| ref | the commitment's reference within the agreement (default: the category code) |
| category | PA-X provision category code (``Ce``, ``SsrDdr`` ...) |
| text | the provision's text or a summary |
| parties | the responsible parties, separated by ``;`` |
| due | a due date or a milestone, as written |
| process | the id of the peace process in peaceops' registry |
| status | not assessed, not started, under way, implemented, disputed or abandoned |
| status_date | the day the status took effect (YYYY-MM-DD); required with a status |
| evidence | what shows it |
| source | a URL or a reference |
| recorded_by | who assessed it (default: whoever imports the file) |
| debriefs, incidents | ids of linked debriefs or incidents, separated by ``;`` |

A blank cell leaves what peaceops holds as it is. Each bad row is rejected with its line number and the
reason; the good rows are kept.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from peaceops.errors import ImportFileError
from peaceops.i18n import _, format_number
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import (
    EMPTY_FILE,
    NO_HEADER,
    NOT_A_FILE,
    NOT_XLSX,
    TOO_MANY_ROWS,
    csv_records,
    decode,
    parse_date,
)

SOURCE = "commitments"
COLUMNS = (
    "agreement", "ref", "category", "text", "parties", "due", "process", "status", "status_date",
    "evidence", "source", "recorded_by", "debriefs", "incidents",
)  # fmt: skip
STATUSES = ("not_assessed", "not_started", "under_way", "implemented", "disputed", "abandoned")
MAX_ROWS = 20000


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx(path: Path, raw: bytes) -> list[tuple[int, list[str] | str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise ImportFileError(_(NOT_XLSX).format(name=path.name, reason=exc.__class__.__name__)) from None
    rows = [(n, [_cell(v) for v in row]) for n, row in enumerate(book.worksheets[0].iter_rows(values_only=True), 1)]
    book.close()
    return list(rows)


def _ids(value: str, field: str) -> list[int]:
    out = []
    for part in value.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"{field} {part!r} is not an id (whole numbers separated by ';')")
        out.append(int(part))
    return out


def _int(value: str, field: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"{field} {value!r} is not a whole number")
    return int(value)


def parse_row(row: dict[str, str]) -> dict[str, Any]:
    """One row's typed fields; ValueError with the plain reason for a value that cannot be read."""
    agreement = _int(row.get("agreement", ""), "agreement (PA-X AgtId)")
    if agreement is None:
        raise ValueError("agreement is empty; give the PA-X AgtId of the agreement")
    ref = row.get("ref", "") or row.get("category", "")
    if not ref:
        raise ValueError("ref and category are both empty; give one so the row names its commitment")
    if len(ref) > 80:
        raise ValueError("ref is longer than 80 characters")
    category = row.get("category", "") or None
    if category and len(category) > 16:
        raise ValueError(f"category {category!r} is not a PA-X category code")
    status = row.get("status", "").strip().lower().replace(" ", "_").replace("-", "_") or None
    if status and status not in STATUSES:
        raise ValueError(f"status {row['status']!r} is not known; write one of {', '.join(STATUSES)}")
    status_date = parse_date(row.get("status_date", ""), "status_date") if row.get("status_date") else None
    if status and status_date is None:
        raise ValueError("a status needs its status_date (YYYY-MM-DD), the day it took effect")
    if status_date and status_date > datetime.now().date():
        raise ValueError(f"status_date {status_date} is in the future")
    if status_date and not status:
        raise ValueError("status_date is given without a status")
    return {
        "agreement": agreement,
        "ref": ref,
        "category": category,
        "text": row.get("text", ""),
        "parties": [p.strip() for p in row.get("parties", "").split(";") if p.strip()],
        "due": row.get("due", "")[:200],
        "process": _int(row.get("process", ""), "process"),
        "status": status,
        "status_date": status_date,
        "evidence": row.get("evidence", ""),
        "source": row.get("source", ""),
        "recorded_by": row.get("recorded_by", "")[:200],
        "debriefs": _ids(row.get("debriefs", ""), "debriefs"),
        "incidents": _ids(row.get("incidents", ""), "incidents"),
    }


def read_commitments(path: Path) -> SourceRows:
    """Rows of a CSV or XLSX file in the layout above; a file without the layout's header is refused whole."""
    if not path.is_file():
        raise ImportFileError(_(NOT_A_FILE).format(path=path))
    raw = path.read_bytes()
    if not raw.strip():
        raise ImportFileError(_(EMPTY_FILE).format(name=path.name))
    layout = "xlsx" if raw[:2] == b"PK" else "csv"
    if layout == "xlsx":
        rows = _xlsx(path, raw)
        if not rows:
            raise ImportFileError(_(NO_HEADER).format(name=path.name))
        names, records = rows[0][1], rows[1:]
    else:
        names, lines = csv_records(decode(raw), path.name)
        records = list(lines)
    header = [str(h).strip().lower() for h in names]
    if "agreement" not in header or not ({"ref", "category"} & set(header)):
        message = _(
            "{name} does not have the commitments layout: it needs the columns agreement and ref or category "
            "(found {found}); see docs/commitments.md."
        )
        raise ImportFileError(message.format(name=path.name, found=", ".join(header[:12]) or _("none")))
    if len(records) > MAX_ROWS:
        raise ImportFileError(_(TOO_MANY_ROWS).format(name=path.name, rows=format_number(MAX_ROWS)))
    out = SourceRows(SOURCE, str(path), hashlib.sha256(raw).hexdigest(), layout)
    for line, cells in records:
        if isinstance(cells, str):
            out.rows_read += 1
            out.reject(line, f"Line {line} {cells}.")
            continue
        if not any(c.strip() for c in cells):
            continue
        out.rows_read += 1
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            out.reject(line, f"Line {line} has {len(cells)} values where the header has {len(header)}.")
            continue
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        try:
            out.records.append((line, parse_row(row)))
        except ValueError as exc:
            out.reject(line, f"Line {line}: {exc}.")
    return out
