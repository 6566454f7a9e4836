"""The fatalities list is stored whole, on SQLite and PostgreSQL: deaths in missions outside the register
and repeated casualty ids included, so the summary API's total is the file's row count; re-importing adds
nothing."""

from __future__ import annotations

import csv
from collections import Counter

from sqlalchemy import func, select

from peaceops.personnel.models import Fatality
from peaceops.platform import import_file
from peaceops.settings import Settings


def test_summary_total_equals_the_csv_rows_and_a_second_import_adds_nothing(db, data_dir, make_client):
    path = Settings(data_dir=data_dir).data_path("un_peacekeeping", "fatalities", "DPPADPOSS-FATALITIES.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        source = list(csv.DictReader(f))
    with (data_dir / "un_peacekeeping/missions/DPPADPOSS-PKO.csv").open(encoding="utf-8-sig", newline="") as f:
        register = {r["mission_acronym"].upper() for r in csv.DictReader(f)}
    outside = {r["mission_acronym"].upper() for r in source} - register - {"ONUCI"}
    assert outside, "the list names missions the peacekeeping register lacks"

    import_file(db, "missions", data_dir / "un_peacekeeping/missions/DPPADPOSS-PKO.csv", "test")
    first = import_file(db, "fatalities", path, "test")
    assert (first.rows_read, first.inserted, first.rejected) == (len(source), len(source), 0)

    client = make_client(db, local_admin=True)
    body = client.get("/api/fatalities/summary?by=mission").json()
    assert body["total"] == len(source)
    assert sum(r["count"] for r in body["rows"]) == len(source)
    assert {r["mission"]: r["count"] for r in body["rows"]} == Counter(r["mission_acronym"].upper() for r in source)
    assert {r["mission"] for r in body["rows"] if not r["in_register"]} == outside
    one = sorted(outside)[0]
    only = client.get(f"/api/fatalities/summary?by=year&mission={one}").json()
    assert only["total"] == sum(r["mission_acronym"].upper() == one for r in source)

    again = import_file(db, "fatalities", path, "test")
    assert (again.inserted, again.updated, again.removed, again.unchanged) == (0, 0, 0, len(source))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Fatality)) == len(source)
        unlinked = s.scalar(select(func.count()).select_from(Fatality).where(Fatality.mission_id.is_(None)))
    assert unlinked == sum(r["mission_acronym"].upper() in outside for r in source)
    assert client.get("/api/fatalities/summary?by=mission").json()["total"] == len(source)


def test_a_row_without_a_mission_is_rejected_with_its_reason_and_the_rest_kept(db, data_dir, tmp_path):
    path = data_dir / "un_peacekeeping/fatalities/DPPADPOSS-FATALITIES.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        lines = f.read().splitlines()
    header = lines[0].split(",")
    blank = lines[1].split(",")
    blank[header.index("mission_acronym")] = ""
    small = tmp_path / "fatalities.csv"
    small.write_text("\n".join([lines[0], ",".join(blank), *lines[2:5]]) + "\n", encoding="utf-8")

    import_file(db, "missions", data_dir / "un_peacekeeping/missions/DPPADPOSS-PKO.csv", "test")
    report = import_file(db, "fatalities", small, "test")
    assert (report.rows_read, report.inserted, report.rejected) == (4, 3, 1)
    assert report.rejections[0].line == 2 and "mission_acronym is empty" in report.rejections[0].reason
