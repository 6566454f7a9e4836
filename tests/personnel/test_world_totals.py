"""The IPI global monthly summary as import kind ``world-totals``: the reader's typed rows and rejections,
an idempotent import on SQLite and PostgreSQL, and the missions page's world chart with its JSON twin."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peaceops.errors import ImportFileError
from peaceops.personnel.models import WorldStrength
from peaceops.platform import DEMO_FILES, IMPORT_KINDS, import_file
from peaceops.sources.ipi_world import read_world_totals
from peaceops.store.audit import AuditEntry
from peaceops.web import create_app

HEADER = (
    '"Date","Number of Contributors","Troop Contributions","Average Troop Contribution","Median Troop Contribution",'
    '"Troop Contributions - SD","Police Contributions","Average Police Contribution","Median Police Contribution",'
    '"Police Contributions - SD","EOM Contributions","Average EOM Contribution","Median EOM Contribution",'
    '"EOM Contributions - SD","Total Contributions","Average Total Contribution","Median Total Contribution",'
    '"Total Contributions - SD"'
)
GOOD = [
    "1990-11-30,46,10285,110.59,11,232.97,44,22,22,5.65,0,NA,NA,NA,10329,109.88,11,231.80",  # line 2
    "2017-03-31,124,83525,278.41,15.5,565.60,11963,47.28,9,89.01,2286,7.32,4,10.62,97774,168.86,9,455.85",  # line 3
]
BAD = [
    "2017-04-30,124,83525,1,1,1,11963,1,1,1,2286,1,1,1,97775,1,1,1",  # line 4: parts do not add up
    "2017-03-15,124,1,1,1,1,1,1,1,1,1,1,1,1,3,1,1,1",  # line 5: March 2017 again
    "2017-05-31,,83525,1,1,1,11963,1,1,1,2286,1,1,1,97774,1,1,1",  # line 6: no contributors
    "2017-06-31,1,1,1,1,1,1,1,1,1,1,1,1,1,3,1,1,1",  # line 7: no such day
    "2017-07-31,1,-1,1,1,1,2,1,1,1,2,1,1,1,3,1,1,1",  # line 8: negative troops
    "2017-08-31,1,1,1",  # line 9: too few fields
]


def write(tmp_path: Path, lines: list[str], name: str = "world.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_the_reader_keeps_good_months_and_rejects_each_bad_line_with_its_reason(tmp_path):
    rows = read_world_totals(write(tmp_path, GOOD + BAD))
    assert (rows.kind, rows.layout, rows.rows_read) == ("world-totals", "ipi-global-summary", 8)
    assert rows.records == [
        (2, {"month": date(1990, 11, 1), "contributors": 46, "troops": 10285, "police": 44, "observers": 0,
             "total": 10329}),
        (3, {"month": date(2017, 3, 1), "contributors": 124, "troops": 83525, "police": 11963, "observers": 2286,
             "total": 97774}),
    ]  # fmt: skip
    reasons = {r.line: r.reason for r in rows.rejections}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9]
    assert "Total Contributions 97775 is not troops + police + experts on mission (97774)" in reasons[4]
    assert reasons[5].startswith("Line 5:") and "already appears on line 3" in reasons[5]
    assert "Number of Contributors is empty" in reasons[6]
    assert reasons[7].startswith("Line 7:") and "2017-06-31" in reasons[7]
    assert reasons[8] == "Line 8: Troop Contributions '-1' is negative."
    assert "has 4 fields where the header has 18" in reasons[9]


def test_a_file_without_the_layouts_columns_is_refused_whole(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Date,Mission,Troops\n2017-03-31,MINUSCA,10\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="IPI global monthly summary layout: missing Number of Contributors"):
        read_world_totals(path)


def test_the_shared_file_reads_without_a_rejection(data_dir):
    rows = read_world_totals(data_dir.joinpath(*dict(DEMO_FILES)["world-totals"]))
    assert (rows.rows_read, len(rows.records), rows.rejections) == (316, 316, [])
    assert rows.records[-1][1] == {"month": date(2017, 3, 1), "contributors": 124, "troops": 83525, "police": 11963,
                                   "observers": 2286, "total": 97774}  # fmt: skip


def test_an_import_is_a_run_and_a_rerun_changes_nothing(db, tmp_path):
    assert "world-totals" in IMPORT_KINDS
    path = write(tmp_path, GOOD + BAD)
    first = import_file(db, "world-totals", path, "test")
    assert (first.rows_read, first.accepted, first.inserted, first.rejected) == (8, 2, 2, 6)
    again = import_file(db, "world-totals", path, "test")
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 6)
    corrected = write(tmp_path, [GOOD[0].replace(",46,", ",47,"), GOOD[1]], "corrected.csv")
    third = import_file(db, "world-totals", corrected, "test")
    assert (third.inserted, third.updated, third.unchanged, third.rejected) == (0, 1, 1, 0)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(WorldStrength)) == 2
        assert s.scalar(select(WorldStrength.contributors).where(WorldStrength.month == date(1990, 11, 1))) == 47
        audited = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "world_strength")).all()
    assert sorted(audited) == ["import", "import", "import", "update"]


def test_the_missions_page_charts_the_world_series_and_the_api_returns_it(db, settings, tmp_path):
    client = TestClient(create_app(settings, db=db, local_admin=True))
    empty = client.get("/api/world-totals").json()
    assert (empty["months"], empty["latest"]) == ([], None)
    assert 'id="chart-world"' not in client.get("/missions").text
    import_file(db, "world-totals", write(tmp_path, GOOD), "test")
    page = client.get("/missions")
    assert page.status_code == 200
    assert 'id="chart-world"' in page.text and "97,774" in page.text and "124 countries" in page.text
    twin = client.get("/api/world-totals").json()
    assert [m["month"] for m in twin["months"]] == ["1990-11-01", "2017-03-01"]
    assert twin["latest"]["total"] == twin["peak"]["total"] == 97774
    client.close()
