import csv
import gzip
import hashlib

import pytest

from peaceops.errors import ImportFileError
from peaceops.sources.tabular import csv_rows, decode, parse_date, parse_float, parse_int, read_layout, read_text


def test_read_text_strips_bom_and_reads_gzip(tmp_path):
    plain = tmp_path / "a.csv"
    plain.write_bytes("\ufeffa,b\n1,2\n".encode())
    packed = tmp_path / "a.csv.gz"
    packed.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    assert read_text(plain)[0] == "a,b\n1,2\n"
    assert read_text(packed)[0] == "a,b\n1,2\n"


def test_a_line_that_is_not_utf8_is_rejected_alone_and_the_others_keep_their_text(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "a,b\nCôte d'Ivoire,1\n".encode()
        + "Côte d'Ivoire,2\n".encode("latin-1")
        + 'Ségou,"deux\nlignes"\n'.encode()
        + b'x,"cafe\nau l\xe9it"\n'
        + b"Mopti,5\n"
    )
    text, digest = read_text(path)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    _, rows = csv_rows(text, "mixed.csv")
    out = dict(rows)
    assert out[2] == {"a": "Côte d'Ivoire", "b": "1"}
    assert out[3]["__error__"].startswith("is not UTF-8 text (byte 0xf4); save the file as UTF-8")
    assert out[4] == {"a": "Ségou", "b": "deux\nlignes"}
    assert "byte 0xe9 on line 7, inside a quoted value that starts here" in out[6]["__error__"]
    assert out[8] == {"a": "Mopti", "b": "5"}
    assert sorted(out) == [2, 3, 4, 6, 8]


def test_a_header_that_is_not_utf8_refuses_the_file_naming_the_byte():
    with pytest.raises(
        ImportFileError, match=r"t\.csv cannot be read as CSV: its header row \(line 1\) is not UTF-8 .*0xff"
    ):
        csv_rows(decode(b"a\xff,b\n1,2\n"), "t.csv")


def test_a_nul_character_rejects_its_line_alone():
    _, rows = csv_rows("a,b\n1,x\x00y\n3,4\n", "t.csv")
    out = dict(rows)
    assert "NUL character" in out[2]["__error__"] and out[3] == {"a": "3", "b": "4"}


def test_a_value_over_the_field_limit_rejects_its_line_alone():
    huge = "x" * (csv.field_size_limit() + 10)
    _, rows = csv_rows(f"a,b\n1,2\n3,{huge}\n5,6\n", "t.csv")
    out = dict(rows)
    assert out[2] == {"a": "1", "b": "2"} and out[4] == {"a": "5", "b": "6"}
    assert out[3]["__error__"].startswith("has a value longer than 131,072 characters")


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


def test_an_unclosed_quote_rejects_its_line_and_the_lines_after_it_are_read():
    _, rows = csv_rows('a,b\n1,2\n3,"four\n5,6\n7,8\n', "t.csv")
    out = list(rows)
    assert [line for line, _ in out] == [2, 3, 4, 5]
    assert out[1][1]["__error__"].startswith("opens a quote that is never closed (the quoted value ran on to the end")
    assert 'write a quote inside a value twice ("")' in out[1][1]["__error__"]
    assert (out[2], out[3]) == ((4, {"a": "5", "b": "6"}), (5, {"a": "7", "b": "8"}))


def test_a_stray_quote_that_pairs_with_a_later_one_rejects_only_its_own_line():
    _, rows = csv_rows('a,b\n1,"one\n2,two\n3,"three"x\n4,"a"b\n5,five\n', "t.csv")
    out = dict(rows)
    assert "ran on to line 4" in out[2]["__error__"]
    assert out[3] == {"a": "2", "b": "two"}
    assert "text after the closing quote" in out[4]["__error__"] and "text after the closing" in out[5]["__error__"]
    assert out[6] == {"a": "5", "b": "five"}


def test_a_quoted_value_running_past_the_field_limit_rejects_the_line_where_it_opened():
    filler = "".join(f"{i},filler\n" for i in range(3, 20_000))
    _, rows = csv_rows(f'a,b\n1,"never closed\n{filler}', "t.csv")
    out = dict(rows)
    assert "runs on past 131,072 characters" in out[2]["__error__"]
    assert all(out[line] == {"a": str(line), "b": "filler"} for line in range(3, 20_000))


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


PNG_START = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (PNG_START, "is a PNG image, not a CSV file."),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "is a JPEG image, not a CSV file."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF document, not a CSV file."),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "is an Excel workbook (XLSX) or another ZIP archive"),
        (bytes(range(256)) * 2, "is not a CSV file: it holds binary data, not text."),
        ("a,b\n1,2\n".encode("utf-16"), "is not UTF-8 text: it is saved as UTF-16; save the file as UTF-8"),
        ("a,b\n1,2\n".encode("utf-16-le"), "is not UTF-8 text: it is saved as UTF-16; save the file as UTF-8"),
    ],
)
def test_a_file_that_is_not_text_is_told_it_is_not_a_csv_file_and_which_file_is_expected(content, what):
    with pytest.raises(ImportFileError) as refused:
        csv_rows(decode(content), "upload.png")
    message = str(refused.value)
    assert message.startswith(f"upload.png {what}")
    assert "UTF-8" in message and "column" not in message.split(".")[0]


def test_a_text_file_whose_header_has_one_stray_byte_is_still_told_to_save_as_utf8():
    with pytest.raises(ImportFileError, match="is not UTF-8 text .*save the file as UTF-8"):
        csv_rows(decode(b"r\xe9gion,b\n1,2\n"), "t.csv")


def test_every_reader_of_a_fixed_layout_refuses_a_png_before_naming_columns(tmp_path):
    path = tmp_path / "missions.png"
    path.write_bytes(PNG_START * 4)
    with pytest.raises(ImportFileError, match=r"^missions\.png is a PNG image, not a CSV file\."):
        read_layout(path, "missions", ("mission", "start"), ())
