"""``peaceops incidents ...``: build the gazetteer from the event store and import incident CSV files."""

from __future__ import annotations

from collections.abc import Callable
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


@incidents_app.command("gazetteer")
def gazetteer_command(
    country: Annotated[
        list[str] | None, typer.Option(help="ISO3 codes to rebuild (default: all in the store).")
    ] = None,
) -> None:
    """Rebuild the gazetteer (admin-1 areas, named places) from the events in the event store."""
    settings = Settings()
    gazetteer_and_print(Database(settings.db_url), settings.var_dir, "cli", countries=country)


def gazetteer_and_print(db: Database, var_dir: Path, actor: str, countries: list[str] | None = None) -> dict[str, int]:
    """Rebuild the gazetteer from the event store and say what it holds and how many incidents it placed
    (``peaceops incidents gazetteer`` and the demo, whose incidents would otherwise have no area)."""
    from peaceops.incidents.gazetteer import build_gazetteer

    with db.write() as session:
        counts = build_gazetteer(session, var_dir, actor, countries=countries)
    console.print(
        f"Gazetteer: {counts['admin1']:,} admin-1 areas, {counts['places']:,} places in {counts['countries']} "
        f"countries, from the event store; {counts['incidents']:,} incidents given their admin-1 area.",
        highlight=False,
    )
    return counts


@incidents_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="CSV file, one incident per row (see incidents/importing.py).")],
    mission: Annotated[
        str | None, typer.Option(help="Mission acronym the rows belong to (else a mission column per row).")
    ] = None,
    actor: Annotated[str, typer.Option(help="Name written to the audit log and the import run.")] = "cli",
) -> None:
    """Import incidents as an import run (like `peaceops import incidents FILE`, for one named mission);
    rejected rows are listed with their line and reason, the good rows are kept."""
    from peaceops.platform import import_file

    if not path.is_file():
        raise ImportFileError(f"{path} is not a file.")
    db = Database(Settings().db_url)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"Importing {path.name}", total=None)

        def start(total: int) -> Callable[[int], None]:
            progress.update(task, total=total)
            return lambda n: progress.advance(task, n)

        report = import_file(db, "incidents", path, actor, start, mission=mission)
    console.print(
        f"{path.name}: {report.rows_read} rows, {report.inserted} new, {report.updated} changed, "
        f"{report.unchanged} unchanged, {report.rejected} rejected (import run {report.run_id})."
    )
    for r in report.rejections:
        console.print(f"  line {r.line}: {r.reason}", highlight=False)
