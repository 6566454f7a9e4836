"""Reading the training registers for pages, the API and the exports.

Courses and sessions are shared and read by every signed-in user, as are the aggregates (readiness, gaps);
records name units and persons, so they are read like other personnel records: analysts and administrators
every mission's, mission officers their own mission's, viewers none (``access.policy.record_scope``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from peaceops.access.policy import Actor, check_mission, record_scope
from peaceops.framework.threat_areas import THREAT_AREAS, check_threat_area, counts_out
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.training.capabilities import area_label, capability_label
from peaceops.training.importing import WHAT
from peaceops.training.models import (
    TrainingCourse,
    TrainingPartner,
    TrainingRecord,
    TrainingRequirement,
    TrainingSession,
)
from peaceops.training.shapes import CourseOut, RecordOut, SessionOut


def course_list(session: Session, threat_area: str | None = None) -> list[CourseOut]:
    """Every course (or those whose area is ``threat_area``) with its sessions and people trained."""
    area = check_threat_area(threat_area)
    sessions = dict(
        session.execute(select(TrainingSession.course_id, func.count()).group_by(TrainingSession.course_id)).all()
    )
    trained = dict(
        session.execute(
            select(TrainingRecord.course_id, func.sum(TrainingRecord.trained)).group_by(TrainingRecord.course_id)
        ).all()
    )
    query = (
        select(TrainingCourse, TrainingPartner)
        .outerjoin(TrainingPartner, TrainingPartner.id == TrainingCourse.partner_id)
        .order_by(TrainingCourse.code)
    )
    if area:
        query = query.where(TrainingCourse.area == area)
    rows = session.execute(query).all()
    return [
        CourseOut(
            code=c.code, title=c.title, capability=c.capability, capability_label=capability_label(c.capability),
            area=c.area, area_label=area_label(c.area), partner=p.name if p else None,
            partner_kind=p.kind if p else None, sessions=sessions.get(c.id, 0), trained=int(trained.get(c.id) or 0),
        )
        for c, p in rows
    ]  # fmt: skip


def course_threat_counts(session: Session, missions: Collection[str] | None = None) -> list[dict[str, object]]:
    """Courses per threat area: a course's ``area`` is an A4P+ priority or one threat area (decision 046
    reuses it rather than tagging courses again). With ``missions`` (acronyms), only the courses their
    training records name (an aggregate, like readiness: every signed-in role reads it)."""
    query = (
        select(TrainingCourse.area, func.count(func.distinct(TrainingCourse.id)))
        .where(TrainingCourse.area.in_(list(THREAT_AREAS)))
        .group_by(TrainingCourse.area)
    )
    if missions is not None:
        query = (
            query.join(TrainingRecord, TrainingRecord.course_id == TrainingCourse.id)
            .join(Mission, Mission.id == TrainingRecord.mission_id)
            .where(Mission.acronym.in_(sorted({m.upper() for m in missions}) or [""]))
        )
    return counts_out({area: int(n) for area, n in session.execute(query)})


def mission_course_codes(session: Session, missions: Collection[str]) -> set[str]:
    """The codes of the courses the missions' training records name (an aggregate every role reads)."""
    query = (
        select(TrainingCourse.code)
        .join(TrainingRecord, TrainingRecord.course_id == TrainingCourse.id)
        .join(Mission, Mission.id == TrainingRecord.mission_id)
        .where(Mission.acronym.in_(sorted({m.upper() for m in missions}) or [""]))
        .distinct()
    )
    return set(session.scalars(query))


def session_list(session: Session) -> list[SessionOut]:
    provider = aliased(TrainingPartner)
    rows = session.execute(
        select(TrainingSession, TrainingCourse.code, provider.name)
        .join(TrainingCourse, TrainingCourse.id == TrainingSession.course_id)
        .outerjoin(provider, provider.id == TrainingSession.provider_id)
        .order_by(TrainingSession.starts, TrainingCourse.code)
    ).all()
    return [
        SessionOut(course=code, starts=s.starts, ends=s.ends, place=s.place, provider=name) for s, code, name in rows
    ]


def record_list(session: Session, who: Actor, mission: str | None = None, as_of: date | None = None) -> list[RecordOut]:
    """The records ``who`` may read, of one mission or of all; PermissionDenied for a viewer or another mission."""
    scope = record_scope(who, WHAT)
    wanted = find_mission(session, mission).acronym if mission else scope
    if scope is not None:
        check_mission(who, wanted, WHAT)
    query = (
        select(TrainingRecord, TrainingCourse.code, TrainingCourse.capability, Mission.acronym)
        .join(TrainingCourse, TrainingCourse.id == TrainingRecord.course_id)
        .join(Mission, Mission.id == TrainingRecord.mission_id)
        .order_by(Mission.acronym, TrainingRecord.completed, TrainingRecord.id)
    )
    if wanted:
        query = query.where(Mission.acronym == wanted)
    day = as_of or date.today()
    out = []
    for r, code, capability, acronym in session.execute(query).all():
        out.append(
            RecordOut(
                mission=acronym, course=code, capability=capability, country_iso3=r.country_iso3, unit=r.unit,
                person=r.person, expert_id=r.expert_id, completed=r.completed, trained=r.trained,
                strength=r.strength, certificate_expires=r.certificate_expires,
                expired=r.certificate_expires is not None and r.certificate_expires < day,
            )
        )  # fmt: skip
    return out


def missions_with_training(session: Session) -> list[tuple[str, int]]:
    """Missions with training records or requirements, and their number of records."""
    counts: dict[str, int] = defaultdict(int)
    for acronym, n in session.execute(
        select(Mission.acronym, func.count()).join(TrainingRecord).group_by(Mission.acronym)
    ).all():
        counts[acronym] = n
    for (acronym,) in session.execute(select(Mission.acronym).join(TrainingRequirement).distinct()).all():
        counts.setdefault(acronym, 0)
    return sorted(counts.items())
