"""Loading the UN table of allegations: link missions, upsert by natural key, record provenance and audit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.conduct.models import Allegation
from peaceops.missions.lookup import mission_ids
from peaceops.sources.un_conduct import read_allegations
from peaceops.store.imports import ImportJob, ImportKind, finish_import
from peaceops.store.provenance import ImportReport
from peaceops.store.sync import sync_rows


def import_allegations(session: Session, job: ImportJob) -> ImportReport:
    """Import the table of allegations; a mission outside the peacekeeping register is kept by its acronym.

    The UN table covers every field mission, special political missions included, so an allegation in
    UNAMA or UNSOS is stored with ``mission_id`` empty rather than dropped: the conduct figures then add up
    to the published table.
    """
    rows = read_allegations(job.path)
    ids = mission_ids(session)
    records = [{**record, "mission_id": ids.get(record["mission_acronym"])} for _, record in rows.records]
    result = sync_rows(
        session,
        Allegation,
        ["allegation_key"],
        records,
        progress=job.progress(len(records)) if job.progress else None,
    )
    counts = {"inserted": result.inserted, "updated": result.updated, "unchanged": result.unchanged}
    outside = sorted({r["mission_acronym"] for r in records if r["mission_id"] is None})
    changes = [(None, before, after) for before, after in result.changes]
    return finish_import(
        session, rows, job.actor, "conduct_allegation", counts, changes,
        accepted=len(rows.records), extra={"outside_register": outside},
    )  # fmt: skip


def allegation_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Allegation)) or 0)


KINDS = (
    ImportKind(
        "allegations", import_allegations, "allegations",
        "The UN table of allegations of sexual exploitation and abuse (XLSX sheet \"Export\", or CSV).",
        demo_files=(("un_peacekeeping", "conduct", "table_of_allegations_as_of_july_2024.xlsx"),),
    ),
)  # fmt: skip
