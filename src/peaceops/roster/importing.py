"""``peaceops import experts FILE.csv`` and the roster's upload form: the roster's CSV import as an import
kind, recorded as an import run with its rejected lines (the upsert by email is ``roster.import_experts``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, system_actor
from peaceops.i18n import N_
from peaceops.roster.experts import import_experts
from peaceops.roster.shapes import ExpertImportSummary, RejectedExpertLine
from peaceops.sources.records import Rejection
from peaceops.sources.tabular import decode
from peaceops.store.imports import ImportJob, ImportKind, finish_import, text_rows
from peaceops.store.provenance import ImportReport

KIND = "experts"


def import_experts_file(session: Session, job: ImportJob) -> ImportReport:
    """The file as one run; each rejection keeps the line's email as its ``detail`` (the upload page lists it)."""
    raw = job.path.read_bytes()
    text = decode(raw)  # a line that is not UTF-8 is rejected alone, with its number
    who = job.who if isinstance(job.who, Actor) else system_actor(job.actor)
    done = import_experts(session, who, text, job.path.name, job.progress)
    rejections = [Rejection(r["line"], r["reason"], detail=r["email"]) for r in done.rejected]
    counts = {"inserted": done.created, "updated": done.updated, "unchanged": done.unchanged}
    rows = text_rows(KIND, str(job.path), raw, "csv", done.rows_read, rejections)
    return finish_import(session, rows, job.actor, "expert_import", counts)


def upload_summary(report: ImportReport) -> ExpertImportSummary:
    """An ``experts`` import run in the roster's words: created, updated, unchanged, each rejected line's email."""
    return ExpertImportSummary(
        created=report.inserted,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=[RejectedExpertLine(line=r.line, email=r.detail, reason=r.reason) for r in report.rejections],
        run_id=report.run_id,
    )


KINDS = (
    ImportKind(
        KIND, import_experts_file, N_("the expert roster"),
        N_("Experts (CSV: name, email, expertise and optional languages, regions, availability), upserted by email."),
        uploadable=True,
    ),
)  # fmt: skip
