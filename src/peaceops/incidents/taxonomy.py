"""Event categories as data: the default set every mission starts with, and the mission's own edits.

A category may be *sensitive* (its incidents go to the mission's restricted compartment) and may require
extra fields (e.g. the number of people displaced); both are data a mission officer can change.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peaceops.access import compartments
from peaceops.access.policy import Actor
from peaceops.errors import ValidationFailed
from peaceops.i18n import N_, _
from peaceops.incidents.access import sensitive_compartment
from peaceops.incidents.models import Incident, IncidentCategory
from peaceops.missions.models import Mission
from peaceops.store import audit

# Extra fields a category may require: name -> (label, kind).
EXTRA_FIELDS: dict[str, tuple[str, str]] = {
    "displaced": (N_("Number of people displaced"), "count"),
    "participants": (N_("Estimated number of participants"), "count"),
    "armed_elements": (N_("Estimated number of armed elements"), "count"),
    "survivors": (N_("Number of survivors"), "count"),
    "medium": (N_("Medium (radio, social media, leaflet, speech)"), "text"),
    "access_impact": (N_("Effect on humanitarian access"), "text"),
}

# code, label, sensitive, required extra fields, subcategories (code, label). The labels are stored in English as a
# mission's own data; the default ones are marked here and shown with _() (a label a mission wrote stays as written).
DEFAULT_TAXONOMY: list[tuple[str, str, bool, list[str], list[tuple[str, str]]]] = [
    (
        "armed_clash",
        N_("Armed clashes"),
        False,
        [],
        [("between_groups", N_("Between armed groups")), ("with_state", N_("With state forces"))],
    ),
    (
        "attack_civilians",
        N_("Attacks on civilians"),
        False,
        [],
        [("killing", N_("Killing")), ("looting", N_("Looting and burning")), ("ied", N_("Explosive device"))],
    ),
    (
        "attack_peacekeepers",
        N_("Attacks on peacekeepers"),
        False,
        [],
        [("ambush", N_("Ambush")), ("ied", N_("Explosive device")), ("indirect_fire", N_("Indirect fire"))],
    ),
    (
        "abduction",
        N_("Abductions"),
        False,
        [],
        [("for_ransom", N_("For ransom")), ("recruitment", N_("Forced recruitment"))],
    ),
    ("sexual_violence", N_("Conflict-related sexual violence"), True, ["survivors"], []),
    ("displacement", N_("Displacement"), False, ["displaced"], []),
    (
        "demonstration",
        N_("Demonstrations"),
        False,
        ["participants"],
        [("peaceful", N_("Peaceful")), ("violent", N_("Violent"))],
    ),
    ("hate_speech", N_("Hate speech incidents"), False, ["medium"], []),
    (
        "threat",
        N_("Threats"),
        False,
        [],
        [("against_civilians", N_("Against civilians")), ("against_un", N_("Against the UN"))],
    ),
    ("armed_movement", N_("Movements of armed groups"), False, ["armed_elements"], []),
    (
        "humanitarian_access",
        N_("Humanitarian access incidents"),
        False,
        ["access_impact"],
        [("checkpoint", N_("Illegal checkpoint")), ("convoy_attack", N_("Attack on a convoy"))],
    ),
]
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")


def ensure_taxonomy(session: Session, mission: Mission) -> bool:
    """Give a mission the default categories the first time it needs them; False if it had some."""
    if session.scalar(select(IncidentCategory.id).where(IncidentCategory.mission_id == mission.id).limit(1)):
        return False
    try:
        with session.begin_nested():
            _seed(session, mission)
    except IntegrityError:  # another request seeded it at the same moment
        return False
    return True


def _seed(session: Session, mission: Mission) -> None:
    for code, label, sensitive, required, subs in DEFAULT_TAXONOMY:
        parent = IncidentCategory(
            mission_id=mission.id, code=code, label=label, sensitive=sensitive, required_fields=list(required)
        )
        session.add(parent)
        session.flush()
        for sub_code, sub_label in subs:
            session.add(
                IncidentCategory(mission_id=mission.id, parent_id=parent.id, code=f"{code}.{sub_code}", label=sub_label)
            )
    session.flush()


def categories(session: Session, mission: Mission) -> list[IncidentCategory]:
    ensure_taxonomy(session, mission)
    query = select(IncidentCategory).where(IncidentCategory.mission_id == mission.id).order_by(IncidentCategory.id)
    return list(session.scalars(query))


def taxonomy_tree(session: Session, mission: Mission) -> list[dict[str, Any]]:
    """Categories with their subcategories, for forms and the API."""
    rows = categories(session, mission)
    out: list[dict[str, Any]] = []
    by_id: dict[int, dict[str, Any]] = {}
    for c in rows:
        if c.parent_id is None:
            item = {
                "code": c.code,
                "label": _(c.label),
                "sensitive": c.sensitive,
                "required_fields": [
                    {"name": f, "label": _(EXTRA_FIELDS.get(f, (f, "text"))[0])} for f in c.required_fields
                ],
                "active": c.active,
                "subcategories": [],
            }
            by_id[c.id] = item
            out.append(item)
    for c in rows:
        if c.parent_id is not None and c.parent_id in by_id:
            by_id[c.parent_id]["subcategories"].append({"code": c.code, "label": _(c.label)})
    return out


def find_category(session: Session, mission: Mission, code: str) -> IncidentCategory:
    ensure_taxonomy(session, mission)
    wanted = code.strip().lower()
    row = session.scalar(
        select(IncidentCategory).where(IncidentCategory.mission_id == mission.id, IncidentCategory.code == wanted)
    )
    if row is None or not row.active:
        known = ", ".join(c.code for c in categories(session, mission) if c.parent_id is None and c.active)
        raise ValidationFailed(f"Category {code!r} is not in {mission.acronym}'s taxonomy; use one of: {known}.")
    return row


def save_category(
    session: Session,
    mission: Mission,
    who: Actor,
    *,
    code: str,
    label: str,
    parent: str | None = None,
    sensitive: bool = False,
    required_fields: list[str] | None = None,
) -> IncidentCategory:
    """Add a category (or subcategory under ``parent``) to a mission's taxonomy, or change its label,
    sensitivity and required fields; audited. Filing rights are checked by the caller
    (access.reporting_mission); whether ``who`` may lower a sensitivity is checked here.

    Only a holder of the mission's restricted compartment may mark a sensitive category as not sensitive,
    and even then the reports already filed under it stay restricted. Marking a category sensitive
    restricts every report already filed under it."""
    ensure_taxonomy(session, mission)
    required = [f.strip() for f in (required_fields or []) if f.strip()]
    unknown = [f for f in required if f not in EXTRA_FIELDS]
    if unknown:
        raise ValidationFailed(
            f"Required field(s) {', '.join(unknown)} are not known; choose from {', '.join(EXTRA_FIELDS)}."
        )
    parent_row = find_category(session, mission, parent) if parent else None
    if parent_row is not None and parent_row.parent_id is not None:
        raise ValidationFailed(f"{parent} is itself a subcategory; subcategories have one level only.")
    short = code.strip().lower()
    if not _CODE.match(short):
        raise ValidationFailed(
            f"Category code {code!r} must be 2-60 lower-case letters, digits or _ and start with a letter."
        )
    full = f"{parent_row.code}.{short}" if parent_row else short
    if not label.strip():
        raise ValidationFailed(_("A category needs a label."))
    row = session.scalar(
        select(IncidentCategory).where(IncidentCategory.mission_id == mission.id, IncidentCategory.code == full)
    )
    before = None
    if row is None:
        row = IncidentCategory(mission_id=mission.id, code=full, parent_id=parent_row.id if parent_row else None)
        session.add(row)
    else:
        before = {"label": row.label, "sensitive": row.sensitive, "required_fields": row.required_fields}
        if row.sensitive and not sensitive:
            compartments.require(
                who.compartments,
                sensitive_compartment(mission.acronym),
                f"Lowering the sensitivity of {row.label}",
            )
    row.label = label.strip()
    row.sensitive = sensitive
    row.required_fields = required
    row.active = True
    session.flush()
    if sensitive:
        restrict_filed(session, mission, row)
    audit.record(
        session,
        who.username,
        "create" if before is None else "update",
        "incident_category",
        f"{mission.acronym}:{full}",
        before=before,
        after={"label": row.label, "sensitive": sensitive, "required_fields": required},
    )
    return row


def restrict_filed(session: Session, mission: Mission, category: IncidentCategory) -> int:
    """Put every report filed under a (now) sensitive category or subcategory in the mission's
    compartment; returns how many were open before."""
    under = Incident.subcategory_id if category.parent_id is not None else Incident.category_id
    result = session.execute(
        update(Incident)
        .where(under == category.id, Incident.mission_id == mission.id, Incident.compartment.is_(None))
        .values(compartment=sensitive_compartment(mission.acronym))
    )
    return int(getattr(result, "rowcount", 0) or 0)
