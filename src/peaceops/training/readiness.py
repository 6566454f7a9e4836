"""Pre-deployment readiness: the share of each contingent trained on each capability its mission requires.

A unit's strength is the largest ``strength`` its records give; a person counts as trained on a capability
while the certificate of a course building it has not expired (records without an expiry never expire).
People trained are capped at the strength, so two overlapping courses never make more than 100 %.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.geography.codes import country_name
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.training.capabilities import capability_label
from peaceops.training.models import TrainingCourse, TrainingRecord, TrainingRequirement
from peaceops.training.shapes import CapabilityCoverage, ContingentReadiness, Readiness


@dataclass(frozen=True)
class Requirement:
    capability: str
    required_percent: float
    indicators: str


def requirements_of(session: Session, mission: Mission) -> list[Requirement]:
    rows = session.scalars(
        select(TrainingRequirement)
        .where(TrainingRequirement.mission_id == mission.id)
        .order_by(TrainingRequirement.capability)
    )
    return [Requirement(r.capability, r.required_percent, r.indicators) for r in rows]


def _coverage(capability: str, required: float, trained: int, strength: int) -> CapabilityCoverage:
    percent = round(100.0 * trained / strength, 1) if strength else None
    return CapabilityCoverage(
        capability=capability,
        capability_label=capability_label(capability),
        required_percent=required,
        trained=trained,
        strength=strength,
        percent=percent,
        met=None if percent is None else percent >= required,
    )


def unit_coverage(
    session: Session, mission: Mission, as_of: date
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str, str], int], int]:
    """Per unit (country, unit): its strength; per (country, unit, capability): people validly trained
    (capped at the strength); and the number of records of individual persons."""
    rows = session.execute(
        select(TrainingRecord, TrainingCourse.capability)
        .join(TrainingCourse, TrainingCourse.id == TrainingRecord.course_id)
        .where(TrainingRecord.mission_id == mission.id)
    ).all()
    strength: dict[tuple[str, str], int] = {}
    trained: dict[tuple[str, str, str], int] = defaultdict(int)
    persons = 0
    for record, capability in rows:
        if not record.unit:
            persons += 1
            continue
        unit = (record.country_iso3, record.unit)
        strength[unit] = max(strength.get(unit, 0), record.strength or 0)
        if record.certificate_expires is None or record.certificate_expires >= as_of:
            trained[(*unit, capability)] += record.trained
    capped = {k: min(v, strength[(k[0], k[1])] or v) for k, v in trained.items()}
    return strength, capped, persons


def readiness(session: Session, acronym: str, as_of: date | None = None) -> Readiness:
    """Each contingent of the mission against each of the mission's requirements, and the mission as a whole."""
    mission = find_mission(session, acronym)
    day = as_of or date.today()
    needs = requirements_of(session, mission)
    strength, trained, persons = unit_coverage(session, mission, day)
    contingents = []
    for country, unit in sorted(strength):
        size = strength[(country, unit)]
        caps = [_coverage(r.capability, r.required_percent, trained.get((country, unit, r.capability), 0), size)
                for r in needs]  # fmt: skip
        verdicts = [c.met for c in caps]
        ready = None if not caps or None in verdicts else all(verdicts)
        contingents.append(
            ContingentReadiness(
                country_iso3=country,
                country=country_name(country) or country,
                unit=unit,
                strength=size or None,
                capabilities=caps,
                ready=ready,
            )
        )
    total = sum(strength.values())
    overall = [
        _coverage(r.capability, r.required_percent,
                  sum(n for (c, u, cap), n in trained.items() if cap == r.capability and strength[(c, u)]), total)
        for r in needs
    ]  # fmt: skip
    return Readiness(mission=mission.acronym, as_of=day, requirements=overall, contingents=contingents, persons=persons)
