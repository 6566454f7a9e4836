"""The Parquet event store: idempotent merges, year partitions, DuckDB reads, and imports with provenance."""

import csv
import gzip
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select

from peaceops.errors import ConfigurationError, ImportFileError
from peaceops.platform import import_file
from peaceops.sources.acled import read_acled
from peaceops.sources.ucdp import read_ged
from peaceops.store.audit import AuditEntry
from peaceops.store.event_schema import EVENT_SCHEMA
from peaceops.store.events import event_files, events_table, load_events, write_events
from peaceops.store.provenance import ImportRun

MYANMAR = "ucdp/ged/ged_myanmar.csv.gz"


def write_ged(data_dir: Path, path: Path, changes: list[dict[str, str]]) -> Path:
    """A GED file in the Myanmar file's real header: its first row, with each change applied in turn."""
    with gzip.open(data_dir / MYANMAR, "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        base = {k: ("x" if "\n" in v else v) for k, v in next(reader).items()}
        header = list(reader.fieldnames or [])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        for i, change in enumerate(changes):
            writer.writerow({**base, "id": str(900_000 + i), **change})
    return path


def consistent_rows(path: Path) -> list[dict[str, str]]:
    """The file's rows (the reader keeps every one of the published rows)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def snapshot(var_dir: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in event_files(var_dir)}


def test_reimporting_the_same_file_changes_nothing(data_dir, tmp_path):
    rows = read_ged(data_dir / MYANMAR)
    first = write_events(tmp_path, rows)
    assert first == {"inserted": len(rows.records), "updated": 0, "unchanged": 0}
    before = snapshot(tmp_path)
    second = write_events(tmp_path, read_ged(data_dir / MYANMAR))
    assert second == {"inserted": 0, "updated": 0, "unchanged": len(rows.records)}
    assert snapshot(tmp_path) == before  # not one partition rewritten


def test_partitions_hold_one_year_each(data_dir, tmp_path):
    rows = read_ged(data_dir / MYANMAR)
    write_events(tmp_path, rows)
    root = tmp_path / "events" / "ucdp-ged"
    years = {record["year"] for _, record in rows.records}
    assert {p.name for p in root.iterdir()} == {f"year={y}" for y in years}
    for path in event_files(tmp_path):
        table = pq.read_table(path)
        assert table.schema.equals(EVENT_SCHEMA)
        assert set(table.column("year").to_pylist()) == {int(path.parent.name.removeprefix("year="))}
    assert not list(root.rglob("*.tmp"))


def test_a_newer_file_updates_changed_events_and_moves_them_between_years(data_dir, tmp_path):
    dates = {"date_start": "2019-05-01", "date_end": "2019-05-02"}
    march = {"date_start": "2018-03-01", "date_end": "2018-03-01"}
    old = write_ged(data_dir, tmp_path / "old.csv", [dates, dates, march])
    write_events(tmp_path / "var", read_ged(old))
    untouched = tmp_path / "var/events/ucdp-ged/year=2019/part-0.parquet"
    new = write_ged(
        data_dir,
        tmp_path / "new.csv",
        [dates, {**dates, "best": "40", "high": "50"}, {"date_start": "2020-12-31", "date_end": "2021-01-01"}],
    )
    assert write_events(tmp_path / "var", read_ged(new)) == {"inserted": 0, "updated": 2, "unchanged": 1}
    stored = events_table(tmp_path / "var").order_by("event_id").to_pyarrow().to_pylist()
    assert [(e["event_id"], e["year"], e["best"]) for e in stored] == [
        ("900000", 2019, 34),
        ("900001", 2019, 40),
        ("900002", 2021, 34),
    ]
    # The 2018 partition emptied when its only event moved to 2021.
    assert sorted(p.parent.name for p in event_files(tmp_path / "var")) == ["year=2019", "year=2021"]
    assert untouched.exists()


def test_duckdb_reads_back_the_totals_of_the_source_files(data_dir, tmp_path):
    for name in ("ged_myanmar.csv.gz", "ged_central_african_republic.csv.gz"):
        write_events(tmp_path, read_ged(data_dir / "ucdp/ged" / name))
    write_events(tmp_path, read_acled(data_dir / "acled/acled_afghanistan_2020_sample.csv"))
    expected: dict[str, tuple[int, int]] = {}
    for name, iso3 in (("ged_myanmar.csv.gz", "MMR"), ("ged_central_african_republic.csv.gz", "CAF")):
        rows = consistent_rows(data_dir / "ucdp/ged" / name)
        expected[iso3] = (len(rows), sum(int(r["best"]) for r in rows))
    with (data_dir / "acled/acled_afghanistan_2020_sample.csv").open(encoding="utf-8", newline="") as f:
        acled_rows = list(csv.DictReader(f))
    expected["AFG"] = (len(acled_rows), sum(int(r["fatalities"]) for r in acled_rows))
    table = events_table(tmp_path)
    result = table.group_by("country_iso3").aggregate(n=table.count(), best=table.best.sum()).to_pyarrow()
    assert {r["country_iso3"]: (r["n"], r["best"]) for r in result.to_pylist()} == expected
    assert table.schema().to_pyarrow().equals(EVENT_SCHEMA)
    # Plain DuckDB SQL over the same files agrees.
    pattern = str(tmp_path / "events/ucdp-ged/*/*.parquet")
    count = duckdb.sql(f"select count(*) from read_parquet('{pattern}', hive_partitioning=true)").fetchall()
    assert count == [(expected["MMR"][0] + expected["CAF"][0],)]


def test_an_empty_store_is_an_empty_table_in_the_event_schema(tmp_path):
    table = events_table(tmp_path)
    assert table.count().execute() == 0
    assert table.schema().to_pyarrow().equals(EVENT_SCHEMA)


def test_load_events_detects_each_source_and_keeps_an_event_once(data_dir):
    syria = data_dir / "ucdp/ged/ged_syria_2016_2019.csv.gz"
    sample = data_dir / "ucdp/ged/ged_global_sample_1000.csv.gz"
    afghanistan = data_dir / "acled/acled_afghanistan_2020_sample.csv"
    table = load_events([syria, sample, afghanistan])
    assert table.schema.equals(EVENT_SCHEMA)
    ged_ids = [r["event_id"] for rows in (read_ged(syria), read_ged(sample)) for _, r in rows.records]
    assert len(set(ged_ids)) < len(ged_ids)  # the global sample repeats some Syrian events
    assert table.num_rows == len(set(ged_ids)) + len(read_acled(afghanistan).records)
    assert set(table.column("source").to_pylist()) == {"ucdp-ged", "acled"}


def test_load_events_refuses_a_file_that_is_neither_ged_nor_acled(data_dir, tmp_path):
    with pytest.raises(ImportFileError, match="neither a UCDP GED file"):
        load_events([data_dir / "un_peacekeeping/missions/DPPADPOSS-PKO.csv"])


# --- imports through the platform: provenance and audit -----------------------------------------------


def test_import_records_the_run_and_an_audit_entry(db, data_dir, tmp_path):
    path = data_dir / "ucdp/ged/ged_central_african_republic.csv.gz"
    report = import_file(db, "ucdp-ged", path, "tester", var_dir=tmp_path)
    expected = consistent_rows(path)
    assert (report.accepted, report.inserted, report.rejected) == (len(expected), len(expected), 0)
    again = import_file(db, "ucdp-ged", path, "tester", var_dir=tmp_path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(expected))
    with db.session() as s:
        runs = s.scalars(select(ImportRun).order_by(ImportRun.id)).all()
        assert [(r.kind, r.inserted, r.rejected) for r in runs] == [
            ("ucdp-ged", len(expected), report.rejected),
            ("ucdp-ged", 0, report.rejected),
        ]
        assert runs[0].sha256 == runs[1].sha256 and runs[0].rows_read == len(expected)
        audits = s.scalars(select(AuditEntry).where(AuditEntry.entity == "event")).all()
        assert [(a.actor, a.action, a.entity_id) for a in audits] == [("tester", "import", str(r.id)) for r in runs]


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("ucdp-ged", b"", "empty"),
        ("acled", b"a,b\n1,2\n", "missing event_id_cnty"),
        ("ucdp-ged", b"id,type_of_violence,\xe9\n1,2,3\n", "header row \\(line 1\\) is not UTF-8"),
    ],
)
def test_a_bad_file_writes_nothing(db, tmp_path, kind, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        import_file(db, kind, path, "tester", var_dir=tmp_path / "var")
    assert not (tmp_path / "var").exists()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportRun)) == 0


def test_event_imports_need_the_var_directory(db, data_dir):
    with pytest.raises(ConfigurationError, match="var directory"):
        import_file(db, "acled", data_dir / "acled/acled_afghanistan_2020_sample.csv", "tester")
