"""The column-wise readers (decision 053) against the row-by-row rules they replace.

- Parsing: whenever Arrow parses a file, it reads it exactly as ``csv_rows`` does (header, each record's
  first line, each value, each line rejected), on files hypothesis builds from quotes, separators, line
  ends, blank lines and bytes that are not text; and the files it must leave to ``csv_rows`` it leaves.
- Checking: each reader gives the records, rejections (line and reason) and lines read of its row-by-row
  reference, on every shared file and on files whose cells hypothesis draws from values that test the
  rules (numbers written as decimals, dates in every format, codes in lower case, blanks, repeats).
- The vector pieces the checks stand on: Arrow's whitespace is Python's, its decimals are ``float()``'s,
  NumPy's PRIO-GRID cells are ``priogrid_gid``'s.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from peaceops.errors import ImportFileError
from peaceops.geography.priogrid import priogrid_gid, priogrid_gids
from peaceops.sources import acled, ucdp, un_personnel
from peaceops.sources.columnar import _by_python, csv_columns, floats, ints
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import decode

EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Parsing ---------------------------------------------------------------------------------------------

CHARS = st.sampled_from(list('ab ,"\r\n\t\xa0\u2028\x1c\x85éÑ1'))


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """CSV bytes: mostly well formed (quoted values with quotes, separators and line ends inside, quotes
    inside unquoted values), now and then with what ``csv_rows`` rejects or skips."""
    width = draw(st.integers(1, 4))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))

    def value() -> str:
        text = draw(st.text(CHARS, max_size=6))
        style = draw(st.sampled_from(["plain"] * 4 + ["quoted"] * 4 + ["inner-quote", "raw"]))
        if style == "quoted":
            return '"' + text.replace('"', '""') + '"'
        plain = re.sub('[,"\r\n]', "", text)
        if style == "inner-quote":
            return f'x{plain}"{plain}'
        return plain if style == "plain" else text

    lines = [",".join(f"h{i}" for i in range(width))]
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["row"] * 20 + ["blank", "blank-values", "short", "long", "junk"]))
        if kind == "blank":
            lines.append("")
        elif kind == "blank-values":
            lines.append(",".join([" "] * width))
        else:
            n = width + {"short": -1, "long": 1}.get(kind, 0)
            line = ",".join(value() for _ in range(max(n, 0)))
            if kind == "junk":
                line = draw(st.sampled_from(['"open', 'a,"b"c', "\x00", "\udcff", '"x" ,y'])) + line
            lines.append(line)
    text = end.join(lines) + (end if draw(st.booleans()) else "")
    raw = text.encode("utf-8", "surrogateescape")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + raw


def _same_columns(got: Any, expected: Any) -> None:
    assert got.header == expected.header
    assert got.lines.tolist() == expected.lines.tolist()
    assert got.broken == expected.broken
    assert list(got.values) == list(expected.values)
    for name in expected.values:
        assert got.column(name).to_pylist() == expected.column(name).to_pylist(), name
    assert got.rows(np.arange(len(got))) == expected.rows(np.arange(len(expected)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_a_file_arrow_parses_reads_as_csv_rows_reads_it(raw: bytes) -> None:
    try:
        expected = _by_python(decode(raw), "f.csv")
    except ImportFileError as exc:
        with pytest.raises(ImportFileError, match=re.escape(str(exc))):
            csv_columns(raw, "f.csv")
        return
    got = csv_columns(raw, "f.csv")
    event(got.parser)
    _same_columns(got, expected)


GOOD = [
    'a,b\r\n1,"two\r\nlines"\r\n3,"say ""hi"", twice"\r\n',
    'a,b\n"x","y"\n"",""\n ,"z"\n',
    'a,b\rx,y\r"mul\rti",z',
    'a,b\n"x\n\ny",1\n2,3\n\n\n',  # a blank line inside a value, blank lines at the end
    'a,b\nx"y,1\n2,z""\n',  # quotes inside unquoted values
    '"a","b"\n,\n1,2\n \xa0, \u3000\n',  # records of blanks are left out
    "\ufeffa,b\n\xa0x\u2028,\x85y\x1c\n",  # Unicode whitespace stripped as str.strip does
]


@pytest.mark.parametrize("text", GOOD)
def test_well_formed_files_are_parsed_by_arrow(text: str) -> None:
    raw = text.encode()
    got = csv_columns(raw, "f.csv")
    assert got.parser == "arrow"
    _same_columns(got, _by_python(decode(raw), "f.csv"))


LEFT_TO_CSV_ROWS = [
    'a,b\n"x"y,1\n',  # text after a closing quote
    'a,b\n1,"open',  # a quote never closed
    "a,b\n1,2,3\n",  # more values than the header
    "a,b\n1,2\n\n3,4\n",  # a blank line inside the data
    "a,b\n1,\x00\n",  # a NUL
    '"a\nb",c\n1,2\n',  # a header over two lines
]


@pytest.mark.parametrize("text", LEFT_TO_CSV_ROWS)
def test_files_arrow_might_read_otherwise_are_parsed_by_csv_rows(text: str) -> None:
    raw = text.encode()
    got = csv_columns(raw, "f.csv")
    assert got.parser == "python"
    _same_columns(got, _by_python(decode(raw), "f.csv"))


@pytest.mark.parametrize("bad", [b"\xed\xa0\x80", b"\xc0\xaf", b"\xff", b"\xe2\x82"])
def test_bytes_that_are_not_utf8_are_rejected_on_their_line(bad: bytes) -> None:
    raw = b"a,b\n1,2\nx" + bad + b",3\n4,5\n"
    got = csv_columns(raw, "f.csv")
    assert got.parser == "python"
    assert got.lines.tolist() == [2, 4] and [line for line, _ in got.broken] == [3]
    assert "is not UTF-8 text" in got.broken[0][1]


def test_python_whitespace_is_arrow_whitespace_for_every_character() -> None:
    chars = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    trimmed = pc.utf8_trim_whitespace(pa.array([f"{c}a{c}" for c in chars])).to_pylist()
    assert [c for c, t in zip(chars, trimmed, strict=True) if t != f"{c}a{c}".strip()] == []


# Number conversions -----------------------------------------------------------------------------------

DECIMALS = st.builds(
    lambda sign, whole, frac: f"{sign}{whole}{'.' + frac if frac else ''}",
    st.sampled_from(["", "-"]),
    st.text("0123456789", min_size=1, max_size=15),
    st.text("0123456789", max_size=17),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(DECIMALS | st.floats(allow_nan=False, allow_infinity=False).map(repr), min_size=1, max_size=20))
def test_arrow_reads_decimals_to_the_double_float_reads(values: list[str]) -> None:
    # Alone, the column casts whole; beside a value Arrow cannot cast, the plain decimals are cast apart.
    for column in (values, [*values, "x"]):
        numbers, ok = floats(pa.array(column), "x")
        assert ok.tolist() == [True] * len(values) + [False] * (len(column) - len(values))
        assert numbers.to_pylist()[: len(values)] == [float(v) for v in values]


VALUES = [
    "0",
    "7",
    "007",
    "299.0",
    "1,234",
    "",
    "NA",
    "-",
    "-5",
    "-0",
    "+3",
    "3.5",
    "1e3",
    "abc",
    "٣",
    "²",
    "0x10",
    "1_000",
]


@given(st.lists(st.sampled_from([*VALUES, "9" * 18, "9" * 19, "9" * 30]), min_size=1, max_size=12))
@EXAMPLES
def test_integers_pass_where_parse_int_reads_them(values: list[str]) -> None:
    from peaceops.sources.tabular import parse_int

    numbers, ok = ints(pa.array(values), "x")
    for value, number, passed in zip(values, numbers.to_pylist(), ok.tolist(), strict=True):
        try:
            expected = parse_int(value, "x")
        except ValueError:
            assert not passed
            continue
        if passed:
            assert number == expected
        else:
            assert expected is not None and not -(2**63) <= expected < 2**63  # left to the row's rule


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False)), min_size=1, max_size=50
    )
)
def test_priogrid_cells_in_bulk_are_those_of_priogrid_gid(points: list[tuple[float, float]]) -> None:
    lat, lon = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    assert priogrid_gids(lat, lon).tolist() == [priogrid_gid(a, b) for a, b in points]


# Checking: each reader against its row-by-row reference ------------------------------------------------


def _outcome(rows: SourceRows) -> tuple[Any, ...]:
    return rows.layout, rows.rows_read, rows.records, [(r.line, r.reason) for r in rows.rejections]


def _both(path: Path, fast: Callable[[Path], SourceRows], reference: Callable[[Path], SourceRows]) -> None:
    got = fast(path)
    assert got.table is not None
    assert _outcome(got) == _outcome(reference(path))


SHARED = [
    *(f"ucdp/ged/{name}" for name in ("ged_central_african_republic.csv.gz", "ged_myanmar.csv.gz",
                                      "ged_mexico.csv.gz", "ged_syria_2016_2019.csv.gz",
                                      "ged_global_sample_1000.csv.gz")),
    "acled/acled_africa_2016_sample.csv",
    "acled/acled_afghanistan_2020_sample.csv",
    "un_peacekeeping/personnel/IPI_TCC_gender_by_mission_2009-11_to_2014-02.csv",
]  # fmt: skip


@pytest.mark.parametrize("name", SHARED)
def test_every_shared_file_reads_as_its_row_by_row_reference(data_dir: Path, name: str) -> None:
    pair = {
        "ucdp": (ucdp.read_ged, ucdp.read_ged_by_row),
        "acled": (acled.read_acled, acled.read_acled_by_row),
        "un_peacekeeping": (un_personnel.read_contributions, un_personnel.read_contributions_by_row),
    }[name.split("/")[0]]
    _both(data_dir / name, *pair)


INTS = [*VALUES, "1", "2", "3", "4", "12"]
DATES = [
    "2020-01-02", "2020-01-31", "2019-12-30", "2020-01-02T00:00:00", "2020-01-02 00:00:00.000", "31/01/2020",
    "2020/01/02", "2-Jan-2020", "02-Jan-20", "2020-02-30", "2020-13-01", "", "NA", "0000-01-01", "2020-W01-1",
    "21 March 2020", "1 March 2020", "tomorrow",
]  # fmt: skip
COORDINATES = [
    "14.5",
    "-4.2",
    "14,5",
    "",
    "NA",
    "nan",
    "inf",
    "1e1",
    "95",
    "-181",
    "0",
    "-0.0",
    "abc",
    "90",
    "-180",
    "19.0",
    "0x1p3",
    "1_0",
    "+.5",
    "Infinity",
    "14.50",
]


@dataclass(frozen=True)
class Case:
    header: list[str]
    base: dict[str, str]
    pools: dict[str, list[str]]
    fast: Callable[[Path], SourceRows]
    reference: Callable[[Path], SourceRows]


GED_BASE = dict(
    zip(
        ucdp.COLUMNS,
        [
            "1",
            "1",
            "123",
            "Government",
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
        strict=True,
    )
)
ACLED_HEADER = [*acled.COLUMNS, "iso3", "sub_event_type", "gwno", "iso", "geo_precision"]
ACLED_BASE = dict(
    zip(
        ACLED_HEADER,
        [
            "MLI1",
            "21 March 2020",
            "1",
            "Battles",
            "Forces",
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
            "432",
            "466",
            "1",
        ],  # fmt: skip
        strict=True,
    )
)
IPI_BASE = {"Date": "2013-12-31", "Contributor ISO-3": "GHA", "Mission": "UNMISS"} | {
    f"{cat} {sex}": count
    for cat, counts in {
        "Individual Police": ("1", "0", "1"),
        "Formed Police Units": ("0", "0", "0"),
        "Experts on Mission": ("2", "1", "3"),
        "Troops": ("10", "2", "12"),
        "Total": ("13", "3", "16"),
    }.items()
    for sex, count in zip(("Male", "Female", "Total"), counts, strict=True)
}
UN_HEADER = [
    "ISOCode3",
    "Mission_Acronym",
    "Personnel_Type",
    "Last_Reporting_Date",
    "Female_Personnel",
    "Male_Personnel",
]
COUNTS = ["0", "1", "2", "3", "10", "12", "13", "16", "", "NA", "1.0", "-1", "x"]
CASES = {
    "ucdp-ged": Case(
        [*ucdp.COLUMNS, "priogrid_gid"],
        {**GED_BASE, "priogrid_gid": "149476"},
        {
            "id": ["1", "2", "3", "2.0", "", "x"],
            "type_of_violence": INTS,
            "conflict_new_id": INTS,
            "where_prec": INTS,
            "latitude": COORDINATES,
            "longitude": COORDINATES,
            "country": ["Mali", "Nowhere", "", "Côte d'Ivoire"],
            "country_id": [*INTS, "432", "482", "999"],
            "date_prec": INTS,
            "date_start": DATES,
            "date_end": DATES,
            "deaths_civilians": INTS,
            "best": INTS,
            "low": INTS,
            "high": INTS,
            "priogrid_gid": [*INTS, "149476"],
            "side_a": ["", " Government ", "Gov\u2028"],
        },
        ucdp.read_ged,
        ucdp.read_ged_by_row,
    ),
    "acled": Case(
        ACLED_HEADER,
        ACLED_BASE,
        {
            "event_id_cnty": ["MLI1", "MLI2", "MLI3", ""],
            "event_date": DATES,
            "time_precision": INTS,
            "event_type": [*acled.VIOLENCE_RULES, "Bogus", ""],
            "inter1": INTS,
            "inter2": INTS,
            "latitude": COORDINATES,
            "longitude": COORDINATES,
            "fatalities": INTS,
            "iso3": ["MLI", "mli", "", "XXX", "BFA"],
            "iso": ["466", "", "4", "x", "9999"],
            "gwno": ["432", "", "x", "700", "1.5"],
            "country": ["Mali", "", "Nowhere"],
            "sub_event_type": ["", "Armed clash"],
            "geo_precision": INTS,
        },
        acled.read_acled,
        acled.read_acled_by_row,
    ),
    "ipi-contributions": Case(
        ["", "Contributor", *IPI_BASE],
        {"": "1", "Contributor": "Ghana", **IPI_BASE},
        {
            "Date": DATES,
            "Contributor ISO-3": ["GHA", "gha", "NPL", "XXX", "", "KSV", "Gh"],
            "Mission": ["UNMISS", "unmiss", "UNMIL", "", "Ünmiss"],
            **{name: COUNTS for name in IPI_BASE if name.endswith(("Male", "Female", "Total"))},
        },
        un_personnel.read_contributions,
        un_personnel.read_contributions_by_row,
    ),
    "un-contributions": Case(
        UN_HEADER,
        dict(zip(UN_HEADER, ["GHA", "UNMISS", "Troops", "2024-01-31", "3", "40"], strict=True)),
        {
            "ISOCode3": ["GHA", "gha", "NPL", "XXX", ""],
            "Mission_Acronym": ["UNMISS", "unmiss", "UNMIL", ""],
            "Personnel_Type": ["Troops", "troops", "Staff Officer", "Sailors", "", "FPU", "Individual Police"],
            "Last_Reporting_Date": DATES,
            "Female_Personnel": COUNTS,
            "Male_Personnel": COUNTS,
        },
        un_personnel.read_contributions,
        un_personnel.read_contributions_by_row,
    ),
}


@st.composite
def case_files(draw: st.DrawFn, case: Case) -> str:
    """A file of the case's layout: the base row with some cells drawn from the pools (ids from few values,
    so that some repeat), now and then a line csv_rows rejects."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(case.header)
    for _ in range(draw(st.integers(1, 10))):
        row = dict(case.base)
        for name, pool in case.pools.items():
            if draw(st.integers(0, 3)) == 0:
                row[name] = draw(st.sampled_from(pool))
        if draw(st.integers(0, 15)) == 0:
            out.write('broken,"line\n')  # an unclosed quote: the file goes to csv_rows, the rules the same
        writer.writerow([row[name] for name in case.header])
    return out.getvalue()


@pytest.mark.parametrize("name", list(CASES))
def test_column_rules_read_every_row_as_the_row_rules(name: str) -> None:
    case = CASES[name]

    @EXAMPLES
    @given(case_files(case))
    def check(text: str) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "file.csv"
            path.write_text(text, encoding="utf-8")
            _both(path, case.fast, case.reference)

    check()
