"""The ``peaceops`` command: a thin layer that parses, calls one library function, and reports."""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import anyio.from_thread
import typer
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from peaceops.access.policy import ROLES
from peaceops.cli.agreements import agreements_app
from peaceops.cli.audit import audit_app
from peaceops.cli.common import (
    console,
    err,
    guard,
    load_settings,
    open_database,
    progress_bar,
    step_progress,
    told,
)
from peaceops.cli.comms import comms_app
from peaceops.cli.conflict import forecast_app
from peaceops.cli.incidents import incidents_app
from peaceops.cli.jobs import jobs_app
from peaceops.cli.notify import notify_app, send_and_print
from peaceops.cli.performance import performance_app
from peaceops.cli.serving import serve_app
from peaceops.errors import PeaceopsError, ValidationFailed
from peaceops.platform import IMPORT_KINDS
from peaceops.store import Database
from peaceops.store.provenance import ImportReport

ROLE_CHOICES = f"{', '.join(ROLES[:-1])} or {ROLES[-1]}."
app = typer.Typer(help="peaceops: data-driven peace operations.", no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
fetch_app = typer.Typer(help="Download published data sets and import them.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(agreements_app, name="agreements")
app.add_typer(audit_app, name="audit")
app.add_typer(comms_app, name="comms")
app.add_typer(fetch_app, name="fetch")
app.add_typer(forecast_app, name="forecast")
app.add_typer(incidents_app, name="incidents")
app.add_typer(jobs_app, name="jobs")
app.add_typer(notify_app, name="notify")
app.add_typer(performance_app, name="performance")
app.add_typer(user_app, name="user")


def _run_imports(db: Database, files: list[tuple[str, Path]], actor: str, var_dir: Path) -> list[ImportReport]:
    from peaceops.platform import import_file

    reports = []
    with progress_bar() as bar:
        for kind, path in files:
            task = bar.add_task(kind, total=None)

            def start(total: int, task: Any = task) -> Callable[[int], None]:
                bar.update(task, total=total)
                return lambda n: bar.advance(task, n)

            reports.append(import_file(db, kind, path, actor, start, var_dir=var_dir))
            bar.update(task, completed=bar.tasks[task].total or 0)
    return reports


def _print_reports(reports: list[ImportReport], max_lines: int = 5) -> None:
    caption = "rows: lines of the file; new/updated/same: stored records"
    if any(r.kind == "contributions" for r in reports):
        caption = "rows: lines of the file; new/updated/same: stored records (an IPI row holds up to 4 types)"
    table = Table(title="Import summary", caption=caption)
    for col in ("import", "rows", "kept", "rejected", "new", "updated", "same"):
        table.add_column(col, justify="left" if col == "import" else "right", no_wrap=True)
    for r in reports:
        table.add_row(
            r.kind,
            *(str(v) for v in (r.rows_read, r.accepted, r.rejected, r.inserted, r.updated + r.removed, r.unchanged)),
        )
    console.print(table)
    for r in reports:
        if not r.rejections:
            continue
        console.print(f"[bold]{r.kind}[/bold] ({Path(r.source).name}): {r.rejected} rows rejected", highlight=False)
        for cause, (count, details, lines) in _group_rejections(r).items():
            listed = ", ".join(f"{d} {n}" for d, n in details.most_common(8))
            more = f", +{len(details) - 8} more" if len(details) > 8 else ""
            where = f" ({listed}{more})" if details else f" (lines {', '.join(map(str, lines[:max_lines]))})"
            console.print(f"  {count:>6} × {cause}{where}", highlight=False)
        console.print(f"  every line and reason: peaceops get /api/imports/{r.run_id}", highlight=False)


def _group_rejections(report: ImportReport) -> dict[str, tuple[int, Counter[str], list[int]]]:
    """Rejections by cause, most frequent first, so 1,500 rejected lines read as a few causes."""
    groups: dict[str, tuple[int, Counter[str], list[int]]] = {}
    for rejection in report.rejections:
        cause = rejection.cause or re.sub(r"line \d+", "line N", re.sub(r"^Line \d+:? ?", "", rejection.reason))
        count, details, lines = groups.get(cause, (0, Counter(), []))
        if rejection.detail:
            details[rejection.detail] += 1
        lines.append(rejection.line)
        groups[cause] = (count + 1, details, lines)
    return dict(sorted(groups.items(), key=lambda kv: -kv[1][0]))


PAST_MONTHS, PAST_SPACING = 24, 3  # the demo's past country runs: every quarter of the two years before


@app.command()
def demo(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Load and summarise, then exit.")] = False,
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """Set up the embedded database, load the framework and the shared UN data, and serve the web app."""
    from peaceops.access.users import ensure_demo_admin
    from peaceops.cli.agreements import index_and_print
    from peaceops.cli.comms import demo_and_print as comms_demo
    from peaceops.cli.conflict import monitor_and_print
    from peaceops.cli.incidents import gazetteer_and_print
    from peaceops.cli.performance import print_provision
    from peaceops.conflict.pipeline import LEVELS
    from peaceops.platform import demo_paths, prepare, provision_performance, seed_commitments, seed_processes, totals
    from peaceops.store.analytics import Engine

    def body() -> None:
        settings = load_settings()
        files = demo_paths(settings)
        db = open_database(settings)
        console.print(f"Database: {db.engine.url.render_as_string(hide_password=True)}")
        prepare(db, var_dir=settings.var_dir)
        reports = _run_imports(db, files, "peaceops demo", settings.var_dir)
        _print_reports(reports)
        t = totals(db)
        console.print(
            f"Missions: {t.missions} ({t.active_missions} active) · monthly mission totals: {t.strength_rows:,}"
            f" · contributions: {t.deployment_rows:,} · fatalities: {t.fatalities:,}"
        )
        gazetteer_and_print(db, settings.var_dir, "peaceops demo")  # incidents get their admin-1 area
        engine = Engine.from_settings(settings)
        monitor_and_print(db, settings.var_dir, LEVELS, None, 12, "peaceops demo", engine=engine)
        for back in range(PAST_SPACING, PAST_MONTHS + 1, PAST_SPACING):  # past country runs: the track record
            monitor_and_print(
                db, settings.var_dir, ("cm",), None, 12, "peaceops demo", alerts=False, months_back=back, engine=engine
            )
        index_and_print(db, settings.var_dir)  # agreement search embeddings (cached: a second demo computes none)
        comms_demo(db, settings.data_dir, settings.var_dir, settings.session_secret)  # models cached in var/
        registry = seed_processes(db, "peaceops demo")
        console.print(
            f"Process registry: {registry.inserted:,} processes seeded from the PA-X process ids of the agreements "
            f"({registry.updated:,} given newer agreements, {registry.unchanged:,} already there; see /processes).",
            highlight=False,
        )
        seeded = seed_commitments(db, "peaceops demo")
        console.print(
            f"Implementation tracking: {seeded.inserted:,} commitments seeded from the PA-X codes of "
            f"{seeded.agreements:,} agreements of the host countries of {len(seeded.missions)} active missions "
            f"({seeded.unchanged:,} already there), all not assessed (see /commitments).",
            highlight=False,
        )
        started = time.perf_counter()
        performance = provision_performance(db, settings.var_dir)
        print_provision(performance, time.perf_counter() - started)
        with db.session() as session:
            created = ensure_demo_admin(session)
        if created:
            console.print(
                f"Created the demo administrator [bold]{created[0]}[/bold] with password "
                f"[bold]{created[1]}[/bold] (shown once; keep it).",
                highlight=False,
            )
        if not no_serve:
            serve_app(settings, db, host, port)

    guard(body)


@app.command()
def monitor(
    level: Annotated[str, typer.Option(help="cm, pgm or all.")] = "all",
    cutoff: Annotated[
        str | None,
        typer.Option(help="Last month of data, YYYY-MM; default: the newest month a mission host is covered to."),
    ] = None,
    horizon: Annotated[int, typer.Option(help="Months ahead, 1-36.")] = 12,
    alerts: Annotated[
        bool, typer.Option(help="Raise alerts from the run; --no-alerts for a past month, kept for the track record.")
    ] = True,
    past: Annotated[
        int,
        typer.Option(
            min=0,
            max=60,
            help="Also store runs from this many earlier cut-offs (no alerts), so the track record judges the "
            "forecasts and the alert rules over past months.",
        ),
    ] = 0,
    spacing: Annotated[int, typer.Option(min=1, max=24, help="Months between the earlier cut-offs.")] = 3,
) -> None:
    """Forecast from the loaded events, store the run, and raise early-entry, escalation and spillover alerts.

    Every stored run whose forecast months are loaded is scored beside the benchmarks (/conflict/track-record),
    and the alert rules are judged on it (/api/conflict/alerts/track-record)."""
    from peaceops.cli.conflict import monitor_and_print
    from peaceops.conflict.pipeline import LEVELS
    from peaceops.platform import prepare
    from peaceops.store.analytics import Engine

    def body() -> None:
        if level not in (*LEVELS, "all"):
            raise ValidationFailed(f"Level {level!r} is not one of {', '.join(LEVELS)} or all.")
        settings = load_settings()
        db = open_database(settings)
        prepare(db, var_dir=settings.var_dir)
        levels = LEVELS if level == "all" else (level,)
        engine = Engine.from_settings(settings)
        monitor_and_print(
            db, settings.var_dir, levels, cutoff, horizon, "peaceops monitor", alerts=alerts, engine=engine
        )
        for k in range(1, past + 1):
            back = k * spacing
            monitor_and_print(
                db,
                settings.var_dir,
                levels,
                cutoff,
                horizon,
                "peaceops monitor",
                alerts=False,
                months_back=back,
                engine=engine,
            )
        send_and_print(db, settings)  # the alerts just raised, to those who follow them

    guard(body)


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            envvar="PEACEOPS_WORKERS",
            help="Worker processes (gunicorn with uvicorn workers); more than one wants PostgreSQL.",
        ),
    ] = 1,
) -> None:
    """Serve the web app on the configured database."""
    from peaceops.platform import prepare

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        prepare(db, var_dir=settings.var_dir)
        serve_app(settings, db, host, port, workers)

    guard(body)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema and load the reference framework."""
    from peaceops.platform import prepare

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        prepare(db, var_dir=settings.var_dir)
        console.print(f"Database at {db.engine.url.render_as_string(hide_password=True)} is up to date.")

    guard(body)


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 100_000 else f"{n:,} bytes"


@app.command("backup")
def backup_(
    file: Annotated[Path, typer.Argument(help="The archive to write, FILE.tar or FILE.tar.gz; it must not exist.")],
) -> None:
    """Write one archive of the database and of what var/ holds that cannot be recomputed, with checksums."""
    from peaceops.store.backup import backup

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        with step_progress() as step:
            report = backup(db, settings.var_dir, file, step=step)
        m = report.manifest
        console.print(
            f"Backed up the {m.database} database (schema revision {m.alembic_revision}) and {report.files} "
            f"files of {settings.var_dir} ({_size(report.file_bytes)}) into {report.path} ({_size(report.size)}); "
            "manifest.json inside lists every member with its SHA-256.",
            highlight=False,
        )

    guard(body)


@app.command("restore")
def restore_(
    file: Annotated[Path, typer.Argument(help="An archive written by `peaceops backup`.")],
) -> None:
    """Restore a backup into an empty instance: every checksum is verified before anything is written."""
    from peaceops.platform import REFERENCE_TABLES, prepare
    from peaceops.store.backup import restore

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        with step_progress() as step:
            report = restore(file, db, settings.var_dir, seeded=REFERENCE_TABLES, step=step)
        prepare(db)
        m = report.manifest
        console.print(
            f"Restored the {m.database} database and {report.files} files of {file} (made {m.created_at} by "
            f"peaceops {m.peaceops_version} at schema revision {m.alembic_revision}) into "
            f"{db.engine.url.render_as_string(hide_password=True)} and {settings.var_dir}; the schema is at "
            f"revision {report.revision}.",
            highlight=False,
        )

    guard(body)


@app.command("import")
def import_(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(IMPORT_KINDS)}.")],
    file: Annotated[Path, typer.Argument(help="The file to import (CSV, optionally gzip-compressed).")],
) -> None:
    """Import one file; bad rows are reported and skipped, good rows kept, re-imports change nothing."""
    from peaceops.platform import prepare

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        prepare(db, var_dir=settings.var_dir)
        if kind not in IMPORT_KINDS:
            raise PeaceopsError(f"Unknown import kind {kind!r}; choose one of {', '.join(IMPORT_KINDS)}.")
        _print_reports(_run_imports(db, [(kind, file)], "cli", settings.var_dir), max_lines=20)

    guard(body)


@fetch_app.command("ucdp-ged")
def fetch_ucdp_ged(
    version: Annotated[
        str | None, typer.Option(help="GED release as year.release, e.g. 25.1; default: the newest peaceops knows.")
    ] = None,
    sha256: Annotated[
        str | None, typer.Option("--sha256", help="SHA-256 the zip must have (UCDP publishes none); else refused.")
    ] = None,
) -> None:
    """Download a UCDP GED global release (kept in <var_dir>/downloads/, resumable) and import its events."""
    from rich.progress import DownloadColumn, TimeRemainingColumn, TransferSpeedColumn

    from peaceops.conflict.fetching import import_ged_release
    from peaceops.platform import prepare
    from peaceops.sources.ucdp_releases import fetch_ged_release, ged_version, ged_zip_name

    def body() -> None:
        settings = load_settings()
        release_version = ged_version(version)
        db = open_database(settings)
        prepare(db, var_dir=settings.var_dir)
        columns = (TextColumn("{task.description:<16}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
        with Progress(*columns, TimeRemainingColumn(), console=console) as bar:
            tasks: list[Any] = []  # added on the first byte: a reused download shows no empty bar

            def start(total: int | None, have: int) -> Callable[[int], None]:
                if not tasks:
                    tasks.append(bar.add_task(ged_zip_name(release_version), total=None))
                bar.update(tasks[0], total=total, completed=have)
                return lambda n: bar.advance(tasks[0], n)

            release = fetch_ged_release(
                settings.ucdp_base_url, settings.var_dir, release_version, sha256=sha256, progress=start
            )
        got = release.download
        how = "already downloaded and verified, not fetched again" if got.reused else "downloaded"
        if got.resumed_from:
            how += f", resumed at byte {got.resumed_from:,}"
        console.print(f"UCDP GED {release.version}: {got.url} ({got.size:,} bytes, {how})", highlight=False)
        console.print(f"SHA-256 {got.sha256}  {got.path}", highlight=False)
        with progress_bar() as bar, db.session() as session:
            task = bar.add_task("ucdp-ged", total=None)

            def tick(total: int) -> Callable[[int], None]:
                bar.update(task, total=total)
                return lambda n: bar.advance(task, n)

            report = import_ged_release(session, release, "peaceops fetch ucdp-ged", settings.var_dir, tick)
            bar.update(task, completed=bar.tasks[task].total or 0)
        _print_reports([report], max_lines=20)

    guard(body)


@user_app.command("add")
def user_add(
    name: str,
    role: Annotated[str, typer.Option(help=ROLE_CHOICES)],
    mission: Annotated[str | None, typer.Option(help="Mission acronym (mission officers only).")] = None,
    organisation: Annotated[
        str | None, typer.Option(help="The partner organisation's name (partner accounts only).")
    ] = None,
) -> None:
    """Create a user; the password is read from standard input when it is not a terminal."""
    from peaceops.access.users import add_user
    from peaceops.platform import prepare

    def body() -> None:
        if sys.stdin.isatty():
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        db = open_database(load_settings())
        prepare(db)
        with db.write() as session:
            user = add_user(session, name, password, role, mission=mission, organisation=organisation, actor="cli")
            console.print(f"Created user {user.username} ({user.role}).")

    guard(body)


@user_app.command("grant")
def user_grant(
    name: str,
    compartment: Annotated[str, typer.Argument(help="e.g. process:7 or incidents:sexual-violence")],
    revoke: Annotated[bool, typer.Option("--revoke", help="Take the compartment back instead.")] = False,
) -> None:
    """Grant (or with --revoke, take back) a confidential compartment; audited."""
    from peaceops.access import compartments
    from peaceops.platform import prepare

    def body() -> None:
        db = open_database(load_settings())
        prepare(db)
        with db.write() as session:
            change = compartments.revoke if revoke else compartments.grant
            changed = change(session, name, compartment, actor="cli")
            verb = "Revoked" if revoke else "Granted"
            console.print(f"{verb} {compartment} for {name}." if changed else "Nothing to change.")

    guard(body)


@user_app.command("reset-totp")
def user_reset_totp(name: str) -> None:
    """Remove a user's second factor (a lost phone) and end their sessions; audited. They sign in with the
    password next, and set a new one up where it is required."""
    from peaceops.access import second_factor
    from peaceops.platform import prepare

    def body() -> None:
        db = open_database(load_settings())
        prepare(db)
        with db.write() as session:
            removed = second_factor.reset_by_name(session, name, actor="cli")
        if removed:
            console.print(f"Reset the second factor of {name} and ended their sessions.", highlight=False)
        else:
            console.print(f"{name} had no second factor; their sessions were ended.", highlight=False)

    guard(body)


@app.command()
def get(path: Annotated[str, typer.Argument(help="An /api/... path, with its query string.")]) -> None:
    """Make an in-process GET request as a local administrator and print the JSON response."""
    import httpx

    from peaceops.platform import prepare
    from peaceops.web.app import create_app

    def body() -> None:
        if not path.startswith("/"):
            raise PeaceopsError(f"The path must start with '/', as in /api/missions (got {path!r}).")
        settings = load_settings()
        db = open_database(settings)
        prepare(db)
        application = create_app(settings, db=db, local_admin=True)

        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://peaceops.local") as client:
                return await client.get(path)

        with anyio.from_thread.start_blocking_portal() as portal:  # its own thread: works inside a running loop too
            response = portal.call(fetch)
        try:
            payload = response.json()
        except ValueError:
            raise PeaceopsError(f"{path} did not return JSON (status {response.status_code}).") from None
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        if response.status_code >= 400:
            raise typer.Exit(1)

    guard(body)


def main() -> None:
    try:
        app()
    except PeaceopsError as exc:  # commands registered from domain packages raise; report them the same way
        err.print(f"[red]Error:[/red] {told(exc)}", highlight=False)
        sys.exit(1)
