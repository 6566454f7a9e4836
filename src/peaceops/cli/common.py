"""What every command shares: the settings and database it works on, one-sentence errors, progress bars."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
