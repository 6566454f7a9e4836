"""Finding a mission in the register by the acronym a person or a file gives."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.errors import NotFound
from peaceops.i18n import _
from peaceops.missions.models import Mission, MissionAlias


def mission_by_acronym(session: Session, acronym: str) -> Mission:
    mission = session.scalar(select(Mission).where(Mission.acronym == acronym.strip().upper()))
    if mission is None:
        raise NotFound(f"Mission {acronym!r} is not known; import the missions register first.")
    return mission


def find_mission(session: Session, acronym: str) -> Mission:
    """The mission with this acronym (any letter case), or NotFound saying where the register is."""
    mission = session.scalar(select(Mission).where(Mission.acronym == acronym.strip().upper()))
    if mission is None:
        mission = session.scalar(select(Mission).where(Mission.acronym.ilike(acronym.strip())))
    if mission is None:
        message = _("Mission {acronym!r} is not in the missions register; see /missions for the missions it holds.")
        raise NotFound(message.format(acronym=acronym))
    return mission


def mission_ids(session: Session) -> dict[str, int]:
    """Acronym (and alias) -> mission id, upper-cased."""
    ids = {acronym.upper(): id_ for id_, acronym in session.execute(select(Mission.id, Mission.acronym))}
    for alias, mission_id in session.execute(select(MissionAlias.alias, MissionAlias.mission_id)):
        ids.setdefault(alias.upper(), mission_id)
    return ids


def mission_choices(session: Session) -> list[tuple[str, str, bool]]:
    """(acronym, name, active) of every mission in the order of pick lists: active first, then the latest started.

    Forms only need these three columns; reading them alone keeps a form page from loading staffing figures.
    """
    rows = session.execute(select(Mission.acronym, Mission.name, Mission.active, Mission.start_date)).all()
    rows = sorted(rows, key=lambda r: (r.start_date or date.min, r.acronym), reverse=True)
    rows.sort(key=lambda r: not r.active)
    return [(r.acronym, r.name, bool(r.active)) for r in rows]
