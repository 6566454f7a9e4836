"""Incident reporting under load: filing reports over HTTP and the map query over a large store.

Run: .venv/bin/python bench/incidents.py [--stored 1000000] [--posts 2000] [--concurrency 8] [--seconds 60]
     [--map-queries 200] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

What it does, all in one run on one throwaway store (SQLite under var/bench-incidents/, or a fresh schema
in the PostgreSQL database given with --pg, dropped at the end):
1. migrates, imports the missions register, builds the CAR gazetteer from the real UCDP GED file and
   bulk-loads ``--stored`` MINUSCA incidents (executemany in chunks) spread over the Central African
   Republic and five years;
2. reference: a plain SQL single-row INSERT (one transaction each) and a plain SQL bounding-box query
   (the same filter as the map: mission, time window, box, newest first) on the same store;
3. starts ``peaceops`` under uvicorn in a subprocess on 127.0.0.1, signs in through the login form and
   posts reports concurrently (bounded by --posts and --seconds), then runs the map API query.
It prints sustained reports/second and p50/p95/p99 latency for each.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import TextClause, create_engine, select, text

from peaceops.access.users import add_user
from peaceops.geography.priogrid import priogrid_gid
from peaceops.incidents.gazetteer import build_gazetteer
from peaceops.incidents.models import CASUALTY_FIELDS, IncidentCategory
from peaceops.incidents.taxonomy import ensure_taxonomy
from peaceops.missions.models import Mission
from peaceops.platform import import_file, prepare
from peaceops.settings import REPO_ROOT, Settings
from peaceops.store import Database
from peaceops.store.events import read_event_file, write_events

WEST, SOUTH, EAST, NORTH = 14.5, 2.3, 27.4, 11.0  # the Central African Republic's bounding box
START = datetime(2021, 1, 1)
DAYS = 5 * 365
PASSWORD = "bench password, long enough"
TOKEN = 'name="csrf_token" value="'
BOX_DEGREES = 2.0
WINDOW_DAYS = 180


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] * 1000


def line(label: str, latencies: list[float], wall: float | None = None) -> str:
    rate = f"{len(latencies) / wall:8.1f}/s " if wall else " " * 11
    return (
        f"{label:<44} n={len(latencies):<6} {rate} p50 {pct(latencies, 50):7.1f} ms  "
        f"p95 {pct(latencies, 95):7.1f} ms  p99 {pct(latencies, 99):7.1f} ms"
    )


def make_store(args: argparse.Namespace) -> tuple[Database, str, Path, str | None]:
    var = REPO_ROOT / "var" / "bench-incidents"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    schema = None
    if args.pg:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with create_engine(args.pg).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = args.pg
        db = Database(url, schema=schema)
    else:
        url = f"sqlite:///{var / 'peaceops.sqlite'}"
        db = Database(url)
    prepare(db)
    data = Settings().data_dir
    import_file(db, "missions", data / "un_peacekeeping" / "missions" / "DPPADPOSS-PKO.csv", "bench")
    write_events(var, read_event_file(data / "ucdp" / "ged" / "ged_central_african_republic.csv.gz"))
    with db.session() as s:
        build_gazetteer(s, var, "bench")
        add_user(s, "bench-reporter", PASSWORD, "mission_officer", mission="MINUSCA")
        add_user(s, "bench-analyst", PASSWORD, "analyst")
        mission = s.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))
        assert mission is not None
        ensure_taxonomy(s, mission)
    return db, url, var, schema


COLUMNS = (
    ["mission_id", "external_ref", "occurred_at", "precision", "longitude", "latitude", "cell", "place_name", "admin1"]
    + ["category_id", "subcategory_id", *CASUALTY_FIELDS, "extra", "actors", "description", "source_type"]
    + ["reliability", "credibility", "status", "version", "reported_by", "reported_at", "updated_at"]
)


def insert_statement(db: Database) -> TextClause:
    """INSERT of every column; the JSON columns are cast on PostgreSQL (SQLite stores the text as is)."""
    json_cast = db.dialect == "postgresql"
    marks = ", ".join(f"CAST(:{c} AS JSON)" if json_cast and c in ("extra", "actors") else f":{c}" for c in COLUMNS)
    return text(f"INSERT INTO incident ({', '.join(COLUMNS)}) VALUES ({marks})")


INDEXES = {
    "ix_incident_map": "incident (mission_id, status, occurred_at)",
    "ix_incident_lat_lon": "incident (latitude, longitude)",
    "ix_incident_mission_id": "incident (mission_id)",
    "ix_incident_category_id": "incident (category_id)",
    "ix_incident_merged_into_id": "incident (merged_into_id)",
    "ix_incident_cell": "incident (mission_id, cell, occurred_at)",
}


def _bulk_rows(rng: random.Random, mission_id: int, cats: list[int], first: int, last: int, pg: bool) -> list[tuple]:
    rows = []
    zeros = [0] * len(CASUALTY_FIELDS)
    for i in range(first, last):
        when = START + timedelta(minutes=rng.randrange(DAYS * 24 * 60))
        stamp = when if pg else when.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite text format
        lon, lat = rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)
        rows.append(
            (mission_id, f"BULK-{i}", stamp, "hour", lon, lat, priogrid_gid(lat, lon), None, None)
            + (rng.choice(cats), None, *zeros, "{}", "[]", "bulk-loaded for the benchmark", "patrol")
            + ("C", 3, rng.choice(("published", "published", "verified", "submitted")), 1, "bench", stamp, stamp)
        )
    return rows


def bulk_load(db: Database, n: int) -> tuple[int, list[int], float]:
    """``n`` incidents straight through the driver (SQLite executemany, PostgreSQL COPY) in chunks of 100,000,
    with the map indexes dropped during the load and rebuilt after (the rebuild is in the time)."""
    with db.session() as s:
        mission_id = s.scalar(select(Mission.id).where(Mission.acronym == "MINUSCA"))
        cats = list(
            s.scalars(
                select(IncidentCategory.id).where(
                    IncidentCategory.mission_id == mission_id,
                    IncidentCategory.parent_id.is_(None),
                    IncidentCategory.sensitive.is_(False),
                )
            )
        )
    assert mission_id is not None
    rng = random.Random(7)
    pg = db.dialect == "postgresql"
    began = time.perf_counter()
    with db.engine.begin() as conn:
        for name in INDEXES:
            conn.execute(text(f"DROP INDEX {name}"))
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        chunk = 100_000
        done = 0
        while done < n:
            rows = _bulk_rows(rng, mission_id, cats, done, min(n, done + chunk), pg)
            if pg:
                with driver.cursor() as cur:  # type: ignore[attr-defined]
                    with cur.copy(f"COPY incident ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in COLUMNS)
                driver.executemany(f"INSERT INTO incident ({', '.join(COLUMNS)}) VALUES ({marks})", rows)  # type: ignore[attr-defined]
            driver.commit()  # type: ignore[attr-defined]
            done += len(rows)
            print(f"  bulk-loaded {done:,} / {n:,}", end="\r", flush=True)
    finally:
        raw.close()
    print()
    with db.engine.begin() as conn:
        for name, target in INDEXES.items():
            conn.execute(text(f"CREATE INDEX {name} ON {target}"))
        conn.execute(text("ANALYZE incident" if pg else "ANALYZE"))
    return mission_id, cats, time.perf_counter() - began


def random_box(rng: random.Random) -> tuple[float, float, float, float, datetime]:
    west = rng.uniform(WEST, EAST - BOX_DEGREES)
    south = rng.uniform(SOUTH, NORTH - BOX_DEGREES)
    start = START + timedelta(days=rng.randrange(DAYS - WINDOW_DAYS))
    return west, south, west + BOX_DEGREES, south + BOX_DEGREES, start


def sql_reference(db: Database, mission_id: int, cats: list[int], inserts: int, queries: int) -> None:
    rng = random.Random(11)
    insert = insert_statement(db)
    latencies = []
    began = time.perf_counter()
    for i in range(inserts):
        when = datetime(2026, 1, 1) + timedelta(minutes=i)
        row = {c: 0 for c in CASUALTY_FIELDS}
        lon, lat = rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)
        row.update(
            mission_id=mission_id,
            external_ref=f"SQL-{i}",
            occurred_at=when,
            precision="hour",
            longitude=lon,
            latitude=lat,
            cell=priogrid_gid(lat, lon),
            place_name=None,
            admin1=None,
            category_id=rng.choice(cats),
            subcategory_id=None,
            extra="{}",
            actors="[]",
            description="plain SQL insert",
            source_type="patrol",
            reliability="C",
            credibility=3,
            status="draft",
            version=1,
            reported_by="bench",
            reported_at=when,
            updated_at=when,
        )
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(insert, row)
        latencies.append(time.perf_counter() - t0)
    print(line("plain SQL INSERT (1 row per transaction)", latencies, time.perf_counter() - began))
    query = text(
        "SELECT id, longitude, latitude, status, occurred_at FROM incident "
        "WHERE mission_id = :m AND status <> 'merged' AND occurred_at >= :start AND occurred_at < :end "
        "AND longitude BETWEEN :west AND :east AND latitude BETWEEN :south AND :north "
        "ORDER BY occurred_at DESC LIMIT 50001"
    )
    latencies, sizes = [], []
    with db.engine.connect() as conn:
        for _ in range(queries):
            west, south, east, north, start = random_box(rng)
            params = dict(m=mission_id, start=start, end=start + timedelta(days=WINDOW_DAYS))
            params.update(west=west, east=east, south=south, north=north)
            t0 = time.perf_counter()
            sizes.append(len(conn.execute(query, params).all()))
            latencies.append(time.perf_counter() - t0)
    print(line("plain SQL bounding-box query", latencies) + f"  ~{statistics.mean(sizes):.0f} points")


def start_server(url: str, var: Path, schema: str | None) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = (
        "import uvicorn\n"
        "from peaceops.settings import Settings\n"
        "from peaceops.store import Database\n"
        "from peaceops.web import create_app\n"
        f"db = Database({url!r}, schema={schema!r})\n"
        f"app = create_app(Settings(var_dir={str(var)!r}, secret_key='b' * 40), db=db)\n"
        f"uvicorn.run(app, host='127.0.0.1', port={port}, log_level='warning')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(base + "/login", timeout=1)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def signed_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/login").text
    token = page.split(TOKEN, 1)[1].split('"', 1)[0]
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "next": "/", "csrf_token": token}
    )
    assert response.status_code in (200, 303), response.text
    token = client.get("/incidents/new").text.split(TOKEN, 1)[1].split('"', 1)[0]
    client.headers["X-CSRF-Token"] = token
    return client


def post_reports(base: str, posts: int, concurrency: int, seconds: float) -> None:
    counter = iter(range(posts))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    clients = [signed_in(base, "bench-reporter") for _ in range(concurrency)]  # logins are not timed

    def worker(number: int) -> None:
        client = clients[number]
        rng = random.Random(number)
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            body = {
                "occurred_at": (datetime(2026, 11, 1) + timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M"),
                "category": rng.choice(("armed_clash", "attack_civilians", "threat", "armed_movement")),
                "longitude": rng.uniform(WEST, EAST),
                "latitude": rng.uniform(SOUTH, NORTH),
                "actors": [rng.choice(("3R", "UPC", "FPRC", "Anti-balaka"))],
                "casualties": {"civilians_killed": rng.randrange(3)},
                "extra": {"armed_elements": 12},
                "source_type": "patrol",
                "reliability": "B",
                "credibility": 2,
                "description": "benchmark report",
                "submit": True,
            }
            t0 = time.perf_counter()
            try:
                response = client.post("/api/incidents", json=body)
            except httpx.HTTPError as exc:  # counted as a failure, the run goes on
                with lock:
                    errors.append(f"{exc.__class__.__name__}: {exc}")
                continue
            took = time.perf_counter() - t0
            with lock:
                if response.status_code == 201:
                    latencies.append(took)
                else:
                    errors.append(f"{response.status_code} {response.text[:200]}")
        client.close()

    began = time.perf_counter()
    deadline = began + seconds
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, range(concurrency)))
    wall = time.perf_counter() - began
    print(line(f"HTTP POST /api/incidents ({concurrency} concurrent)", latencies, wall))
    if errors:
        print(f"  {len(errors)} failed, e.g. {errors[0]}")


def map_queries(base: str, queries: int, concurrency: int) -> None:
    rng = random.Random(13)
    boxes = [random_box(rng) for _ in range(queries)]
    latencies: list[float] = []
    sizes: list[int] = []
    lock = threading.Lock()

    def run(box: tuple[float, float, float, float, datetime], client: httpx.Client) -> None:
        west, south, east, north, start = box
        end = start + timedelta(days=WINDOW_DAYS - 1)
        params = {
            "bbox": f"{west},{south},{east},{north}",
            "start": start.date().isoformat(),
            "end": end.date().isoformat(),
        }
        t0 = time.perf_counter()
        response = client.get("/api/incidents/map", params=params)
        took = time.perf_counter() - t0
        assert response.status_code == 200, response.text
        with lock:
            latencies.append(took)
            sizes.append(len(response.json()["points"]))

    clients = [signed_in(base, "bench-reporter") for _ in range(concurrency)]
    began = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda pair: run(pair[1], clients[pair[0] % concurrency]), enumerate(boxes)))
    wall = time.perf_counter() - began
    print(
        line(f"HTTP GET /api/incidents/map ({concurrency} concurrent)", latencies, wall)
        + f"  ~{statistics.mean(sizes):.0f} points"
    )
    for client in clients:
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, default=1_000_000, help="incidents bulk-loaded before measuring")
    parser.add_argument("--posts", type=int, default=2000, help="at most this many reports are posted")
    parser.add_argument("--seconds", type=float, default=60.0, help="and for at most this long")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--map-queries", type=int, default=200)
    parser.add_argument("--sql-inserts", type=int, default=2000)
    parser.add_argument("--pg", help="PostgreSQL URL; a throwaway schema is created in it and dropped after")
    args = parser.parse_args()

    db, url, var, schema = make_store(args)
    print(f"store: {db.dialect}{' schema ' + schema if schema else ' ' + url}")
    proc = None
    try:
        mission_id, cats, seconds = bulk_load(db, args.stored)
        print(f"bulk load: {args.stored:,} incidents in {seconds:.1f} s ({args.stored / seconds:,.0f} rows/s)")
        sql_reference(db, mission_id, cats, args.sql_inserts, args.map_queries)
        proc, base = start_server(url, var, schema)
        post_reports(base, args.posts, args.concurrency, args.seconds)
        map_queries(base, args.map_queries, min(4, args.concurrency))
        print(f"box {BOX_DEGREES}° x {BOX_DEGREES}°, {WINDOW_DAYS}-day window; cpu count {os.cpu_count()}")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
        db.dispose()
        if schema and args.pg:
            with create_engine(args.pg).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
