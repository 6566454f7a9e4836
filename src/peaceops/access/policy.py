"""The one access policy: who is asking (``Actor``) and what they may read and change.

Every page, API route, export, search and command asks these functions; no route or domain module
compares role names itself. The rules:

* Aggregates (counts, rates, charts) are open to every signed-in user. Case records (an allegation's
  details, a serious incident, an incident report, a helpdesk request) are read by administrators and
  analysts (every mission) and by mission officers (their own mission); viewers see aggregates only.
* Changes: analysts and administrators change shared records; a mission officer changes the records of
  their own mission; viewers only read.
* Compartments (``access.compartments``): a confidential record is read only by the people granted its
  compartment. Roles do not open compartments, administrators included.
* Partner accounts (a regional organisation's or an NGO's mediation unit, Blue Paper ¶41) file and follow
  their own organisation's helpdesk requests and reach nothing else: every page and API refuses them
  (``check_full_access``) except the few that admit them and then show only their organisation's requests.
* Second factor (``access.second_factor``): optional for everyone; ``PEACEOPS_REQUIRE_TOTP_FOR`` makes it
  mandatory for administrators (``admin``) and for anyone granted a compartment (``holders``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from peaceops.access import compartments
from peaceops.errors import PermissionDenied
from peaceops.i18n import N_, _

ROLES = ("viewer", "analyst", "mission_officer", "partner", "admin")
ADMIN = "admin"
ANALYST = "analyst"
MISSION_OFFICER = "mission_officer"
PARTNER = "partner"
VIEWER = "viewer"
RECORD_ROLES = (ADMIN, ANALYST, MISSION_OFFICER)
ALL_MISSIONS_ROLES = (ADMIN, ANALYST)
# Kept in English (the CLI shows them); the web translates them where it shows them.
ROLE_DESCRIPTIONS = {
    VIEWER: N_("Viewer: reads everything"),
    ANALYST: N_("Analyst: reads and prepares analyses"),
    MISSION_OFFICER: N_("Mission officer: works on one mission"),
    PARTNER: N_("Partner: a partner organisation's mediation unit; its own helpdesk requests only"),
    ADMIN: N_("Administrator: manages users"),
}
# The roles as the pages name them (``mission_officer`` reads "mission officer"), translated where shown.
ROLE_NAMES = {
    VIEWER: N_("viewer"),
    ANALYST: N_("analyst"),
    MISSION_OFFICER: N_("mission officer"),
    PARTNER: N_("partner"),
    ADMIN: N_("admin"),
}


@dataclass(frozen=True)
class Actor:
    """The person (or job) asking: a signed-in user, the local administrator, or the command line."""

    username: str
    role: str
    mission: str | None = None
    compartments: frozenset[str] = frozenset()
    id: int | None = None
    organisation: str | None = None  # a partner account's organisation

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def visibility(actor: Actor) -> tuple[str, str | None, tuple[str, ...], str | None]:
    """What every rule of this policy reads about an actor: two actors with the same value may read exactly
    the same records, so a cache of what one was shown may serve the other (decision 026). A rule that
    starts to read more of the actor must add it here."""
    return (actor.role, actor.mission, tuple(sorted(actor.compartments)), partner_of(actor))


def system_actor(username: str) -> Actor:
    """A command-line job acting as an administrator under its own name (for the audit log)."""
    return Actor(username=username, role=ADMIN)


def local_admin(username: str) -> Actor:
    """Whoever runs a command on the server itself: an administrator of every mission and compartment."""
    return Actor(username=username, role=ADMIN, compartments=frozenset({compartments.ALL}))


# The command line and the demo act as a local administrator without compartments.
SYSTEM = Actor(username="peaceops", role=ADMIN)
# ``peaceops serve --local-admin``: one person, their own database, every compartment.
LOCAL_ADMIN = local_admin("local-admin")


# What the refusals below name (``what``), as the callers pass them in English: marked here for the catalogue
# and translated where a sentence is made, so a refusal reads whole in the reader's language.
RECORD_NAMES = (
    N_("allegation records"),
    N_("environmental figures"),
    N_("helpdesk requests"),
    N_("implementation commitments"),
    N_("incident records"),
    N_("incident reports"),
    N_("partnership records"),
    N_("peace processes"),
    N_("pledges"),
    N_("training records"),
    N_("lexicon terms"),
    N_("monitored items"),
    N_("alerts"),
    N_("the gazetteer"),
    N_("review decisions"),
    N_("response tasks"),
    N_("records"),
    N_("an assessment"),
    N_("approve an assessment"),
    N_("reopen an approved assessment"),
)


def role_label(actor: Actor) -> str:
    """The actor's role as a refusal names it, in the current language ("mission officer", « chargé de mission »)."""
    return _(ROLE_NAMES[actor.role]) if actor.role in ROLE_NAMES else actor.role.replace("_", " ")


def is_admin(actor: Actor) -> bool:
    return actor.role == ADMIN


def is_viewer(actor: Actor) -> bool:
    return actor.role == VIEWER


def is_partner(actor: Actor) -> bool:
    return actor.role == PARTNER


def partner_of(actor: Actor) -> str | None:
    """The organisation a partner account works for; None for every other role."""
    return actor.organisation if actor.role == PARTNER else None


def check_full_access(actor: Actor) -> None:
    """Refuse a partner account everything but what admits it explicitly (its helpdesk requests, its own
    account): the default for every page and API is the United Nations' own staff only."""
    if actor.role == PARTNER:
        raise PermissionDenied(
            f"This account belongs to a partner organisation ({actor.organisation or 'not named'}); it can file "
            "and follow its organisation's helpdesk requests (/helpdesk) and nothing else."
        )


def reads_all_missions(actor: Actor) -> bool:
    """Analysts and administrators work across missions; they also change shared records."""
    return actor.role in ALL_MISSIONS_ROLES


def may_edit_shared(actor: Actor) -> bool:
    """Records no single mission owns (the roster, pledges, partnerships, processes): analysts and administrators."""
    return actor.role in ALL_MISSIONS_ROLES


def own_mission(actor: Actor) -> str | None:
    """The mission a mission officer works on (upper case); None for every other role."""
    if actor.role == MISSION_OFFICER and actor.mission:
        return actor.mission.upper()
    return None


def holds_record_role(actor: Actor) -> bool:
    """Administrators, analysts and mission officers (with or without a mission)."""
    return actor.role in RECORD_ROLES


def can_read_records(who: Actor) -> bool:
    return who.role in ALL_MISSIONS_ROLES or own_mission(who) is not None


def editable_missions(actor: Actor, every_mission: list[str]) -> list[str]:
    """The missions whose records ``actor`` may change: all, their own, or none."""
    if reads_all_missions(actor):
        return every_mission
    own = own_mission(actor)
    return [own] if own else []


def record_scope(who: Actor, what: str) -> str | None:
    """The mission whose records ``who`` may read (None: every mission); PermissionDenied for the others."""
    if who.role in ALL_MISSIONS_ROLES:
        return None
    if who.role == MISSION_OFFICER and who.mission:
        return who.mission.upper()
    raise PermissionDenied(
        _(
            "Your role ({role}) shows aggregate figures only; {what} can be read by analysts, administrators, and "
            "mission officers for their own mission."
        ).format(role=role_label(who), what=_(what))
    )


def check_mission(who: Actor, mission_acronym: str | None, what: str) -> None:
    """Refuse a record outside the reader's mission scope, saying whose it is."""
    scope = record_scope(who, what)
    if scope is not None and (mission_acronym or "").upper() != scope:
        if mission_acronym:
            message = _("You work on {scope}; {what} of {mission} are outside your scope.")
        else:
            message = _("You work on {scope}; {what} of another mission are outside your scope.")
        raise PermissionDenied(message.format(scope=scope, what=_(what), mission=mission_acronym))


def may_read_mission(who: Actor, mission_acronym: str, what: str) -> bool:
    try:
        check_mission(who, mission_acronym, what)
    except PermissionDenied:
        return False
    return True


def check_editor(who: Actor, what: str, mission_acronym: str | None = None) -> None:
    """Refuse a change unless ``who`` is an analyst or administrator, or — for records that belong to a
    mission (``mission_acronym`` given) — a mission officer of that mission. Viewers only read."""
    if who.role in ALL_MISSIONS_ROLES:
        return
    if mission_acronym is not None and who.role == MISSION_OFFICER and who.mission:
        if mission_acronym.upper() == who.mission.upper():
            return
        raise PermissionDenied(
            _("You work on {scope}; {what} of {mission} are outside your scope.").format(
                scope=who.mission.upper(), what=_(what), mission=mission_acronym
            )
        )
    if mission_acronym is not None:
        message = _(
            "Your role ({role}) can read {what} but not change them; analysts and administrators (and mission "
            "officers for their own mission) can."
        )
    else:
        message = _("Your role ({role}) can read {what} but not change them; analysts and administrators can.")
    raise PermissionDenied(message.format(role=role_label(who), what=_(what)))


def check_area_editor(who: Actor, what: str, area_missions: Collection[str]) -> None:
    """Refuse a change to a record about a place (an alert on a country or a grid cell) unless ``who`` is an
    analyst or administrator, or a mission officer of a mission working there (``area_missions``)."""
    if who.role in ALL_MISSIONS_ROLES:
        return
    if who.role == MISSION_OFFICER and who.mission:
        if who.mission.upper() in {m.upper() for m in area_missions}:
            return
        raise PermissionDenied(
            _(
                "You work on {mission}; {what} about places outside its area are handled by analysts or by the "
                "missions working there."
            ).format(mission=who.mission.upper(), what=_(what))
        )
    raise PermissionDenied(
        _(
            "Your role ({role}) can read {what} but not change them; analysts, administrators and the officers of "
            "a mission working in the area can."
        ).format(role=role_label(who), what=_(what))
    )


def may_edit_area(who: Actor, area_missions: Collection[str]) -> bool:
    """``check_area_editor`` as a yes or no: whether to offer the action at all."""
    try:
        check_area_editor(who, "records", area_missions)
    except PermissionDenied:
        return False
    return True


def can_edit_mission(actor: Actor, mission: str) -> bool:
    """Enter values and targets, draft an assessment: administrators, analysts, and the mission's own officers."""
    if actor.role == MISSION_OFFICER:
        return (actor.mission or "").upper() == mission.upper()
    return actor.role in RECORD_ROLES


def require_mission_editor(actor: Actor, mission: str) -> None:
    if can_edit_mission(actor, mission):
        return
    if actor.role == MISSION_OFFICER:
        raise PermissionDenied(
            _("You are a mission officer for {own}; you cannot change {mission}'s performance data.").format(
                own=actor.mission, mission=mission
            )
        )
    raise PermissionDenied(
        _("Your role ({role}) can read performance data but not change it.").format(role=role_label(actor))
    )


def require_admin(actor: Actor, what: str) -> None:
    if actor.role != ADMIN:
        raise PermissionDenied(
            _("Only an administrator can {what}; you are signed in as {role}.").format(
                what=_(what), role=role_label(actor)
            )
        )


def check_approver(who: Actor, submitted_by: str | None, what: str) -> None:
    """Approval is a second pair of eyes: an administrator other than the person who submitted ``what``."""
    require_admin(who, f"approve {what}")  # "approve an assessment": one of RECORD_NAMES
    if submitted_by is not None and submitted_by == who.username:
        raise PermissionDenied(
            _("The person who submitted {what} cannot also approve it; ask another administrator.").format(what=_(what))
        )


def may_approve(who: Actor, submitted_by: str | None, what: str) -> bool:
    """Whether a page offers "Approve": the same rule as ``check_approver``, as a yes or no."""
    try:
        check_approver(who, submitted_by, what)
    except PermissionDenied:
        return False
    return True


def must_use_second_factor(actor: Actor, required_for: Collection[str]) -> bool:
    """Whether ``actor`` may sign in only with a second factor, given ``Settings.totp_required_for``.

    Administrators manage every account and compartment holders read confidential records: a password
    alone is one phishing e-mail away from both.
    """
    if "admin" in required_for and actor.role == ADMIN:
        return True
    return "holders" in required_for and bool(actor.compartments)
