"""CSV files read column-wise: Arrow parses and checks whole columns, the rules of ``tabular`` still decide.

A file is parsed by Arrow when it is certain to read exactly as ``tabular.csv_rows`` reads it: valid UTF-8
without NUL, every quote where the csv module's strict mode puts it (``_quotes_pair``, else ``_STRICT``),
as many values on each line as in the header, no value over the csv module's field limit, no blank line
inside the data and the header on the first line. Then each record's first line is known from the line
breaks inside its values. Any other file, the rare file with a line that cannot be read, is parsed by
``csv_rows`` itself, line by line, into the same columns: its lines are rejected with the words and
numbers they always had. Decision 053.

Values are then checked column-wise, by readers that keep their row-by-row rules as the reference: a
number Arrow casts stands where it reads back as its own text; any other value (a date, a code, "1,234")
goes through the reader's own rule once per distinct value (``per_value``); a row whose values all pass
and whose checks across columns hold is accepted in bulk, and every other row goes through the row rule,
whose ValueError is its rejection (``settle``). So a rejected row's line and reason are the row rule's own.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import csv_records, csv_rows, decode, parse_float, parse_int, read_raw

_BOM = b"\xef\xbb\xbf"
# A text every record of which Python's csv module reads in strict mode, with no record it refuses: runs
# without a quote; a quoted value that opens a field (at the start, after a comma or a line end) and closes
# before a comma, a line end or the end of the text; a quote inside an unquoted value, kept as it is.
# Arrow reads the same text into the same values; it would also read what strict mode refuses (text after
# a closing quote, a quote left open at the end), which is why a file must pass this first.
_STRICT = re.compile(rb'(?:[^"]++|(?<![^,\r\n])"[^"]*+(?:""[^"]*+)*+"(?![^,\r\n])|(?<=[^,\r\n])")*+')
_CONTENT = re.compile(rb"[^\r\n]")
_QUOTE = ord('"')
_BLOCK = 1 << 22
_AROUND_QUOTES = np.zeros(256, dtype=bool)  # what may stand before an opening or after a closing quote
_AROUND_QUOTES[[ord(","), ord("\r"), ord("\n"), _QUOTE]] = True
_PREFIX = 4096  # bytes: more than the 512 characters tabular.not_csv reads
_FIRST_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)?")
_BREAK = r"\r\n|\r|\n"  # a line end inside a value (Arrow's RE2: the first alternative wins, so CRLF is one)
# When Arrow refuses to cast some value of a column, the values it casts as the rules read them:
_DIGITS = r"^[0-9]{1,18}$"  # what parse_int reads with int() (int64)
_DECIMAL = r"^-?[0-9]{1,15}(?:\.[0-9]{1,17})?$"  # what float() and Arrow both round correctly to a double


@dataclass
class Columns:
    """The records of a CSV file as columns of text, in file order, as ``csv_rows`` reads them.

    ``lines`` holds each readable record's first line; ``broken`` the records ``csv_rows`` gives as
    ``__error__`` (line, why), to be rejected as "Line N why."; records whose values are all blank are in
    neither, as in ``csv_records``.
    """

    header: list[str]
    lines: np.ndarray
    broken: list[tuple[int, str]]
    values: dict[str, pa.Array]  # by header name (the last column of a repeated name, as csv_rows' dict)
    parser: str  # "arrow", or "python" for a file parsed line by line
    _stripped: dict[str, pa.Array] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def rows_read(self) -> int:
        return len(self.lines) + len(self.broken)

    def column(self, name: str) -> pa.Array:
        """The values of column ``name`` stripped of surrounding whitespace (blank when the file lacks it)."""
        if name not in self._stripped:
            raw = self.values.get(name)
            if raw is None:
                self._stripped[name] = pa.array([""] * len(self), pa.string())
            else:
                self._stripped[name] = raw if self.parser == "python" else pc.utf8_trim_whitespace(raw)
                self.values[name] = self._stripped[name]  # stripping again changes nothing: one copy held
        return self._stripped[name]

    def rows(self, indices: np.ndarray) -> list[dict[str, str]]:
        """The rows at ``indices`` as the dictionaries ``csv_rows`` gives (what row-by-row rules read)."""
        if not len(indices):
            return []
        take = pa.array(indices, pa.int64())
        names = list(self.values)
        values = [_strip_all(self.values[name].take(take)).to_pylist() for name in names]
        return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def _strip_all(values: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(values)


def read_columns(path: Path) -> tuple[Columns, str]:
    """The CSV file at ``path`` (gzip or not) as ``Columns``, and its SHA-256 (that of ``read_text``).

    Raises ImportFileError as ``csv_rows`` does: for a missing or empty file, a file that is not text, a
    header that cannot be read."""
    raw, digest = read_raw(path)
    return csv_columns(raw, path.name), digest


def csv_columns(raw: bytes, name: str) -> Columns:
    """``raw`` (the bytes of a CSV file) as ``Columns``: parsed by Arrow when that reads exactly as
    ``csv_rows`` would, else by ``csv_rows``."""
    return _by_arrow(raw, name) or _by_python(decode(raw), name)


def _by_python(text: str, name: str) -> Columns:
    header, rows = csv_rows(text, name)
    names = list(dict.fromkeys(header))
    values: dict[str, list[str]] = {n: [] for n in names}
    lines: list[int] = []
    broken: list[tuple[int, str]] = []
    for line, row in rows:
        if "__error__" in row:
            broken.append((line, row["__error__"]))
            continue
        lines.append(line)
        for n in names:
            values[n].append(row[n])
    arrays = {n: pa.array(v, pa.string()) for n, v in values.items()}
    return Columns(header, np.asarray(lines, dtype=np.int64), broken, arrays, "python")


def _by_arrow(raw: bytes, name: str) -> Columns | None:
    """Arrow's reading of ``raw``, or None when it might differ from ``csv_rows``' in any line."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    if raw.startswith(_BOM) or b"\x00" in raw or raw[:1] in (b"\r", b"\n"):
        return None
    first = _FIRST_LINE.match(raw)
    assert first is not None  # the pattern matches the empty string
    head = raw[: first.end()]
    try:
        head.decode("utf-8")  # the rest is checked by Arrow (check_utf8): it refuses what this refuses
    except UnicodeDecodeError:
        return None
    if not _quotes_pair(raw, first.end()) and not (_STRICT.fullmatch(raw) and _STRICT.fullmatch(head)):
        return None
    # The header, and the file's own errors (not text at all, judged on its first 512 characters), as
    # csv_rows raises them: csv_records reads no further than the header of the text it is given.
    header, _ = csv_records(decode(raw[: max(first.end(), _PREFIX)]), name)
    table = _parse(raw, first.end(), len(header))
    if table is None:
        return None
    limit = csv.field_size_limit()
    columns = [table.column(i).combine_chunks() for i in range(table.num_columns)]
    rows = table.num_rows
    del table  # its blocks, now copied into one array per column
    if any(len(c) and pc.max(pc.binary_length(c)).as_py() >= limit for c in columns):
        return None
    lines = _lines(raw, first.end(), columns, rows)
    if lines is None:
        return None
    keep = _not_blank(columns)
    if keep is not None:
        lines = lines[keep]
        mask = pa.array(keep)
        columns = [c.filter(mask) for c in columns]
    values = dict(zip(header, columns, strict=True))
    return Columns(header, lines, [], values, "arrow")


def _quotes_pair(raw: bytes, header_end: int) -> bool:
    """Whether every quote in ``raw`` opens or closes a quoted value that the csv module reads in strict
    mode (a doubled quote inside one being a close and an open), the header's all closing on its line.

    The quote with even index opens: it starts a field (at the start, after a comma or a line end) or
    follows a closing quote at once (a doubled quote, the quote before it then having odd index). The
    one with odd index closes: a comma, a line end, the end or an opening quote follows at once. Then the
    csv module and Arrow both read the quotes so, and nothing follows a closing quote that either would
    read differently. A quote inside an unquoted value breaks the pairing: such a file is left to
    ``_STRICT``."""
    data = np.frombuffer(raw, dtype=np.uint8)
    if raw.count(b'"', 0, header_end) % 2:
        return False
    seen = 0  # quotes before the block: the parity of the next one's index
    for start in range(0, len(data), _BLOCK):  # in blocks: a few MB of temporaries, not several times the file
        at = np.flatnonzero(data[start : start + _BLOCK] == _QUOTE) + start
        opening, closing = at[seen % 2 :: 2], at[1 - seen % 2 :: 2]
        seen += len(at)
        if len(opening) and opening[0] == 0:
            opening = opening[1:]
        if len(closing) and closing[-1] == len(data) - 1:
            closing = closing[:-1]
        if not (_AROUND_QUOTES[data[opening - 1]].all() and _AROUND_QUOTES[data[closing + 1]].all()):
            return False
    return seen % 2 == 0


def _parse(raw: bytes, start: int, width: int) -> pa.Table | None:
    """Arrow's reading of the records in ``raw`` from ``start`` (the line after the header), every value
    text; None when a record has more or fewer values than the header, or bytes that are not UTF-8."""
    names = [f"c{i}" for i in range(width)]
    if _CONTENT.search(raw, start) is None:
        return pa.table({n: pa.array([], pa.string()) for n in names})
    try:
        return pv.read_csv(
            pa.py_buffer(memoryview(raw)[start:]),  # no copy of the file
            # One thread: the machine is shared with the web server, and on one core the parse is already
            # faster than pandas' (bench/load.py); blocks of 1 MB stay in cache.
            read_options=pv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except pa.ArrowInvalid:
        return None


def _lines(raw: bytes, start: int, columns: Sequence[pa.Array], rows: int) -> np.ndarray | None:
    """Each record's first line (the header is line 1), from the line ends inside values; None when the
    data holds a blank line (Arrow skips it without saying where)."""
    end = len(raw)
    while end > start and raw[end - 1] in b"\r\n":  # blank lines at the end hold no record in either reading
        end -= 1
    crs = raw.find(b"\r", start, end) >= 0
    breaks = raw.count(b"\n", start, end) + (
        raw.count(b"\r", start, end) - raw.count(b"\r\n", start, end) if crs else 0
    )
    physical = breaks + 1 if end > start else 0
    if physical == rows:
        return np.arange(2, rows + 2, dtype=np.int64)
    spans = np.ones(rows, dtype=np.int64)
    for values in columns:
        if crs:
            spans += pc.count_substring_regex(values, _BREAK).to_numpy(zero_copy_only=False)
        else:
            spans += pc.count_substring(values, "\n").to_numpy(zero_copy_only=False)
    if int(spans.sum()) != physical:
        return None
    return np.concatenate(([2], 2 + np.cumsum(spans)[:-1])).astype(np.int64) if rows else spans


def _not_blank(columns: Sequence[pa.Array]) -> np.ndarray | None:
    """Which records hold a value that is not blank (``csv_records`` leaves the others out); None: all."""
    if not columns or not len(columns[0]):
        return None
    blank = pc.equal(pc.utf8_trim_whitespace(columns[0]), "")
    if not pc.any(blank).as_py():
        return None
    for values in columns[1:]:
        blank = pc.and_(blank, pc.equal(pc.utf8_trim_whitespace(values), ""))
    return np.asarray(pc.invert(blank))


# Checking values column-wise -------------------------------------------------------------------------


def per_value(values: pa.Array, rule: Callable[[str], Any], kind: pa.DataType) -> tuple[pa.Array, np.ndarray]:
    """``rule`` applied once to each distinct value, its results spread back over the rows: the results
    (null where it raised ValueError) and, for each row, whether its value passed."""
    if not len(values):
        return pa.array([], kind), np.zeros(0, dtype=bool)
    encoded = pc.dictionary_encode(values)
    results: list[Any] = []
    passed = np.ones(len(encoded.dictionary), dtype=bool)
    for i, value in enumerate(encoded.dictionary.to_pylist()):
        try:
            results.append(rule(value))
        except ValueError:
            results.append(None)
            passed[i] = False
    codes = encoded.indices
    return pa.array(results, kind).take(codes), passed[codes.to_numpy(zero_copy_only=False)]


def distinct_rule(arrays: Sequence[pa.Array], rule: Callable[..., Any]) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """``rule`` applied once to each distinct combination of the text columns ``arrays``: its result for
    each combination (None where it raised ValueError), each row's combination, and whether it passed."""
    if not len(arrays[0]):
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    joined = arrays[0] if len(arrays) == 1 else pc.binary_join_element_wise(*arrays, "\x00")  # NUL is in no value
    encoded = pc.dictionary_encode(joined)
    results: list[Any] = []
    passed = np.ones(len(encoded.dictionary), dtype=bool)
    for i, key in enumerate(encoded.dictionary.to_pylist()):
        try:
            results.append(rule(*key.split("\x00")) if len(arrays) > 1 else rule(key))
        except ValueError:
            results.append(None)
            passed[i] = False
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    return results, codes, passed[codes]


def _fast_or_rule(
    values: pa.Array, pattern: str, kind: pa.DataType, rule: Callable[[str], Any], agrees: Callable[[pa.Array], Any]
) -> tuple[pa.Array, np.ndarray]:
    """``rule`` on every value, Arrow's cast standing in for it where both surely give the same number.

    Arrow's cast reads more than the rules do ("0x10" as 16), so a cast value stands only where it reads
    back as the very text it came from (what Arrow writes is the shortest form of the number, which any
    correct reader reads to the same number) and ``agrees`` with the rule (no negative count, no infinity).
    When the cast refuses some value, the values matching ``pattern`` (plain digits, plain decimals) stand.
    Every other value goes through ``rule``, once per distinct value."""
    try:
        cast = pc.cast(values, kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        plain = holds(pc.match_substring_regex(values, pattern))
        cast = pc.cast(pc.if_else(pa.array(plain), values, pa.scalar("0")), kind)
    else:
        plain = holds(pc.and_(pc.equal(pc.cast(cast, pa.string()), values), agrees(cast)))
    if plain.all():
        return cast, plain
    other = pa.array(~plain)
    results, passed = per_value(values.filter(other), rule, kind)
    ok = plain.copy()
    ok[~plain] = passed
    return pc.replace_with_mask(cast, other, results), ok


def _int64(value: int | None) -> int | None:
    if value is not None and not -(2**63) <= value < 2**63:
        raise ValueError("too large")  # the row's rule decides what to say
    return value


def ints(values: pa.Array, field_name: str) -> tuple[pa.Array, np.ndarray]:
    """``parse_int`` on every value: the integers (null for a blank) and whether each value is one."""
    return _fast_or_rule(
        values,
        _DIGITS,
        pa.int64(),
        lambda v: _int64(parse_int(v, field_name)),
        lambda cast: pc.greater_equal(cast, 0),
    )


def floats(values: pa.Array, field_name: str) -> tuple[pa.Array, np.ndarray]:
    """``parse_float`` on every value: the numbers (null for a blank) and whether each value is one."""
    return _fast_or_rule(values, _DECIMAL, pa.float64(), lambda v: parse_float(v, field_name), pc.is_finite)


def holds(condition: pa.Array) -> np.ndarray:
    """A computed condition as a NumPy mask, null read as false."""
    return np.asarray(pc.fill_null(condition, False))


def keys_of(arrays: Sequence[pa.Array]) -> np.ndarray:
    """One integer per row, equal where the rows' values in ``arrays`` are all equal (none may be null)."""
    if any(a.null_count for a in arrays):
        raise ValueError("a key column holds an empty value")
    codes = np.zeros(len(arrays[0]), dtype=np.int64)
    for values in arrays:
        column = pc.dictionary_encode(values).indices.to_numpy(zero_copy_only=False).astype(np.int64)
        pairs = codes * (int(column.max(initial=0)) + 1) + column  # both below the row count: no overflow
        codes = np.unique(pairs, return_inverse=True)[1].reshape(-1)
    return codes


def first_lines(lines: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """For rows in line order, the line of the first row with the same key (its own line if it is first)."""
    if not len(keys):
        return lines.copy()
    _, first = np.unique(keys, return_index=True)
    by_key = np.empty(int(keys.max()) + 1, dtype=np.int64)
    by_key[keys[first]] = lines[first]
    return by_key[keys]


def settle(
    out: SourceRows,
    columns: Columns,
    easy: np.ndarray,
    bulk: dict[str, pa.Array],
    by_row: Callable[[dict[str, str]], dict[str, Any]],
) -> pa.Table:
    """The accepted rows as one table in line order, ``line`` first: the ``easy`` rows from the column-wise
    ``bulk`` values, every other row through ``by_row`` (the reader's rule for one row), whose ValueError
    rejects it as ``collect_rows`` does. The lines ``columns`` could not read are rejected too."""
    out.rows_read += columns.rows_read
    for line, why in columns.broken:
        out.reject(line, f"Line {line} {why}.")
    schema = pa.schema([("line", pa.int64()), *((name, values.type) for name, values in bulk.items())])
    mask = pa.array(easy, pa.bool_())
    table = pa.table([pa.array(columns.lines).filter(mask), *(v.filter(mask) for v in bulk.values())], schema=schema)
    hard = np.flatnonzero(~easy)
    if not len(hard):
        return table
    accepted = []
    for line, row in zip(columns.lines[hard].tolist(), columns.rows(hard), strict=True):
        try:
            accepted.append({"line": line, **by_row(row)})
        except ValueError as exc:
            out.reject(line, f"Line {line}: {exc}.")
    rest = pa.Table.from_pylist(accepted, schema=schema)
    return pa.concat_tables([table, rest]).sort_by("line")


def drop_repeated(
    out: SourceRows, table: pa.Table, key: Sequence[str], reason: Callable[[int, dict[str, Any], int], str]
) -> pa.Table:
    """``table`` (in line order) without the rows whose ``key`` an earlier row has, each rejected with
    ``reason(line, row, first line)``: the rule of ``collect_rows``' ``seen``."""
    if not table.num_rows:
        return table
    lines = table.column("line").to_numpy()
    first = first_lines(lines, keys_of([table.column(k).combine_chunks() for k in key]))
    again = first != lines
    if not again.any():
        return table
    for i in np.flatnonzero(again).tolist():
        row = {name: table.column(name)[i].as_py() for name in table.column_names}
        out.reject(int(lines[i]), reason(int(lines[i]), row, int(first[i])))
    return table.filter(pa.array(~again))


def blank_to_null(values: pa.Array) -> pa.Array:
    """``value or None`` on every value."""
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, values.type), values)


def month_of(days: pa.Array) -> pa.Array:
    """The first day of each date's month (``day.replace(day=1)``)."""
    return pc.cast(pc.floor_temporal(days, 1, "month"), pa.date32())
