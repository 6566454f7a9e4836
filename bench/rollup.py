"""Time of the scorecard roll-up on a synthetic load, against a plain SQL GROUP BY over the same rows.

Run: .venv/bin/python bench/rollup.py [--repeat N] [--no-postgres] [--missing 0.1]
     [--missions 20 --indicators 60 --months 120]

Load: 20 missions x 60 monthly indicators x 120 months x 4 rows per indicator-month (the total and three
disaggregations: women, men, troops) = 576,000 values, in a fresh SQLite file and, when it answers, a
fresh PostgreSQL schema. Each mission's framework has 6 objectives tagged like the default template (A4P+
priorities and themes), 10 indicators per objective, a yearly target per indicator; with --missing, that
share of indicator-months has no values.

Measured in the same run, each the best of --repeat:
- full roll-up: ``scorecard.rollup`` over all 120 months and every priority and theme (one query);
- one scorecard request: ``GET /api/performance/scorecard?period=...`` through the app's TestClient;
- reference: one SQL ``GROUP BY mission, element, month`` over the same joined rows (value -> indicator ->
  objective tag), counting and averaging the totals: what the roll-up costs without the rating rule.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, insert, select, text

from peaceops.framework.models import FrameworkElement
from peaceops.missions.models import Mission
from peaceops.performance.models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    ObjectiveTag,
    Result,
    ResultsFramework,
)
from peaceops.performance.periods import month, year
from peaceops.performance.scorecard import rollup
from peaceops.platform import prepare
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TAGS = [  # objective -> A4P+ priorities and themes, as in performance/templates/a4p-default.toml
    ["A4P+.P1", "A4P+.P7"],
    ["A4P+.P2", "A4P+.P7", "A4P+.T1"],
    ["A4P+.P4", "A4P+.P3", "A4P+.T2"],
    ["A4P+.T1", "A4P+.P3"],
    ["A4P+.P5"],
    ["A4P+.P6", "A4P+.T2"],
]
BREAKDOWNS = ["", "sex:women", "sex:men", "category:troops"]
FIRST_YEAR = 2015


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


def postgres_answers() -> bool:
    try:
        with create_engine(PG_URL).connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def load(db: Database, missions: int, indicators: int, months: int, missing: float = 0.0) -> int:
    """Write the synthetic frameworks, targets and values with bulk INSERTs; returns the number of values."""
    rng = random.Random(7)
    periods = []
    current = month(FIRST_YEAR, 1)
    for _ in range(months):
        periods.append(current)
        current = current.next()
    written = 0
    with db.session() as s:
        elements = dict(s.execute(select(FrameworkElement.code, FrameworkElement.id)).all())
        for m in range(missions):
            mission = Mission(acronym=f"BENCH{m:02d}", name=f"Synthetic mission {m}", active=True)
            s.add(mission)
            s.flush()
            framework = ResultsFramework(
                mission_id=mission.id, version=1, title="bench", valid_from=date(FIRST_YEAR, 1, 1), created_by="bench"
            )
            s.add(framework)
            s.flush()
            objectives = []
            for k, tags in enumerate(TAGS):
                node = Result(framework_id=framework.id, level="objective", code=f"O{k + 1}", title=f"O{k + 1}",
                              position=k)  # fmt: skip
                node.tags = [ObjectiveTag(element_id=elements[t]) for t in tags]
                s.add(node)
                objectives.append(node)
            s.flush()
            rows = [
                {
                    "framework_id": framework.id, "result_id": objectives[n % len(TAGS)].id,
                    "objective_id": objectives[n % len(TAGS)].id, "code": f"IND{n:03d}", "name": f"Indicator {n}",
                    "unit": "percent", "direction": "higher" if n % 3 else "lower", "baseline": 40.0 if n % 2 else None,
                    "frequency": "month", "disaggregations": ["sex", "category"], "kind": "entered",
                    "aggregation": "last", "factor": 1.0, "position": n,
                }
                for n in range(indicators)
            ]  # fmt: skip
            s.execute(insert(Indicator), rows)
            ids = list(s.scalars(select(Indicator.id).where(Indicator.framework_id == framework.id)))
            targets = []
            for i in ids:
                for y in range(FIRST_YEAR, FIRST_YEAR + months // 12 + 1):
                    p = year(y)
                    targets.append({"indicator_id": i, "period": p.key, "period_start": p.start, "period_end": p.end,
                                    "disaggregation": "", "value": 70.0, "set_by": "bench"})  # fmt: skip
            s.execute(insert(IndicatorTarget), targets)
            values = []
            for i in ids:
                for p in periods:
                    if rng.random() < missing:  # months left unreported (none by default)
                        continue
                    for key in BREAKDOWNS:
                        values.append({"indicator_id": i, "period": p.key, "period_start": p.start,
                                       "period_end": p.end, "disaggregation": key,
                                       "value": round(rng.uniform(20, 100), 2), "source": "bench",
                                       "entered_by": "bench", "revision": 1})  # fmt: skip
            for start in range(0, len(values), 20000):
                s.execute(insert(IndicatorValue), values[start : start + 20000])
            written += len(values)
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return written


def reference_group_by(db: Database) -> int:
    """The plain GROUP BY over the same rows: totals per mission x element x month, counted and averaged."""
    query = (
        select(
            ResultsFramework.mission_id,
            ObjectiveTag.element_id,
            IndicatorValue.period,
            func.count(),
            func.avg(IndicatorValue.value),
        )  # fmt: skip
        .join(Indicator, Indicator.framework_id == ResultsFramework.id)
        .join(ObjectiveTag, ObjectiveTag.result_id == Indicator.objective_id)
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .where(IndicatorValue.disaggregation == "")
        .group_by(ResultsFramework.mission_id, ObjectiveTag.element_id, IndicatorValue.period)
    )
    with db.session() as s:
        return len(s.execute(query).all())


def best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def run(backend: str, args: argparse.Namespace, tmp: Path) -> None:
    db, schema = fresh_db(backend, tmp)
    try:
        start = time.perf_counter()
        values = load(db, args.missions, args.indicators, args.months, args.missing)
        load_s = time.perf_counter() - start
        months = []
        current = month(FIRST_YEAR, 1)
        for _ in range(args.months):
            months.append(current)
            current = current.next()

        def full() -> int:
            with db.session() as s:
                return len(rollup(s, months))

        settings = Settings(var_dir=tmp / f"var-{backend}")
        client = TestClient(create_app(settings, db=db, local_admin=True))
        ask = months[len(months) // 2].key

        def one() -> int:
            response = client.get(f"/api/performance/scorecard?period={ask}")
            response.raise_for_status()
            return len(response.json()["rows"])

        ref_s, ref_rows = best(lambda: reference_group_by(db), args.repeat)
        full_s, cells = best(full, args.repeat)
        one_s, rows = best(one, args.repeat)
        client.close()
        print(f"{backend}: {values:,} values loaded in {load_s:.1f} s")
        print(f"  reference GROUP BY (same rows, no rule) {ref_s * 1000:9.1f} ms  {ref_rows:,} groups")
        print(f"  full roll-up, {args.months} months           {full_s * 1000:9.1f} ms  {cells:,} cells"
              f"  ({full_s / ref_s:.1f}x the reference)")  # fmt: skip
        print(f"  one scorecard request ({ask})      {one_s * 1000:9.1f} ms  {rows:,} rows")
    finally:
        db.dispose()
        drop(schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--missions", type=int, default=20)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--missing", type=float, default=0.0, help="share of indicator-months left unreported")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", args, Path(tmp))
        if not args.no_postgres and postgres_answers():
            run("postgresql", args, Path(tmp))
        elif not args.no_postgres:
            print("postgresql: not answering at 127.0.0.1:5432; skipped")


if __name__ == "__main__":
    main()
