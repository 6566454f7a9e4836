"""``peaceops notify``: deliver the notifications the outbox holds (decision 040)."""

from __future__ import annotations

import typer

from peaceops.cli.common import console, err, guard, load_settings, open_database
from peaceops.settings import Settings
from peaceops.store import Database

notify_app = typer.Typer(
    help="Notifications: e-mail and webhooks to the people who follow things.", no_args_is_help=True
)


def send_and_print(db: Database, settings: Settings) -> None:
    """Send what is due and say what happened; a failure to send is reported, never raised."""
    from peaceops.notifications import send_pending

    report = send_pending(db, settings)
    console.print(
        f"Notifications: {report.sent} sent, {report.failed} failed (retried later), {report.withheld} withheld; "
        f"{report.fanned_out} new deliveries",
        highlight=False,
    )
    for problem in report.problems:
        err.print(f"Not sent: {problem}.", highlight=False)


@notify_app.command("send")
def send() -> None:
    """Send pending notifications: one message per change, digests once their day is over; a rerun sends
    nothing new, and a failure stays pending with its reason, retried with back-off."""

    def body() -> None:
        settings = load_settings()
        db = open_database(settings)
        send_and_print(db, settings)

    guard(body)
