"""What the Conduct page shows in aggregate, in one call: the page and its JSON twin share it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, can_read_records
from peaceops.conduct.analysis import (
    allegation_query,
    allegations_by_year,
    check_conduct_mission,
    conduct_summary,
    investigation_timeliness,
    outcomes,
    victim_assistance,
)
from peaceops.conduct.models import Allegation
from peaceops.conduct.rates import allegation_rates
from peaceops.conduct.shapes import ConductOverview
from peaceops.missions.lookup import find_mission
from peaceops.personnel.exposure import load_exposure


def conduct_overview(
    session: Session, who: Actor, *, mission: str | None = None, year: int | None = None
) -> ConductOverview:
    """Aggregates of the table of allegations for every role; the yearly series ignore the year filter.
    ``records_visible`` says whether ``who`` may also read the allegation records."""
    mission = check_conduct_mission(session, mission)
    first, last = session.execute(
        select(func.min(Allegation.reported_month), func.max(Allegation.reported_month))
    ).one()
    in_register = mission is None or session.scalar(
        select(func.count()).where(Allegation.mission_acronym == mission, Allegation.mission_id.is_not(None))
    )
    every = list(session.scalars(allegation_query(mission)))  # read once, aggregated eight ways below
    by_mission = conduct_summary(session, "mission", mission=mission, year=year, loaded=every)
    strength_to = load_exposure(session).first_last()[1]
    return ConductOverview(
        mission=mission,
        year=year,
        total=by_mission.total,
        reported_from=first.isoformat() if first else None,
        reported_to=last.isoformat() if last else None,
        strength_to=strength_to.isoformat() if strength_to else None,
        by_year=allegations_by_year(session, mission=mission, loaded=every),
        by_mission=by_mission.rows,
        by_personnel_category=conduct_summary(
            session, "personnel_category", mission=mission, year=year, loaded=every
        ).rows,
        by_country=conduct_summary(session, "country", mission=mission, year=year, loaded=every).rows,
        by_allegation_category=conduct_summary(
            session, "allegation_category", mission=mission, year=year, loaded=every
        ).rows,
        timeliness=investigation_timeliness(session, mission=mission, year=year, loaded=every),
        outcomes=outcomes(session, mission=mission, year=year, loaded=every),
        victim_assistance=victim_assistance(session, mission=mission, year=year, loaded=every),
        rates=(
            allegation_rates(session, mission=find_mission(session, mission).acronym if mission else None, year=year)
            if in_register
            else []
        ),
        records_visible=can_read_records(who),
    )
