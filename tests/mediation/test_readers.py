"""The PA-X and UCDP agreement readers on the real files, and on damaged copies of them."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from peaceops.errors import ImportFileError
from peaceops.sources.pax import LAYOUT_CODED, LAYOUT_METADATA, read_pax, read_pax_dictionary
from peaceops.sources.pax_provisions import read_pax_provisions
from peaceops.sources.ucdp_agreements import read_ucdp_agreements


def _records(rows):
    return {record["pax_id"]: record for _, record in rows.records}


def test_coded_export_reads_every_agreement_with_its_codes(full_files):
    rows = read_pax(full_files["coded"][1])
    assert rows.layout == LAYOUT_CODED
    assert (rows.rows_read, len(rows.records), rows.rejections) == (1868, 1868, [])
    lusaka = _records(rows)[319]
    assert lusaka["title"] == "Ceasefire Agreement (Lusaka Agreement)"
    assert lusaka["signed_on"] == date(1999, 7, 10)
    assert lusaka["codes"]["Ce"] == 3 and lusaka["codes"]["SsrDdr"] >= 1
    assert "GeWom" not in lusaka["codes"] or lusaka["codes"]["GeWom"] == 1
    assert lusaka["countries"][0] == "COD" and lusaka["ucdp_paid"] == 1004
    assert all(value in (1, 2, 3) for r in rows.records for value in r[1]["codes"].values())


def test_metadata_export_reads_day_first_dates_and_descriptions(full_files):
    rows = read_pax(full_files["metadata"][1])
    assert rows.layout == LAYOUT_METADATA
    assert (rows.rows_read, len(rows.records)) == (2257, 2257)
    falklands = _records(rows)[431]
    assert falklands["signed_on"] == date(1990, 2, 15)
    assert falklands["description"].startswith("Joint Statement toward normalization")
    assert falklands["codes"] == {} and falklands["release"] == "v10"


def test_run_together_ucdp_ids_are_not_taken_for_links(full_files):
    """Two PA-X cells hold 13-digit numbers in UcdpAgr; they are not UCDP ids (those have four digits)."""
    rows = read_pax(full_files["coded"][1])
    paids = [r["ucdp_paid"] for _, r in rows.records if r["ucdp_paid"] is not None]
    assert len(paids) == 295 and max(paids) < 100_000


def test_dictionary_names_sub_codes_after_their_parent(full_files):
    labels = {c["code"]: c for c in read_pax_dictionary(full_files["coded"][1].parent / "column_dictionary.csv")}
    assert labels["Ce"]["label"] == "Ceasefire" and labels["Ce"]["scale"] == "ordinal"
    assert labels["GChRhet"]["label"] == "Children/Youth: Rhetorical"
    assert labels["GeWom"]["family"] == "Gender" and len(labels) == 240


def _rows(path: Path, n: int) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = [row for _, row in zip(range(n), reader, strict=False)]
        return list(reader.fieldnames or []), rows


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    """One physical line per record (line breaks inside fields flattened), so line numbers are known."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: " ".join(v.split()) for k, v in row.items()} for row in rows)
    return path


def test_bad_lines_are_rejected_with_line_number_and_reason_and_good_lines_kept(full_files, tmp_path):
    header, rows = _rows(full_files["metadata"][1], 2)
    good, other = rows
    bad_date = {**other, "Dat": "31/02/1990"}
    bad_stage = {**other, "AgtId": "99001", "Stage": "A-very-long-stage-value"}
    no_id = {**other, "AgtId": ""}
    rows = read_pax(_write(tmp_path / "pax.csv", header, [good, bad_date, bad_stage, no_id, good]))
    assert [r["pax_id"] for _, r in rows.records] == [431]
    reasons = {r.line: r.reason for r in rows.rejections}
    assert set(reasons) == {3, 4, 5, 6}
    assert "Dat '31/02/1990' is not a date" in reasons[3]
    assert "Stage" in reasons[4] and "longer than 16" in reasons[4]
    assert "AgtId (the PA-X agreement id) is empty" in reasons[5]
    assert "AgtId 431 already appears on line 2" in reasons[6]


def test_a_code_outside_the_codebook_rejects_the_line(full_files, tmp_path):
    header, rows = _rows(full_files["coded"][1], 3)
    rows[1] = {**rows[1], "Ce": "7"}
    read = read_pax(_write(tmp_path / "coded.csv", header, rows))
    assert len(read.records) == 2 and len(read.rejections) == 1
    assert read.rejections[0].line == 3
    assert "provision code Ce is '7', not 0, 1, 2 or 3" in read.rejections[0].reason


def test_an_unclosed_quote_rejects_its_line_and_keeps_the_agreements_around_it(full_files, tmp_path):
    header, rows = _rows(full_files["metadata"][1], 3)
    path = _write(tmp_path / "pax.csv", header, rows[:2])
    clean = read_pax(path)
    tail = _write(tmp_path / "tail.csv", header, rows[2:]).read_text(encoding="utf-8").split("\n", 1)[1]
    path.write_text(path.read_text(encoding="utf-8") + 'Somewhere,"unclosed\x00\n' + tail, encoding="utf-8")
    read = read_pax(path)
    (rejected,) = read.rejections
    assert rejected.line == 4 and rejected.reason.startswith("Line 4 opens a quote that is")
    assert rejected.reason.endswith("the lines after it are read on their own.")
    assert [line for line, _ in read.records] == [2, 3, 5] and read.rows_read == 4
    assert [record for _, record in read.records][:2] == [record for _, record in clean.records]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\xff\xfe\x00garbage\x00\n", "not UTF-8"),
        (b"paid,region,pa_name\n1,2,x\n", "not a PA-X agreements export"),
        (b'Con,Agt,Dat,"unclosed\n', "cannot be read as CSV"),
        (b"Con,Agt,description\nA,B,C\n", "does not have the columns of the PA-X agreements layout: missing PPName"),
    ],
)
def test_a_damaged_file_gives_one_clear_error(tmp_path, content, message):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        read_pax(path)


def test_ucdp_agreements_read_with_flags_and_trailing_space_columns(full_files):
    rows = read_ucdp_agreements(full_files["ucdp"][1])
    assert (rows.rows_read, len(rows.records), rows.rejections) == (374, 374, [])
    records = {r["paid"]: r for _, r in rows.records}
    peshawar = records[1565]
    assert peshawar["title"] == "Peshawar Accord" and peshawar["pa_type"] == "2"
    assert peshawar["flags"] == {"intgov": 1, "interim": 1}
    assert any("return" in r["flags"] for r in records.values()), "the 'return ' column is read"
    assert any(len(r["countries"]) == 2 for r in records.values()), "two-country agreements keep both"


def test_ucdp_reader_rejects_an_unknown_agreement_type(full_files, tmp_path):
    header, rows = _rows(full_files["ucdp"][1], 3)
    rows[2] = {**rows[2], "pa_type": "9"}
    read = read_ucdp_agreements(_write(tmp_path / "ucdp.csv", header, rows))
    assert len(read.records) == 2 and [r.line for r in read.rejections] == [4]
    assert "pa_type '9' is not 1 (full), 2 (partial) or 3 (process)" in read.rejections[0].reason


def test_provision_texts_read_and_blank_ones_rejected(full_files, tmp_path):
    rows = read_pax_provisions(full_files["provisions"][1])
    assert (rows.rows_read, len(rows.records), rows.rejections) == (3903, 3903, [])
    path = tmp_path / "provisions.csv"
    path.write_text(
        "country,constitution,AgtId,agreement,date,provision_no,provision_text,n_matched_sections\n"
        "X,X_1,409,A,19930307,1,Text of one provision.,1\nX,X_1,409,A,19930307,2,   ,1\nX,X_1,,A,19930307,3,Text,1\n",
        encoding="utf-8",
    )
    rows = read_pax_provisions(path)
    assert [r["number"] for _, r in rows.records] == [1]
    assert [(r.line, r.reason) for r in rows.rejections] == [
        (3, "Line 3: provision 2 of agreement 409 has no text."),
        (4, "Line 4: AgtId (the PA-X agreement id) is empty."),
    ]
