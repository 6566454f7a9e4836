"""Monthly series other domains read (performance derives its indicators from them): deployments by
personnel type and gender, monthly strength, deaths by malicious acts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.personnel.models import Deployment, Fatality, MissionStrength


def deployments_by_type(session: Session, mission_id: int) -> list[tuple[date, str, int | None, int | None]]:
    """(month, personnel type, women, total) for every month and type the contributions data holds."""
    rows = session.execute(
        select(Deployment.month, Deployment.personnel_type, func.sum(Deployment.female), func.sum(Deployment.total))
        .where(Deployment.mission_id == mission_id)
        .group_by(Deployment.month, Deployment.personnel_type)
    )
    return [(day, ptype, women, total) for day, ptype, women, total in rows]


def monthly_strength(session: Session, mission_id: int) -> dict[date, int]:
    """Uniformed personnel deployed per month (the monthly mission totals)."""
    query = select(MissionStrength.month, MissionStrength.total).where(MissionStrength.mission_id == mission_id)
    return {day: int(total) for day, total in session.execute(query) if total is not None}


def strength_by_category(session: Session, mission_id: int) -> dict[date, dict[str, int | None]]:
    """Per month (first day): troops, police, observers and total deployed (the IPI monthly mission totals);
    a category the month's row leaves empty is None, never 0."""
    query = select(
        MissionStrength.month, MissionStrength.troops, MissionStrength.police, MissionStrength.observers,
        MissionStrength.total,
    ).where(MissionStrength.mission_id == mission_id)  # fmt: skip
    return {
        day: {"troops": troops, "police": police, "observers": observers, "total": total}
        for day, troops, police, observers, total in session.execute(query)
    }


def malicious_death_dates(session: Session, mission_id: int) -> list[date]:
    """The date of each peacekeeper killed by a malicious act in the mission."""
    query = select(Fatality.incident_date).where(
        Fatality.mission_id == mission_id, Fatality.incident_type == "Malicious Act"
    )
    return [d for d in session.scalars(query) if d is not None]
