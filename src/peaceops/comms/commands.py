"""``peaceops demo``'s strategic-communications step, with a progress display and a one-line summary."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from peaceops.store import Database

console = Console()
STEPS = ["lexicon", "items", "models", "harm-en", "harm-am", "claims-en", "scoring", "narratives"]


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
