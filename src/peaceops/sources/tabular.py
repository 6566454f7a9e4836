"""Opening delimited files the way real ones arrive: gzip or not, BOM or not, with a clear error otherwise."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peaceops.errors import ImportFileError
from peaceops.sources.records import SourceRows


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and SHA-256; raises ImportFileError if it is missing, empty or not UTF-8."""
    if not path.is_file():
        raise ImportFileError(f"{path} does not exist or is not a file.")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ImportFileError(f"{path.name} looks gzip-compressed but cannot be decompressed: {exc}.") from exc
    digest = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise ImportFileError(f"{path.name} is empty: there is no header row and no data.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"{path.name} is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
            "save it as UTF-8 and import it again."
        ) from exc
    return text, digest


def csv_rows(text: str, name: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and an iterator of (line number, row) with surrounding whitespace stripped from values."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportFileError(f"{name} is empty: there is no header row.") from None
    except csv.Error as exc:
        # A quote opened in the header and never closed swallows the whole file into one "field".
        raise ImportFileError(
            f"{name} cannot be read as CSV: its header row (line 1) is broken ({exc}; read up to line "
            f"{reader.line_num}); check the quotes in the first line."
        ) from exc

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        line = reader.line_num
        for values in _guarded(reader, name):
            start = line + 1
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                yield start, {"__error__": f"has {len(values)} fields where the header has {len(header)}"}
                continue
            yield start, {h: v.strip() for h, v in zip(header, values, strict=True)}

    return header, rows()


def _guarded(reader: Any, name: str) -> Iterator[list[str]]:
    """Rows of a csv reader; a structural error (a NUL byte, an unclosed quote) stops the import cleanly."""
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError(f"{name} cannot be read as CSV near line {reader.line_num}: {exc}.") from exc
        yield values


def collect_rows(
    out: SourceRows,
    rows: Iterator[tuple[int, dict[str, str]]],
    parse: Callable[[dict[str, str]], dict[str, Any]],
    key: str,
    key_label: str,
) -> SourceRows:
    """Parse each row into ``out``: a ValueError or a repeated ``key`` rejects that line with its reason."""
    seen: dict[Any, int] = {}
    for line, row in rows:
        out.rows_read += 1
        if "__error__" in row:
            out.reject(line, f"Line {line} {row['__error__']}.")
            continue
        try:
            record = parse(row)
        except ValueError as exc:
            out.reject(line, f"Line {line}: {exc}.")
            continue
        value = record[key]
        if value in seen:
            out.reject(line, f"Line {line}: {key_label} {value} already appears on line {seen[value]}.")
            continue
        seen[value] = line
        out.records.append((line, record))
    return out


def require_columns(header: Sequence[str], required: Sequence[str], name: str, layout: str) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError(
            f"{name} does not have the columns of the {layout} layout: missing {', '.join(missing)} "
            f"(found {', '.join(header[:12])}{'...' if len(header) > 12 else ''})."
        )


NULLS = {"", "NA", "N/A", "NULL", "null", "nan", "NaN", "-"}


def parse_int(value: str, field: str) -> int | None:
    """An integer count; None when blank; ValueError with a readable message otherwise."""
    if value.isdigit():  # the common case, on the hot path of every import
        return int(value)
    if value in NULLS:
        return None
    try:
        number = float(value.replace(",", "")) if "." in value or "," in value else int(value)
    except ValueError:
        raise ValueError(f"{field} {value!r} is not a number") from None
    if number != int(number):
        raise ValueError(f"{field} {value!r} is not a whole number")
    if number < 0:
        raise ValueError(f"{field} {value!r} is negative")
    return int(number)


def parse_float(value: str, field: str) -> float | None:
    """A decimal that may use a decimal comma ("15,9833"), as the UN missions file does."""
    if value in NULLS:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise ValueError(f"{field} {value!r} is not a number") from None


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%b-%Y", "%d-%b-%y", "%Y-%m-%dT%H:%M:%S")


def parse_date(value: str, field: str) -> date | None:
    if len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if value in NULLS:
        return None
    text = value.split(" ")[0] if " " in value and ":" in value else value
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{field} {value!r} is not a date (expected YYYY-MM-DD)")


def month_start(day: date) -> date:
    return day.replace(day=1)


def parse_percent(value: str, field: str) -> float | None:
    """A percentage ("45", "45%", "45,5") as a fraction (0.45); None when blank."""
    number = parse_float(value.rstrip("%").strip(), field)
    return None if number is None else round(number / 100.0, 6)


def number_field(row: dict[str, str], column: str) -> float | None:
    return parse_float(row.get(column, ""), column)


def read_layout(path: Path, kind: str, required: tuple[str, ...], optional: tuple[str, ...]) -> tuple[SourceRows, Any]:
    """The CSV at ``path`` in a fixed layout: required and optional columns, nothing else (a clear error)."""
    text, digest = read_text(path)
    header, rows = csv_rows(text, path.name)
    require_columns(header, required, path.name, kind)
    unknown = [h for h in header if h not in required and h not in optional]
    if unknown:
        raise ImportFileError(
            f"{path.name} has columns the {kind} layout does not know: {', '.join(unknown)} "
            f"(known: {', '.join((*required, *optional))})."
        )
    return SourceRows(kind=kind, path=str(path), sha256=digest, layout=kind), rows


def parse_each(
    rows: SourceRows,
    lines: Any,
    parse: Callable[[dict[str, str]], tuple[tuple[Any, ...], Any]],
) -> list[tuple[int, tuple[Any, ...], Any]]:
    """Parse each line; a ValueError, or a key already seen on an earlier line, rejects it with the reason."""
    seen: dict[tuple[Any, ...], int] = {}
    out = []
    for line, row in lines:
        rows.rows_read += 1
        if "__error__" in row:
            rows.reject(line, f"Line {line} {row['__error__']}.")
            continue
        try:
            key, value = parse(row)
        except ValueError as exc:
            rows.reject(line, f"Line {line}: {exc}.")
            continue
        if key in seen:
            rows.reject(line, f"Line {line}: the same {rows.kind} entry already appears on line {seen[key]}.")
            continue
        seen[key] = line
        out.append((line, key, value))
    return out
