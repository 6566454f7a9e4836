"""What every command shares: the settings and database it works on, one-sentence errors, progress bars."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.exc import DBAPIError, OperationalError

from peaceops.errors import PeaceopsError
from peaceops.settings import Settings
from peaceops.store import Database, audit
from peaceops.store.database import is_busy

console = Console()
err = Console(stderr=True)
T = TypeVar("T")


def load_settings() -> Settings:
    return Settings()


def open_database(settings: Settings) -> Database:
    return Database(settings.db_url)


def _client() -> str:
    """What the audit log records as a command's origin: the machine's user."""
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return "cli"


def guard(fn: Callable[[], T]) -> T:
    """Run a command body; a PeaceopsError or a database failure becomes one sentence on stderr and exit
    code 1 (never a traceback: a driver error's text can hold the statement's values, a password hash)."""
    try:
        with audit.client(_client()):
            return fn()
    except PeaceopsError as exc:
        err.print(f"[red]Error:[/red] {told(exc)}", highlight=False)
        raise typer.Exit(1) from None
    except OperationalError as exc:
        err.print(f"[red]Error:[/red] {database_problem(exc)}", highlight=False)
        raise typer.Exit(1) from None
    except DBAPIError as exc:
        reason = type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__
        err.print(f"[red]Error:[/red] The database refused the change ({reason}); nothing was saved.", highlight=False)
        raise typer.Exit(1) from None


def told(exc: PeaceopsError) -> str:
    """An error as the command line says it: the same sentences as the web page's, the message and, for a file
    refused as a whole, which file is expected (``ImportFileError.hint``)."""
    hint = getattr(exc, "hint", "")
    return f"{exc} {hint}" if hint else str(exc)


def database_problem(exc: OperationalError) -> str:
    """One sentence for a database that cannot be used right now."""
    text = str(exc.orig) if exc.orig is not None else ""
    if is_busy(exc):
        return (
            "The database is busy: another job is writing to it. Nothing was saved; "
            "try again when that job has finished."
        )
    return (
        f"The database could not be reached or used ({text.splitlines()[0][:200] if text else 'no reason given'}). "
        "Nothing was saved; check PEACEOPS_DATABASE_URL and that the server is running."
    )


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


@contextmanager
def step_progress() -> Iterator[Callable[[str, int | None], Callable[[int], None]]]:
    """A progress line per step of a long job: ``step(label, total)`` starts one (finishing the one before)
    and returns the callback that advances it; a step of unknown size pulses until the next one starts.
    Nothing is drawn before the first step (a job refused at once prints its error alone)."""
    columns = (TextColumn("{task.description:<16}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    bar = Progress(*columns, console=console)
    tasks: list[Any] = []

    def finish() -> None:
        for task in tasks:
            done = bar.tasks[task].total or bar.tasks[task].completed or 1
            bar.update(task, total=done, completed=done)

    def step(label: str, total: int | None) -> Callable[[int], None]:
        if not tasks:
            bar.start()
        finish()
        task = bar.add_task(label, total=total)
        tasks.append(task)
        return lambda n: bar.advance(task, n)

    try:
        yield step
        finish()
    finally:
        if tasks:
            bar.stop()
