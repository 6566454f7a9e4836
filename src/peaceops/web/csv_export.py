"""CSV downloads of the rows a page or API answer shows, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel
from starlette.responses import Response

# A spreadsheet runs a cell that starts with one of these as a formula; such text gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        value = " – ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(rows: Iterable[Mapping[str, Any] | BaseModel], fields: Sequence[str], filename: str) -> Response:
    """The rows (dicts, or a domain's typed shapes) as a UTF-8 CSV attachment with a header line; fields not
    in ``fields`` are left out."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        values = row.model_dump() if isinstance(row, BaseModel) else row
        writer.writerow({k: _cell(values.get(k)) for k in fields})
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers=download_headers(filename),
    )


def download_headers(filename: str, *, inline: bool = False) -> dict[str, str]:
    """A Content-Disposition for any file name: an ASCII fallback plus the exact name (RFC 6266/5987), so
    a mission or process named in Arabic or with accents never breaks the header (headers are Latin-1)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename) or "download"
    kind = "inline" if inline else "attachment"
    value = f'{kind}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return {"Content-Disposition": value}


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(rows: Iterable[BaseModel], fields: Sequence[str], filename: str, title: str) -> Response:
    """The same rows as one XLSX sheet named ``title`` (header row first), text that a spreadsheet would run
    as a formula quoted as in the CSV."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(fields))
    for row in rows:
        values = row.model_dump()
        sheet.append([_cell(values.get(f)) for f in fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return Response(buffer.getvalue(), media_type=XLSX_TYPE, headers=download_headers(filename))
