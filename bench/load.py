"""Rows per second for loading the IPI personnel file into peaceops, against pandas' plain read_csv.

Run: .venv/bin/python bench/load.py [--repeat N] [--postgres]
The reference (pandas.read_csv of the same file, parsing only) is measured in the same run, so the ratio
says what validation, mission resolution and the idempotent upsert cost on top of parsing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, text

from peaceops.platform import import_file, prepare
from peaceops.settings import Settings
from peaceops.sources.un_personnel import read_contributions
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


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="also load into PostgreSQL at 127.0.0.1")
    args = parser.parse_args()

    settings = Settings()
    base = settings.data_path("un_peacekeeping")
    personnel = base / "personnel" / "IPI_TCC_gender_by_mission_2009-11_to_2014-02.csv"
    missions = base / "missions" / "DPPADPOSS-PKO.csv"
    rows = read_contributions(personnel).rows_read
    print(f"file: {personnel.name}  ({rows:,} rows, {personnel.stat().st_size / 1e6:.1f} MB)")
    print(f"{'step':<44}{'median s':>10}{'rows/s':>12}{'vs pandas':>11}")

    reference = statistics.median(timed(lambda: pd.read_csv(personnel), args.repeat))
    print(f"{'pandas.read_csv (reference, parse only)':<44}{reference:>10.3f}{rows / reference:>12,.0f}{1:>10.1f}x")

    parse = statistics.median(timed(lambda: read_contributions(personnel), args.repeat))
    print(
        f"{'peaceops read + validate (no database)':<44}{parse:>10.3f}{rows / parse:>12,.0f}{parse / reference:>10.1f}x"
    )

    backends = ["sqlite"] + (["postgresql"] if args.postgres else [])
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for backend in backends:
            first, again = [], []
            for _ in range(args.repeat):
                db, schema = fresh_db(backend, tmp)
                import_file(db, "missions", missions, "bench")
                first.append(timed(lambda db=db: import_file(db, "contributions", personnel, "bench"), 1)[0])
                again.append(timed(lambda db=db: import_file(db, "contributions", personnel, "bench"), 1)[0])
                db.dispose()
                drop(schema)
            for label, times in (
                (f"peaceops import into empty {backend}", first),
                (f"peaceops re-import, no change ({backend})", again),
            ):
                t = statistics.median(times)
                print(f"{label:<44}{t:>10.3f}{rows / t:>12,.0f}{t / reference:>10.1f}x")
            # Memory in a separate pass: tracemalloc slows Python code several-fold.
            db, schema = fresh_db(backend, tmp)
            import_file(db, "missions", missions, "bench")
            tracemalloc.start()
            import_file(db, "contributions", personnel, "bench")
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            db.dispose()
            drop(schema)
            print(f"{'  peak Python memory, first import':<44}{peak / 1e6:>10.1f} MB")


if __name__ == "__main__":
    main()
