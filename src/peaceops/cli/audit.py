"""``peaceops audit``: check that the audit log is whole (hash chain, decision 022)."""

from __future__ import annotations

from typing import Annotated

import typer

from peaceops.cli.common import console, err, guard, load_settings, open_database
from peaceops.errors import ValidationFailed
from peaceops.store import audit

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)


def _anchor(text: str | None) -> tuple[int, str] | None:
    if not text:
        return None
    entry, _, digest = text.partition(":")
    if not entry.isdigit() or len(digest) != 64:
        raise ValidationFailed(f"An anchor is ENTRY:HASH as `peaceops audit verify` prints it (got {text!r}).")
    return int(entry), digest.lower()


@audit_app.command("verify")
def verify(
    anchor: Annotated[
        str | None,
        typer.Option(help="A head printed by an earlier run (ENTRY:HASH): it must still be in the log."),
    ] = None,
) -> None:
    """Walk the audit log's hash chain; exit 1 at the first changed, removed or inserted entry."""

    def body() -> None:
        expected = _anchor(anchor)
        db = open_database(load_settings())
        with console.status("Checking the audit log's hash chain…"), db.session() as session:
            verdict = audit.verify(session, anchor=expected)
        if not verdict.ok:
            err.print(f"[red]The audit log was tampered with:[/red] {verdict.problem}", highlight=False)
            err.print(f"Entries checked before it: {verdict.entries - 1}.", highlight=False)
            raise typer.Exit(1)
        console.print(f"The audit log is whole: {verdict.entries} entries.", highlight=False)
        if verdict.head_id is not None:
            console.print(
                f"Head: {verdict.head_id}:{verdict.head_hash} (keep it; `--anchor` checks it later)",
                highlight=False,
            )

    guard(body)
