"""Loading the UN table of allegations: link missions, upsert by natural key, record provenance and audit."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.conduct.models import Allegation
from peaceops.missions.lookup import mission_ids
from peaceops.sources.un_conduct import read_allegations
from peaceops.store import audit
from peaceops.store.provenance import ImportReport, record_import
from peaceops.store.sync import ProgressStart, sync_rows


def import_allegations(session: Session, path: Path, actor: str, progress: ProgressStart = None) -> ImportReport:
    """Import the table of allegations; a mission outside the peacekeeping register is kept by its acronym.

    The UN table covers every field mission, special political missions included, so an allegation in
    UNAMA or UNSOS is stored with ``mission_id`` empty rather than dropped: the conduct figures then add up
    to the published table.
    """
    rows = read_allegations(path)
    ids = mission_ids(session)
    records = [{**record, "mission_id": ids.get(record["mission_acronym"])} for _, record in rows.records]
    result = sync_rows(
        session,
        Allegation,
        ["allegation_key"],
        records,
        progress=progress(len(records)) if progress else None,
    )
    counts = {"inserted": result.inserted, "updated": result.updated, "unchanged": result.unchanged}
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
        accepted=len(rows.records),
        inserted=result.inserted,
        updated=result.updated,
        unchanged=result.unchanged,
        rejections=rows.rejections,
        run_id=run.id,
    )
    summary = {k: v for k, v in report.as_dict().items() if k != "rejections"}
    summary["outside_register"] = sorted({r["mission_acronym"] for r in records if r["mission_id"] is None})
    audit.record(session, actor, "import", "conduct_allegation", run.id, after=summary)
    for before, after in result.changes:
        audit.record(session, actor, "update", "conduct_allegation", run.id, before=before, after=after)
    return report


def allegation_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Allegation)) or 0)


IMPORTERS = {"allegations": import_allegations}
