"""Duplicate reports: the same category within N km and M hours of each other, and merging them.

A merge keeps both records: the duplicate is marked ``merged`` and points at the one kept, its history
stays, and the kept incident gets a version and a history line naming what was merged into it.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor
from peaceops.errors import ValidationFailed
from peaceops.incidents.access import reporting_mission
from peaceops.incidents.gazetteer import _km
from peaceops.incidents.models import Incident, IncidentVersion
from peaceops.incidents.reports import load, log, snapshot
from peaceops.store import audit
from peaceops.store.base import utcnow

DEFAULT_KM = 10.0
DEFAULT_HOURS = 24.0


def check_window(km: float, hours: float) -> None:
    if not (0 < km <= 500):
        raise ValidationFailed(f"The duplicate distance must be between 0 and 500 km (got {km}).")
    if not (0 < hours <= 24 * 31):
        raise ValidationFailed(f"The duplicate time window must be between 0 and 744 hours (got {hours}).")


def candidates(
    session: Session, incident: Incident, km: float = DEFAULT_KM, hours: float = DEFAULT_HOURS
) -> list[tuple[Incident, float]]:
    """Other live incidents of the same mission and category within ``km`` and ``hours``, nearest first."""
    check_window(km, hours)
    dlat = km / 111.0
    dlon = km / (111.0 * max(0.05, math.cos(math.radians(incident.latitude))))
    window = timedelta(hours=hours)
    query = select(Incident).where(
        Incident.mission_id == incident.mission_id,
        Incident.category_id == incident.category_id,
        Incident.id != incident.id,
        Incident.status.not_in(("merged", "rejected")),
        Incident.occurred_at.between(incident.occurred_at - window, incident.occurred_at + window),
        Incident.latitude.between(incident.latitude - dlat, incident.latitude + dlat),
        Incident.longitude.between(incident.longitude - dlon, incident.longitude + dlon),
    )
    out = []
    for other in session.scalars(query):
        d = _km(incident.longitude, incident.latitude, other.longitude, other.latitude)
        if d <= km:
            out.append((other, d))
    return sorted(out, key=lambda pair: (pair[1], pair[0].id))


def find_duplicates(
    session: Session, who: Actor, incident_id: int, km: float = DEFAULT_KM, hours: float = DEFAULT_HOURS
) -> list[dict[str, Any]]:
    incident, _ = load(session, who, incident_id)
    out = []
    for other, d in candidates(session, incident, km, hours):
        if other.compartment and other.compartment != incident.compartment:
            continue
        hours_apart = abs((other.occurred_at - incident.occurred_at).total_seconds()) / 3600
        out.append(
            {
                "id": other.id,
                "km": round(d, 2),
                "hours": round(hours_apart, 1),
                "status": other.status,
                "occurred_at": other.occurred_at.isoformat(timespec="minutes"),
                "reported_by": other.reported_by,
            }
        )
    return out


def merge(session: Session, who: Actor, keep_id: int, duplicate_id: int, note: str = "") -> Incident:
    """Fold ``duplicate_id`` into ``keep_id``: the duplicate is kept, marked merged, history intact."""
    if keep_id == duplicate_id:
        raise ValidationFailed("An incident cannot be merged into itself.")
    keep, mission = load(session, who, keep_id)
    dup, dup_mission = load(session, who, duplicate_id)
    reporting_mission(session, who, mission.acronym)
    if dup.mission_id != keep.mission_id:
        raise ValidationFailed(f"Incidents {keep_id} and {duplicate_id} belong to different missions.")
    if dup.category_id != keep.category_id:
        raise ValidationFailed(
            f"Incidents {keep_id} and {duplicate_id} have different categories; only duplicates of one category merge."
        )
    if dup.compartment and dup.compartment != keep.compartment:
        raise ValidationFailed(
            f"Incident {duplicate_id} is restricted and incident {keep_id} is not: merge {keep_id} into "
            f"{duplicate_id} instead, so that the merged report stays restricted."
        )
    if "merged" in (keep.status, dup.status):
        raise ValidationFailed("One of these incidents was already merged; merge into the incident it was merged into.")
    session.add(
        IncidentVersion(
            incident_id=keep.id,
            version=keep.version,
            snapshot=snapshot(keep),
            changed_by=who.username,
            reason=f"merged {dup.id} into it",
        )
    )
    keep.version += 1
    keep.actors = sorted(set(keep.actors or []) | set(dup.actors or []))
    if dup.description and dup.description not in keep.description:
        keep.description = (keep.description + f"\n\n[Merged from report {dup.id}] " + dup.description).strip()
    keep.updated_at = utcnow()
    before = dup.status
    dup.status = "merged"
    dup.merged_into_id = keep.id
    log(session, dup, "merged", who.username, before, f"merged into {keep.id}. {note}".strip())
    log(session, keep, "merged_in", who.username, keep.status, f"report {dup.id} merged into this one. {note}".strip())
    audit.record(
        session, who.username, "merge", "incident", dup.id, before={"status": before}, after={"merged_into": keep.id}
    )
    return keep
