"""Reading and recording commitments: lists with filters, one commitment with its history and the linked
records its reader may see, and status changes (recorded by analysts and administrators; viewers read).

Linked debriefs and incidents are confidential: a debrief shows only to holders of its process's
compartment, an incident only to whom the incidents' access rule lets read it; for anyone else the link
is neither named nor counted.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from peaceops.access import compartments
from peaceops.access.policy import Actor, check_editor
from peaceops.agreements.models import Agreement, AgreementCategory, AgreementCountry
from peaceops.commitments.models import STATUS_LABELS, STATUSES, Commitment, CommitmentLink, CommitmentStatus
from peaceops.commitments.shapes import CommitmentDetail, CommitmentList, CommitmentRow, LinkedRecord, StatusEntry
from peaceops.errors import NotFound, PermissionDenied, ValidationFailed
from peaceops.i18n import N_, _, format_date
from peaceops.incidents import access as incident_access
from peaceops.incidents.models import Incident
from peaceops.missions.models import Mission
from peaceops.processes.debriefs import compartment_of
from peaceops.processes.models import Debrief, PeaceProcess
from peaceops.store import audit

WHAT = N_("implementation commitments")
MAX_ROWS = 2000


class StatusDoc(BaseModel):
    """A status change as a form or the API sends it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: str = Field(description="not_started, under_way, implemented, disputed, abandoned or not_assessed.")
    changed_on: date = Field(description="The day the status took effect, YYYY-MM-DD.")
    evidence: str = Field("", max_length=20000)
    source: str = Field("", max_length=2000, description="A URL or a reference to the evidence.")

    @field_validator("status")
    @classmethod
    def _known(cls, value: str) -> str:
        value = value.strip().lower().replace(" ", "_").replace("-", "_")
        if value not in STATUSES:
            raise ValueError(
                _("choose one of: {statuses}").format(statuses=", ".join(_(s) for s in STATUS_LABELS.values()).lower())
            )
        return value

    @field_validator("changed_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > date.today():
            raise ValueError(
                _("{day} is in the future; record a status once it has taken effect").format(day=value.isoformat())
            )
        return value


def may_record(who: Actor) -> bool:
    """Whether ``who`` may record status changes (the same rule ``record_status`` applies)."""
    try:
        check_editor(who, WHAT)
    except PermissionDenied:
        return False
    return True


def _labels(session: Session) -> dict[str, str]:
    return dict(session.execute(select(AgreementCategory.code, AgreementCategory.label)).all())


def _query(
    *,
    agreement: int | None = None,
    country: str | None = None,
    status: str | None = None,
    category: str | None = None,
    process: int | None = None,
) -> Select[Commitment, Agreement]:
    query = select(Commitment, Agreement).join(Agreement, Agreement.id == Commitment.agreement_id)
    if agreement is not None:
        query = query.where(Agreement.pax_id == agreement)
    if country:
        iso3 = country.strip().upper()
        query = query.where(
            Agreement.id.in_(select(AgreementCountry.agreement_id).where(AgreementCountry.iso3 == iso3))
        )
    if status:
        if status not in STATUSES:
            raise ValidationFailed(
                _("Status {status!r} is not known; choose one of {statuses}.").format(
                    status=status, statuses=", ".join(STATUSES)
                )
            )
        query = query.where(Commitment.status == status)
    if category:
        query = query.where(Commitment.category == category)
    if process is not None:
        query = query.where(Commitment.process_id == process)
    return query.order_by(Agreement.signed_on, Agreement.id, Commitment.category, Commitment.ref)


def _row(c: Commitment, a: Agreement, labels: dict[str, str], changed_on: date | None) -> CommitmentRow:
    return CommitmentRow(
        id=c.id,
        pax_id=a.pax_id,
        agreement_id=a.id,
        agreement=a.title,
        ref=c.ref,
        category=c.category,
        category_label=labels.get(c.category or "", c.category),
        text=c.text,
        parties=list(c.parties or []),
        due=c.due,
        status=c.status,
        status_label=STATUS_LABELS.get(c.status, c.status),
        changed_on=changed_on.isoformat() if changed_on else None,
        process_id=c.process_id,
    )


def list_commitments(
    session: Session,
    *,
    agreement: int | None = None,
    country: str | None = None,
    status: str | None = None,
    category: str | None = None,
    process: int | None = None,
    limit: int = MAX_ROWS,
) -> CommitmentList:
    """Commitments matching every filter given (agreement by PA-X AgtId, country ISO3, status, category code,
    process id). Commitments and their statuses are open to every signed-in reader; only their links are not."""
    base = _query(agreement=agreement, country=country, status=status, category=category, process=process)
    # Counted in the database: the page shows 500 of ten thousand, and loading them all to count cost most of it.
    chosen = base.order_by(None).with_only_columns(Commitment.status).subquery()
    counts: dict[str, int] = dict(
        session.execute(select(chosen.c.status, func.count()).group_by(chosen.c.status)).all()
    )
    pairs = session.execute(base.limit(limit)).all()
    last = dict(
        session.execute(
            select(CommitmentStatus.commitment_id, func.max(CommitmentStatus.changed_on))
            .where(CommitmentStatus.commitment_id.in_([c.id for c, _ in pairs]))
            .group_by(CommitmentStatus.commitment_id)
        ).all()
    )
    labels = _labels(session)
    return CommitmentList(
        total=sum(counts.values()),
        statuses={s: counts.get(s, 0) for s in STATUSES},
        commitments=[_row(c, a, labels, last.get(c.id)) for c, a in pairs],
    )


def get_commitment(session: Session, commitment_id: int) -> Commitment:
    commitment = session.get(Commitment, commitment_id)
    if commitment is None:
        raise NotFound(_("There is no commitment {id}; /api/commitments lists them.").format(id=commitment_id))
    return commitment


def visible_links(session: Session, who: Actor, links: list[CommitmentLink]) -> list[LinkedRecord]:
    """The linked debriefs and incidents ``who`` may read; the others are left out without a trace."""
    out: list[LinkedRecord] = []
    for link in links:
        if link.kind == "debrief":
            debrief = session.get(Debrief, link.target_id)
            if debrief is None or not compartments.holds(who.compartments, compartment_of(debrief.process_id)):
                continue
            label = _("Debrief by {author}, {start} to {end}").format(
                author=debrief.author,
                start=format_date(debrief.period_start, "MMM y"),
                end=format_date(debrief.period_end, "MMM y"),
            )
            url = f"/processes/{debrief.process_id}/debriefs/{debrief.id}"
            out.append(LinkedRecord(kind="debrief", id=debrief.id, label=label, url=url))
        elif link.kind == "incident":
            incident = session.get(Incident, link.target_id)
            if incident is None:
                continue
            mission = session.get(Mission, incident.mission_id)
            acronym = mission.acronym if mission else ""
            if not incident_access.may_read(who, incident, acronym):
                continue
            incident_access.audit_restricted_reads(session, who, [(incident.id, incident.compartment)], "commitment")
            label = _("Incident {id} ({mission}, {day})").format(
                id=incident.id, mission=acronym, day=format_date(incident.occurred_at, "d MMM y")
            )
            out.append(LinkedRecord(kind="incident", id=incident.id, label=label, url=f"/incidents/{incident.id}"))
    return out


def commitment_detail(session: Session, who: Actor, commitment_id: int) -> CommitmentDetail:
    commitment = get_commitment(session, commitment_id)
    agreement = session.get(Agreement, commitment.agreement_id)
    assert agreement is not None
    history = [
        StatusEntry(
            status=h.status,
            status_label=STATUS_LABELS.get(h.status, h.status),
            changed_on=h.changed_on.isoformat(),
            evidence=h.evidence,
            source=h.source,
            recorded_by=h.recorded_by,
        )
        for h in commitment.history
    ]
    last = commitment.history[-1].changed_on if commitment.history else None
    process = session.get(PeaceProcess, commitment.process_id) if commitment.process_id else None
    return CommitmentDetail(
        commitment=_row(commitment, agreement, _labels(session), last),
        history=history,
        links=visible_links(session, who, list(commitment.links)),
        process=process.name if process else None,
        may_record=may_record(who),
    )


def current_status(commitment: Commitment) -> str:
    """The status of the latest history entry (by date, then by entry); not assessed without one."""
    if not commitment.history:
        return "not_assessed"
    latest = max(commitment.history, key=lambda h: (h.changed_on, h.id or 0))
    return latest.status


def add_status(session: Session, commitment: Commitment, doc: StatusDoc, recorded_by: str) -> CommitmentStatus | None:
    """Append a status change unless the same status on the same day is already recorded (None then)."""
    for entry in commitment.history:
        if entry.changed_on == doc.changed_on and entry.status == doc.status:
            return None
    entry = CommitmentStatus(
        status=doc.status,
        changed_on=doc.changed_on,
        evidence=doc.evidence,
        source=doc.source,
        recorded_by=recorded_by,
    )
    commitment.history.append(entry)
    session.flush()
    commitment.status = current_status(commitment)
    return entry


def record_status(session: Session, who: Actor, commitment_id: int, doc: StatusDoc) -> CommitmentDetail:
    """Record a status change (analysts and administrators); the audit log keeps who, what and when."""
    check_editor(who, WHAT)
    commitment = get_commitment(session, commitment_id)
    before = commitment.status
    entry = add_status(session, commitment, doc, who.username)
    if entry is not None:
        audit.record(
            session,
            who.username,
            "update",
            "commitment",
            commitment.id,
            before={"status": before},
            after={"status": commitment.status, "entry": doc.model_dump(mode="json")},
        )
    return commitment_detail(session, who, commitment.id)
