"""``peaceops performance ...``: results frameworks and derived indicators from the command line."""

from __future__ import annotations

import time
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from peaceops.performance.provision import ProvisionReport

performance_app = typer.Typer(help="Mission performance: results frameworks and indicators.", no_args_is_help=True)
console = Console()


def print_provision(report: ProvisionReport, seconds: float) -> None:
    """One line per mission: derived indicators computed, waiting for data, and values written."""
    table = Table(title="Mission performance frameworks", caption="values: derived and formula values stored")
    for col in ("mission", "version", "computed", "no data", "pending", "values", "new", "changed"):
        table.add_column(col, justify="left" if col == "mission" else "right", no_wrap=True)
    for d in report.derived:
        statuses = [i["status"] for i in d.indicators]
        table.add_row(
            d.mission,
            str(d.version),
            str(statuses.count("computed")),
            str(statuses.count("no_data")),
            str(statuses.count("pending")),
            f"{sum(i['values'] for i in d.indicators):,}",
            f"{d.inserted:,}",
            f"{d.updated + d.removed:,}",
        )
    console.print(table)
    created = f"created for {', '.join(report.created)}" if report.created else "none created (all existed)"
    console.print(f"Frameworks: {created}; {seconds:.1f} s.", highlight=False)


@performance_app.command("refresh")
def refresh(
    mission: Annotated[list[str] | None, typer.Option("--mission", help="Only this mission (repeatable).")] = None,
) -> None:
    """Give each active mission (or the named ones) a framework from the template; recompute derived indicators."""
    from peaceops.cli.common import guard, load_settings, open_database
    from peaceops.platform import prepare, provision_performance

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        prepare(db, var_dir=settings.var_dir)
        started = time.perf_counter()
        report = provision_performance(db, settings.var_dir, missions=mission or None)
        print_provision(report, time.perf_counter() - started)

    guard(body)


@performance_app.command("renew")
def renew(
    mission: Annotated[str, typer.Argument(help="Mission acronym.")],
    mandate: Annotated[str, typer.Option(help="The mandate of the new version, e.g. 'S/RES/2709 (2023)'.")],
    start: Annotated[str, typer.Option("--from", help="First day of the new version, YYYY-MM-DD.")],
) -> None:
    """Start a new framework version at a mandate renewal; the current version stays readable."""
    from peaceops.access.policy import system_actor
    from peaceops.cli.common import guard, load_settings, open_database
    from peaceops.errors import ValidationFailed
    from peaceops.performance.derived import compute_derived
    from peaceops.performance.frameworks import find_mission, renew_framework
    from peaceops.platform import prepare

    def body() -> None:
        try:
            valid_from = date.fromisoformat(start)
        except ValueError:
            raise ValidationFailed(f"--from must be a date like 2024-07-01 (got {start!r}).") from None
        settings = load_settings()
        db = open_database(settings)
        prepare(db)
        with db.session() as session:
            found = find_mission(session, mission)
            framework = renew_framework(session, found, system_actor("cli"), mandate=mandate, valid_from=valid_from)
            compute_derived(session, framework, var_dir=settings.var_dir)
            console.print(f"{found.acronym}: framework version {framework.version} from {valid_from.isoformat()}.")

    guard(body)
