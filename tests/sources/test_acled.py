"""The ACLED reader on both shared export schemas, and its mapping to UCDP's types of violence.

ACLED's terms forbid redistributing its rows: tests read the shared files in place, and the small files
written here hold invented events in ACLED's column layout, never copied rows.
"""

import csv
from datetime import date
from pathlib import Path

import pytest

from peaceops.errors import ImportFileError
from peaceops.geography.priogrid import priogrid_gid
from peaceops.sources import acled
from peaceops.sources.acled import read_acled, violence_type
from peaceops.store.event_schema import EVENT_SCHEMA

FILES = {
    "acled_africa_2016_sample.csv": acled.LAYOUT_2016,
    "acled_afghanistan_2020_sample.csv": acled.LAYOUT_CURRENT,
}
CURRENT_HEADER = (
    "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,country,admin1,admin2,admin3,location,"
    "latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp,iso3"
).split(",")


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_current(path: Path, changes: list[dict[str, str]]) -> Path:
    """Invented events in ACLED's current layout (not ACLED data)."""
    base = dict.fromkeys(CURRENT_HEADER, "")
    base.update(
        iso="4",
        event_date="02 January 2020",
        year="2020",
        time_precision="1",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Group A",
        inter1="2",
        actor2="Group B",
        inter2="3",
        country="Afghanistan",
        admin1="Province X",
        location="Village Y",
        latitude="34.5",
        longitude="69.2",
        geo_precision="1",
        fatalities="3",
        iso3="AFG",
    )
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, CURRENT_HEADER)
        writer.writeheader()
        for i, change in enumerate(changes):
            writer.writerow({**base, "event_id_cnty": f"TST{i + 1}", **change})
    return path


@pytest.mark.parametrize(
    ("event_type", "inter1", "inter2", "expected"),
    [
        ("Battles", 1, 2, 1),  # state forces against rebels: state-based
        ("Battles", 2, 1, 1),
        ("Battles", 2, 3, 2),  # rebels against a militia: non-state
        ("Battle-No change of territory", 3, 4, 2),
        ("Battle-Government regains territory", 1, 2, 1),
        ("Explosions/Remote violence", 1, 0, 1),
        ("Explosions/Remote violence", 2, 7, 2),
        ("Remote violence", 2, 1, 1),
        ("Violence against civilians", 1, 7, 3),
        ("Violence against civilians", 3, 7, 3),
        ("Protests", 6, 0, None),
        ("Riots/Protests", 5, 1, None),
        ("Strategic developments", 1, 2, None),
        ("Non-violent transfer of territory", 2, 0, None),
    ],
)
def test_acled_event_types_map_to_ucdp_types_of_violence(event_type, inter1, inter2, expected):
    assert violence_type(event_type, inter1, inter2) == expected


@pytest.mark.parametrize("name", sorted(FILES))
def test_both_shared_schemas_read_every_row(data_dir, name):
    path = data_dir / "acled" / name
    expected = file_rows(path)
    rows = read_acled(path)
    assert rows.layout == FILES[name]
    assert rows.rows_read == len(expected)
    assert len(rows.records) == rows.rows_read - len(rows.rejections)
    assert rows.rejections == []
    records = {r["event_id"]: r for _, r in rows.records}
    assert set(records) == {r["event_id_cnty"] for r in expected}
    for row in expected:
        record = records[row["event_id_cnty"]]
        fatalities = int(row["fatalities"])
        assert record["best"] == record["low"] == record["high"] == fatalities
        civilians = row["event_type"] == "Violence against civilians"
        assert record["deaths_civilians"] == (fatalities if civilians else 0)
        assert record["type_of_violence"] == violence_type(row["event_type"], int(row["inter1"]), int(row["inter2"]))
        assert record["priogrid_gid"] == priogrid_gid(float(row["latitude"]), float(row["longitude"]))
        assert record["country_iso3"] is not None and record["country_gw"] is not None
        assert record["date_start"] == record["date_end"] and record["month"] == record["date_end"].replace(day=1)


def test_current_schema_dates_subtypes_and_numeric_iso(data_dir):
    rows = read_acled(data_dir / "acled/acled_afghanistan_2020_sample.csv")
    first = rows.records[0][1]
    assert set(first) == set(EVENT_SCHEMA.names)
    assert first["date_end"] == date(2020, 3, 21)
    assert first["event_type"] == "Battles / Armed clash"
    assert (first["country_iso3"], first["country_gw"]) == ("AFG", 700)


def test_old_schema_uses_gleditsch_ward_codes(data_dir):
    rows = read_acled(data_dir / "acled/acled_africa_2016_sample.csv")
    by_gw = {r["country_gw"]: r["country_iso3"] for _, r in rows.records}
    assert by_gw[551] == "ZMB" and by_gw[520] == "SOM" and by_gw[482] == "CAF"


def test_country_comes_from_numeric_iso_or_name_when_iso3_is_absent(tmp_path):
    path = write_current(
        tmp_path / "a.csv",
        [{"iso3": "", "iso": "466", "country": "Mali"}, {"iso3": "", "iso": "", "country": "Burkina Faso"}],
    )
    assert [r["country_iso3"] for _, r in read_acled(path).records] == ["MLI", "BFA"]


def test_bad_acled_rows_are_rejected_with_line_numbers(tmp_path):
    path = write_current(
        tmp_path / "faults.csv",
        [
            {},  # line 2: good
            {"event_date": "31 February 2020"},  # 3
            {"event_type": "Alien invasion"},  # 4
            {"latitude": "95"},  # 5
            {"fatalities": "-2"},  # 6
            {"event_id_cnty": "TST1"},  # 7: repeats line 2
            {"iso3": "ZZZ"},  # 8
        ],
    )
    rows = read_acled(path)
    assert [line for line, _ in rows.records] == [2]
    reasons = {r.line: r.reason for r in rows.rejections}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "event_date '31 February 2020' is not a date" in reasons[3]
    assert "event_type 'Alien invasion'" in reasons[4]
    assert "latitude 95.0 is outside" in reasons[5]
    assert "fatalities '-2' is negative" in reasons[6]
    assert "already appears on line 2" in reasons[7]
    assert "iso3 'ZZZ'" in reasons[8]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"event_id_cnty,event_date\nX1,2020-01-01\n", "missing time_precision"),
        (b"\xff\xfe" + ",".join(CURRENT_HEADER).encode() + b"\n", "is saved as UTF-16; save the file as UTF-8"),
    ],
)
def test_files_that_are_not_acled_exports_raise_import_file_errors(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        read_acled(path)
