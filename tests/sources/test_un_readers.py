"""The UN readers on the real shared files, and on small files in the same layouts with planted faults."""

import csv
from collections import Counter

import pytest

from peaceops.errors import ImportFileError
from peaceops.sources.un_fatalities import read_fatalities
from peaceops.sources.un_missions import read_missions
from peaceops.sources.un_personnel import IPI_CATEGORIES, read_contributions
from peaceops.sources.un_strength import read_mission_totals

IPI_HEADER = (
    '"","Date","Contributor","Contributor ISO-3","Mission","Individual Police Male","Individual Police Female",'
    '"Individual Police Total","Formed Police Units Male","Formed Police Units Female","Formed Police Units Total",'
    '"Experts on Mission Male","Experts on Mission Female","Experts on Mission Total","Troops Male","Troops Female",'
    '"Troops Total","Total Male","Total Female","Total Total"'
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missions_file_reads_every_mission_with_decimal_comma_coordinates(data_dir):
    rows = read_missions(data_dir / "un_peacekeeping/missions/DPPADPOSS-PKO.csv")
    with open(data_dir / "un_peacekeeping/missions/DPPADPOSS-PKO.csv", encoding="utf-8") as f:
        expected = list(csv.DictReader(f))
    assert rows.rows_read == len(expected)
    assert not rows.rejections
    by_acronym = {r["acronym"]: r for _, r in rows.records}
    assert set(by_acronym) == {e["mission_acronym"] for e in expected}
    assert by_acronym["UNPSG"]["hq_longitude"] == pytest.approx(15.9833)
    assert sum(r["active"] for r in by_acronym.values()) == sum(
        e["mission_isactive"].lower() == "yes" for e in expected
    )
    assert by_acronym["UNMISS"]["end_date"] is None and by_acronym["UNMISS"]["host_iso3"] == "SSD"


def test_missions_reader_rejects_unreadable_lines_alone_and_keeps_the_good(tmp_path):
    path = tmp_path / "pko.csv"
    path.write_bytes(
        b"mission_acronym,mission_name,mission_isactive,start_date,end_date\n"
        + "UNOCI,Opération des Nations Unies en Côte d'Ivoire,No,2004-04-04,2017-06-30\n".encode()
        + "UNAA,Mission en Côte d'Ivoire,No,2004-04-04,\n".encode("latin-1")
        + f"UNBB,{'M' * 200_000},No,2004-04-04,\n".encode()
        + b'UNCC,"Mission with a stray quote,No,2004-04-04,\n'
        + b"MINUSCA,United Nations Multidimensional Integrated Stabilization Mission,Yes,2014-04-10,\n"
    )
    rows = read_missions(path)
    names = {r["acronym"]: r["name"] for _, r in rows.records}
    assert names == {
        "UNOCI": "Opération des Nations Unies en Côte d'Ivoire",
        "MINUSCA": "United Nations Multidimensional Integrated Stabilization Mission",
    }
    reasons = {r.line: r.reason for r in rows.rejections}
    assert sorted(reasons) == [3, 4, 5] and rows.rows_read == 5
    assert reasons[3].startswith("Line 3 is not UTF-8 text (byte 0xf4)")
    assert reasons[4].startswith("Line 4 has a value longer than 131,072 characters")
    assert reasons[5].startswith("Line 5 opens a quote that is never closed")


def test_missions_reader_rejects_bad_rows_and_keeps_the_good(tmp_path):
    path = write(
        tmp_path,
        "pko.csv",
        "id,mission_acronym,mission_name,lead_department,mission_isactive,start_date,end_date\n"
        "1,UNAA,United Nations Mission in Liberia,DPO,Yes,2003-09-01,\n"
        "2,UNBB,Bad Dates Mission,DPO,No,2003-31-01,\n"
        "3,UNCC,Reversed Mission,DPO,No,2005-01-01,2004-01-01\n"
        "4,UNDD,Unclear Mission,DPO,Maybe,2005-01-01,\n"
        "5,UNAA,Duplicate Mission,DPO,No,2005-01-01,\n",
    )
    rows = read_missions(path)
    assert [r["acronym"] for _, r in rows.records] == ["UNAA"]
    reasons = {r.line: r.reason for r in rows.rejections}
    assert "not a date" in reasons[3]
    assert "before start_date" in reasons[4]
    assert "not Yes or No" in reasons[5]
    assert "already appears on line 2" in reasons[6]


def test_missions_reader_names_missing_columns(tmp_path):
    path = write(tmp_path, "pko.csv", "acronym,name\nUNAA,Something\n")
    with pytest.raises(ImportFileError, match="missing mission_acronym"):
        read_missions(path)


def test_ipi_contributions_split_into_one_record_per_personnel_type(data_dir):
    path = data_dir / "un_peacekeeping/personnel/IPI_TCC_gender_by_mission_2009-11_to_2014-02.csv"
    rows = read_contributions(path)
    assert rows.layout == "ipi-gender" and not rows.rejections
    with open(path, encoding="utf-8") as f:
        source = list(csv.DictReader(f))
    assert rows.rows_read == len(source)
    expected = sum(int(r[f"{c} Total"]) > 0 for r in source for c in IPI_CATEGORIES)
    assert len(rows.records) == expected
    women = sum(int(r["Total Female"]) for r in source)
    assert sum(r["female"] for _, r in rows.records) == women


def test_ipi_contributions_reject_inconsistent_counts_and_unknown_countries(tmp_path):
    path = write(
        tmp_path,
        "ipi.csv",
        IPI_HEADER + "\n"
        '"1",2013-12-31,"Ghana","GHA","UNMISS",1,0,1,0,0,0,0,0,0,10,2,12,11,2,13\n'
        '"2",2013-12-31,"Nowhere","XXX","UNMISS",1,0,1,0,0,0,0,0,0,0,0,0,1,0,1\n'
        '"3",2013-12-31,"Ghana","GHA","UNMIL",1,0,2,0,0,0,0,0,0,0,0,0,1,0,2\n'
        '"4",2013-12-31,"Ghana","GHA","UNMIL",1,0,1,0,0,0,0,0,0,0,0,0,2,0,2\n'
        '"5",2013-13-31,"Ghana","GHA","UNMIL",1,0,1,0,0,0,0,0,0,0,0,0,1,0,1\n'
        '"6",2013-12-31,"Ghana","GHA","UNMISS",1,0,1,0,0,0,0,0,0,0,0,0,1,0,1\n',
    )
    rows = read_contributions(path)
    assert {(r["personnel_type"], r["total"]) for _, r in rows.records} == {("individual_police", 1), ("troops", 12)}
    reasons = {r.line: r.reason for r in rows.rejections}
    assert "not an ISO 3166" in reasons[3]
    assert "does not equal total" in reasons[4]
    assert "do not add up" in reasons[5]
    assert "not a date" in reasons[6]
    assert "already appears on line 2" in reasons[7]


def test_un_current_layout_is_read_case_insensitively(tmp_path):
    path = write(
        tmp_path,
        "odp_contributionsbygender.csv",
        "Contributing_Country,ISOCode3,Mission_Acronym,Personnel_Type,Last_Reporting_Date,"
        "Female_Personnel,Male_Personnel\n"
        "Ghana,GHA,UNMISS,Troops,31/01/2024,80,620\n"
        "Ghana,GHA,UNMISS,Staff Officer,31/01/2024,3,20\n"
        "Ghana,GHA,UNMISS,Sailors,31/01/2024,1,1\n",
    )
    rows = read_contributions(path)
    assert rows.layout == "un-gender"
    assert [(r["personnel_type"], r["female"], r["total"]) for _, r in rows.records] == [
        ("troops", 80, 700),
        ("staff_officers", 3, 23),
    ]
    assert rows.records[0][1]["month"].isoformat() == "2024-01-01"
    assert "Personnel_Type 'Sailors'" in rows.rejections[0].reason and rows.rejections[0].line == 4

    lower = write(
        tmp_path,
        "DPO-UCHISTORICAL.csv",
        "contribution_id,contributing_country,isocode3,mission_acronym,personnel_type,last_reporting_date,"
        "female_personnel,male_personnel\n1,Nepal,NPL,UNIFIL,Experts on Mission,2024-02-29,2,9\n",
    )
    assert read_contributions(lower).records[0][1]["personnel_type"] == "experts_on_mission"


def test_contributions_in_an_unknown_layout_name_both_layouts(tmp_path):
    path = write(tmp_path, "x.csv", "country,mission,count\nGHA,UNMISS,1\n")
    with pytest.raises(ImportFileError, match="neither contributions layout"):
        read_contributions(path)


def test_mission_totals_check_the_sum_and_keep_host_country(data_dir):
    rows = read_mission_totals(data_dir / "un_peacekeeping/personnel/IPI_mission_monthly_totals_1990-11_to_2017-03.csv")
    assert rows.rows_read == 5330 and not rows.rejections
    undof = [r for _, r in rows.records if r["mission"] == "UNDOF"]
    assert {r["host_iso3"] for r in undof} == {"SYR"}
    assert all(r["total"] == sum(r[k] or 0 for k in ("troops", "police", "observers")) for _, r in rows.records)


def test_fatalities_keep_repeated_casualties_numbered_and_resolve_missing_codes(data_dir):
    path = data_dir / "un_peacekeeping/fatalities/DPPADPOSS-FATALITIES.csv"
    rows = read_fatalities(path)
    with open(path, encoding="utf-8") as f:
        source = list(csv.DictReader(f))
    assert len(rows.records) == len(source) and rows.rejections == []
    keys = [(r["casualty_id"], r["occurrence"]) for _, r in rows.records]
    assert len(set(keys)) == len(keys), "casualty id + occurrence identifies every row"
    repeated = Counter(r["casualty_id"] for r in source)
    assert max(repeated.values()) > 1, "the file repeats some casualty ids"
    for casualty, n in repeated.items():
        if n > 1:
            listed = [r for _, r in rows.records if r["casualty_id"] == casualty]
            assert sorted(r["occurrence"] for r in listed) == list(range(1, n + 1))
            assert len({r["nationality"] for r in listed}) == n, "the repeats differ by nationality"
    ivorian = [r for _, r in rows.records if r["nationality"] == "Côte dIvoire"]
    assert ivorian and {r["nationality_iso3"] for r in ivorian} == {"CIV"}
    undetermined = [r for _, r in rows.records if (r["nationality"] or "").startswith("ZZ")]
    assert undetermined and all(r["nationality_iso3"] is None for r in undetermined)
