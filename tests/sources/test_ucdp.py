"""The UCDP GED reader on every shared GED file, and on small files in a real header with planted faults."""

import csv
import gzip
from datetime import date
from pathlib import Path

import pytest

from peaceops.errors import ImportFileError
from peaceops.geography.codes import iso3_from_gw
from peaceops.geography.priogrid import priogrid_gid
from peaceops.sources import ucdp
from peaceops.sources.ucdp import read_ged
from peaceops.store.event_schema import EVENT_SCHEMA

LAYOUTS = {
    "ged_central_african_republic.csv.gz": ucdp.LAYOUT_GEOJSON,
    "ged_myanmar.csv.gz": ucdp.LAYOUT_CSV,
    "ged_mexico.csv.gz": ucdp.LAYOUT_CSV,
    "ged_syria_2016_2019.csv.gz": ucdp.LAYOUT_19_1,
    "ged_global_sample_1000.csv.gz": ucdp.LAYOUT_CSV,
}


def file_rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_ged(data_dir: Path, path: Path, changes: list[dict[str, str]], template: str = "ged_myanmar.csv.gz") -> Path:
    """A GED file in the template's real header: its first row, with each change applied in turn."""
    with gzip.open(data_dir / "ucdp/ged" / template, "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        base = {k: ("x" if "\n" in v else v) for k, v in next(reader).items()}
        header = list(reader.fieldnames or [])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        for i, change in enumerate(changes):
            writer.writerow({**base, "id": str(900_000 + i), **change})
    return path


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_every_shared_ged_file_reads_each_row_or_rejects_it_with_a_reason(data_dir, name):
    path = data_dir / "ucdp/ged" / name
    expected = file_rows(path)
    rows = read_ged(path)
    assert rows.layout == LAYOUTS[name]
    assert rows.rows_read == len(expected)
    assert len(rows.records) == rows.rows_read - len(rows.rejections)
    # The published files have no row to reject: every event and every death is kept.
    assert not rows.rejections
    assert {record["event_id"] for _, record in rows.records} == {r["id"] for r in expected}
    assert sum(r["best"] for _, r in rows.records) == sum(int(r["best"]) for r in expected)
    # Rows whose low-high range does not contain best (swapped columns in the release) are repaired.
    assert all(r["low"] <= r["best"] <= r["high"] for _, r in rows.records)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_derived_priogrid_cells_match_ucdps_own(data_dir, name):
    rows = file_rows(data_dir / "ucdp/ged" / name)
    derived = [priogrid_gid(float(r["latitude"]), float(r["longitude"])) for r in rows]
    assert derived == [int(r["priogrid_gid"]) for r in rows]


def test_records_fit_the_event_schema_and_map_ucdp_fields(data_dir):
    rows = read_ged(data_dir / "ucdp/ged/ged_central_african_republic.csv.gz")
    line, first = rows.records[0]
    assert set(first) == set(EVENT_SCHEMA.names)
    assert line == 2
    # The GeoJSON conversion writes dates with a time part; coordinates are the last two columns.
    assert first["date_start"] == date(2009, 2, 20)
    assert (first["latitude"], first["longitude"]) == (5.399784, 26.486881)
    assert first["country_gw"] == 482 and first["country_iso3"] == "CAF"
    assert first["source"] == "ucdp-ged" and first["event_type"] == "state-based"
    assert first["side_a"] == "Government of Uganda" and first["conflict_id"] == "314"


def test_an_event_spanning_two_months_counts_in_the_month_it_ended(data_dir, tmp_path):
    path = write_ged(data_dir, tmp_path / "span.csv", [{"date_start": "2019-01-28", "date_end": "2019-02-03"}])
    (_, record), *_ = read_ged(path).records
    assert record["month"] == date(2019, 2, 1)
    assert record["year"] == 2019
    new_year = write_ged(data_dir, tmp_path / "ny.csv", [{"date_start": "2019-12-30", "date_end": "2020-01-02"}])
    (_, record), *_ = read_ged(new_year).records
    assert (record["month"], record["year"]) == (date(2020, 1, 1), 2020)


def test_planted_faults_are_rejected_with_their_line_numbers(data_dir, tmp_path):
    path = write_ged(
        data_dir,
        tmp_path / "faults.csv",
        [
            {"date_start": "2020-01-05", "date_end": "2020-01-05"},  # line 2: good
            {"date_start": "2020-13-01"},  # 3
            {"date_start": "2020-03-10", "date_end": "2020-03-01"},  # 4
            {"type_of_violence": "4"},  # 5
            {"latitude": "95"},  # 6
            {"best": "9", "low": "7", "high": "5"},  # 7: kept, range repaired to 5..9
            {"id": "900000"},  # 8: the id of line 2 again
            {"longitude": "-181"},  # 9
            {"best": "abc"},  # 10
        ],
    )
    rows = read_ged(path)
    assert [line for line, _ in rows.records] == [2, 7]
    assert (rows.records[1][1]["low"], rows.records[1][1]["high"]) == (5, 9)
    reasons = {r.line: r.reason for r in rows.rejections}
    assert sorted(reasons) == [3, 4, 5, 6, 8, 9, 10]
    assert "date_start '2020-13-01' is not a date" in reasons[3]
    assert "date_end 2020-03-01 is before date_start 2020-03-10" in reasons[4]
    assert "type_of_violence '4' is not 1, 2 or 3" in reasons[5]
    assert "latitude 95.0 is outside -90..90" in reasons[6]
    assert "event id 900000 already appears on line 2" in reasons[8]
    assert "longitude -181.0 is outside" in reasons[9]
    assert "best 'abc' is not a number" in reasons[10]
    assert all(reason.startswith(f"Line {line}: ") for line, reason in reasons.items())


def test_a_missing_priogrid_cell_is_derived_from_the_coordinates(data_dir, tmp_path):
    path = write_ged(data_dir, tmp_path / "cells.csv", [{"priogrid_gid": "", "latitude": "4.36", "longitude": "18.55"}])
    (_, record), *_ = read_ged(path).records
    # Row 188 (4.0..4.5 N) and column 397 (18.5..19.0 E) of the 720-column grid, counted from 1.
    assert record["priogrid_gid"] == 188 * 720 + 397 + 1


@pytest.mark.parametrize("template", sorted(set(LAYOUTS) - {"ged_global_sample_1000.csv.gz"}))
def test_each_layout_accepts_dates_with_or_without_a_time_part(data_dir, tmp_path, template):
    changes = [
        {"date_start": "2021-06-01T00:00:00", "date_end": "2021-06-02T00:00:00"},
        {"date_start": "2021-06-01 00:00:00.000", "date_end": "2021-06-03"},
    ]
    rows = read_ged(write_ged(data_dir, tmp_path / "dates.csv", changes, template))
    assert rows.rejections == []
    assert [r["date_end"] for _, r in rows.records] == [date(2021, 6, 2), date(2021, 6, 3)]
    assert rows.layout == LAYOUTS[template]


def test_float_written_codes_are_read_as_integers(data_dir, tmp_path):
    path = write_ged(data_dir, tmp_path / "floats.csv", [{"id": "123.0", "conflict_new_id": "299.0"}])
    (_, record), *_ = read_ged(path).records
    assert (record["event_id"], record["conflict_id"]) == ("123", "299")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"id,year,country\n1,2020,Mali\n", "missing type_of_violence"),
        ("id,type_of_violence,C\xf4te\n1,1,2\n".encode("latin-1"), "header row \\(line 1\\) is not UTF-8"),
    ],
)
def test_files_that_are_not_ged_raise_import_file_errors(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        read_ged(path)


def test_gleditsch_ward_codes_become_iso3():
    assert [iso3_from_gw(code) for code in (482, 775, 70, 652, 700)] == ["CAF", "MMR", "MEX", "SYR", "AFG"]
    assert iso3_from_gw(999) is None
