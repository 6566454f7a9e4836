"""Opening delimited files the way real ones arrive: gzip or not, BOM or not, with a clear error otherwise.

One rule for every CSV peaceops reads (the sources' readers and the domains' importers alike), kept in
``csv_records``: a line that cannot be read is rejected alone, with its number and what to fix, and the
lines around it are read as usual. What it rejects, line by line:

- bytes that are not UTF-8 (``decode`` keeps them as surrogate escapes, so the other lines keep their
  exact text): the record holding them is rejected, naming the byte;
- a NUL character (a UTF-16 or binary file, or a damaged line): the record holding it is rejected;
- a value longer than ``csv.field_size_limit()`` (128 KiB by default): its line is rejected;
- a quote that is never closed, or whose closing quote is followed by more text (a stray quote in a
  value, which the csv module would otherwise let swallow the lines after it, up to the end of the
  file): the line where the quote opened is rejected, saying where the quoted value ran to, and reading
  starts again on the next line, so the lines the quote swallowed are read as the lines they are;
- a well-formed record with more or fewer values than the header (``csv_rows``), whole, at its first
  line, even when a quoted value makes it span several lines.

A real quoted value that spans lines and runs past the field limit cannot be told from an unclosed quote:
it is rejected as one, and its continuation lines are read as lines (and almost always rejected). Only
the header row is a file-level error: without it no line can be read.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peaceops.errors import ImportFileError
from peaceops.i18n import N_, _
from peaceops.sources.records import SourceRows

# What ``decode`` leaves for a byte that is not UTF-8 (U+DC80..U+DCFF), and any other lone surrogate a
# text could carry: neither can be stored, so the record holding one is rejected.
_SURROGATE = re.compile("[\ud800-\udfff]")
QUOTE_ADVICE = 'close the quote, or write a quote inside a value twice ("")'
# A file that is not text at all (an image, a workbook chosen by mistake) is refused as a whole, saying
# what it is and which file is expected; each message is one whole sentence, then CSV_EXPECTED. The file-level
# messages are kept in English here (N_) and said in the current language when raised.
NOT_CSV: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", N_("{name} is a PNG image, not a CSV file.")),
    (b"\xff\xd8\xff", N_("{name} is a JPEG image, not a CSV file.")),
    (b"GIF8", N_("{name} is a GIF image, not a CSV file.")),
    (b"%PDF", N_("{name} is a PDF document, not a CSV file.")),
    (b"PK\x03\x04", N_("{name} is an Excel workbook (XLSX) or another ZIP archive, not a CSV file.")),
    (b"\xd0\xcf\x11\xe0", N_("{name} is an old Excel workbook (XLS) or another Office document, not a CSV file.")),
)
BINARY = N_("{name} is not a CSV file: it holds binary data, not text.")
UTF16 = N_(
    '{name} is not UTF-8 text: it is saved as UTF-16; save the file as UTF-8 ("CSV UTF-8" in Excel) and '
    "import it again."
)
CSV_EXPECTED = N_(
    "Choose a CSV file: plain text in UTF-8 whose first line names the columns (in Excel: Save As, "
    'file type "CSV UTF-8").'
)
# The other file-level refusals every reader of a table says alike (the readers of XLSX files too).
NOT_A_FILE = N_("{path} does not exist or is not a file.")
EMPTY_FILE = N_("{name} is empty: there is no header row and no data.")
NO_HEADER = N_("{name} has no header row.")
TOO_MANY_ROWS = N_("{name} has more than {rows} rows; split it into smaller files and import each.")
NOT_XLSX = N_(
    "{name} cannot be opened as an XLSX workbook ({reason}); save it again from Excel or export it as CSV UTF-8."
)
_HEAD = 512  # characters of the first line looked at to tell a binary file from text


def decode(raw: bytes) -> str:
    """UTF-8 text without its BOM; bytes that are not UTF-8 stay as surrogate escapes (U+DC80..U+DCFF), so
    ``csv_records`` rejects the lines that hold them, each alone, and every other line keeps its text."""
    return raw.decode("utf-8-sig", errors="surrogateescape")


def encode(text: str) -> bytes:
    """The bytes ``decode`` read (its SHA-256 is the file's), surrogate escapes back to the bytes they were."""
    return text.encode("utf-8", errors="surrogateescape")


def read_text(path: Path) -> tuple[str, str]:
    """The file's text (``decode``: bytes that are not UTF-8 are rejected line by line when it is read as
    CSV) and its SHA-256; raises ImportFileError if it is missing or empty."""
    raw, digest = read_raw(path)
    return decode(raw), digest


def read_raw(path: Path) -> tuple[bytes, str]:
    """The file's bytes (decompressed when gzip) and their SHA-256, as ``read_text`` checks them; the
    column-wise reader (``sources.columnar``) hands them to Arrow without decoding them first."""
    if not path.is_file():
        raise ImportFileError(_(NOT_A_FILE).format(path=path))
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            message = _("{name} looks gzip-compressed but cannot be decompressed: {reason}.")
            raise ImportFileError(message.format(name=path.name, reason=exc)) from exc
    digest = hashlib.sha256(raw).hexdigest()
    if not raw or raw.isspace():
        raise ImportFileError(_(EMPTY_FILE).format(name=path.name))
    return raw, digest


class _Lines:
    """The physical lines of a text, numbered, handed to ``csv.reader`` one at a time (line ends: LF, CRLF
    or CR, as ``newline=""`` reads them); the lines after the first of a broken record can be handed back."""

    def __init__(self, text: str) -> None:
        self._source = io.StringIO(text, newline="")
        self._back: list[str] = []  # handed back, last first
        self.taken: list[str] = []  # the lines of the record being read
        self.number = 0  # the number of the last line handed out

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._back.pop() if self._back else next(self._source)
        self.number += 1
        self.taken.append(line)
        return line

    def first(self) -> int:
        """The number of the first line of the record being read."""
        return self.number - len(self.taken) + 1

    def hand_back(self) -> None:
        """Every line of the record being read but its first is read again, as lines of their own."""
        rest = self.taken[1:]
        self._back.extend(reversed(rest))
        self.number -= len(rest)
        del self.taken[1:]


def _broken(error: csv.Error, lines: list[str], first: int) -> str:
    """Why a record the csv module refused cannot be read, in words saying what to fix (after "Line N")."""
    message = str(error)
    last = first + len(lines) - 1
    if "field larger than field limit" in message:
        limit = f"{csv.field_size_limit():,}"
        if len(lines) == 1:
            return f"has a value longer than {limit} characters, the most a CSV value may hold; shorten it"
        return (
            f"opens a quote whose value runs on past {limit} characters (to line {last}) without closing; "
            f"{QUOTE_ADVICE}"
        )
    if "unexpected end of data" in message:
        return (
            f"opens a quote that is never closed (the quoted value ran on to the end of the file, line {last}); "
            f"{QUOTE_ADVICE}"
        )
    if "expected after" in message:
        if len(lines) == 1:
            return f"has text after the closing quote of a quoted value; {QUOTE_ADVICE}"
        return (
            f"opens a quote that is not closed on this line: the quoted value ran on to line {last}, where text "
            f"follows its closing quote; {QUOTE_ADVICE}"
        )
    return f"cannot be read as CSV ({message})"


def _unreadable_text(lines: list[str], first: int) -> str | None:
    """Why a record's text cannot be stored (a byte that is not UTF-8, a NUL), or None."""
    for number, line in enumerate(lines, start=first):
        where = "" if number == first else f" on line {number}, inside a quoted value that starts here"
        found = _SURROGATE.search(line)
        if found:
            code = ord(found.group())
            if 0xDC80 <= code <= 0xDCFF:
                return (
                    f"is not UTF-8 text (byte 0x{code - 0xDC00:02x}{where}); save the file as UTF-8 "
                    '("CSV UTF-8" in Excel) and import it again'
                )
            return f"holds a character that is not text (U+{code:04X}{where}); remove it"
        if "\x00" in line:
            return (
                f"holds a NUL character (byte 0x00{where}), which is not text: the file may be UTF-16 or "
                "damaged; save it as UTF-8 CSV"
            )
    return None


def not_csv(text: str, name: str) -> str | None:
    """Why the file whose text is ``text`` is not a CSV file at all (an image, a workbook, binary data:
    told by its first bytes, or by a first line that is mostly not text), or None."""
    start = encode(text[:8])
    for magic, message in NOT_CSV:
        if start.startswith(magic):
            return f"{_(message).format(name=name)} {_(CSV_EXPECTED)}"
    head = text[:_HEAD].split("\n", 1)[0]
    # UTF-16: a byte order mark, or (without one) every other byte of a line of ASCII text 0
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(head) >= 4 and (set(head[1::2]) == {"\x00"} or set(head[0::2]) == {"\x00"})
    ):
        return _(UTF16).format(name=name)
    odd = sum(1 for c in head if c < " " and c not in "\t\r" or "\ud800" <= c <= "\udfff")
    if odd >= 4 and odd * 10 >= len(head):
        return f"{_(BINARY).format(name=name)} {_(CSV_EXPECTED)}"
    return None


def unreadable_text(text: str) -> str | None:
    """Why a line of text cannot be stored (a byte that is not UTF-8, a NUL; read after "Line N"), or None."""
    return _unreadable_text([text], 0)


def csv_records(text: str, name: str) -> tuple[list[str], Iterator[tuple[int, list[str] | str]]]:
    """The header (names stripped), then for each record after it ``(its first line, its values)``, or
    ``(its first line, why it cannot be read)`` for a record rejected under the module's rule; records
    whose values are all blank are left out. Line numbers are physical: a quoted value may span lines.

    A header row that cannot be read (an unclosed quote, a byte that is not UTF-8), or a file that is not
    text at all (``not_csv``), is an ImportFileError."""
    if problem := not_csv(text, name):
        raise ImportFileError(problem)
    lines = _Lines(text.removeprefix("\ufeff"))
    reader = csv.reader(lines, strict=True)
    check_text = "\x00" in text or (not text.isascii() and _SURROGATE.search(text) is not None)

    def read() -> tuple[int, list[str] | str, str] | None:
        """The next record: (first line, its values or why it cannot be read, what broke it: "" for
        nothing, "text", "csv", or "csv+" when the lines after its first are read again)."""
        lines.taken.clear()
        try:
            values = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            first, taken = lines.first(), list(lines.taken)
            if len(taken) == 1:
                return first, _broken(exc, taken, first), "csv"
            lines.hand_back()
            return first, _broken(exc, taken, first), "csv+"
        first = lines.first()
        if check_text and (problem := _unreadable_text(lines.taken, first)):
            return first, problem, "text"
        return first, values, ""

    head = read()
    if head is None:
        raise ImportFileError(_("{name} is empty: there is no header row.").format(name=name))
    line, header, broke = head
    if isinstance(header, str):
        if broke == "text":
            message = _("{name} cannot be read as CSV: its header row (line {line}) {problem}.")
            raise ImportFileError(message.format(name=name, line=line, problem=header))
        # A quote opened in the header and never closed would swallow the whole file into one "field".
        message = _(
            "{name} cannot be read as CSV: its header row (line {line}) is broken: it {problem}; check the quotes "
            "in the first line."
        )
        raise ImportFileError(message.format(name=name, line=line, problem=header))

    def records() -> Iterator[tuple[int, list[str] | str]]:
        while (record := read()) is not None:
            line, values, broke = record
            if isinstance(values, str):
                yield line, values + ("; the lines after it are read on their own" if broke == "csv+" else "")
            elif any(v.strip() for v in values):
                yield line, values

    return [h.strip() for h in header], records()


def csv_rows(
    text: str, name: str, *, short_rows: bool = False
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and an iterator of (line number, row) with surrounding whitespace stripped from values.

    A line that cannot be read, or whose number of values differs from the header's, comes as
    ``{"__error__": why}`` (read "Line N <why>"). ``short_rows`` lets a row end early (its missing values
    read as blank) and have blank values past the header's last column, as ``csv.DictReader`` read it."""
    header, records = csv_records(text, name)
    width = len(header)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for line, values in records:
            if isinstance(values, str):
                yield line, {"__error__": values}
                continue
            if len(values) != width:
                extra = any(v.strip() for v in values[width:])
                if not short_rows or extra:
                    problem = _("has {count} fields where the header has {width}").format(
                        count=len(values), width=width
                    )
                    yield line, {"__error__": problem}
                    continue
                values = (values + [""] * width)[:width]
            yield line, {h: v.strip() for h, v in zip(header, values, strict=True)}

    return header, rows()


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
            out.reject(line, _("Line {line}: {problem}.").format(line=line, problem=exc))
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
        found = ", ".join(header[:12]) + ("..." if len(header) > 12 else "")
        message = _("{name} does not have the columns of the {layout} layout: missing {missing} (found {found}).")
        raise ImportFileError(message.format(name=name, layout=layout, missing=", ".join(missing), found=found))


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
        raise ValueError(_("{field} {value!r} is not a number").format(field=field, value=value)) from None
    if number != int(number):
        raise ValueError(_("{field} {value!r} is not a whole number").format(field=field, value=value))
    if number < 0:
        raise ValueError(_("{field} {value!r} is negative").format(field=field, value=value))
    return int(number)


def parse_float(value: str, field: str) -> float | None:
    """A decimal that may use a decimal comma ("15,9833"), as the UN missions file does."""
    if value in NULLS:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise ValueError(_("{field} {value!r} is not a number").format(field=field, value=value)) from None


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
    raise ValueError(_("{field} {value!r} is not a date (expected YYYY-MM-DD)").format(field=field, value=value))


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
        message = _("{name} has columns the {layout} layout does not know: {unknown} (known: {known}).")
        known = ", ".join((*required, *optional))
        raise ImportFileError(message.format(name=path.name, layout=kind, unknown=", ".join(unknown), known=known))
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
            rows.reject(line, _("Line {line}: {problem}.").format(line=line, problem=exc))
            continue
        if key in seen:
            message = _("Line {line}: the same {kind} entry already appears on line {first}.")
            rows.reject(line, message.format(line=line, kind=rows.kind, first=seen[key]))
            continue
        seen[key] = line
        out.append((line, key, value))
    return out
