"""Importing commitments and their status updates from CSV or XLSX (layout: ``sources.commitments``).

Each row names a commitment by its agreement (PA-X AgtId) and reference; the commitment is created the
first time and updated where a later row gives a non-blank value that differs. A row with a status adds
that status change unless the same status on the same day is already recorded; linked debriefs and
incidents are added once. So a rerun of the same file changes nothing. A row that names an agreement,
process, debrief or incident peaceops does not hold is rejected with its line number; the others are kept.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_editor, system_actor
from peaceops.agreements.models import Agreement
from peaceops.commitments.models import Commitment, CommitmentLink, as_row
from peaceops.commitments.tracking import WHAT, StatusDoc, add_status
from peaceops.i18n import N_
from peaceops.incidents.models import Incident
from peaceops.processes.models import Debrief, PeaceProcess
from peaceops.sources.commitments import read_commitments
from peaceops.sources.records import Rejection
from peaceops.store.imports import ImportJob, ImportKind, finish_import
from peaceops.store.provenance import ImportReport

KIND = "commitments"


class _Refused(Exception):
    """A row that refers to something peaceops does not hold."""


def _check_refs(session: Session, record: dict[str, Any]) -> int:
    agreement_id = session.scalar(select(Agreement.id).where(Agreement.pax_id == record["agreement"]))
    if agreement_id is None:
        raise _Refused(
            f"agreement {record['agreement']} is not in the agreements memory; import PA-X first "
            "(peaceops import pax FILE) or check the AgtId"
        )
    if record["process"] is not None and session.get(PeaceProcess, record["process"]) is None:
        raise _Refused(f"process {record['process']} is not in the process registry (see /processes)")
    for model, name in ((Debrief, "debriefs"), (Incident, "incidents")):
        for target in record[name]:
            if session.get(model, target) is None:
                raise _Refused(f"{name[:-1]} {target} does not exist")
    return int(agreement_id)


def _upsert(session: Session, record: dict[str, Any], agreement_id: int, actor: str) -> str:
    """Write one row; returns "inserted", "updated" or "unchanged"."""
    commitment = session.scalar(
        select(Commitment).where(Commitment.agreement_id == agreement_id, Commitment.ref == record["ref"])
    )
    outcome = "unchanged"
    if commitment is None:
        commitment = Commitment(agreement_id=agreement_id, ref=record["ref"], status="not_assessed", created_by=actor)
        commitment.text, commitment.parties, commitment.due = "", [], ""
        session.add(commitment)
        outcome = "inserted"
    before = as_row(commitment)
    given = {
        "category": record["category"],
        "text": record["text"],
        "parties": record["parties"],
        "due": record["due"],
        "process_id": record["process"],
    }
    for field, value in given.items():
        if value not in (None, "", []) and before[field] != value:
            setattr(commitment, field, value)
    session.flush()
    if outcome == "unchanged" and as_row(commitment) != before:
        outcome = "updated"
    if record["status"]:
        doc = StatusDoc.model_construct(
            status=record["status"],
            changed_on=record["status_date"],
            evidence=record["evidence"],
            source=record["source"],
        )
        if add_status(session, commitment, doc, record["recorded_by"] or actor) is not None and outcome == "unchanged":
            outcome = "updated"
    have = {(link.kind, link.target_id) for link in commitment.links}
    for kind in ("debrief", "incident"):
        for target in record[f"{kind}s"]:
            if (kind, target) not in have:
                commitment.links.append(CommitmentLink(kind=kind, target_id=target))
                have.add((kind, target))
                outcome = "updated" if outcome == "unchanged" else outcome
    session.flush()
    return outcome


def import_commitments(session: Session, job: ImportJob) -> ImportReport:
    who = job.who if isinstance(job.who, Actor) else system_actor(job.actor)
    check_editor(who, WHAT)
    rows = read_commitments(job.path)
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    advance = job.progress(len(rows.records)) if job.progress else None
    accepted = 0
    for line, record in rows.records:
        try:
            with session.begin_nested():
                agreement_id = _check_refs(session, record)
                counts[_upsert(session, record, agreement_id, who.username)] += 1
                accepted += 1
        except _Refused as exc:
            rows.rejections.append(Rejection(line, f"Line {line}: {exc}."))
        if advance:
            advance(1)
    return finish_import(session, rows, job.actor, "commitment", counts, accepted=accepted)


KINDS = (
    ImportKind(
        KIND, import_commitments, N_("implementation commitments"),
        N_(
            "Commitments of peace agreements and their status updates, CSV or XLSX, one row each "
            "(columns agreement, ref or category, text, parties, due, process, status, status_date, evidence, "
            "source, recorded_by, debriefs, incidents; see docs/commitments.md); rerunning a file changes nothing."
        ),
        uploadable=True,
    ),
)  # fmt: skip
