"""What each stage of an import costs, beside pandas' plain read_csv of the same file in the same run.

Run: .venv/bin/python bench/load.py [--repeat N] [--postgres] [--ged FILE] [--no-reference]

Two files: the IPI contributions file (29,115 rows, into the database) and a UCDP GED file (into the
Parquet event store; the Mexico file unless --ged names another). For each, in rows per second and as a
multiple of pandas.read_csv's time (the reference: parsing only, no check, no write):

- parse: the CSV into columns of text (Arrow, when it reads exactly as the csv module would: decision 053);
- validate: the reader's rules, column-wise, on the parsed columns (records and rejected lines);
- read + validate: both, what a reader call costs; "row by row" is the reader before decision 053;
- write: an import into an empty store, less read + validate (missions resolved, the bulk upsert, the run,
  its rejected lines and the audit entry; for GED the merge and the Parquet partitions), then a re-import
  that changes nothing.

Figures are medians of --repeat runs. On a machine shared with other work they move by tens of percent
from run to run: compare the multiples of pandas taken in one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import create_engine, text

from peaceops.platform import import_file, prepare
from peaceops.settings import Settings
from peaceops.sources.columnar import read_columns
from peaceops.sources.tabular import read_raw
from peaceops.sources.ucdp import ged_rows, read_ged_by_row
from peaceops.sources.un_personnel import contribution_rows, read_contributions_by_row
from peaceops.store import Database

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def fresh_db(backend: str, tmp: Path) -> tuple[Database, str | None]:
    if backend == "sqlite":
        db = Database(f"sqlite:///{tmp / f'{uuid.uuid4().hex}.sqlite'}")
        prepare(db)
        return db, None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with create_engine(PG_URL).begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(PG_URL, schema=schema)
    prepare(db)
    return db, schema


def drop(schema: str | None) -> None:
    if schema:
        with create_engine(PG_URL).begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def median_time(fn: Callable[[], Any], repeat: int, setup: Callable[[], Any] | None = None) -> float:
    """The median time of ``fn(setup())`` (or ``fn()``), the setup left out of the time."""
    times = []
    for _ in range(repeat):
        arg = setup() if setup else None
        start = time.perf_counter()
        fn(arg) if setup else fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class Table:
    """Lines of the form: stage, median seconds, rows per second, multiple of the pandas reference."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.reference = 0.0
        print(f"{'stage':<62}{'median s':>10}{'rows/s':>12}{'vs pandas':>11}")

    def line(self, label: str, seconds: float) -> None:
        if not self.reference:
            self.reference = seconds
        ratio = seconds / self.reference
        print(f"{label:<62}{seconds:>10.3f}{self.rows / seconds:>12,.0f}{ratio:>10.2f}x")


def contributions(args: argparse.Namespace, settings: Settings, tmp: Path) -> None:
    base = settings.data_path("un_peacekeeping")
    personnel = base / "personnel" / "IPI_TCC_gender_by_mission_2009-11_to_2014-02.csv"
    missions = base / "missions" / "DPPADPOSS-PKO.csv"
    columns, digest = read_columns(personnel)
    rows = contribution_rows(columns, digest, personnel).rows_read  # also loads the country tables, once
    size = personnel.stat().st_size / 1e6
    print(f"\nfile: {personnel.name}  ({rows:,} rows, {size:.1f} MB, parsed by {columns.parser})")
    table = Table(rows)
    table.line("pandas.read_csv (reference: parse only)", median_time(lambda: pd.read_csv(personnel), args.repeat))
    parse = median_time(lambda: read_columns(personnel), args.repeat)
    table.line("parse: CSV to columns", parse)
    validate = median_time(
        lambda parsed: contribution_rows(*parsed, personnel), args.repeat, lambda: read_columns(personnel)
    )
    table.line("validate: rules column-wise", validate)
    table.line("read + validate (parse + validate)", parse + validate)
    if args.reference:
        table.line("  row by row, before decision 053", median_time(lambda: read_contributions_by_row(personnel), 1))
    backends = ["sqlite"] + (["postgresql"] if args.postgres else [])
    for backend in backends:
        first, again = [], []
        for _ in range(args.repeat):
            db, schema = fresh_db(backend, tmp)
            import_file(db, "missions", missions, "bench")
            first.append(median_time(lambda db=db: import_file(db, "contributions", personnel, "bench"), 1))
            again.append(median_time(lambda db=db: import_file(db, "contributions", personnel, "bench"), 1))
            db.dispose()
            drop(schema)
        for label, times in ((f"into empty {backend}", first), (f"again, no change ({backend})", again)):
            whole = statistics.median(times)
            table.line(f"write {label}", whole - parse - validate)
            table.line(f"  import {label}: read + validate + write", whole)
        # Memory in a separate pass: tracemalloc slows Python code several-fold.
        db, schema = fresh_db(backend, tmp)
        import_file(db, "missions", missions, "bench")
        tracemalloc.start()
        import_file(db, "contributions", personnel, "bench")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        db.dispose()
        drop(schema)
        print(f"{'  peak Python memory, first import':<62}{peak / 1e6:>10.1f} MB")


def events(args: argparse.Namespace, settings: Settings, tmp: Path) -> None:
    path = args.ged or settings.data_path("ucdp") / "ged" / "ged_mexico.csv.gz"
    columns, digest = read_columns(path)
    rows = ged_rows(columns, digest, path).rows_read
    raw, _ = read_raw(path)
    print(f"\nfile: {path.name}  ({rows:,} events, {len(raw) / 1e6:.1f} MB unpacked, parsed by {columns.parser})")
    table = Table(rows)
    reference = median_time(lambda: pd.read_csv(io.BytesIO(read_raw(path)[0]), low_memory=False), args.repeat)
    table.line("pandas.read_csv (reference: unpack + parse only)", reference)
    parse = median_time(lambda: read_columns(path), args.repeat)
    table.line("parse: unpack, CSV to columns", parse)
    validate = median_time(lambda parsed: ged_rows(*parsed, path), args.repeat, lambda: read_columns(path))
    table.line("validate: rules column-wise", validate)
    table.line("read + validate (parse + validate)", parse + validate)
    if args.reference:
        table.line("  row by row, before decision 053", median_time(lambda: read_ged_by_row(path), 1))
    first, again = [], []
    for _ in range(args.repeat):
        db, _ = fresh_db("sqlite", tmp)
        var = tmp / uuid.uuid4().hex
        first.append(median_time(lambda db=db, var=var: import_file(db, "ucdp-ged", path, "bench", var_dir=var), 1))
        again.append(median_time(lambda db=db, var=var: import_file(db, "ucdp-ged", path, "bench", var_dir=var), 1))
        db.dispose()
    for label, times in (("into an empty event store", first), ("again, no change", again)):
        whole = statistics.median(times)
        table.line(f"write {label}", whole - parse - validate)
        table.line(f"  import {label}: read + validate + write", whole)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="also load into PostgreSQL at 127.0.0.1")
    parser.add_argument("--ged", type=Path, help="the GED file to time (default: the shared Mexico file)")
    parser.add_argument(
        "--no-reference", dest="reference", action="store_false", help="skip the row-by-row readers (slow)"
    )
    args = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmpdir:
        contributions(args, settings, Path(tmpdir))
        events(args, settings, Path(tmpdir))


if __name__ == "__main__":
    main()
