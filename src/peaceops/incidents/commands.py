"""``peaceops incidents ...``: build the gazetteer from the event store and import incident CSV files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from peaceops.errors import ImportFileError
from peaceops.settings import Settings
from peaceops.store import Database

incidents_app = typer.Typer(help="Mission incident reports: gazetteer and CSV import.", no_args_is_help=True)
console = Console()


class _Operator:
    """The person at the command line: an administrator of every mission, with every compartment."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.role = "admin"
        self.mission: str | None = None
        self.compartments = frozenset({"*"})


@incidents_app.command("gazetteer")
def gazetteer_command(
    country: Annotated[
        list[str] | None, typer.Option(help="ISO3 codes to rebuild (default: all in the store).")
    ] = None,
) -> None:
    """Rebuild the gazetteer (admin-1 areas, named places) from the events in the event store."""
    from peaceops.incidents.gazetteer import build_gazetteer

    settings = Settings()
    db = Database(settings.db_url)
    with db.session() as session:
        counts = build_gazetteer(session, settings.var_dir, "cli", countries=country)
    console.print(
        f"Gazetteer: {counts['admin1']} admin-1 areas, {counts['places']} places in {counts['countries']} countries."
    )


@incidents_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="CSV file, one incident per row (see incidents/importing.py).")],
    mission: Annotated[str, typer.Option(help="Mission acronym the incidents belong to.")],
    actor: Annotated[str, typer.Option(help="Name written to the audit log.")] = "cli",
) -> None:
    """Import incidents; rejected rows are listed with their line and reason, the good rows are kept."""
    from peaceops.incidents.importing import import_incidents

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"{path} cannot be read as UTF-8 text: {exc}.") from None
    db = Database(Settings().db_url)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console) as progress, db.session() as session:
        task = progress.add_task(f"Importing {path.name}", total=None)
        result = import_incidents(
            session,
            _Operator(actor),
            mission,
            text,
            lambda done, total: progress.update(task, completed=done, total=total),
        )
    console.print(
        f"{result.mission}: {result.rows} rows, {result.inserted} new, {result.updated} changed, "
        f"{result.unchanged} unchanged, {len(result.rejected)} rejected."
    )
    for r in result.rejected:
        console.print(f"  line {r['line']}: {r['reason']}", highlight=False)
