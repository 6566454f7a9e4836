"""``peaceops demo``'s strategic-communications step, ``peaceops comms retrain`` and ``peaceops comms classify``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from peaceops.cli.common import err, guard
from peaceops.settings import Settings
from peaceops.store import Database

console = Console()
comms_app = typer.Typer(help="Strategic communications: models and items.", no_args_is_help=True)
STEPS = ["lexicon", "items", "models", "harm-en", "harm-am", "claims-en", "scoring", "narratives", "spikes"]


def demo_and_print(db: Database, data_dir: Path, var_dir: Path, secret: str) -> None:
    """Load the labelled sets as items, train (or load cached) models, score, cluster; say what it cost."""
    from peaceops.comms import demo

    started = time.perf_counter()
    columns = (SpinnerColumn(), TextColumn("comms: {task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("starting", total=None)
        with db.session() as session:
            report = demo.load(session, data_dir, var_dir, secret, step=lambda s: bar.update(task, description=s))
    f1 = ", ".join(f"{name} {m['metrics'].get('macro_f1', '?')}" for name, m in report.models.items())  # type: ignore[attr-defined]
    console.print(
        f"Strategic communications: {report.items_added:,} items added ({report.items_unchanged:,} already there), "
        f"{report.flagged:,} waiting for review, {report.narratives} narratives; held-out macro-F1 {f1}; "
        f"{time.perf_counter() - started:.1f} s ({report.cpu_seconds:.1f} s of CPU).",
        highlight=False,
    )
    timing = report.timing
    days = sorted({a["day"] for a in report.alerts})
    console.print(
        f"  {timing.get('with_time', 0):,} of {timing.get('items', 0):,} items have a posting time (from tweet ids); "
        f"{len(report.alerts)} spike alerts"
        + (f" on {len(days)} days, {days[0]} to {days[-1]}" if days else "")
        + " (see /comms).",
        highlight=False,
    )


@comms_app.command("retrain")
def retrain_command(
    dataset: Annotated[
        str | None, typer.Option(help="One model: harm-en, harm-am or claims-en (default: all three).")
    ] = None,
) -> None:
    """Retrain with the analysts' confirm/dismiss decisions appended; print old and new version and macro-F1."""
    from peaceops.comms.retrain import retrain
    from peaceops.errors import PeaceopsError

    settings = Settings()
    db = Database(settings.db_url)
    try:
        with db.session() as session:
            results = retrain(session, settings.data_dir, settings.var_dir, [dataset] if dataset else None)
    except PeaceopsError as exc:
        console.print(f"[red]Error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    for r in results:
        old = f"{r.old_version[:16]} (macro-F1 {r.old_macro_f1})" if r.old_version else "none"
        if not r.changed:
            console.print(f"{r.name}: unchanged, {old}; {r.decisions} review decisions, none new.", highlight=False)
        else:
            console.print(
                f"{r.name}: {old} → {r.new_version[:16]} (macro-F1 {r.new_macro_f1}), "
                f"with {r.decisions} review decisions.",
                highlight=False,
            )


@comms_app.command("classify")
def classify_command(
    source: Annotated[Path, typer.Option("--in", help="CSV file with a header line (UTF-8).")],
    text_column: Annotated[str, typer.Option(help="The column holding the text to classify.")],
    language: Annotated[str, typer.Option(help="en or am: which harm model classifies the texts.")],
    out: Annotated[Path, typer.Option(help="CSV to write: the input's rows in order, plus label and probability.")],
) -> None:
    """Label every row of a CSV file hate, offensive or neither, with the label's probability."""
    from peaceops.comms.batch import classify_csv, harm_model

    def run() -> None:
        settings = Settings()
        model = harm_model(settings.var_dir, language.strip().lower())
        started = time.perf_counter()
        result = classify_csv(model, source, out, text_column)
        seconds = time.perf_counter() - started
        counts = ", ".join(f"{n:,} {label}" for label, n in sorted(result.by_label.items()))
        err.print(
            f"{result.rows:,} rows classified by {result.model} in {seconds:.1f} s "
            f"({result.rows / max(seconds, 1e-9):,.0f} rows/s): {counts or 'no text'}; written to {out}.",
            highlight=False,
        )

    guard(run)
