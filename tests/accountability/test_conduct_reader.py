"""The reader of the UN table of allegations, on the real workbook and on damaged copies of it."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from peaceops.errors import ImportFileError
from peaceops.sources.un_conduct import (
    parse_incident_period,
    parse_investigation,
    parse_personnel,
    parse_reported_month,
    parse_results,
    parse_victims,
    read_allegations,
)


def damaged_copy(conduct_path: Path, tmp_path: Path, change) -> Path:
    """The real workbook, changed by ``change(sheet)``, saved under tmp_path."""
    book = openpyxl.load_workbook(conduct_path)
    change(book)
    out = tmp_path / "allegations.xlsx"
    book.save(out)
    return out


def column(sheet, name: str) -> int:
    return next(cell.column for cell in sheet[1] if cell.value == name)


def test_real_workbook_reads_every_row_without_rejection(conduct_path, sheet_rows):
    rows = read_allegations(conduct_path)
    assert rows.rows_read == len(sheet_rows) == 753
    assert rows.rejections == []
    assert len(rows.records) == len(sheet_rows)
    lines = [line for line, _ in rows.records]
    assert lines == list(range(2, 2 + len(sheet_rows))), "line numbers are the spreadsheet's row numbers"
    assert len({r["allegation_key"] for _, r in rows.records}) == len(sheet_rows), "every allegation has its own key"


def test_real_workbook_fields_match_the_cells(conduct_path, sheet_rows):
    records = [r for _, r in read_allegations(conduct_path).records]
    for cells, record in zip(sheet_rows, records, strict=True):
        month, year = cells["Date"].split("/")
        assert record["reported_month"] == date(int(year), int(month), 1)
        assert record["mission_acronym"] == cells["Mission"]
        days = re.search(r"\((\d+)\)$", cells["Investigation (days)"])
        assert record["investigation_days"] == (int(days.group(1)) if days else None)
        counts = re.findall(r",(\d+)", cells["Personnel Type"])
        entries = [e for e in re.split(r"\n\s*\n", cells["Personnel Type"]) if e.strip()]
        assert record["personnel_involved"] == (sum(map(int, counts)) if len(counts) == len(entries) else None)
        assert record["child_victims"] == ("Child" in cells["Victim"])
    categories = {r["personnel_category"] for r in records}
    assert categories <= {"Military", "Police", "Civilian", "Several"}
    military = sum(1 for c in sheet_rows if all(e.startswith("Military") for e in c["Personnel Type"].split("\n\n")))
    assert sum(r["personnel_category"] == "Military" for r in records) == military


def test_combined_fields_are_split_into_their_parts():
    assert parse_personnel("Military (MC),6") == [{"category": "Military", "type": "MC", "count": 6}]
    assert parse_personnel("Military (MC)") == [{"category": "Military", "type": "MC", "count": None}]
    assert parse_personnel("Civilian (Vendor Employee                 ),1\n\nCivilian (UNV),2") == [
        {"category": "Civilian", "type": "Vendor Employee", "count": 1},
        {"category": "Civilian", "type": "UNV", "count": 2},
    ]
    legacy = parse_personnel("Civilian ((Legacy) Daily Casual Workers   ),1")
    assert legacy[0]["type"] == "(Legacy) Daily Casual Workers"
    assert parse_investigation("UN OIOS (238)") == ("UN OIOS", "completed", 238)
    assert parse_investigation("TCC/OIOS (Pending)") == ("TCC/OIOS", "pending", None)
    assert parse_investigation("UN Review (N/A)") == ("UN Review", "not_applicable", None)
    assert parse_victims("Child (2)\n\nAdult (4)") == {"Child": 2, "Adult": 4}
    assert parse_victims("Adult") == {"Adult": None}
    assert parse_results("Substantiated (Rape) (1)\n\nPending (2)") == [
        {"result": "Substantiated", "detail": "Rape", "count": 1},
        {"result": "Pending", "detail": None, "count": 2},
    ]
    assert parse_results("Unsubstantiated (Insufficient evidence, but interfering with investigation\n) (1)")[0][
        "detail"
    ] == ("Insufficient evidence, but interfering with investigation")


def test_dates_of_report_and_incident():
    assert parse_reported_month("7/2024") == date(2024, 7, 1)
    assert parse_reported_month(datetime(2019, 3, 15)) == date(2019, 3, 1), "a date cell is read as its month"
    assert parse_incident_period("April / 2014 - Unspecified / 2015") == (date(2014, 4, 1), date(2015, 12, 31))
    assert parse_incident_period("February / 2016") == (date(2016, 2, 1), date(2016, 2, 29))
    assert parse_incident_period("May / 2020 - Unspecified") == (date(2020, 5, 1), None)
    assert parse_incident_period("Unknown") == (None, None)
    for bad in ("13/2024", "July 2024", "2024-07"):
        with pytest.raises(ValueError, match="M/YYYY"):
            parse_reported_month(bad)
    with pytest.raises(ValueError, match="Month / YYYY"):
        parse_incident_period("Spring / 2014")


def test_missing_sheet_is_a_clear_file_error(conduct_path, tmp_path):
    path = damaged_copy(conduct_path, tmp_path, lambda book: setattr(book["Export"], "title", "Sheet1"))
    with pytest.raises(ImportFileError, match=r"no sheet named 'Export' \(its sheets: 'Sheet1'\)"):
        read_allegations(path)


def test_missing_column_is_a_clear_file_error(conduct_path, tmp_path):
    def drop_result(book):
        sheet = book["Export"]
        sheet.delete_cols(column(sheet, "Result"))

    path = damaged_copy(conduct_path, tmp_path, drop_result)
    with pytest.raises(ImportFileError, match="missing Result") as error:
        read_allegations(path)
    assert "Investigation (days)" in str(error.value), "the message lists the columns it found"


def test_bad_cells_reject_their_row_with_the_line_number_and_keep_the_others(conduct_path, tmp_path, sheet_rows):
    def damage(book):
        sheet = book["Export"]
        sheet.cell(row=5, column=column(sheet, "Date")).value = "13/2024"
        sheet.cell(row=9, column=column(sheet, "Personnel Type")).value = "Soldier,3"
        sheet.cell(row=12, column=column(sheet, "Investigation (days)")).value = "OIOS 238 days"
        sheet.cell(row=20, column=column(sheet, "Victim")).value = "Jane Example (1)"

    rows = read_allegations(damaged_copy(conduct_path, tmp_path, damage))
    assert [r.line for r in rows.rejections] == [5, 9, 12, 20]
    reasons = [r.reason for r in rows.rejections]
    assert reasons[0].startswith("Line 5: Date '13/2024' is not a month and year")
    assert reasons[1].startswith("Line 9: Personnel Type 'Soldier,3'")
    assert reasons[2].startswith("Line 12: Investigation (days) 'OIOS 238 days'")
    assert reasons[3].startswith("Line 20: Victim is not an age group")
    assert "Jane" not in reasons[3], "a name in the victim cell is not repeated in the rejection"
    assert len(rows.records) == len(sheet_rows) - 4


def test_a_date_cell_for_the_reporting_month_is_accepted(conduct_path, tmp_path):
    def to_date_cell(book):
        sheet = book["Export"]
        sheet.cell(row=2, column=column(sheet, "Date")).value = datetime(2024, 7, 1)

    rows = read_allegations(damaged_copy(conduct_path, tmp_path, to_date_cell))
    assert rows.rejections == []
    assert rows.records[0][1]["reported_month"] == date(2024, 7, 1)


def test_unknown_columns_are_never_read(conduct_path, tmp_path):
    def add_column(book):
        sheet = book["Export"]
        extra = sheet.max_column + 1
        sheet.cell(row=1, column=extra).value = "Victim name"
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row=row, column=extra).value = "Private Person"

    rows = read_allegations(damaged_copy(conduct_path, tmp_path, add_column))
    assert rows.rejections == []
    assert all("Private Person" not in repr(record) for _, record in rows.records)


def test_a_file_that_is_not_a_workbook_or_is_empty(tmp_path):
    text = tmp_path / "allegations.xlsx"
    text.write_text("Date,Mission\n7/2024,MINUSCA\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="cannot be opened as an Excel .xlsx workbook"):
        read_allegations(text)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(ImportFileError, match="is empty"):
        read_allegations(empty)
    book = openpyxl.Workbook()
    book.active.title = "Export"
    book.active.append(["Date", "Mission", "Personnel Type", "Nationality", "Allegation", "Investigation (days)"])
    book.active.cell(1, 7).value = "Result"
    header_only = tmp_path / "header.xlsx"
    book.save(header_only)
    with pytest.raises(ImportFileError, match="has a header row but no allegations"):
        read_allegations(header_only)
    with pytest.raises(ImportFileError, match="does not exist"):
        read_allegations(tmp_path / "missing.xlsx")
