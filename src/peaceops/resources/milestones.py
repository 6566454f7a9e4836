"""A mission's milestones: those the mission imports (mandate renewals, deployments, drawdown steps) and those
the platform already holds, read rather than copied: the mission's start and end in the missions register,
and each renewal of its results framework (a new version starts with a new mandate, decision 007's frameworks).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.i18n import _
from peaceops.missions.models import Mission
from peaceops.performance.frameworks import frameworks_of
from peaceops.resources.models import ResourceMilestone
from peaceops.resources.shapes import MilestoneOut
from peaceops.resources.vocabulary import MILESTONE_KINDS, label


def _out(mission: Mission, code: str, kind: str, due: object, title: str, source: str, note: str = "") -> MilestoneOut:
    return MilestoneOut(
        mission=mission.acronym, code=code, kind=kind, kind_label=label(MILESTONE_KINDS, kind), due=due,
        title=title, source=source, note=note,
    )  # fmt: skip


def mission_milestones(session: Session, mission: Mission) -> list[MilestoneOut]:
    """Every milestone of the mission in date order: imported, from the register, from framework renewals."""
    out = [
        _out(mission, m.code, m.kind, m.due, m.title, "imported", m.note)
        for m in session.scalars(select(ResourceMilestone).where(ResourceMilestone.mission_id == mission.id))
    ]
    if mission.start_date:
        out.append(_out(mission, "register:start", "deployment", mission.start_date,
                        _("Mission established (missions register)"), "register"))  # fmt: skip
    if mission.end_date:
        out.append(_out(mission, "register:end", "closure", mission.end_date,
                        _("Mission closes (missions register)"), "register"))  # fmt: skip
    for framework in frameworks_of(session, mission)[1:]:
        title = _("Mandate renewed: results framework version {version}").format(version=framework.version)
        if framework.mandate:
            title += f" ({framework.mandate})"
        out.append(_out(mission, f"framework:v{framework.version}", "mandate_renewal", framework.valid_from, title,
                        "framework"))  # fmt: skip
    return sorted(out, key=lambda m: (m.due, m.code))
