"""Which monitored items a reader sees: the platform's mission rule applied to comms items.

An item may belong to a mission (set at import) or to no mission (the shared pool: public data sets,
feeds monitored for every mission). Readers see:

* analysts and administrators: every item, of every mission and of the pool;
* mission officers: their own mission's items and the pool, never another mission's;
* viewers (and mission officers without a mission): the pool only. Viewers have always read comms
  items (the posts are public; authors are hashed, see privacy.py); items a mission collected are that
  mission's records, read like other mission records (accountability/permissions.py).

``?mission=ACRONYM`` narrows a page or API answer to that mission's items; asking for a mission outside
one's scope is refused with the reason, as elsewhere on the platform. The same ``Scope`` filters every
comms page, API answer and CSV export, because they all pass it to the same query functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, own_mission, reads_all_missions, role_label
from peaceops.comms.models import SHOWN, CommsItem
from peaceops.errors import NotFound, PermissionDenied
from peaceops.missions.models import Mission


@dataclass(frozen=True)
class Scope:
    """Missions whose items are visible (None: all) and whether the pool (no mission) is visible."""

    missions: frozenset[int] | None
    pool: bool
    mission: str = ""  # the ?mission= filter applied, "" when none

    def where(self) -> ColumnElement[bool]:
        """The SQL condition on ``comms_item``: the missions in scope, and never a training row."""
        if self.missions is None:
            return SHOWN if self.pool else and_(SHOWN, CommsItem.mission_id.is_not(None))
        parts: list[ColumnElement[bool]] = []
        if self.missions:
            parts.append(CommsItem.mission_id.in_(sorted(self.missions)))
        if self.pool:
            parts.append(CommsItem.mission_id.is_(None))
        return and_(SHOWN, or_(*parts)) if parts else false()

    def sees(self, item: CommsItem) -> bool:
        if item.provenance == "training":
            return False
        if item.mission_id is None:
            return self.pool
        return self.missions is None or item.mission_id in self.missions


EVERYTHING = Scope(None, True)


def mission_ids(session: Session, acronyms: set[str]) -> dict[str, int]:
    """Acronym (upper case) → mission id, for the acronyms that name a mission."""
    if not acronyms:
        return {}
    rows = session.execute(select(Mission.acronym, Mission.id).where(Mission.acronym.in_(sorted(acronyms))))
    return {acronym.upper(): mission_id for acronym, mission_id in rows}


def mission_acronym(session: Session, mission_id: int | None) -> str:
    if mission_id is None:
        return ""
    mission = session.get(Mission, mission_id)
    return mission.acronym if mission else ""


def scope_for(session: Session, who: Actor, mission: str = "") -> Scope:
    """The reader's scope, narrowed to ``mission`` when given (PermissionDenied outside their scope)."""
    wanted = mission.strip().upper()
    own = own_mission(who) or ""
    if reads_all_missions(who):
        base = EVERYTHING
    elif own:
        base = Scope(frozenset(mission_ids(session, {own}).values()), True)
    else:
        base = Scope(frozenset(), True)
    if not wanted:
        return base
    found = mission_ids(session, {wanted})
    if wanted not in found:
        raise NotFound(f"There is no mission {wanted!r}.")
    if base.missions is not None and found[wanted] not in base.missions:
        if own:
            raise PermissionDenied(f"You work on {own}; monitored items of {wanted} are outside your scope.")
        raise PermissionDenied(
            f"Your role ({role_label(who)}) reads the shared pool of monitored items; items of "
            f"{wanted} are read by analysts, administrators and {wanted}'s mission officers."
        )
    return Scope(frozenset({found[wanted]}), False, wanted)


def check_item(scope: Scope, item: CommsItem, acronym: str) -> None:
    """Refuse an item outside the reader's scope, saying whose it is."""
    if not scope.sees(item):
        raise PermissionDenied(f"Item {item.id} belongs to {acronym or 'another mission'}, outside your scope.")
