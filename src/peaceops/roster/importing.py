"""``peaceops import experts FILE.csv``: the roster's CSV import as an import kind, recorded as an import
run with its rejected lines (the same upsert by email as the upload form; see ``roster.import_experts``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from peaceops.access.policy import system_actor
from peaceops.errors import ImportFileError
from peaceops.roster.experts import import_experts
from peaceops.sources.records import Rejection
from peaceops.store.provenance import ImportReport, record_import
from peaceops.store.sync import ProgressStart

KIND = "experts"


def import_experts_file(session: Session, path: Path, actor: str, progress: ProgressStart = None) -> ImportReport:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(f"{path.name} is not UTF-8 text; save it as CSV UTF-8.") from None
    done = import_experts(session, system_actor(actor), text, path.name, progress)
    rejections = [Rejection(r["line"], r["reason"]) for r in done.rejected]
    counts = {"inserted": done.created, "updated": done.updated, "unchanged": done.unchanged}
    run = record_import(
        session, kind=KIND, source=str(path), sha256=hashlib.sha256(raw).hexdigest(), actor=actor,
        rows_read=done.rows_read, counts=counts, rejections=[(r.line, r.reason) for r in rejections],
    )  # fmt: skip
    return ImportReport(
        kind=KIND, source=str(path), layout="csv", rows_read=done.rows_read,
        accepted=done.rows_read - len(rejections), rejections=rejections, run_id=run.id, **counts,
    )  # fmt: skip


IMPORTERS = {KIND: import_experts_file}
