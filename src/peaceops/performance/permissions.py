"""Who may do what in mission performance; mission officers work only on their own mission.

The domain does not import the web app: any object with ``username``, ``role`` and ``mission`` (the web
app's signed-in principal, or ``SYSTEM`` for the CLI and the demo) is an actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from peaceops.errors import PermissionDenied

EDITOR_ROLES = ("admin", "analyst", "mission_officer")


class Actor(Protocol):
    @property
    def username(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def mission(self) -> str | None: ...


@dataclass(frozen=True)
class SystemActor:
    username: str
    role: str = "admin"
    mission: str | None = None


SYSTEM = SystemActor("peaceops")


def can_edit(actor: Actor, mission: str) -> bool:
    """Enter values and targets, draft an assessment: administrators, analysts, and the mission's own officers."""
    if actor.role == "mission_officer":
        return (actor.mission or "").upper() == mission.upper()
    return actor.role in EDITOR_ROLES


def require_edit(actor: Actor, mission: str) -> None:
    if can_edit(actor, mission):
        return
    if actor.role == "mission_officer":
        raise PermissionDenied(
            f"You are a mission officer for {actor.mission}; you cannot change {mission}'s performance data."
        )
    raise PermissionDenied(f"Your role ({actor.role}) can read performance data but not change it.")


def require_admin(actor: Actor, what: str) -> None:
    if actor.role != "admin":
        raise PermissionDenied(f"Only an administrator can {what}; you are signed in as {actor.role}.")
