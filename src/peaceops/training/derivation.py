"""``training_trained:<capability>``: people trained on a capability in the mission per month, from the training
records, registered with ``performance.derived`` (its hook for a new data source) so that ``CD_TRAINED`` in
the default template (``training_trained:conduct``) is computed like every other derived indicator.

Training sits above performance (its gaps read indicator ratings), so the derivation is registered from here
when the package is loaded (the platform's registry loads it for the CLI, the web app and the demo).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.missions.models import Mission
from peaceops.performance.derived import Context, Derivation, DerivationUnavailable, Derived, register_derivation
from peaceops.performance.periods import month
from peaceops.performance.values import Point
from peaceops.training.capabilities import CAPABILITIES
from peaceops.training.models import TrainingCourse, TrainingRecord

SOURCE = "peaceops training records (imported by the mission)"


def monthly_trained(session: Session, mission: Mission, capability: str) -> Counter[date]:
    """People trained on ``capability`` in the mission, per first day of the month they completed a course."""
    rows = session.execute(
        select(TrainingRecord.completed, TrainingRecord.trained)
        .join(TrainingCourse, TrainingCourse.id == TrainingRecord.course_id)
        .where(TrainingRecord.mission_id == mission.id, TrainingCourse.capability == capability)
    )
    out: Counter[date] = Counter()
    for day, n in rows:
        out[day.replace(day=1)] += n
    return out


def trained_per_month(capability: str) -> Derivation:
    def derive(session: Session, mission: Mission, ctx: Context) -> Derived:
        counts = monthly_trained(session, mission, capability)
        if not counts:
            raise DerivationUnavailable(
                f"no {capability} training is recorded for {mission.acronym} (peaceops import training-records FILE)"
            )
        first, last = min(counts), max(counts)
        points = []
        current = month(first.year, first.month)
        while current.start <= last:
            value = float(counts.get(current.start, 0))
            points.append(Point(current, value, value, None))
            current = current.next()
        return Derived(points, SOURCE)

    return derive


def register() -> None:
    for capability in CAPABILITIES:
        register_derivation(f"training_trained:{capability}", trained_per_month(capability))


register()
