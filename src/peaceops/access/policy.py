"""Who may see and change accountability records.

Aggregates (counts, rates, charts) are open to every signed-in user: the allegations are published by
the UN and the fatalities list is public. Case records are not: an allegation's details, or an incident
and the progress of its criminal case, are read only by administrators and analysts (every mission) and
by mission officers (their own mission). Viewers see aggregates only. The same checks run for pages,
the JSON API and CSV exports, because all of them call the functions that apply them.
"""

from __future__ import annotations

from typing import Protocol

from peaceops.errors import PermissionDenied

RECORD_ROLES = ("admin", "analyst", "mission_officer")
ALL_MISSIONS_ROLES = ("admin", "analyst")


class Reader(Protocol):
    """The signed-in person as the domain sees them (the web app's Principal fits)."""

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def mission(self) -> str | None: ...


def can_read_records(who: Reader) -> bool:
    return who.role in ALL_MISSIONS_ROLES or (who.role == "mission_officer" and bool(who.mission))


def record_scope(who: Reader, what: str) -> str | None:
    """The mission whose records ``who`` may read (None: every mission); PermissionDenied for the others."""
    if who.role in ALL_MISSIONS_ROLES:
        return None
    if who.role == "mission_officer" and who.mission:
        return who.mission.upper()
    raise PermissionDenied(
        f"Your role ({who.role.replace('_', ' ')}) shows aggregate figures only; {what} can be read by "
        "analysts, administrators, and mission officers for their own mission."
    )


def check_mission(who: Reader, mission_acronym: str | None, what: str) -> None:
    """Refuse a record outside the reader's mission scope, saying whose it is."""
    scope = record_scope(who, what)
    if scope is not None and (mission_acronym or "").upper() != scope:
        raise PermissionDenied(
            f"You work on {scope}; {what} of {mission_acronym or 'another mission'} are outside your scope."
        )


def check_editor(who: Reader, what: str, mission_acronym: str | None = None) -> None:
    """Refuse a change unless ``who`` is an analyst or administrator, or — for records that belong to a
    mission (``mission_acronym`` given) — a mission officer of that mission. Viewers only read."""
    if who.role in ALL_MISSIONS_ROLES:
        return
    if mission_acronym is not None and who.role == "mission_officer" and who.mission:
        if mission_acronym.upper() == who.mission.upper():
            return
        raise PermissionDenied(
            f"You work on {who.mission.upper()}; {what} of {mission_acronym} are outside your scope."
        )
    raise PermissionDenied(
        f"Your role ({who.role.replace('_', ' ')}) can read {what} but not change them; analysts and administrators "
        + ("(and mission officers for their own mission) " if mission_acronym is not None else "")
        + "can."
    )
