import gzip

import pytest

from peaceops.errors import ImportFileError
from peaceops.sources.tabular import csv_rows, parse_date, parse_float, parse_int, read_text


def test_read_text_strips_bom_and_reads_gzip(tmp_path):
    plain = tmp_path / "a.csv"
    plain.write_bytes("\ufeffa,b\n1,2\n".encode())
    packed = tmp_path / "a.csv.gz"
    packed.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    assert read_text(plain)[0] == "a,b\n1,2\n"
    assert read_text(packed)[0] == "a,b\n1,2\n"


def test_read_text_refuses_non_utf8_with_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("a,b\nok,1\nC\xf4te d'Ivoire,2\n".encode("latin-1"))
    with pytest.raises(ImportFileError, match=r"not UTF-8 .*line 3"):
        read_text(path)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_read_text_refuses_empty_files(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match="empty"):
        read_text(path)


def test_read_text_names_a_missing_file(tmp_path):
    with pytest.raises(ImportFileError, match="does not exist"):
        read_text(tmp_path / "nope.csv")


def test_csv_rows_gives_physical_line_numbers_across_quoted_newlines():
    header, rows = csv_rows('a,b\n1,"two\nlines"\n\n3,4\n5\n', "t.csv")
    out = list(rows)
    assert header == ["a", "b"]
    assert out[0] == (2, {"a": "1", "b": "two\nlines"})
    assert out[1] == (5, {"a": "3", "b": "4"})
    assert out[2][0] == 6 and "__error__" in out[2][1]


def test_csv_rows_refuses_an_unclosed_quote_instead_of_swallowing_the_rest():
    _, rows = csv_rows('a,b\n1,2\n3,"four\n5,6\n', "t.csv")
    with pytest.raises(ImportFileError, match="cannot be read as CSV"):
        list(rows)


def test_parsers_accept_real_world_spellings_and_explain_failures():
    assert parse_float("15,9833", "lon") == pytest.approx(15.9833)
    assert parse_int("NA", "Troops") is None
    assert parse_int("1,204", "Troops") == 1204
    assert parse_date("30/11/2009", "Date").isoformat() == "2009-11-30"
    with pytest.raises(ValueError, match="not a date"):
        parse_date("2013-13-45", "Date")
    with pytest.raises(ValueError, match="negative"):
        parse_int("-3", "Troops")
    with pytest.raises(ValueError, match="whole number"):
        parse_int("2.5", "Troops")


@pytest.mark.parametrize("content", ['a,"b\n1,2\n3,4\n', 'a,"b"x,c\n1,2,3\n'])
def test_csv_rows_refuses_a_broken_header_quote_naming_file_and_line(content):
    with pytest.raises(ImportFileError, match=r"t\.csv cannot be read as CSV: its header row \(line 1\)"):
        csv_rows(content, "t.csv")
