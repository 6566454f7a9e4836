"""How the panel pipeline's cost grows with the number of events, on DuckDB and on Spark local, side by side.

Run: .venv/bin/python bench/scale.py --rows 1000000,10000000 [--engines duckdb,spark] [--level pgm]
     (needs the spark extra; 50M rows: --rows 50000000 and about 5 GB of disk for its CSV)

For each size a synthetic global event stream is written once as a GED-like CSV: ~170 real countries (their
Gleditsch-Ward codes, events inside their map boxes), a few violent ones holding most events and a long
quiet tail (Zipf weights), each country with a low background rate and a few bursts (months to two years,
10-60x the background), hot spots inside each country, a heavy-tailed death count with many zeros. Then
each engine, in a process of its own (so neither's memory is counted in the other's), runs the stages:

- import:   the CSV parsed, month derived (of date_end, the ViEWS rule), cast to the event store's types,
            written as Parquet (one folder; the store's year partitions are its re-import policy, not cost);
- panel:    the monthly counts on a complete calendar (``grid_month_counts`` / ``country_month_counts``),
            Parquet;
- features: lags, rolling sums, months since 25 deaths (``with_features``) from the counts' Parquet, Parquet;
- scoring:  a model trained once on one machine (the first engine's panel; the ``train`` row, not an engine
            stage) applied to every unit's rows of the last ``--score-months`` months, steps 1..``--steps``
            (DuckDB: Arrow batches in this process; Spark: ``mapInPandas`` in its workers), Parquet.

Each stage's seconds and peak memory (resident set of the process and its children: Spark's JVM and Python
workers) are printed beside the other engine's, then each stage's exponent b of seconds ~ a * rows^b
(least squares on log-log over the sizes run) and where the two engines' lines cross. The machine is
printed first: on a shared machine the load average says how far to trust the seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

FIRST_YEAR, LAST_YEAR = 1989, 2024
MONTHS = (LAST_YEAR - FIRST_YEAR + 1) * 12
STAGES = ["start", "import", "panel", "features", "scoring"]
CSV_COLUMNS = [
    "id",
    "type_of_violence",
    "country_id",
    "priogrid_gid",
    "latitude",
    "longitude",
    "date_start",
    "date_end",
    "best",
    "deaths_civilians",
]


# --- the synthetic event stream ---------------------------------------------------------------------------


def countries() -> list[tuple[int, tuple[float, float, float, float]]]:
    """(Gleditsch-Ward code, its largest map box) for every country with a land border and a box."""
    from peaceops.geography.codes import iso3_from_gw
    from peaceops.geography.countries import country_bbox
    from peaceops.geography.neighbours import country_neighbour_pairs

    found = []
    for gw in sorted({gw for pair in country_neighbour_pairs() for gw in pair}):
        iso3 = iso3_from_gw(gw)
        boxes = country_bbox(iso3) if iso3 else []
        if boxes:
            found.append((gw, max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))))
    return found


def write_events_csv(path: Path, rows: int, seed: int = 2024, chunk: int = 2_000_000) -> None:
    """``rows`` synthetic events with realistic skew, written in chunks (50M rows never sit in memory)."""
    rng = np.random.default_rng(seed)
    places = countries()
    k = len(places)
    weights = 1.0 / np.arange(1, k + 1) ** 1.3  # Zipf: the first few countries hold most of the violence
    weights = weights[rng.permutation(k)]
    weights /= weights.sum()
    # Per country: a month profile (background plus bursts) and 1-5 hot spots inside its box.
    profiles = np.empty((k, MONTHS))
    spots = []
    for i, (_, (x0, y0, x1, y1)) in enumerate(places):
        profile = np.full(MONTHS, 1.0)
        for _ in range(rng.integers(1, 5)):
            start, length = rng.integers(0, MONTHS), rng.integers(3, 25)
            profile[start : start + length] *= rng.uniform(10, 60)
        profiles[i] = np.cumsum(profile / profile.sum())
        n = int(rng.integers(1, 6))
        spots.append((rng.uniform(x0, x1, n), rng.uniform(y0, y1, n), (x1 - x0) / 8 + 0.25, (y1 - y0) / 8 + 0.25))
    boxes = np.array([box for _, box in places])
    codes = np.array([gw for gw, _ in places])
    writer = None
    try:
        for offset in range(0, rows, chunk):
            n = min(chunk, rows - offset)
            country = rng.choice(k, size=n, p=weights)
            month = np.empty(n, dtype=np.int64)
            lon, lat = np.empty(n), np.empty(n)
            for i in np.unique(country):
                where = np.flatnonzero(country == i)
                month[where] = np.searchsorted(profiles[i], rng.random(len(where)))
                xs, ys, sx, sy = spots[i]
                spot = rng.integers(0, len(xs), len(where))
                x0, y0, x1, y1 = boxes[i]
                lon[where] = np.clip(xs[spot] + rng.normal(0, sx, len(where)), x0, x1)
                lat[where] = np.clip(ys[spot] + rng.normal(0, sy, len(where)), y0, y1)
            month = np.minimum(month, MONTHS - 1)
            day = rng.integers(0, 28, n)
            first = np.datetime64(f"{FIRST_YEAR}-01", "M") + month
            end = pa.array(first.astype("datetime64[D]") + day, pa.date32())
            violence = rng.choice([1, 2, 3], size=n, p=[0.55, 0.2, 0.25])
            best = np.minimum(np.floor(rng.pareto(1.3, n) * 1.5), 5000).astype(np.int64)
            civilians = np.where(violence == 3, best, rng.binomial(best, 0.1))
            row = np.clip(((lat + 90) / 0.5).astype(np.int64), 0, 359)
            col = np.clip(((lon + 180) / 0.5).astype(np.int64), 0, 719)
            table = pa.table(
                {
                    "id": pa.array(np.arange(offset, offset + n)),
                    "type_of_violence": violence,
                    "country_id": codes[country],
                    "priogrid_gid": row * 720 + col + 1,
                    "latitude": np.round(lat, 4),
                    "longitude": np.round(lon, 4),
                    "date_start": end,
                    "date_end": end,
                    "best": best,
                    "deaths_civilians": civilians,
                }
            )
            if writer is None:
                writer = pacsv.CSVWriter(str(path), table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


# --- measuring --------------------------------------------------------------------------------------------


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, in MB (from /proc: no extra dependency)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in tree) / 2**20


@contextmanager
def measured(results: dict[str, Any], stage: str, interval: float = 0.2) -> Iterator[None]:
    """Seconds and peak resident memory (this process and its children) of the ``with`` block."""
    peak = [_tree_rss_mb(os.getpid())]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(interval):
            peak[0] = max(peak[0], _tree_rss_mb(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - began
        done.set()
        sampler.join()
        peak[0] = max(peak[0], _tree_rss_mb(os.getpid()))
        results[stage] = {"seconds": round(seconds, 3), "peak_mb": round(peak[0])}


# --- one engine, one size (a child process) ---------------------------------------------------------------


def import_csv(con: Any, engine: str, csv: Path, out: Path) -> None:
    """CSV -> Parquet in the event store's types, on the engine."""
    import ibis

    from peaceops.store.analytics import write_parquet

    # Every column read as text on both engines; the casts below are the same Ibis code on each.
    if engine == "spark":
        table = con.read_csv(str(csv), header=True, inferSchema=False)
    else:
        table = con.read_csv(str(csv), types=dict.fromkeys(CSV_COLUMNS, "VARCHAR"))
    end = table.date_end.cast("date")
    events = table.select(
        source=ibis.literal("synthetic", type="string"),
        event_id=table.id.cast("string"),
        date_start=table.date_start.cast("date"),
        date_end=end,
        month=end.truncate("M"),
        year=end.year().cast("int16"),
        type_of_violence=table.type_of_violence.cast("int8"),
        best=table.best.cast("int32"),
        deaths_civilians=table.deaths_civilians.cast("int32"),
        latitude=table.latitude.cast("float64"),
        longitude=table.longitude.cast("float64"),
        priogrid_gid=table.priogrid_gid.cast("int32"),
        country_gw=table.country_id.cast("int16"),
    )
    write_parquet(con, events, out)


def train_model(panel_dir: Path, level: str, steps: int, months: int, max_rows: int) -> Any:
    """The hurdle models trained on one machine from the panel's Parquet: the last ``months`` months before
    the final one, at most ``max_rows`` rows (a random sample), steps 1..``steps``."""
    import pyarrow.dataset as ds

    from peaceops.conflict.forecast import ForecastConfig, fit, training_data
    from peaceops.conflict.panels import normalise_panel
    from peaceops.store.analytics import parquet_files

    dataset = ds.dataset([str(p) for p in parquet_files(panel_dir)], format="parquet")
    last = dataset.to_table(columns=["month_id"]).column("month_id").to_numpy().max()
    recent = dataset.to_table(filter=ds.field("month_id") > int(last) - months - steps)
    panel = normalise_panel(recent.to_pandas(date_as_object=False))
    config = ForecastConfig(horizon=steps, n_estimators=50, max_train_months=None)
    cutoff = panel["month"].max()
    data, _, features = training_data(panel, cutoff, config)
    if len(data) > max_rows:
        data = data.sample(max_rows, random_state=1).sort_values(["unit_id", "month"])
    return fit(data, features, config, level)


def run_engine(args: argparse.Namespace) -> dict[str, Any]:
    from peaceops.conflict.panels import country_month_counts, grid_month_counts, with_features
    from peaceops.conflict.scoring import write_scores
    from peaceops.store.analytics import Engine, read_parquet, write_parquet

    work = Path(args.work)
    results: dict[str, Any] = {}
    with measured(results, "start"):
        if args.child == "spark":
            os.environ.setdefault("PYSPARK_SUBMIT_ARGS", f"--driver-memory {args.spark_memory} pyspark-shell")
        con = Engine(args.child, args.spark_master).connect()
    with measured(results, "import"):
        import_csv(con, args.child, Path(args.csv), work / "events")
    events = read_parquet(con, work / "events")
    start, end = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 1)
    with measured(results, "panel"):
        build = country_month_counts if args.level == "cm" else grid_month_counts
        write_parquet(con, build(events, start, end), work / "counts")
    with measured(results, "features"):
        write_parquet(con, with_features(read_parquet(con, work / "counts"), args.level, start), work / "panel")
    model_file = Path(args.model)
    if not model_file.exists():
        with measured(results, "train"):
            model = train_model(work / "panel", args.level, args.steps, args.train_months, args.train_rows)
            model_file.write_bytes(pickle.dumps(model))
    model = pickle.loads(model_file.read_bytes())
    panel = read_parquet(con, work / "panel")
    last = con.execute(panel.month_id.max())
    rows = panel.filter(panel.month_id > int(last) - args.score_months)
    with measured(results, "scoring"):
        results["scored_rows"] = write_scores(model, con, rows, work / "scores")
    results["panel_rows"] = int(con.execute(panel.count()))
    results["units"] = int(con.execute(panel.unit_id.nunique()))
    return results


# --- the parent: sizes, engines, the table ----------------------------------------------------------------


def fit_power(sizes: list[int], seconds: list[float]) -> tuple[float, float] | None:
    """(a, b) of log(seconds) = a + b log(rows), least squares; None with fewer than two sizes."""
    if len(sizes) < 2:
        return None
    b, a = np.polyfit(np.log(sizes), np.log(np.maximum(seconds, 1e-6)), 1)
    return float(a), float(b)


def crossing(duck: tuple[float, float], spark: tuple[float, float]) -> str:
    """Where Spark's fitted line meets DuckDB's (extrapolated beyond the sizes run)."""
    (ad, bd), (as_, bs) = duck, spark
    if bd <= bs:
        return "never (Spark grows as fast or faster)"
    rows = math.exp((as_ - ad) / (bd - bs))
    return f"~{rows:,.0f} rows (Spark faster beyond)"


def scores_agree(left: Path, right: Path) -> str:
    """Whether the two engines' forecasts are the same rows with the same numbers (largest difference)."""
    import pyarrow.parquet as pq

    from peaceops.store.analytics import parquet_files

    keys = ["unit_id", "month", "step"]
    frames = [
        pa.concat_tables([pq.read_table(f) for f in parquet_files(path)]).to_pandas().sort_values(keys)
        for path in (left, right)
    ]
    a, b = (f.reset_index(drop=True) for f in frames)
    if len(a) != len(b) or not a[keys].equals(b[keys]):
        return "the engines scored different rows"
    numbers = [c for c in a.columns if a[c].dtype.kind == "f"]
    return f"same {len(a):,} forecast rows, largest difference {np.abs(a[numbers] - b[numbers]).to_numpy().max():.2e}"


def machine() -> str:
    cores = os.cpu_count()
    with open("/proc/meminfo") as f:
        total = int(f.readline().split()[1]) / 2**20
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{cores} cores, {total:.0f} GB RAM, load average {load} (1, 5, 15 min) at the start"


def child_command(args: argparse.Namespace, engine: str, csv: Path, work: Path, model: Path) -> list[str]:
    return [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--csv",
        str(csv),
        "--work",
        str(work),
        "--model",
        str(model),
        "--level",
        args.level,
        "--steps",
        str(args.steps),
        "--score-months",
        str(args.score_months),
        "--train-months",
        str(args.train_months),
        "--train-rows",
        str(args.train_rows),
        "--spark-master",
        args.spark_master,
        "--spark-memory",
        args.spark_memory,
    ]


def print_table(sizes: list[int], engines: list[str], results: dict[int, dict[str, Any]]) -> None:
    head = f"{'rows':>12} {'stage':9}" + "".join(f" {e + ' s':>10} {e + ' MB':>10}" for e in engines)
    print(head + ("  faster" if len(engines) == 2 else ""))
    for size in sizes:
        for stage in [*STAGES, "train"]:
            cells, times = "", {}
            for engine in engines:
                got = results[size].get(engine, {}).get(stage)
                if got is None:
                    cells += f" {'':>10} {'':>10}"
                    continue
                times[engine] = got["seconds"]
                cells += f" {got['seconds']:>10.2f} {got['peak_mb']:>10,}"
            if not times:
                continue
            faster = min(times, key=lambda e: times[e]) if len(times) == 2 and stage != "train" else ""
            print(f"{size:>12,} {stage:9}{cells}  {faster}")
        if "agree" in results[size]:
            print(f"{'':>12} forecasts: {results[size]['agree']}")
        for engine in engines:
            got = results[size].get(engine, {})
            if got:
                print(
                    f"{'':>12} {engine}: {got['units']:,} units, {got['panel_rows']:,} panel rows, "
                    f"{got['scored_rows']:,} forecast rows scored"
                )


def print_exponents(sizes: list[int], engines: list[str], results: dict[int, dict[str, Any]]) -> None:
    print()
    print("seconds ~ a * rows^b, fitted over the sizes run:")
    print(f"{'stage':9}" + "".join(f" {e + ' b':>10}" for e in engines) + "  lines cross at")
    for stage in STAGES:
        fits = {}
        for engine in engines:
            points = [(s, results[s][engine][stage]["seconds"]) for s in sizes if stage in results[s].get(engine, {})]
            fits[engine] = fit_power([p[0] for p in points], [p[1] for p in points])
        cells = "".join(f" {fits[e][1]:>10.2f}" if fits[e] else f" {'n/a':>10}" for e in engines)
        cross = ""
        if len(engines) == 2 and all(fits.values()) and stage != "start":
            duck, spark = fits.get("duckdb"), fits.get("spark")
            cross = crossing(duck, spark) if duck and spark else ""
        elif len(sizes) < 2:
            cross = "(one size: run two or more to fit)"
        print(f"{stage:9}{cells}  {cross}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1000000,10000000", help="comma-separated event counts")
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--level", choices=["cm", "pgm"], default="pgm")
    parser.add_argument("--steps", type=int, default=3, help="forecast steps trained and scored")
    parser.add_argument("--score-months", type=int, default=12, help="months of every unit's rows scored")
    parser.add_argument("--train-months", type=int, default=36)
    parser.add_argument("--train-rows", type=int, default=200_000)
    parser.add_argument("--spark-master", default="local[*]")
    parser.add_argument("--spark-memory", default="4g", help="Spark driver memory (local mode: all of Spark)")
    parser.add_argument("--dir", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(run_engine(args)))
        return

    sizes = [int(s.replace("_", "")) for s in args.rows.split(",") if s.strip()]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    scratch = args.dir or Path(tempfile.mkdtemp(prefix="peaceops-scale-"))
    scratch.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    print(f"level {args.level}, calendar {FIRST_YEAR}-01 .. {LAST_YEAR}-12, scratch {scratch}")
    results: dict[int, dict[str, Any]] = {}
    began = time.perf_counter()
    try:
        for size in sizes:
            folder = scratch / f"rows-{size}"
            folder.mkdir(exist_ok=True)
            csv = folder / "events.csv"
            t0 = time.perf_counter()
            write_events_csv(csv, size)
            print(
                f"{size:,} events generated in {time.perf_counter() - t0:.1f} s "
                f"({csv.stat().st_size / 2**20:,.0f} MB of CSV)",
                flush=True,
            )
            results[size] = {}
            model = folder / "model.pickle"
            for engine in engines:
                work = folder / engine
                shutil.rmtree(work, ignore_errors=True)
                command = child_command(args, engine, csv, work, model)
                done = subprocess.run(command, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    print(f"{engine} at {size:,} rows failed:\n{done.stderr[-3000:]}", flush=True)
                    continue
                results[size][engine] = json.loads(done.stdout.strip().splitlines()[-1])
                print(f"  {engine}: done", flush=True)
            csv.unlink(missing_ok=True)
            if len(results[size]) == 2:
                results[size]["agree"] = scores_agree(folder / engines[0] / "scores", folder / engines[1] / "scores")
        print()
        print_table(sizes, engines, results)
        print_exponents(sizes, engines, results)
        print(f"\nwhole run: {time.perf_counter() - began:.0f} s")
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
