"""Loading event files (UCDP GED, ACLED) into the Parquet event store, with provenance and audit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from peaceops.errors import ConfigurationError
from peaceops.sources.acled import read_acled
from peaceops.sources.records import SourceRows
from peaceops.sources.ucdp import read_ged
from peaceops.store.coverage import record_coverage
from peaceops.store.events import to_table, write_events
from peaceops.store.imports import Importer, ImportJob, ImportKind, finish_import
from peaceops.store.provenance import ImportReport
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
    return finish_import(session, rows, actor, "event", counts, accepted=len(rows.records))


def _importer(kind: str) -> Importer:
    def importer(session: Session, job: ImportJob) -> ImportReport:
        if job.var_dir is None:  # platform.import_file says so first; this guards direct calls
            raise ConfigurationError(f"Importing {kind} files needs the var directory that holds the event store.")
        return import_events(session, kind, job.path, job.actor, job.var_dir, job.progress)

    return importer


KINDS = (
    ImportKind(
        "ucdp-ged", _importer("ucdp-ged"), "conflict events",
        "UCDP Georeferenced Event Dataset CSV (optionally gzip-compressed), into the Parquet event store.",
        needs_var_dir=True,
        demo_files=tuple(
            ("ucdp", "ged", f"ged_{country}.csv.gz")
            for country in ("central_african_republic", "myanmar", "mexico", "syria_2016_2019")
        ),  # the countries' series (the global sample is a schema fixture, not a series)
    ),
    ImportKind(
        "acled", _importer("acled"), "conflict events",
        "An ACLED export (old or current schema), into the Parquet event store.",
        needs_var_dir=True,
    ),
)  # fmt: skip
