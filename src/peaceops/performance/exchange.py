"""CSV and XLSX templates for offline data entry, and reading them back.

The template lists every entered indicator of the framework for a period, one row per disaggregation,
with the current value and target filled in. An uploaded file is read row by row: each row passes the
same rules as the grid; a row that breaks one is reported with its line number and reason and the good
rows are kept. The run is recorded with its rejections like any other import (kind ``performance-values``).
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, require_mission_editor
from peaceops.errors import ImportFileError, PeaceopsError
from peaceops.missions.models import Mission
from peaceops.performance.grid import grid
from peaceops.performance.models import ResultsFramework
from peaceops.performance.periods import Period
from peaceops.performance.shapes import SaveOutcome, TargetSet, UploadRejection, UploadReport, UploadWarning
from peaceops.performance.values import save_value, set_target
from peaceops.sources.tabular import csv_records, decode
from peaceops.store.provenance import record_import

COLUMNS = [
    "mission",
    "period",
    "indicator_code",
    "indicator",
    "unit",
    "disaggregation",
    "baseline",
    "target",
    "value",
    "note",
]
REQUIRED = ("period", "indicator_code", "value")
IMPORT_KIND = "performance-values"
MAX_ROWS = 20000


def _fmt(value: float | None) -> str | float:
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def template_rows(session: Session, framework: ResultsFramework, period: Period) -> list[dict[str, Any]]:
    data = grid(session, framework, period)
    return [
        {
            "mission": data.mission,
            "period": data.period,
            "indicator_code": r.code,
            "indicator": r.name,
            "unit": r.unit,
            "disaggregation": r.disaggregation,
            "baseline": _fmt(r.baseline),
            "target": _fmt(r.target),
            "value": _fmt(r.value),
            "note": r.note or "",
        }
        for r in data.rows
        if r.kind == "entered"
    ]


def write_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_xlsx(rows: list[dict[str, Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "values"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF7D6")
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
        for column in ("target", "value", "note"):
            sheet.cell(sheet.max_row, COLUMNS.index(column) + 1).fill = fill
    widths = {"indicator": 48, "indicator_code": 24, "disaggregation": 30, "note": 40}
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = widths.get(name, 12)
    sheet.freeze_panes = "A2"
    about = book.create_sheet("about")
    for line in (
        [title],
        ["Fill in the yellow columns (value, target, note) and upload the file on the data-entry page."],
        ["Leave a value empty to keep it as it is in peaceops; rows are checked like the web grid."],
        ["Units: count = whole number; percent = 0-100; per_1000 = rate per 1,000."],
    ):
        about.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict[str, str] | str]]:
    """(line, row) pairs from a CSV (UTF-8) or XLSX upload, and (line, why) for a CSV line that cannot be
    read (bytes that are not UTF-8, a quote never closed, a value over 128 KiB: ``sources.tabular``), which
    is rejected alone; a file-level problem (empty, no usable header row) raises ImportFileError."""
    if not content:
        raise ImportFileError(f"{filename} is empty.")
    records: list[tuple[int, list[str] | str]]
    if content[:2] == b"PK":
        rows = _xlsx_rows(filename, content)
        if not rows:
            raise ImportFileError(f"{filename} has no header row.")
        names, records = rows[0][1], [(line, cells) for line, cells in rows[1:]]
    else:
        names, lines = csv_records(decode(content), filename)
        records = list(lines)
    header = [h.strip().lower() for h in names]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            f"{filename} lacks the column(s) {', '.join(missing)}; download the template from the data-entry page."
        )
    if len(records) > MAX_ROWS:
        raise ImportFileError(f"{filename} has more than {MAX_ROWS} rows; split it.")
    out: list[tuple[int, dict[str, str] | str]] = []
    for line, cells in records:
        if isinstance(cells, str):
            out.append((line, cells))
        elif any(str(c).strip() for c in cells):
            out.append((line, {h: str(cells[i]).strip() if i < len(cells) else "" for i, h in enumerate(header)}))
    return out


def _xlsx_rows(filename: str, content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise ImportFileError(f"{filename} cannot be opened as an XLSX workbook ({exc.__class__.__name__}).") from None
    sheet = book["values"] if "values" in book.sheetnames else book.worksheets[0]
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        rows.append((number, [_cell_text(v) for v in row]))
    book.close()
    return rows


def _cell_text(value: object) -> str:
    """A cell as the text a CSV would hold: whole floats without '.0', a date typed as 2024-03 as a month."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def apply_upload(
    session: Session, framework: ResultsFramework, filename: str, content: bytes, actor: Actor
) -> UploadReport:
    """Save every valid row of an uploaded template; report each rejected row with its line and reason."""
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    require_mission_editor(actor, mission.acronym)
    rows = read_rows(filename, content)
    digest = hashlib.sha256(content).hexdigest()
    source = f"upload {filename} ({digest[:12]})"
    saved = targets = unchanged = skipped = 0
    warnings: list[UploadWarning] = []
    rejections: list[UploadRejection] = []
    for line, row in rows:
        if isinstance(row, str):
            rejections.append(UploadRejection(line=line, reason=f"Line {line} {row}."))
            continue
        if row.get("mission") and row["mission"].upper() != mission.acronym.upper():
            reason = f"Line {line}: the row is for {row['mission']}, not {mission.acronym}."
            rejections.append(UploadRejection(line=line, reason=reason))
            continue
        if not row.get("value") and not row.get("target"):
            skipped += 1
            continue
        try:
            # A savepoint per row: a rejected row leaves nothing behind, the good rows stay.
            with session.begin_nested():
                target: TargetSet | None = None
                value: SaveOutcome | None = None
                key = row.get("disaggregation", "")
                if row.get("target"):
                    target = set_target(
                        session,
                        framework,
                        row["indicator_code"],
                        row["period"],
                        row["target"],
                        actor,
                        disaggregation=key,
                        source=f"upload {filename}",
                    )
                if row.get("value"):
                    value = save_value(
                        session,
                        framework,
                        row["indicator_code"],
                        row["period"],
                        row["value"],
                        actor,
                        disaggregation=key,
                        source=source,
                        note=row.get("note") or None,
                    )
        except PeaceopsError as exc:
            rejections.append(UploadRejection(line=line, reason=f"Line {line}: {exc}"))
            continue
        targets += target is not None and target.value is not None
        if value is not None:
            saved += value.status == "saved"
            unchanged += value.status != "saved"
            if value.warning:
                warnings.append(UploadWarning(line=line, warning=value.warning))
    run = record_import(
        session,
        kind=IMPORT_KIND,
        source=f"{mission.acronym} v{framework.version}: {filename}",
        sha256=digest,
        actor=actor.username,
        rows_read=len(rows),
        counts={"inserted": saved, "updated": targets, "unchanged": unchanged},
        rejections=[(r.line, r.reason) for r in rejections],
    )
    return UploadReport(
        source=filename,
        rows_read=len(rows),
        saved=saved,
        targets=targets,
        unchanged=unchanged,
        skipped=skipped,
        rejected=len(rejections),
        warnings=warnings,
        rejections=rejections,
        run_id=run.id,
    )
