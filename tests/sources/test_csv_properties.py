"""Property tests of every CSV reader (the sources' readers and the domain importers' readers that need no
database), on files hypothesis builds: good rows mixed with lines that cannot be read (bytes that are not
UTF-8, NULs, values over the CSV field limit, stray and unclosed quotes, too many values), and on
arbitrary bytes.

For every reader:
- it raises nothing but ImportFileError, and with a valid header nothing at all;
- every line it accepts or rejects is a line of the file (2 .. its last), each at most once, and the
  lines read are the lines accepted plus the lines rejected;
- each good row reads exactly as it reads in a file of the good rows alone (its records, or its
  rejection), whatever lines surround it, and each line that cannot be read is rejected at its own line.

The CSV rule itself (what is rejected, where reading resumes) is ``sources.tabular``'s; its examples are
in test_tabular.py. No shared data and no database: each example is a small temporary file.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peaceops.comms import items
from peaceops.environment.importing import ENVIRONMENT_COLUMNS, ENVIRONMENT_OPTIONAL, _environment_input
from peaceops.errors import ImportFileError
from peaceops.partnerships.importing import PLEDGE_COLUMNS, PLEDGE_OPTIONAL, _pledge_input
from peaceops.performance import exchange
from peaceops.sources import acled, ucdp, ucdp_agreements, un_fatalities, un_missions
from peaceops.sources.ipi_world import read_world_totals
from peaceops.sources.pax import read_pax
from peaceops.sources.pax_provisions import read_pax_provisions
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import decode, parse_each, read_layout
from peaceops.sources.un_personnel import read_contributions
from peaceops.sources.un_strength import read_mission_totals

LIMIT = csv.field_size_limit()
EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# What a reader gives, reduced to one shape: (line, record) accepted, (line, reason) rejected, lines read.
Outcome = tuple[list[tuple[int, Any]], list[tuple[int, str]], int]


def _source_rows(rows: SourceRows) -> Outcome:
    return list(rows.records), [(r.line, r.reason) for r in rows.rejections], rows.rows_read


def _pairs(pairs: list[tuple[int, Any]]) -> Outcome:
    """Readers that give (line, row or reason) pairs (the upload template, monitored items)."""
    return [p for p in pairs if not isinstance(p[1], str)], [p for p in pairs if isinstance(p[1], str)], len(pairs)


def _layout(kind: str, required: tuple[str, ...], optional: tuple[str, ...], parse: Callable) -> Callable:
    """Importers that read with ``read_layout`` and ``parse_each`` (what they do next needs the database)."""

    def read(path: Path) -> Outcome:
        rows, lines = read_layout(path, kind, required, optional)
        parsed = parse_each(rows, lines, parse)
        return (
            [(line, value) for line, _, value in parsed],
            [(r.line, r.reason) for r in rows.rejections],
            rows.rows_read,
        )

    return read


@dataclass(frozen=True)
class Reader:
    name: str
    header: list[str]
    row: Callable[[int, str], list[str]]  # the i-th good row (unique key), holding a free text
    read: Callable[[Path], Outcome]
    strict_width: bool = True  # a line with more values than the header is rejected


def _flags() -> list[str]:
    return ["0"] * len(ucdp_agreements.FLAGS)


READERS = [
    Reader(
        "un-missions",
        ["mission_acronym", "mission_name", "mission_isactive", "start_date", "end_date", "mission_longitude"],
        lambda i, t: [f"UNM{i}", f"Mission {t}", "Yes", "2004-04-04", "", "-5,55"],
        lambda p: _source_rows(un_missions.read_missions(p)),
    ),
    Reader(
        "un-fatalities",
        list(un_fatalities.COLUMNS),
        lambda i, t: ["2020-01-15", f"C{i}", "MINUSMA", t, "Military", "Malicious Act"],
        lambda p: _source_rows(un_fatalities.read_fatalities(p)),
    ),
    Reader(
        "un-strength",
        ["Date", "Mission", "Country of Mission ISO-3", "Troops", "Police", "Observers", "Total", "Mission Region"],
        lambda i, t: ["2020-01-31", f"M{i}", "SSD", "10", "2", "1", "13", t],
        lambda p: _source_rows(read_mission_totals(p)),
    ),
    Reader(
        "un-contributions",
        [
            "Contributor",
            "ISOCode3",
            "Mission_Acronym",
            "Personnel_Type",
            "Last_Reporting_Date",
            "Female_Personnel",
            "Male_Personnel",
        ],  # fmt: skip
        lambda i, t: [t, "GHA", f"M{i}", "Troops", "2020-01-31", "3", "40"],
        lambda p: _source_rows(read_contributions(p)),
    ),
    Reader(
        "ipi-world-totals",
        [
            "Date",
            "Number of Contributors",
            "Troop Contributions",
            "Police Contributions",
            "EOM Contributions",
            "Total Contributions",
            "Note",
        ],  # fmt: skip
        lambda i, t: [date(2000 + i // 12, i % 12 + 1, 1).isoformat(), "100", "50", "20", "5", "75", t],
        lambda p: _source_rows(read_world_totals(p)),
    ),
    Reader(
        "acled",
        [*acled.COLUMNS, "iso3", "sub_event_type"],
        lambda i, t: [
            f"MLI{i}",
            "21 March 2020",
            "1",
            "Battles",
            f"Forces {t}",
            "JNIM",
            "1",
            "2",
            "Mali",
            "Mopti",
            "Ségou",
            "14.5",
            "-4.2",
            "3",
            "MLI",
            "Armed clash",
        ],  # fmt: skip
        lambda p: _source_rows(acled.read_acled(p)),
    ),
    Reader(
        "ucdp-ged",
        list(ucdp.COLUMNS),
        lambda i, t: [
            str(i + 1),
            "1",
            "123",
            f"Government {t}",
            "JNIM",
            "1",
            "Ségou",
            "Mopti",
            "14.5",
            "-4.2",
            "Mali",
            "432",
            "1",
            "2020-01-01",
            "2020-01-02",
            "0",
            "1",
            "1",
            "1",
        ],  # fmt: skip
        lambda p: _source_rows(ucdp.read_ged(p)),
    ),
    Reader(
        "ucdp-agreements",
        list(ucdp_agreements.COLUMNS),
        lambda i, t: [
            str(i + 1),
            "Africa",
            "432",
            "123",
            "Mali: Government",
            f"Accord {t}",
            "2015",
            "2015-06-20",
            "1",
            *_flags(),
        ],  # fmt: skip
        lambda p: _source_rows(ucdp_agreements.read_ucdp_agreements(p)),
    ),
    Reader(
        "pax-metadata",
        ["Con", "PPName", "Reg", "AgtId", "Agt", "Dat", "Stage", "Part", "description"],
        lambda i, t: [
            "Mali",
            "Mali peace process",
            "Africa",
            str(i + 1),
            f"Accord {t}",
            "20/06/2015",
            "Pre",
            "Government",
            t,
        ],  # fmt: skip
        lambda p: _source_rows(read_pax(p)),
    ),
    Reader(
        "pax-provisions",
        ["AgtId", "provision_no", "provision_text"],
        lambda i, t: [str(i + 1), "1", f"Article {t}"],
        lambda p: _source_rows(read_pax_provisions(p)),
    ),
    Reader(
        "environment",
        ["mission", "period_start", "period_end", "energy_mwh", "source"],
        lambda i, t: ["MINUSMA", f"{1990 + i}-01-01", f"{1990 + i}-12-31", "12,5", t[:200]],
        _layout(
            "environment",
            ENVIRONMENT_COLUMNS,
            ENVIRONMENT_OPTIONAL,
            lambda row: (("MINUSMA", row["period_start"]), _environment_input(row, {"MINUSMA": 1})),
        ),
    ),
    Reader(
        "pledges",
        [*PLEDGE_COLUMNS, "note"],
        lambda i, t: ["GHA", f"Summit {i}", "2023-12-05", "A4P.4", "training", f"Pledge {t}"[:200], t],
        _layout(
            "pledges",
            PLEDGE_COLUMNS,
            PLEDGE_OPTIONAL,
            lambda row: ((row["event"],), _pledge_input(row, {"A4P.4": 1})),
        ),
    ),
    Reader(
        "performance-template",
        list(exchange.COLUMNS),
        lambda i, t: ["MINUSCA", "2024-Q1", f"IND{i}", "Indicator", "count", "", "", "", str(i), t],
        lambda p: _pairs(exchange.read_rows(p.name, p.read_bytes())),
        strict_width=False,  # the template's reader ignores values past its columns, as in a workbook
    ),
    Reader(
        "comms-items",
        ["text", "source", "external_id"],
        lambda i, t: [f"Post {t}", "feed", f"id{i}"],
        lambda p: _pairs(items.parse(decode(p.read_bytes()), "csv")),
    ),
]
BY_NAME = {r.name: r for r in READERS}

# Free text for good rows: any character but surrogates and NUL. A quoted value must not begin with a quote,
# a comma or a line break, so that a stray quote earlier in the file cannot close on it and form a
# well-formed record (the one case no CSV reader can tell from real data).
FREE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=24).filter(
    lambda t: not t[:1] or t[0] not in ',"\r\n'
)
# Text for the lines that cannot be read: letters, digits, spaces (nothing a quote could pair with).
PLAIN = st.text(st.sampled_from("abcxyz019 éçÑ"), min_size=1, max_size=12).map(lambda t: t.strip() or "x")
JUNK = ("not-utf8", "nul", "huge", "text-after-quote", "unclosed-quote", "too-many-values")


def _csv_line(values: list[str], end: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=end).writerow(values)
    return out.getvalue()


def _physical_lines(text: str) -> int:
    return len(io.StringIO(text, newline="").readlines())


def _junk_line(reader: Reader, i: int, kind: str, plain: str, where: int, end: str) -> str:
    """A line of good row ``i`` (plain text) spoiled in the way ``kind`` says; surrogate escapes stand for
    the bytes that are not UTF-8."""
    values = reader.row(i, plain)
    slot = next(n for n, v in enumerate(reader.row(i, "\u2603")) if "\u2603" in v)  # where the free text goes
    if kind == "huge":
        values[slot] = "x" * (LIMIT + 1 + where)
    elif kind == "text-after-quote":
        values[slot] = f'"{plain}"x'
    elif kind == "unclosed-quote":
        values[slot] = f'"a{plain}'
    elif kind == "too-many-values":
        values.append("surplus")
    line = ",".join(values) + end if kind in ("text-after-quote", "unclosed-quote") else _csv_line(values, end)
    if kind in ("not-utf8", "nul"):
        at = where % (len(line) - len(end))
        spoil = "\x00" if kind == "nul" else chr(0xDC00 + (0xFF, 0xE9, 0x80, 0xC3)[where % 4])
        line = line[:at] + spoil + line[at:]
    return line


@st.composite
def mixed_files(draw: st.DrawFn, reader: Reader) -> tuple[bytes, list[list[str]], list[int], list[int], str]:
    """(file bytes, good rows, their first lines, the first lines of the spoiled lines, the line end)."""
    end = draw(st.sampled_from(["\n", "\r\n"]))
    kinds = [k for k in JUNK if reader.strict_width or k != "too-many-values"]
    plan = draw(st.lists(st.one_of(st.none(), st.sampled_from(kinds)), min_size=1, max_size=12))
    text = _csv_line(reader.header, end)
    line = 1 + _physical_lines(text)
    good: list[list[str]] = []
    good_lines: list[int] = []
    junk_lines: list[int] = []
    for i, kind in enumerate(plan):
        if kind is None:
            values = reader.row(i, draw(FREE))
            chunk = _csv_line(values, end)
            good.append(values)
            good_lines.append(line)
        else:
            chunk = _junk_line(reader, i, kind, draw(PLAIN), draw(st.integers(0, 500)), end)
            junk_lines.append(line)
        text += chunk
        line += _physical_lines(chunk)
    if draw(st.booleans()):
        text = text[: -len(end)]  # the last line without its line end
    return text.encode("utf-8", "surrogateescape"), good, good_lines, junk_lines, end


def _read(reader: Reader, content: bytes) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "file.csv"
        path.write_bytes(content)
        return reader.read(path)


def _check_lines(outcome: Outcome, last_line: int) -> None:
    accepted, rejected, rows_read = outcome
    accepted_lines = {line for line, _ in accepted}
    rejected_lines = [line for line, _ in rejected]
    assert len(set(rejected_lines)) == len(rejected_lines), "a line is rejected twice"
    assert not accepted_lines & set(rejected_lines), "a line is both accepted and rejected"
    assert all(2 <= line <= last_line for line in accepted_lines | set(rejected_lines))
    assert rows_read == len(accepted_lines) + len(rejected_lines)
    assert all(reason.strip() for _, reason in rejected)


def _by_row(outcome: Outcome, lines: list[int]) -> list[tuple[str, Any]]:
    """What happened to the row starting on each of ``lines``: its records, or its rejection (the line
    numbers in the reason made neutral, since the row sits on another line in the other file)."""
    accepted, rejected, _ = outcome
    records: dict[int, list[Any]] = {}
    for line, record in accepted:
        records.setdefault(line, []).append(record)
    reasons = dict(rejected)
    out: list[tuple[str, Any]] = []
    for line in lines:
        if line in records:
            out.append(("read", records[line]))
        else:
            out.append(
                ("rejected", re.sub(r"(?i)\bline \d+", "line N", reasons.get(line, "(neither read nor rejected)")))
            )
    return out


@pytest.mark.parametrize("name", list(BY_NAME))
def test_good_rows_read_the_same_whatever_lines_surround_them(name: str) -> None:
    reader = BY_NAME[name]

    @EXAMPLES
    @given(mixed_files(reader))
    def check(case: tuple[bytes, list[list[str]], list[int], list[int], str]) -> None:
        content, good, good_lines, junk_lines, end = case
        messy = _read(reader, content)
        _check_lines(messy, _physical_lines(decode(content)))
        clean_text = _csv_line(reader.header, end) + "".join(_csv_line(values, end) for values in good)
        clean = _read(reader, clean_text.encode())
        starts, line = [], 2
        for values in good:
            starts.append(line)
            line += _physical_lines(_csv_line(values, end))
        assert _by_row(messy, good_lines) == _by_row(clean, starts)
        rejected = {line for line, _ in messy[1]}
        assert set(junk_lines) <= rejected, f"spoiled lines {sorted(set(junk_lines) - rejected)} were not rejected"

    check()


# Pieces of arbitrary lines: any bytes, text with quotes and separators, NULs, CRs, and now and then a
# piece longer than the CSV field limit.
PIECES = st.one_of(
    st.binary(max_size=30),
    st.text(st.sampled_from('ab,;"\r\n\x00\t é\ufeff'), max_size=30).map(lambda t: t.encode()),
    st.sampled_from([b'"', b'""', b'"\n', b"\xff", b"\xc3", b"\x00", b"\r", b","]),
    st.integers(1, 3).map(lambda n: b"y" * (LIMIT + n)),
)


@pytest.mark.parametrize("name", list(BY_NAME))
def test_arbitrary_lines_after_a_good_header_never_break_the_reader(name: str) -> None:
    reader = BY_NAME[name]

    @EXAMPLES
    @given(
        st.lists(
            st.one_of(PIECES, st.integers(0, 99).map(lambda i: _csv_line(reader.row(i, "ok"), "\n").encode())),
            max_size=10,
        )
    )
    def check(pieces: list[bytes]) -> None:
        content = _csv_line(reader.header, "\n").encode() + b"".join(pieces)
        outcome = _read(reader, content)  # no exception at all: the header is good
        _check_lines(outcome, _physical_lines(decode(content)))

    check()


@pytest.mark.parametrize("name", list(BY_NAME))
def test_arbitrary_bytes_are_read_or_refused_with_a_clear_error(name: str) -> None:
    reader = BY_NAME[name]

    @EXAMPLES
    @given(st.lists(PIECES, min_size=1, max_size=8))
    def check(pieces: list[bytes]) -> None:
        content = b"".join(pieces)
        try:
            outcome = _read(reader, content)
        except ImportFileError as exc:
            assert str(exc).strip()
            return
        _check_lines(outcome, _physical_lines(decode(content)))

    check()
