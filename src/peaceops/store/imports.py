"""The one import pipeline's parts: what an import kind is, the job it is given, and the tail every importer
ends with (the run recorded with its rejected lines, the report built, the audit entries written).

Each domain declares its kinds next to its importer (``KINDS`` in its ``importing.py``); ``platform``
collects them into the one registry that the CLI, the upload form and the API read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from peaceops.sources.records import Rejection, SourceRows
from peaceops.store import audit
from peaceops.store.provenance import ImportReport, record_import
from peaceops.store.sync import ProgressStart, sync_rows


@dataclass(frozen=True)
class ImportJob:
    """One file to import and who imports it."""

    path: Path
    actor: str  # the name written on the import run and in the audit log
    progress: ProgressStart = None
    var_dir: Path | None = None  # kinds with ``needs_var_dir`` write the Parquet event store there
    # The uploader (an ``access.policy.Actor``; the store sits below ``access``, so it is not named here):
    # mission-scoped kinds import with their rights. None: a local administrator named ``actor``.
    who: object | None = None
    mission: str | None = None  # the mission a mission-scoped file is for, when its rows do not say


Importer = Callable[[Session, ImportJob], ImportReport]


@dataclass(frozen=True)
class ImportKind:
    """One kind of file ``peaceops import KIND FILE``, the upload form and the API accept."""

    name: str
    importer: Importer
    label: str  # what the rows are, in the words of a refusal ("environmental figures")
    description: str  # the file and its layout, one sentence
    mission_scoped: bool = False  # rows belong to a mission: mission officers import their own mission's
    uploadable: bool = False  # may be posted to /imports/upload and /api/imports/{kind}
    needs_var_dir: bool = False  # writes the event store under the var directory
    demo_files: tuple[tuple[str, ...], ...] = ()  # files of the shared data directory the demo loads


# An upload's own file name, recorded instead of the temporary path it was written to on the server.
_UPLOAD_NAME: ContextVar[str | None] = ContextVar("upload_name", default=None)


@contextmanager
def recorded_as(name: str) -> Iterator[None]:
    """The file imported inside this block is an upload: its run, report and audit entry name it ``name``
    (its own file name), never the server's temporary path, which no user should see."""
    token = _UPLOAD_NAME.set(name)
    try:
        yield
    finally:
        _UPLOAD_NAME.reset(token)


def text_rows(
    kind: str, source: str, raw: bytes, layout: str, rows_read: int, rejections: list[Rejection]
) -> SourceRows:
    """The ``SourceRows`` of an importer that parses its own text (CSV, TOML, JSONL), for ``finish_import``."""
    return SourceRows(
        kind=kind,
        path=source,
        sha256=hashlib.sha256(raw).hexdigest(),
        layout=layout,
        rejections=rejections,
        rows_read=rows_read,
    )


def finish_import(
    session: Session,
    rows: SourceRows,
    actor: str,
    entity: str,
    counts: dict[str, int],
    changes: Sequence[tuple[object, dict[str, Any], dict[str, Any]]] = (),
    *,
    accepted: int | None = None,
    extra: dict[str, Any] | None = None,
) -> ImportReport:
    """The tail every file import shares: record the run and its rejected lines (``rows.rejections``),
    build the report, audit it: one ``import`` entry for the run (its counts, plus ``extra``) and one
    ``update`` entry per changed record, ``(record id, before, after)``; a record id of None points the
    entry at the run (for imports whose changed rows have no single id).

    ``accepted`` defaults to the lines read less the lines rejected."""
    rows.rejections.sort(key=lambda r: r.line)
    source = _UPLOAD_NAME.get() or rows.path
    run = record_import(
        session,
        kind=rows.kind,
        source=source,
        sha256=rows.sha256,
        actor=actor,
        rows_read=rows.rows_read,
        counts=counts,
        rejections=[(r.line, r.reason) for r in rows.rejections],
    )
    report = ImportReport(
        kind=rows.kind,
        source=source,
        layout=rows.layout,
        rows_read=rows.rows_read,
        accepted=rows.rows_read - len(rows.rejections) if accepted is None else accepted,
        inserted=counts["inserted"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        removed=counts.get("removed", 0),
        rejections=rows.rejections,
        run_id=run.id,
    )
    summary = {k: v for k, v in report.as_dict().items() if k != "rejections"} | (extra or {})
    audit.record(session, actor, "import", entity, run.id, after=summary)
    for entity_id, before, after in changes:
        audit.record(
            session, actor, "update", entity, run.id if entity_id is None else entity_id, before=before, after=after
        )
    return report


class LineProblem(ValueError):
    """One line's problem, in words that say what to fix: the line is rejected alone, the others kept."""


def import_lines(
    session: Session,
    job: ImportJob,
    kind: str,
    table: tuple[str, str, list[tuple[int, dict[str, str] | str]]],
    parse: Callable[[dict[str, str]], dict[str, Any]],
    model: type[Any],
    key: list[str],
    entity: str,
) -> ImportReport:
    """The path every spreadsheet importer shares (training, resources, support, transitions): each line of
    ``table`` (``sources.workbook.read_table``'s answer) parsed alone, a repeated key rejected, the rest
    upserted by ``key``, the run recorded and audited (``finish_import``)."""
    layout, digest, rows = table
    source = SourceRows(kind=kind, path=str(job.path), sha256=digest, layout=layout, rows_read=len(rows))
    records: dict[tuple[Any, ...], dict[str, Any]] = {}
    for line, row in rows:
        if isinstance(row, str):
            source.reject(line, row)
            continue
        try:
            record = parse(row)
        except LineProblem as exc:
            source.reject(line, str(exc))
            continue
        natural = tuple(record[k] for k in key)
        if natural in records:
            source.reject(line, "repeats an earlier line of the file (same key); keep one of them")
            continue
        records[natural] = record
    result = sync_rows(session, model, key, list(records.values()))
    counts = {"inserted": result.inserted, "updated": result.updated, "unchanged": result.unchanged}
    changes = [(None, before, after) for before, after in result.changes]
    return finish_import(session, source, job.actor, entity, counts, changes, accepted=len(records))
