"""Loading event files (UCDP GED, ACLED) into the Parquet event store, with provenance and audit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from peaceops.sources.acled import read_acled
from peaceops.sources.records import SourceRows
from peaceops.sources.ucdp import read_ged
from peaceops.store import audit
from peaceops.store.coverage import record_coverage
from peaceops.store.events import to_table, write_events
from peaceops.store.provenance import ImportReport, record_import
from peaceops.store.sync import ProgressStart

READERS: dict[str, Callable[[Path], SourceRows]] = {"ucdp-ged": read_ged, "acled": read_acled}


def import_events(
    session: Session, kind: str, path: Path, actor: str, var_dir: Path, progress: ProgressStart = None
) -> ImportReport:
    """Read one event file, merge it into the store under ``var_dir``, and record the run.

    The Parquet write comes first: a file-level error leaves both the store and the database untouched,
    and a database failure afterwards is repaired by importing again (the merge is idempotent).
    """
    rows = READERS[kind](path)
    tick = progress(len(rows.records)) if progress else None
    counts = write_events(var_dir, rows)
    record_coverage(session, to_table(rows))
    if tick:
        tick(len(rows.records))
    run = record_import(
        session,
        kind=kind,
        source=rows.path,
        sha256=rows.sha256,
        actor=actor,
        rows_read=rows.rows_read,
        counts=counts,
        rejections=[(r.line, r.reason) for r in rows.rejections],
    )
    report = ImportReport(
        kind=kind,
        source=rows.path,
        layout=rows.layout,
        rows_read=rows.rows_read,
        accepted=len(rows.records),
        rejections=list(rows.rejections),
        run_id=run.id,
        **counts,
    )
    summary = {k: v for k, v in report.as_dict().items() if k != "rejections"}
    audit.record(session, actor, "import", "event", run.id, after=summary)
    return report
