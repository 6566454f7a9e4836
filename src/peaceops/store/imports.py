"""The one import pipeline's tail: an import run recorded with its rejected lines, reported and audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from peaceops.sources.records import SourceRows
from peaceops.store import audit
from peaceops.store.provenance import ImportReport, record_import


def finish_import(
    session: Session,
    rows: SourceRows,
    actor: str,
    entity: str,
    counts: dict[str, int],
    changes: list[tuple[int, dict[str, Any], dict[str, Any]]],
) -> ImportReport:
    """The tail every file import shares: record the run and its rejected lines, build the report, audit it
    (one ``import`` entry for the run and one ``update`` entry per changed record)."""
    rows.rejections.sort(key=lambda r: r.line)
    run = record_import(
        session,
        kind=rows.kind,
        source=rows.path,
        sha256=rows.sha256,
        actor=actor,
        rows_read=rows.rows_read,
        counts=counts,
        rejections=[(r.line, r.reason) for r in rows.rejections],
    )
    report = ImportReport(
        kind=rows.kind,
        source=rows.path,
        layout=rows.layout,
        rows_read=rows.rows_read,
        accepted=rows.rows_read - len(rows.rejections),
        inserted=counts["inserted"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        rejections=rows.rejections,
        run_id=run.id,
    )
    audit.record(
        session, actor, "import", entity, run.id, after={k: v for k, v in report.as_dict().items() if k != "rejections"}
    )
    for entity_id, before, after in changes:
        audit.record(session, actor, "update", entity, entity_id, before=before, after=after)
    return report
