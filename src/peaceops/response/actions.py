"""Early action on alerts: what was done (an instrument, by whom, when, for which mission, peace process or
envoy), confidential where needed. The Blue Paper asks for early entry points to be acted on; the record of
actions beside the alert's outcome (the track record) is what tells warning, action and outcome apart.

Who may record an action is who may triage the alert (the access policy's area rule). An action in a
compartment is shown, listed and counted only for the compartment's holders; recording one needs the
compartment too, and the audit log keeps its id and compartment, never its content.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access import compartments
from peaceops.access.policy import Actor, check_area_editor
from peaceops.conflict.alerts import area_missions
from peaceops.conflict.models import AlertAction, ConflictAlert
from peaceops.errors import NotFound, ValidationFailed
from peaceops.i18n import N_, _
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.processes.models import PeaceProcess, ProcessMediator
from peaceops.store import audit

INSTRUMENTS = {
    "good_offices": N_("Good offices"),
    "envoy_visit": N_("Envoy visit"),
    "demarche": N_("Démarche"),
    "council_briefing": N_("Security Council briefing"),
    "posture_change": N_("Mission posture change"),
    "public_statement": N_("Public statement"),
    "other": N_("Other"),
}


class ActionIn(BaseModel):
    """An action as the form and the API take it."""

    instrument: str
    actor: str = Field(max_length=200)
    taken_on: date
    mission: str | None = Field(None, max_length=32)
    process_id: int | None = Field(None, ge=1, le=2**31 - 1)
    envoy_id: int | None = Field(None, ge=1, le=2**31 - 1)
    note: str = Field("", max_length=4000)
    compartment: str | None = Field(None, max_length=80)

    @field_validator("actor")
    @classmethod
    def _actor(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Say who acted (an office or a person, e.g. 'Special Envoy').")
        return value.strip()


def _alert(session: Session, alert_id: int) -> ConflictAlert:
    alert = session.get(ConflictAlert, alert_id)
    if alert is None:
        raise NotFound(_("There is no alert {id}.").format(id=alert_id))
    return alert


def add_action(session: Session, who: Actor, alert_id: int, action: ActionIn) -> AlertAction:
    """Record an action on an alert (audited without its content when confidential)."""
    alert = _alert(session, alert_id)
    check_area_editor(who, "alerts", area_missions(session, alert.country_gw))
    if action.instrument not in INSTRUMENTS:
        raise ValidationFailed(
            _("Instrument {value} is not one peaceops knows; choose one of: {choices}.").format(
                value=repr(action.instrument), choices=", ".join(_(label) for label in INSTRUMENTS.values())
            )
        )
    if action.taken_on > date.today():
        raise ValidationFailed(_("The date of an action is the day it was taken, not a day to come."))
    compartment = compartments.check_name(action.compartment) if action.compartment else None
    if compartment is not None:
        compartments.require(who.compartments, compartment, "An action in this compartment")
    mission_id = find_mission(session, action.mission).id if action.mission else None
    process_id, envoy_id = _process_and_envoy(session, action.process_id, action.envoy_id)
    row = AlertAction(
        alert_id=alert.id,
        instrument=action.instrument,
        actor=action.actor,
        taken_on=action.taken_on,
        mission_id=mission_id,
        process_id=process_id,
        envoy_id=envoy_id,
        note=action.note.strip(),
        compartment=compartment,
        created_by=who.username,
    )
    session.add(row)
    session.flush()
    trail: dict[str, Any] = {"alert_id": alert.id, "compartment": compartment}
    if compartment is None:
        trail |= {"instrument": row.instrument, "taken_on": row.taken_on.isoformat()}
    audit.record(session, who.username, "create", "alert_action", row.id, after=trail)
    return row


def _process_and_envoy(session: Session, process_id: int | None, envoy_id: int | None) -> tuple[int | None, int | None]:
    """The linked process and envoy, checked: an envoy named with a process must be one of its mediators."""
    if process_id is not None and session.get(PeaceProcess, process_id) is None:
        raise ValidationFailed(
            _("There is no peace process {id}; pick one from the list or leave it empty.").format(id=process_id)
        )
    if envoy_id is None:
        return process_id, None
    envoy = session.get(ProcessMediator, envoy_id)
    if envoy is None:
        raise ValidationFailed(
            _("There is no envoy {id}; pick one from the list or leave it empty.").format(id=envoy_id)
        )
    if process_id is not None and envoy.process_id != process_id:
        raise ValidationFailed(_("The envoy named is not a mediator of the process named; pick one of its envoys."))
    return process_id if process_id is not None else envoy.process_id, envoy.id


def process_choices(session: Session, country: str | None) -> list[dict[str, Any]]:
    """Peace processes an action may be linked to, those about the alert's country first, each with its envoys."""
    processes = session.scalars(select(PeaceProcess).order_by(PeaceProcess.name)).all()
    ordered = sorted(processes, key=lambda p: (p.country != country, p.name))
    return [
        {
            "id": p.id,
            "name": p.name,
            "country": p.country,
            "envoys": [{"id": m.id, "name": m.name, "title": m.title or m.organisation} for m in p.mediators],
        }
        for p in ordered
    ]


def visible_actions(session: Session, who: Actor, alert_id: int) -> list[dict[str, Any]]:
    """The alert's actions ``who`` may read, oldest first: confidential ones only for their holders."""
    query = (
        select(AlertAction, Mission.acronym, PeaceProcess.name, ProcessMediator.name)
        .outerjoin(Mission, Mission.id == AlertAction.mission_id)
        .outerjoin(PeaceProcess, PeaceProcess.id == AlertAction.process_id)
        .outerjoin(ProcessMediator, ProcessMediator.id == AlertAction.envoy_id)
        .where(AlertAction.alert_id == alert_id)
        .order_by(AlertAction.taken_on, AlertAction.id)
    )
    return [
        {
            "id": a.id,
            "instrument": a.instrument,
            "instrument_label": INSTRUMENTS.get(a.instrument, a.instrument),
            "actor": a.actor,
            "taken_on": a.taken_on.isoformat(),
            "mission": acronym,
            "process_id": a.process_id,
            "process": process,
            "envoy_id": a.envoy_id,
            "envoy": envoy,
            "note": a.note,
            "compartment": a.compartment,
            "created_by": a.created_by,
        }
        for a, acronym, process, envoy in session.execute(query)
        if a.compartment is None or compartments.holds(who.compartments, a.compartment)
    ]
