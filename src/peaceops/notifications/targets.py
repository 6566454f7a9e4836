"""What can be followed: validate a target, name it, link it, and ask the access policy whether a person
may read it (never a rule of its own: alerts and processes are open to every signed-in user, helpdesk
requests to whom ``roster.helpdesk`` lets read them, a change marked with a compartment to its holders)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from peaceops.access import compartments
from peaceops.access.models import User
from peaceops.access.policy import Actor
from peaceops.conflict.alert_text import title_text
from peaceops.conflict.models import ALERT_KINDS, ConflictAlert
from peaceops.conflict.pipeline import LEVELS
from peaceops.errors import NotFound, ValidationFailed
from peaceops.geography.codes import iso3_from_gw
from peaceops.geography.regions import SUBREGIONS, members, subregion_code
from peaceops.i18n import N_, _
from peaceops.missions.models import Mission
from peaceops.notifications.models import SUBSCRIPTION_KINDS
from peaceops.processes.models import PeaceProcess
from peaceops.roster import helpdesk
from peaceops.roster.models import HelpRequest
from peaceops.store.outbox import NotificationEvent

__all__ = ["actor_for", "check_target", "event_page", "event_title", "label", "matches", "may_receive", "page"]


def actor_for(session: Session, user: User) -> Actor:
    """Who the recipient is now (role, mission, compartments held today): re-read at every send."""
    mission = session.get(Mission, user.mission_id) if user.mission_id else None
    return Actor(
        username=user.username,
        role=user.role,
        id=user.id,
        mission=mission.acronym if mission else None,
        compartments=compartments.granted(session, user.id),
    )


def _int_key(kind: str, key: str) -> int:
    if not re.fullmatch(r"[0-9]{1,9}", key.strip()):
        raise ValidationFailed(f"A {kind.replace('_', ' ')} is followed by its number; {key[:40]!r} is not one.")
    return int(key)


def check_target(session: Session, who: Actor, kind: str, key: str) -> str:
    """The normalised key of a target ``who`` may follow; a clear error for an unknown or unreadable one."""
    if kind not in SUBSCRIPTION_KINDS:
        raise ValidationFailed(f"One can follow {', '.join(SUBSCRIPTION_KINDS)}; not {kind!r}.")
    if kind == "alert_rule":
        alert_kind, _sep, level = key.strip().partition(":")
        if alert_kind not in ALERT_KINDS or level not in LEVELS:
            raise ValidationFailed(
                f"An alert rule is KIND:LEVEL, KIND one of {', '.join(ALERT_KINDS)} and LEVEL one of "
                f"{', '.join(LEVELS)} (e.g. escalation:cm); {key!r} is not."
            )
        return f"{alert_kind}:{level}"
    if kind == "region":
        code = subregion_code(key)
        if code is None:
            raise ValidationFailed(f"{key[:40]!r} is not a UN M49 sub-region; see /regions for the codes.")
        return code
    number = _int_key(kind, key)
    if kind == "process":
        if session.get(PeaceProcess, number) is None:
            raise NotFound(f"There is no peace process {number}.")
    else:
        helpdesk.check_reader(who)
        if session.get(HelpRequest, number) is None:
            raise NotFound(f"There is no helpdesk request {number}.")
    return str(number)


# One whole sentence per followed alert rule and level, so each language words it its own way.
RULE_LABELS = {
    ("early_entry", "cm"): N_("Early entry alerts (countries)"),
    ("early_entry", "pgm"): N_("Early entry alerts (grid cells)"),
    ("escalation", "cm"): N_("Escalation alerts (countries)"),
    ("escalation", "pgm"): N_("Escalation alerts (grid cells)"),
    ("spillover", "cm"): N_("Spillover alerts (countries)"),
    ("spillover", "pgm"): N_("Spillover alerts (grid cells)"),
}


def label(session: Session, kind: str, key: str) -> str:
    """What a subscription follows, in words, in the current language."""
    if kind == "alert_rule":
        alert_kind, _sep, level = key.partition(":")
        text = RULE_LABELS.get((alert_kind, level))
        return _(text) if text else key
    if kind == "region":
        return _("Alerts in {region}").format(region=_(SUBREGIONS[key]) if key in SUBREGIONS else key)
    if kind == "process":
        process = session.get(PeaceProcess, int(key))
        return process.name if process else _("Peace process {number}").format(number=key)
    request = session.get(HelpRequest, int(key))
    if request is None:
        return _("Helpdesk request {number}").format(number=key)
    return _("Helpdesk request {number}: {title}").format(number=key, title=request.title)


def page(kind: str, key: str) -> str:
    """The path of the followed target's page."""
    return {
        "alert_rule": "/conflict",
        "region": f"/regions/{key}",
        "process": f"/processes/{key}",
        "helpdesk_request": f"/helpdesk/{key}",
    }[kind]


def event_page(event: NotificationEvent) -> str:
    """The path of the page that shows the changed target."""
    return {
        "alert": f"/conflict/alerts/{event.target_id}",
        "process": f"/processes/{event.target_id}",
        "helpdesk_request": f"/helpdesk/{event.target_id}",
    }[event.target_kind]


def event_title(event: NotificationEvent) -> str:
    """The changed target's name in the current language: an alert's is written again from its attributes (kind,
    level, unit, country); anything else, and an alert told before alerts' attributes held the unit, keeps the
    title stored with the change."""
    attrs = event.attrs or {}
    if event.target_kind == "alert" and {"kind", "level", "unit_id"} <= attrs.keys():
        gw = attrs.get("country_gw")
        country = int(gw) if gw is not None else None
        return title_text(str(attrs["kind"]), str(attrs["level"]), int(attrs["unit_id"]), country)
    return event.title


def matches(kind: str, key: str, event: NotificationEvent) -> bool:
    """Whether a subscription to (``kind``, ``key``) follows ``event``."""
    if event.target_kind == "alert":
        if kind == "alert_rule":
            return key == f"{event.attrs.get('kind')}:{event.attrs.get('level')}"
        if kind == "region":
            gw = event.attrs.get("country_gw")
            iso3 = iso3_from_gw(int(gw)) if gw is not None else None
            return iso3 is not None and iso3 in members().get(SUBREGIONS.get(key, ""), ())
        return False
    return kind == event.target_kind and key == str(event.target_id)


def may_receive(session: Session, user: User, event: NotificationEvent) -> bool:
    """Whether ``user`` may be told of ``event`` today: an active account that may read the target (the
    access policy and compartments decide; a change inside a compartment is its holders' alone)."""
    if not user.active:
        return False
    who = actor_for(session, user)
    if event.compartment and not compartments.holds(who.compartments, event.compartment):
        return False
    if event.target_kind == "helpdesk_request":
        return helpdesk.can_read_requests(who)
    if event.target_kind == "alert":
        return session.get(ConflictAlert, event.target_id) is not None
    return session.get(PeaceProcess, event.target_id) is not None
