"""The verification workflow: draft -> submitted -> verified or rejected (with a reason) -> published.

Each step is kept in the incident's history and written to the audit log. A report is verified (or
rejected) by someone other than its reporter: the four-eyes rule of a joint operations centre.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from peaceops.access.policy import Actor
from peaceops.errors import PermissionDenied, ValidationFailed
from peaceops.i18n import _
from peaceops.incidents.access import reporting_mission
from peaceops.incidents.models import Incident
from peaceops.incidents.reports import load, log
from peaceops.store import audit
from peaceops.store.base import utcnow

# action -> (statuses it starts from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("draft", "rejected"), "submitted"),
    "verify": (("submitted",), "verified"),
    "reject": (("submitted", "verified"), "rejected"),
    "publish": (("verified",), "published"),
}


def allowed_actions(incident: Incident, who: Actor) -> list[str]:
    """What ``who`` may do next with the incident (for the buttons on its page)."""
    out = []
    for action, (starts, _target) in TRANSITIONS.items():
        if incident.status not in starts:
            continue
        if action in ("verify", "reject") and incident.reported_by == who.username:
            continue
        out.append(action)
    return out


def transition(session: Session, who: Actor, incident_id: int, action: str, note: str = "") -> Incident:
    """Move an incident one step; the mission's officers, analysts and administrators may act."""
    if action not in TRANSITIONS:
        raise ValidationFailed(f"{action!r} is not a workflow step; use one of {', '.join(TRANSITIONS)}.")
    incident, mission = load(session, who, incident_id)
    session.flush()  # PostgreSQL: one step at a time on the row (SQLite: the write lock); nothing pending is lost
    session.refresh(incident, with_for_update=True)
    reporting_mission(session, who, mission.acronym)
    starts, target = TRANSITIONS[action]
    if incident.status not in starts:
        raise ValidationFailed(
            _("Incident {id} is {status}; it can be {target} only from {starts}.").format(
                id=incident.id, status=incident.status, target=target, starts=" or ".join(starts)
            )
        )
    if action in ("verify", "reject") and incident.reported_by == who.username:
        raise PermissionDenied(
            _("You reported incident {id}; another officer must {action} it (four-eyes rule).").format(
                id=incident.id, action=action
            )
        )
    reason = note.strip()
    if action == "reject" and not reason:
        raise ValidationFailed(_("Say why the report is rejected; the reporter sees the reason."))
    before = incident.status
    incident.status = target
    now = utcnow()
    if action == "verify":
        incident.verified_by, incident.verified_at = who.username, now
    elif action == "reject":
        incident.rejection_reason = reason[:2000]
    elif action == "publish":
        incident.published_at = now
    elif action == "submit":
        incident.rejection_reason = None
    incident.updated_at = now
    log(session, incident, action, who.username, before, reason or None)
    # A restricted report's note stays with the report (its history): the audit log, read by administrators
    # who may not hold the compartment, keeps only that a note was given.
    after: dict[str, object] = {"status": target, "note": reason or None}
    if incident.compartment:
        after = {"status": target, "compartment": incident.compartment, "note_given": bool(reason)}
    audit.record(session, who.username, action, "incident", incident.id, before={"status": before}, after=after)
    return incident
