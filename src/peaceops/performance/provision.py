"""Giving every active mission a framework and computing its derived indicators (the demo, and `refresh`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, system_actor
from peaceops.missions.models import Mission
from peaceops.performance.derived import Context, compute_derived
from peaceops.performance.frameworks import DEFAULT_TEMPLATE, create_framework, frameworks_of
from peaceops.performance.models import ResultsFramework
from peaceops.performance.shapes import DerivedReport


@dataclass
class ProvisionReport:
    created: list[str] = field(default_factory=list)
    derived: list[DerivedReport] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "derived": [d.model_dump() for d in self.derived]}

    @property
    def values(self) -> int:
        return sum(d.inserted + d.updated + d.unchanged for d in self.derived)


def provision(
    session: Session,
    *,
    var_dir: Path | None,
    actor: Actor | None = None,
    missions: list[str] | None = None,
    template: str = DEFAULT_TEMPLATE,
    progress: Callable[[str], None] | None = None,
) -> ProvisionReport:
    """Create a framework from the template for each active mission (or the named ones) that has none, then
    compute the derived indicators of every version of those missions' frameworks."""
    actor = actor or system_actor("peaceops demo")
    query = select(Mission)
    if missions:
        query = query.where(func.upper(Mission.acronym).in_([m.upper() for m in missions]))
    else:
        query = query.where(Mission.active.is_(True))
    report = ProvisionReport()
    context = Context(var_dir)
    for mission in session.scalars(query.order_by(Mission.acronym)):
        versions = frameworks_of(session, mission)
        if not versions:
            versions = [create_framework(session, mission, actor, template=template)]
            report.created.append(mission.acronym)
        for framework in versions:
            report.derived.append(compute_derived(session, framework, context=context))
        if progress:
            progress(mission.acronym)
    return report


def framework_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ResultsFramework)) or 0)
