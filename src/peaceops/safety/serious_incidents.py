"""Serious incidents against peacekeepers and accountability for their perpetrators (A4P+).

An incident is recorded with its mission, date, place and type; its case then moves through the stages
of accountability, from a case opened to a conviction, or is closed without one. Every change is kept
(from, to, effective date, note, who) and written to the audit log, so the share of cases with judicial
follow-up can be reported and checked. Descriptions are for what happened, never for names: the form
says so, and the records are readable only within the reader's mission scope (see ``permissions``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from peaceops.access.policy import Actor, check_mission, record_scope
from peaceops.errors import NotFound, ValidationFailed, problems_invalid
from peaceops.i18n import N_, _
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.safety.models import (
    INCIDENT_STAGES,
    INCIDENT_STATUSES,
    INCIDENT_TYPES,
    STATUS_LABELS,
    IncidentStatusChange,
    SafetyIncident,
)
from peaceops.safety.shapes import (
    AccountabilityStage,
    AccountabilitySummary,
    IncidentStatusCount,
    SeriousIncident,
    SeriousIncidentDetail,
    SeriousIncidentStep,
)
from peaceops.store import audit
from peaceops.store.base import utcnow

WHAT = N_("incident records")
# The first stage that counts as judicial follow-up: a criminal case exists.
FOLLOW_UP_FROM = "case_opened"


@dataclass(frozen=True)
class SeriousIncidentInput:
    """What a person enters for a new incident."""

    mission: str
    occurred_on: date
    location: str
    incident_type: str
    description: str = ""
    fatalities: int = 0
    injured: int = 0
    reference: str | None = None


def incident_problems(data: SeriousIncidentInput) -> list[tuple[str, str]]:
    """Every reason the incident cannot be recorded as given, each a sentence in the current language with the
    field it is about (the form's names: ``occurred_on``, ``location``...)."""
    problems: list[tuple[str, str]] = []
    if data.occurred_on > date.today():
        message = _("The incident date {day} is in the future.")
        problems.append(("occurred_on", message.format(day=data.occurred_on.isoformat())))
    if not data.location.strip() or len(data.location) > 200:
        problems.append(("location", _("Give the place of the incident in 1 to 200 characters.")))
    if data.incident_type not in INCIDENT_TYPES:
        message = _("The incident type {value!r} is not one of {accepted}.")
        accepted = ", ".join(_(kind) for kind in INCIDENT_TYPES)
        problems.append(("incident_type", message.format(value=data.incident_type, accepted=accepted)))
    if data.fatalities < 0:
        problems.append(("fatalities", _("Fatalities are a count: 0 or more.")))
    if data.injured < 0:
        problems.append(("injured", _("Injured are a count: 0 or more.")))
    if len(data.description) > 4000:
        problems.append(("description", _("Keep the description under 4,000 characters.")))
    if data.reference and len(data.reference) > 80:
        problems.append(("reference", _("Keep the reference under 80 characters.")))
    return problems


def record_incident(
    session: Session, who: Actor, data: SeriousIncidentInput, found: Sequence[tuple[str, str]] = ()
) -> SafetyIncident:
    """Store a new incident (status "reported") for a mission the person may work on; audited. Every problem is
    told at once, each with its field (FormInvalid), with those the surface ``found`` reading its fields."""
    check_mission(who, data.mission, WHAT)
    if invalid := problems_invalid([*found, *incident_problems(data)]):
        raise invalid
    mission = find_mission(session, data.mission)
    incident = SafetyIncident(
        mission_id=mission.id,
        occurred_on=data.occurred_on,
        location=data.location.strip(),
        incident_type=data.incident_type,
        description=data.description.strip(),
        fatalities=data.fatalities,
        injured=data.injured,
        reference=(data.reference or "").strip() or None,
        status="reported",
        furthest_stage="reported",
        status_since=data.occurred_on,
        created_by=who.username,
    )
    incident.history = [
        IncidentStatusChange(
            from_status=None, to_status="reported", effective_on=data.occurred_on, note="", actor=who.username
        )
    ]
    session.add(incident)
    session.flush()
    audit.record(
        session, who.username, "create", "safety_incident", incident.id, after=_audit_fields(incident, mission)
    )
    return incident


def change_status(
    session: Session, who: Actor, incident_id: int, to_status: str, effective_on: date, note: str = ""
) -> SafetyIncident:
    """Move an incident's case to another status; audited with the actor, before and after.

    Moving forward may skip stages (an arrest implies identified suspects). Moving back is a correction
    and needs a note saying why; closing needs a case to have been opened first.
    """
    incident = _get(session, who, incident_id)
    if to_status not in INCIDENT_STATUSES:
        message = _("The status {value!r} is not one of {accepted}.")
        accepted = ", ".join(f"{code} ({_(label)})" for code, label in STATUS_LABELS.items())
        raise ValidationFailed(message.format(value=to_status, accepted=accepted), field="status")
    if to_status == incident.status:
        message = _("The incident is already at {status}.")
        raise ValidationFailed(message.format(status=_(STATUS_LABELS[to_status]).lower()), field="status")
    if effective_on > date.today():
        message = _("The date {day} is in the future.")
        raise ValidationFailed(message.format(day=effective_on.isoformat()), field="effective_on")
    if effective_on < incident.occurred_on:
        raise ValidationFailed(_("A status cannot take effect before the incident happened."), field="effective_on")
    note = note.strip()
    if len(note) > 2000:
        raise ValidationFailed(_("Keep the note under 2,000 characters."), field="note")
    if to_status == "closed":
        if incident.furthest_stage == "reported":
            raise ValidationFailed(_("Only a case that was opened can be closed; open the case first."), field="status")
        furthest = incident.furthest_stage
    else:
        backwards = incident.status != "closed" and _rank(to_status) < _rank(incident.status)
        if (backwards or incident.status == "closed") and not note:
            message = _("Moving a case back or reopening it is a correction: say why in the note.")
            raise ValidationFailed(message, field="note")
        furthest = to_status if backwards else max(incident.furthest_stage, to_status, key=_rank)
    mission = session.get(Mission, incident.mission_id)
    before = {
        "status": incident.status,
        "furthest_stage": incident.furthest_stage,
        "status_since": incident.status_since,
    }
    incident.history.append(
        IncidentStatusChange(
            from_status=incident.status, to_status=to_status, effective_on=effective_on, note=note, actor=who.username
        )
    )
    incident.status, incident.furthest_stage, incident.status_since = to_status, furthest, effective_on
    incident.updated_at = utcnow()
    session.flush()
    after = {"status": to_status, "furthest_stage": furthest, "status_since": effective_on, "note": note}
    audit.record(
        session,
        who.username,
        "status",
        "safety_incident",
        incident.id,
        before={**before, "mission": mission.acronym if mission else None},
        after=after,
    )
    return incident


def _rank(status: str) -> int:
    return INCIDENT_STAGES.index(status)


def _get(session: Session, who: Actor, incident_id: int) -> SafetyIncident:
    record_scope(who, WHAT)
    incident = session.get(SafetyIncident, incident_id, options=[selectinload(SafetyIncident.history)])
    if incident is None:
        raise NotFound(_("There is no incident {id}; the incidents are listed on /safety.").format(id=incident_id))
    mission = session.get(Mission, incident.mission_id)
    check_mission(who, mission.acronym if mission else None, WHAT)
    return incident


def _audit_fields(incident: SafetyIncident, mission: Mission) -> dict[str, Any]:
    return {
        "mission": mission.acronym,
        "occurred_on": incident.occurred_on,
        "location": incident.location,
        "incident_type": incident.incident_type,
        "fatalities": incident.fatalities,
        "injured": incident.injured,
        "reference": incident.reference,
    }


def incident_fields(incident: SafetyIncident, acronym: str) -> dict[str, Any]:
    """The fields of ``SeriousIncident`` for one stored incident."""
    return {
        "id": incident.id,
        "mission": acronym,
        "occurred_on": incident.occurred_on.isoformat(),
        "location": incident.location,
        "incident_type": incident.incident_type,
        "description": incident.description,
        "fatalities": incident.fatalities,
        "injured": incident.injured,
        "reference": incident.reference,
        "status": incident.status,
        "status_label": STATUS_LABELS[incident.status],
        "furthest_stage": incident.furthest_stage,
        "status_since": incident.status_since.isoformat(),
        "judicial_follow_up": _rank(incident.furthest_stage) >= _rank(FOLLOW_UP_FROM),
        "created_by": incident.created_by,
        "created_at": incident.created_at.isoformat(timespec="seconds"),
    }


def _query(mission_id: int | None, year: int | None) -> Select[SafetyIncident, str]:
    query = select(SafetyIncident, Mission.acronym).join(Mission, Mission.id == SafetyIncident.mission_id)
    if mission_id is not None:
        query = query.where(SafetyIncident.mission_id == mission_id)
    if year is not None:
        query = query.where(
            SafetyIncident.occurred_on >= date(year, 1, 1), SafetyIncident.occurred_on <= date(year, 12, 31)
        )
    return query


def list_incidents(
    session: Session, who: Actor, *, mission: str | None = None, year: int | None = None
) -> list[SeriousIncident]:
    """The incidents ``who`` may read, newest first."""
    scope = record_scope(who, WHAT)
    if scope is not None and mission:
        check_mission(who, mission, WHAT)
    wanted = scope or mission
    mission_id = find_mission(session, wanted).id if wanted else None
    rows = session.execute(
        _query(mission_id, year).order_by(SafetyIncident.occurred_on.desc(), SafetyIncident.id.desc())
    )
    return [SeriousIncident(**incident_fields(incident, acronym)) for incident, acronym in rows]


def incident_detail(session: Session, who: Actor, incident_id: int) -> SeriousIncidentDetail:
    """One incident with its status history, if ``who`` may read it."""
    incident = _get(session, who, incident_id)
    mission = session.get(Mission, incident.mission_id)
    return SeriousIncidentDetail(
        **incident_fields(incident, mission.acronym if mission else "?"),
        history=[
            SeriousIncidentStep(
                from_status=h.from_status,
                to_status=h.to_status,
                to_label=STATUS_LABELS[h.to_status],
                effective_on=h.effective_on.isoformat(),
                note=h.note,
                actor=h.actor,
                recorded_at=h.recorded_at.isoformat(timespec="seconds"),
            )
            for h in incident.history
        ],
    )


def accountability_summary(
    session: Session, *, mission: str | None = None, year: int | None = None
) -> AccountabilitySummary:
    """Aggregates every role may see: incidents per current status, how many reached each stage, and the
    share with judicial follow-up (a case opened, whatever came of it) — the A4P+ figure."""
    mission_id = find_mission(session, mission).id if mission else None
    incidents = [incident for incident, _ in session.execute(_query(mission_id, year))]
    total = len(incidents)
    current = Counter(i.status for i in incidents)
    reached = {stage: sum(_rank(i.furthest_stage) >= _rank(stage) for i in incidents) for stage in INCIDENT_STAGES}
    follow_up = reached[FOLLOW_UP_FROM]
    return AccountabilitySummary(
        total=total,
        fatalities=sum(i.fatalities for i in incidents),
        injured=sum(i.injured for i in incidents),
        by_status=[
            IncidentStatusCount(status=s, label=STATUS_LABELS[s], count=current[s])
            for s in INCIDENT_STATUSES
            if current[s]
        ],
        stages=[
            AccountabilityStage(
                stage=s,
                label=STATUS_LABELS[s],
                reached=reached[s],
                share=round(reached[s] / total, 4) if total else None,
            )
            for s in INCIDENT_STAGES
        ],
        judicial_follow_up=follow_up,
        judicial_follow_up_share=round(follow_up / total, 4) if total else None,
    )
