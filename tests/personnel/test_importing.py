"""Importing into the store, on SQLite and PostgreSQL: good rows kept, bad rows reported, re-runs idempotent."""

import csv

import pytest
from sqlalchemy import func, select

from peaceops.errors import ImportFileError
from peaceops.missions.models import Mission
from peaceops.personnel.models import Deployment, Fatality, MissionStrength
from peaceops.platform import import_file
from peaceops.store.audit import AuditEntry
from peaceops.store.provenance import ImportRun

MISSIONS_HEADER = "id,mission_acronym,mission_name,lead_department,mission_isactive,start_date,end_date,mission_location,mission_longitude,mission_latitude,last_update\n"  # noqa: E501
IPI_HEADER = (
    "Date,Contributor,Contributor ISO-3,Mission,Individual Police Male,Individual Police Female,"
    "Individual Police Total,Formed Police Units Male,Formed Police Units Female,Formed Police Units Total,"
    "Experts on Mission Male,Experts on Mission Female,Experts on Mission Total,Troops Male,Troops Female,"
    "Troops Total,Total Male,Total Female,Total Total\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def two_missions(db, tmp_path):
    path = write(
        tmp_path,
        "pko.csv",
        MISSIONS_HEADER
        + '1,UNMISS,United Nations Mission in the Republic of South Sudan,DPO,Yes,2011-07-08,,Juba,"31,6000","4,8500",2024-02-19\n'  # noqa: E501
        + '2,MINUSMA,United Nations Multidimensional Integrated Stabilization Mission in Mali,DPO,No,2013-04-25,2023-12-31,Bamako,"12,6500","-8,0000",2024-02-19\n',  # noqa: E501
    )
    report = import_file(db, "missions", path, "test")
    assert report.inserted == 2
    return db


def test_import_personnel_keeps_good_rows_and_reports_each_bad_one(two_missions, tmp_path):
    db = two_missions
    path = write(
        tmp_path,
        "ipi.csv",
        IPI_HEADER
        + "2013-12-31,Ghana,GHA,UNMISS,0,0,0,0,0,0,1,1,2,700,80,780,701,81,782\n"
        + "2013-12-31,Ghana,GHA,UNAMA,0,0,0,0,0,0,1,0,1,0,0,0,1,0,1\n"
        + "2013-12-31,Ghana,GHA,MINUSMA,0,0,0,0,0,0,1,0,1,0,0,0,1,0,9\n"
        + "31-12-2013x,Ghana,GHA,MINUSMA,0,0,0,0,0,0,1,0,1,0,0,0,1,0,1\n",
    )
    report = import_file(db, "contributions", path, "test")
    assert (report.rows_read, report.accepted, report.rejected) == (4, 1, 3)
    assert report.inserted == 2  # experts on mission + troops of the one good row
    reasons = {r.line: r.reason for r in report.rejections}
    assert "mission 'UNAMA' is not in the missions register" in reasons[3]
    assert "does not equal total" in reasons[4]
    assert "not a date" in reasons[5]
    with db.session() as s:
        run = s.get(ImportRun, report.run_id)
        assert run.rejected == 3 and [r.line for r in run.rejections] == [3, 4, 5]
        troops = s.scalar(select(Deployment).where(Deployment.personnel_type == "troops"))
        assert (troops.male, troops.female, troops.total, troops.month.isoformat()) == (700, 80, 780, "2013-12-01")


def test_rows_of_operations_outside_the_register_are_left_out_as_expected_and_unknown_ones_say_how_to_fix(
    two_missions, tmp_path
):
    """A special political mission (UNAMA) the register does not list is left out with a reason that asks
    for nothing; an acronym nobody knows (MINUXX) still tells the user how to fix it. The summary of the CLI
    groups the two apart."""
    from peaceops.cli import _group_rejections

    db = two_missions
    row = "2013-12-31,Ghana,GHA,{},0,0,0,0,0,0,1,0,1,0,0,0,1,0,1\n"
    body = IPI_HEADER + row.format("UNAMA") + row.format("UNAMI") + row.format("MINUXX") + row.format("UNMISS")
    report = import_file(db, "contributions", write(tmp_path, "ipi.csv", body), "test")
    assert (report.rows_read, report.accepted, report.rejected) == (4, 1, 3)
    reasons = {r.line: r.reason for r in report.rejections}
    for line in (2, 3):
        assert "special political mission" in reasons[line] and "nothing to do" in reasons[line]
        assert "import a missions file" not in reasons[line]
    assert "mission 'MINUXX' is not in the missions register" in reasons[4]
    assert "peaceops import missions FILE" in reasons[4] and "special political" not in reasons[4]
    groups = _group_rejections(report)
    assert len(groups) == 2
    outside = next(cause for cause in groups if "special political missions" in cause)
    assert "expected with the shared files, nothing to do" in outside and "import a missions" not in outside
    assert sorted(groups[outside][1]) == ["UNAMA", "UNAMI"]
    unknown = next(cause for cause in groups if cause != outside)
    assert "import a missions file that lists them first" in unknown and list(groups[unknown][1]) == ["MINUXX"]


def test_reimport_changes_nothing_and_a_newer_file_updates(two_missions, tmp_path):
    db = two_missions
    first = IPI_HEADER + "2013-12-31,Ghana,GHA,UNMISS,5,1,6,0,0,0,0,0,0,700,80,780,705,81,786\n"
    path = write(tmp_path, "ipi.csv", first)
    assert import_file(db, "contributions", path, "test").inserted == 2
    again = import_file(db, "contributions", path, "test")
    assert (again.inserted, again.updated, again.removed, again.unchanged) == (0, 0, 0, 2)
    assert count(db, Deployment) == 2

    # The corrected release: more women in the troops, and no individual police that month any more.
    newer = IPI_HEADER + "2013-12-31,Ghana,GHA,UNMISS,0,0,0,0,0,0,0,0,0,690,90,780,690,90,780\n"
    report = import_file(db, "contributions", write(tmp_path, "ipi2.csv", newer), "test")
    assert (report.inserted, report.updated, report.removed) == (0, 1, 1)
    with db.session() as s:
        rows = s.scalars(select(Deployment)).all()
        assert [(r.personnel_type, r.female) for r in rows] == [("troops", 90)]
        change = s.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
        assert (change.before["female"], change.after["female"]) == (80, 90)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"Date,Mission,Troops\n2013-12-31,UNMISS,5\n", "neither contributions layout"),
        (
            IPI_HEADER.replace("Contributor,", "Contributor (pays),").encode("latin-1").replace(b"pays", b"pa\xefs")
            + b"2013-12-31,Ghana,GHA,UNMISS,0,0,0,0,0,0,0,0,0,1,0,1,1,0,1\n",
            "header row \\(line 1\\) is not UTF-8",
        ),
    ],
    ids=["empty", "wrong-columns", "header-not-utf8"],
)
def test_a_malformed_file_leaves_the_database_unchanged(two_missions, tmp_path, content, message):
    db = two_missions
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    runs_before = count(db, ImportRun)
    with pytest.raises(ImportFileError, match=message):
        import_file(db, "contributions", path, "test")
    assert count(db, Deployment) == 0
    assert count(db, ImportRun) == runs_before


def test_missions_import_fixes_swapped_coordinates_using_the_host_country(two_missions):
    with two_missions.session() as s:
        minusma = s.scalar(select(Mission).where(Mission.acronym == "MINUSMA"))
        unmiss = s.scalar(select(Mission).where(Mission.acronym == "UNMISS"))
    assert (minusma.host_iso3, minusma.hq_longitude, minusma.hq_latitude) == ("MLI", -8.0, 12.65)
    assert (unmiss.hq_longitude, unmiss.hq_latitude) == (31.6, 4.85)
    assert minusma.region == "Western Africa" and not minusma.active


def test_real_files_load_every_mission_and_every_valid_row(loaded_db, data_dir):
    """Counts computed here from the CSVs themselves must equal what the store holds."""
    base = data_dir / "un_peacekeeping"
    with open(base / "missions/DPPADPOSS-PKO.csv", encoding="utf-8") as f:
        missions = {r["mission_acronym"].upper() for r in csv.DictReader(f)}
    known = missions | {"ONUCI"}  # the IPI's French acronym for UNOCI
    with open(base / "personnel/IPI_TCC_gender_by_mission_2009-11_to_2014-02.csv", encoding="utf-8") as f:
        gender = [r for r in csv.DictReader(f) if r["Mission"] in known]
    categories = ("Individual Police", "Formed Police Units", "Experts on Mission", "Troops")
    with open(base / "personnel/IPI_mission_monthly_totals_1990-11_to_2017-03.csv", encoding="utf-8") as f:
        totals = [r for r in csv.DictReader(f) if r["Mission"] in known]
    with open(base / "fatalities/DPPADPOSS-FATALITIES.csv", encoding="utf-8") as f:
        deaths = list(csv.DictReader(f))  # every row: missions outside the register and repeated ids kept

    assert count(loaded_db, Mission) == len(missions)
    assert count(loaded_db, Deployment) == sum(int(r[f"{c} Total"]) > 0 for r in gender for c in categories)
    assert count(loaded_db, MissionStrength) == len(totals)
    assert count(loaded_db, Fatality) == len(deaths)
    with loaded_db.session() as s:
        linked = s.scalar(select(func.count()).select_from(Fatality).where(Fatality.mission_id.is_not(None)))
    assert linked == sum(r["mission_acronym"].upper() in known for r in deaths)
    with loaded_db.session() as s:
        women = s.scalar(select(func.sum(Deployment.female)))
        unocis = s.scalar(
            select(func.count()).select_from(MissionStrength).join(Mission).where(Mission.acronym == "UNOCI")
        )
        undof = s.scalar(select(Mission).where(Mission.acronym == "UNDOF"))
    assert women == sum(int(r["Total Female"]) for r in gender)
    assert unocis == sum(r["Mission"] in ("UNOCI", "ONUCI") for r in totals)
    assert undof.host_iso3 == "SYR" and undof.region == "Western Asia"
