"""Latency and throughput of the web app under concurrent clients, against a trivial endpoint in the same run.

Run: .venv/bin/python bench/load_web.py [--var-dir DIR] [--clients 50] [--requests 500] [--workers 1,2]
(after `make demo`, which loads the instance this measures; PEACEOPS_VAR_DIR and PEACEOPS_DATABASE_URL work as
for every command, so a PostgreSQL instance is measured by pointing them at it)

The real server (`peaceops serve`, one uvicorn process, or ``--workers N`` under gunicorn) is started on a free
loopback port over the instance's database. With several worker counts (``--workers 1,2``) one server per
count is started and each endpoint is loaded on each server in turn (so every count reads the same data, the
filings coming after all the reads), and a last table sets each endpoint's requests/s and p95 side by side,
with the ratio to the first count: the one-process server is the baseline measured in the same run.
Two bench accounts are added (an administrator and a MINUSCA mission officer, with
random passwords). Every page without path parameters is first requested once, alone, and the three
slowest are "the heaviest pages". Then each endpoint in turn gets ``--requests`` requests from
``--clients`` concurrent signed-in clients: the trivial endpoint (``/healthz``: the app's middleware, one
``SELECT 1`` and the schema check), the heaviest pages, an API list (``/api/incidents``), an agreement
search and incident filing (``POST /api/incidents``), then the heaviest page again, which the filings
made stale in the page cache (decision 026; the probe filled it, as any first visit does). The trivial
endpoint is measured first and again last, so drift over the run shows. Printed per endpoint: requests,
errors (any answer but the expected status), requests/s, p50/p95/p99 in ms, and p95 against the trivial
endpoint's first p95, and the cores the load generator itself used (it runs on the same machine: where it
takes a whole core, adding server processes cannot raise throughput). Each phase's clients first open their
connections with one untimed request.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import track
from rich.table import Table
from starlette.routing import Route

from peaceops.access.users import add_user
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.health import check
from peaceops.web.routers import ROUTERS

console = Console()
REPORT = {
    "mission": "MINUSCA",
    "occurred_at": "2024-07-02 06:30",
    "category": "attack_peacekeepers",
    "subcategory": "ambush",
    "longitude": 20.6416,
    "latitude": 5.7619,
    "actors": ["UPC"],
    "casualties": {"peacekeepers_injured": 2},
    "source_type": "patrol",
    "reliability": "B",
    "credibility": 2,
    "description": "Load test: a patrol came under fire north of Bambari.",
}
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Endpoint:
    name: str
    method: str
    path: str
    who: str  # admin or officer
    expect: int = 200
    json: dict[str, object] | None = None


@dataclass
class Result:
    endpoint: Endpoint
    latencies_ms: list[float]
    errors: int
    seconds: float
    client_cores: float = 0.0  # CPU the load generator itself used, in cores (its CPU seconds / wall seconds)

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(var_dir: Path, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PEACEOPS_VAR_DIR": str(var_dir)}
    cmd = [sys.executable, "-m", "peaceops", "serve", "--port", str(port), "--workers", str(workers)]
    log = var_dir / "load_web_server.log"  # read when the server stops at start; a pipe could fill and stall it
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"The server stopped at start: {server.stderr.read().decode()[-2000:] if server.stderr else ''}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    server.kill()
    raise SystemExit("The server did not answer /healthz within 60 s.")


def sign_in(base: str, username: str, password: str) -> tuple[httpx.Cookies, str]:
    """Log in as a browser would; returns the session cookie and the session's CSRF token."""
    with httpx.Client(base_url=base, timeout=30) as client:
        form = client.get("/login")
        token = CSRF_INPUT.search(form.text)
        if token is None:
            raise SystemExit("The login page holds no CSRF token.")
        answer = client.post("/login", data={"username": username, "password": password, "csrf_token": token.group(1)})
        if answer.status_code not in (200, 303) or "peaceops_session" not in client.cookies:
            raise SystemExit(f"Could not sign in as {username}: {answer.status_code}")
        page = client.get("/")
        csrf = CSRF_INPUT.search(page.text) or re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        if csrf is None:
            raise SystemExit("No CSRF token on the home page.")
        return client.cookies, csrf.group(1)


def simple_pages() -> list[str]:
    """Every GET page of the app that needs no path parameter (from the routers, not a list kept by hand)."""
    paths = []
    for _, module in ROUTERS:
        for route in module.pages.routes:
            if not isinstance(route, Route) or "GET" not in (route.methods or ()) or "{" in route.path:
                continue
            if route.path.startswith(("/login", "/logout", "/healthz")) or "." in route.path.rsplit("/", 1)[-1]:
                continue  # sign-in steps, the trivial endpoint, and downloads (a name with an extension)
            paths.append(route.path)
    return sorted(set(paths))


async def run_phase(
    base: str, endpoint: Endpoint, sessions: dict[str, tuple[httpx.Cookies, str]], clients: int, requests: int
) -> Result:
    cookies, csrf = sessions[endpoint.who]
    latencies: list[float] = []
    errors = 0
    remaining = iter(range(requests))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits, timeout=120) as http:

        async def worker() -> None:
            nonlocal errors
            for _ in remaining:
                started = time.perf_counter()
                try:
                    answer = await http.request(
                        endpoint.method, endpoint.path, json=endpoint.json, headers={"X-CSRF-Token": csrf}
                    )
                    ok = answer.status_code == endpoint.expect
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                errors += not ok

        # Every client opens its connection first, untimed: connection set-up is not what a phase measures,
        # and without this the first phase (the trivial endpoint) paid for fifty handshakes at once.
        await asyncio.gather(*(http.get("/healthz") for _ in range(clients)))
        began, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(clients)))
        seconds = time.perf_counter() - began
        used = time.process_time() - cpu
    return Result(endpoint, latencies, errors, seconds, used / seconds if seconds else 0.0)


def probe(base: str, cookies: httpx.Cookies, paths: list[str]) -> list[tuple[float, str]]:
    timings = []
    with httpx.Client(base_url=base, cookies=cookies, timeout=120) as client:
        for path in track(paths, description="Finding the heaviest pages", console=console):
            client.get(path)  # warm any per-process cache first: the measurement is of a served page
            started = time.perf_counter()
            answer = client.get(path)
            if answer.status_code == 200:
                timings.append(((time.perf_counter() - started) * 1000, path))
    return sorted(timings, reverse=True)


def add_bench_users(db: Database) -> dict[str, tuple[str, str]]:
    tag = uuid.uuid4().hex[:8]
    accounts = {
        "admin": (f"bench-admin-{tag}", "admin", None),
        "officer": (f"bench-officer-{tag}", "mission_officer", "MINUSCA"),
    }
    made = {}
    with db.write() as session:
        for who, (name, role, mission) in accounts.items():
            password = secrets.token_urlsafe(16)
            add_user(session, name, password, role, mission=mission)
            made[who] = (name, password)
    return made


def plan(heaviest: list[tuple[float, str]]) -> list[Endpoint]:
    return [
        Endpoint("trivial /healthz", "GET", "/healthz", "admin"),
        *(Endpoint(f"page {path}", "GET", path, "admin") for _, path in heaviest),
        Endpoint("API list /api/incidents", "GET", "/api/incidents?mission=MINUSCA", "admin"),
        Endpoint("search /api/agreements/search", "GET", "/api/agreements/search?q=ceasefire+monitoring", "admin"),
        Endpoint("file POST /api/incidents", "POST", "/api/incidents", "officer", 201, REPORT),
        # The filings changed the data: the first of these requests computes the page again (decision 026).
        *(Endpoint(f"page {path} after the filings", "GET", path, "admin") for _, path in heaviest[:1]),
        Endpoint("trivial /healthz (again)", "GET", "/healthz", "admin"),
    ]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"


def print_run(results: list[Result], workers: int, clients: int, requests: int) -> None:
    baseline = results[0].quantile(0.95)
    processes = "one server process" if workers == 1 else f"{workers} server processes"
    table = Table(title=f"{clients} concurrent clients, {requests} requests per endpoint, {processes}")
    columns = ("endpoint", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "p95 / trivial", "client cores")
    for column in columns:
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for r in results:
        table.add_row(
            r.endpoint.name,
            str(len(r.latencies_ms)),
            str(r.errors),
            _fmt(len(r.latencies_ms) / r.seconds),
            _fmt(statistics.median(r.latencies_ms)),
            _fmt(r.quantile(0.95)),
            _fmt(r.quantile(0.99)),
            f"{r.quantile(0.95) / baseline:.1f}×",
            f"{r.client_cores:.2f}",
        )
    console.print(table)
    console.print(
        "client cores: the CPU this load generator used during the phase (1.00 is one core of the machine's "
        f"{os.cpu_count()}); where it nears one core, the generator, not the server, sets the pace."
    )


def print_comparison(runs: dict[int, list[Result]]) -> None:
    """Each endpoint's throughput and p95 per worker count, beside the first count (the baseline)."""
    first, *others = runs
    table = Table(title=f"Requests/s and p95 by server processes (ratio to {first})")
    table.add_column("endpoint")
    for workers in runs:
        table.add_column(f"req/s ×{workers}", justify="right")
    for workers in others:
        table.add_column(f"×{workers} / ×{first}", justify="right")
    for workers in runs:
        table.add_column(f"p95 ms ×{workers}", justify="right")
    for i, base in enumerate(runs[first]):
        rate = {w: len(rs[i].latencies_ms) / rs[i].seconds for w, rs in runs.items()}
        table.add_row(
            base.endpoint.name,
            *(_fmt(rate[w]) for w in runs),
            *(f"{rate[w] / rate[first]:.2f}×" for w in others),
            *(_fmt(rs[i].quantile(0.95)) for rs in runs.values()),
        )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", type=Path, default=None, help="the instance's var directory (default: settings)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=500, help="requests per endpoint")
    parser.add_argument("--heaviest", type=int, default=3, help="how many of the slowest pages to load")
    parser.add_argument("--workers", default="1", help="server processes, or several counts to compare: 1,2")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",") if n.strip()]

    settings = Settings() if args.var_dir is None else Settings(var_dir=args.var_dir)
    db = Database(settings.db_url)
    health = check(db)
    if not health.ok:
        said = " ".join(c.detail for c in health.checks if not c.ok)
        raise SystemExit(f"The instance at {settings.var_dir} is not ready: {said} (`make demo` makes one.)")
    accounts = add_bench_users(db)
    servers: dict[int, tuple[subprocess.Popen[bytes], str]] = {}
    try:
        # Every server count is started first and the plan runs endpoint by endpoint on each in turn, so each
        # count reads the same data: the filings of one count come after every count's reads.
        for workers in counts:
            port = free_port()
            with console.status(f"Starting the server ({workers} process(es))…"):
                servers[workers] = (start_server(settings.var_dir, port, workers), f"http://127.0.0.1:{port}")
        sessions = {w: {who: sign_in(base, *accounts[who]) for who in accounts} for w, (_, base) in servers.items()}
        first = counts[0]
        heaviest = probe(servers[first][1], sessions[first]["admin"][0], simple_pages())[: args.heaviest]
        for ms, path in heaviest:
            console.print(f"  {path}: {ms:,.0f} ms alone")
        for workers in counts[1:]:  # the same first visits on the other servers (their caches, their pools)
            probe(servers[workers][1], sessions[workers]["admin"][0], [path for _, path in heaviest])
        runs: dict[int, list[Result]] = {w: [] for w in counts}
        for endpoint in plan(heaviest):
            for workers, (_, base) in servers.items():
                said = f"{workers} process(es) · {endpoint.name}: {args.requests} requests from {args.clients} clients…"
                with console.status(said):
                    result = asyncio.run(run_phase(base, endpoint, sessions[workers], args.clients, args.requests))
                runs[workers].append(result)
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(timeout=60)
    for workers, results in runs.items():
        print_run(results, workers, args.clients, args.requests)
    if len(runs) > 1:
        print_comparison(runs)
    errors = sum(r.errors for results in runs.values() for r in results)
    console.print(f"Errors: {errors}." if errors else "No errors.")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
