"""What every command shares: the settings and database it works on, one-sentence errors, progress bars."""

from __future__ import annotations

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

from peaceops.errors import PeaceopsError
from peaceops.settings import Settings
from peaceops.store import Database

console = Console()
err = Console(stderr=True)
T = TypeVar("T")


def load_settings() -> Settings:
    return Settings()


def open_database(settings: Settings) -> Database:
    return Database(settings.db_url)


def guard(fn: Callable[[], T]) -> T:
    """Run a command body; a PeaceopsError becomes one sentence on stderr and exit code 1."""
    try:
        return fn()
    except PeaceopsError as exc:
        err.print(f"[red]Error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None


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
