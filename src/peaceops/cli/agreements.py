"""``peaceops agreements ...``: build the semantic index, search and export from the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from peaceops.store import Database

agreements_app = typer.Typer(help="Peace agreements memory: semantic index, search, export.", no_args_is_help=True)
console = Console()


def index_and_print(db: Database, var_dir: Path) -> None:
    """Embed every agreement and provision not yet cached, with a progress bar, and say what it cost."""
    from peaceops.agreements.semantic import build_index

    with Progress(
        TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as bar:
        task = bar.add_task("embeddings", total=None)

        def start(total: int) -> Callable[[int], None]:
            bar.update(task, total=total)
            return lambda n: bar.advance(task, n)

        with db.session() as session:
            report = build_index(session, var_dir, start)
    console.print(
        f"Agreement search index ({report.model}): {report.agreements:,} agreements and {report.provisions:,} "
        f"provisions; {report.computed:,} texts embedded now, the rest from the cache; {report.seconds:.1f} s.",
        highlight=False,
    )


@agreements_app.command("index")
def index() -> None:
    """Embed the agreements and provisions not yet in the cache under <var_dir>/embeddings/ (offline)."""
    from peaceops.cli.common import guard, load_settings, open_database
    from peaceops.platform import prepare

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        prepare(db)
        index_and_print(db, settings.var_dir)

    guard(body)


@agreements_app.command("export")
def export(
    q: Annotated[str, typer.Argument(help='The search query (keyword syntax: words, "phrases", OR, -word).')],
    out: Annotated[Path, typer.Option("--out", help="File to write: .csv, .html or .pdf.")],
    mode: Annotated[str, typer.Option(help="keyword, semantic or hybrid.")] = "hybrid",
    limit: Annotated[int, typer.Option(help="How many agreements, 1-200.")] = 20,
) -> None:
    """Write the agreements a search finds to a CSV file or a brief (HTML, or PDF where WeasyPrint is installed)."""
    from peaceops.agreements.export import export_csv
    from peaceops.agreements.search import search
    from peaceops.cli.common import guard, load_settings, open_database
    from peaceops.platform import prepare
    from peaceops.reports.agreements_brief import render_brief
    from peaceops.reports.pdf import to_pdf

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        prepare(db)
        with db.session() as session:
            results = search(session, settings.var_dir, q, mode=mode, limit=limit)
            ids = [r.agreement_id for r in results]
            suffix = out.suffix.lower()
            if suffix == ".csv":
                out.write_text(export_csv(session, ids), encoding="utf-8")
            elif suffix in (".html", ".htm"):
                out.write_text(render_brief(session, ids, title=f"Agreements: {q}"), encoding="utf-8")
            elif suffix == ".pdf":
                out.write_bytes(to_pdf(render_brief(session, ids, title=f"Agreements: {q}")))
            else:
                from peaceops.errors import ValidationFailed

                raise ValidationFailed(f"Cannot write {out.name}: use a .csv, .html or .pdf file name.")
        sys.stdout.write(json.dumps({"written": str(out), "agreements": len(ids)}) + "\n")

    guard(body)
