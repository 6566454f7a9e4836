"""Who may see and file a mission's incidents, one rule for pages, API and exports.

Analysts and administrators read every mission; mission officers read and report within their own
mission; viewers see no incident records. An incident of a sensitive category (e.g. sexual violence)
also sits in the mission's compartment ``incidents:sensitive:<mission>``: only holders read it, and
every such read is written to the audit log.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from peaceops.access import compartments, policy
from peaceops.access.policy import Actor, check_editor, check_mission, record_scope
from peaceops.errors import NotFound, PermissionDenied
from peaceops.i18n import N_, _
from peaceops.incidents.models import Incident
from peaceops.missions.lookup import mission_by_acronym
from peaceops.missions.models import Mission
from peaceops.store import audit

WHAT = N_("incident reports")


def sensitive_compartment(mission_acronym: str) -> str:
    return f"incidents:sensitive:{mission_acronym.lower()}"


def scope(who: Actor) -> str | None:
    """The one mission ``who`` may read (None: all); PermissionDenied for viewers."""
    return record_scope(who, WHAT)


def reporting_mission(session: Session, who: Actor, acronym: str | None) -> Mission:
    """The mission ``who`` files for: their own for a mission officer, the one named for the others."""
    own = scope(who)
    name = acronym or own
    if not name:
        raise NotFound(_("Say which mission the incident belongs to."))
    check_reporting_for(who, name)
    return mission_by_acronym(session, name)


def check_reporting_for(who: Actor, mission_acronym: str) -> None:
    """Refuse filing or editing a report of ``mission_acronym`` unless the policy lets ``who`` change that
    mission's records. A mission officer is told which mission they report for; the refusal never says
    what the other mission's report holds."""
    try:
        check_editor(who, WHAT, mission_acronym.upper())
    except PermissionDenied:
        own = policy.own_mission(who)
        if own is None:
            raise
        message = _(
            "You can report and edit incidents only for your own mission, {mission}; other missions' incidents are "
            "outside your scope."
        )
        raise PermissionDenied(message.format(mission=own)) from None


def may_read(who: Actor, incident: Incident, mission_acronym: str) -> bool:
    if not may_read_mission(who, mission_acronym):
        return False
    return incident.compartment is None or compartments.holds(who.compartments, incident.compartment)


def check_read(session: Session, who: Actor, incident: Incident, mission_acronym: str) -> None:
    """Refuse an incident outside the reader's mission or compartment; audit each restricted read."""
    check_mission(who, mission_acronym, WHAT)
    if incident.compartment:
        compartments.require(who.compartments, incident.compartment, _("Incident {id}").format(id=incident.id))
        audit.record(
            session, who.username, "read", "incident", incident.id, after={"compartment": incident.compartment}
        )


def audit_restricted_reads(session: Session, who: Actor, incidents: list[tuple[int, str | None]], how: str) -> None:
    """One audit entry per restricted incident a list, map or export showed to ``who``."""
    for incident_id, compartment in incidents:
        if compartment:
            audit.record(
                session, who.username, "read", "incident", incident_id, after={"compartment": compartment, "via": how}
            )


def check_reporter(who: Actor) -> None:
    """Refuse the report form to roles that cannot file (viewers)."""
    check_editor(who, WHAT, who.mission.upper() if who.mission else None)


def check_read_mission(who: Actor, mission_acronym: str) -> None:
    check_mission(who, mission_acronym, WHAT)


def may_read_mission(who: Actor, mission_acronym: str) -> bool:
    return policy.may_read_mission(who, mission_acronym, WHAT)
