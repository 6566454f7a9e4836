"""``peaceops jobs``: queue long jobs, run workers, see where they stand (decision 051)."""

from __future__ import annotations

import json
import signal
import threading
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from peaceops.cli.common import console, guard, load_settings, open_database

jobs_app = typer.Typer(
    help="Long jobs (imports, monitoring runs, retraining, embedding) in a durable queue, run by workers.",
    no_args_is_help=True,
)


def _queue(kind: str, params: dict[str, object]) -> None:
    from peaceops.jobs import submit
    from peaceops.platform import prepare

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        prepare(db, var_dir=settings.var_dir)
        with db.write() as session:
            job = submit(session, kind, params, "cli")
            console.print(f"Queued job {job.id} ({kind}); `peaceops jobs list` shows where it stands.")

    guard(body)


@jobs_app.command("import")
def queue_import(
    kind: Annotated[str, typer.Argument(help="The import kind, as for `peaceops import`.")],
    file: Annotated[Path, typer.Argument(help="A file every worker can read (give a shared path).")],
) -> None:
    """Queue the import of one file."""
    _queue("import", {"kind": kind, "path": str(file)})


@jobs_app.command("monitor")
def queue_monitor(
    level: Annotated[str, typer.Option(help="cm, pgm or all.")] = "all",
    cutoff: Annotated[
        str | None, typer.Option(help="Last month of data, YYYY-MM; default as `peaceops monitor`.")
    ] = None,
    horizon: Annotated[int, typer.Option(min=1, max=36, help="Months ahead.")] = 12,
) -> None:
    """Queue a monitoring run (forecast and alerts)."""
    _queue("monitor", {"level": level, "horizon": horizon, **({"cutoff": cutoff} if cutoff else {})})


@jobs_app.command("retrain")
def queue_retrain(
    model: Annotated[str | None, typer.Option(help="harm-en, harm-am or claims-en (default: all).")] = None,
) -> None:
    """Queue the retraining of the communications classifiers."""
    _queue("retrain", {"model": model} if model else {})


@jobs_app.command("embed")
def queue_embed() -> None:
    """Queue the embedding of agreements and provisions not yet in the search cache."""
    _queue("embed", {})


@jobs_app.command("work")
def work(
    once: Annotated[bool, typer.Option("--once", help="Run the jobs due now, then exit.")] = False,
    stale_after: Annotated[
        int,
        typer.Option(
            min=10,  # twice the heartbeat interval at least: a live worker's job is never taken over
            help="Seconds without a heartbeat after which a running job counts as stalled and is run again.",
        ),
    ] = 120,
) -> None:
    """Run jobs from the queue until stopped (SIGTERM or Ctrl+C finish the current job's attempt first)."""
    from peaceops.jobs import run_worker, work_once
    from peaceops.platform import prepare
    from peaceops.store.analytics import Engine

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        prepare(db, var_dir=settings.var_dir)
        stale = timedelta(seconds=stale_after)
        engine = Engine.from_settings(settings)
        if once:
            ran = 0
            while work_once(db, settings.var_dir, settings.data_dir, stale_after=stale, engine=engine) is not None:
                ran += 1
            console.print(f"Ran {ran} job{'s' if ran != 1 else ''}.")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        console.print("Worker running; SIGTERM or Ctrl+C stops it after the current job.")
        run_worker(db, settings.var_dir, settings.data_dir, stop, stale_after=stale, engine=engine)

    guard(body)


@jobs_app.command("list")
def list_jobs(limit: Annotated[int, typer.Option(min=1, max=1000)] = 20) -> None:
    """The newest jobs with their status, attempts and progress."""
    from peaceops.store.jobs import recent

    def body() -> None:
        db = open_database(load_settings())
        with db.session() as session:
            rows = recent(session, limit)
        table = Table("id", "kind", "status", "attempts", "progress", "queued", "note")
        for job in rows:
            progress = f"{job.done_units:,}/{job.total_units:,}" if job.total_units else (job.step or "")
            note = job.error if job.status in ("failed", "queued") and job.error else json.dumps(job.summary)[:60]
            table.add_row(
                str(job.id),
                job.kind,
                job.status,
                f"{job.attempts}/{job.max_attempts}",
                progress,
                f"{job.created_at:%Y-%m-%d %H:%M}",
                note,
            )
        console.print(table)

    guard(body)
