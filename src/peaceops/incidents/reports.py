"""Filing and editing incident reports: validation (grading, place, casualties, required fields), the
record itself, its versions after verification, and its outward shape for pages, API and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from peaceops.access.policy import Actor
from peaceops.errors import FormInvalid, NotFound, PeaceopsError, ValidationFailed
from peaceops.framework.threat_areas import parse_threat_areas
from peaceops.framework.threat_tags import areas_of, set_areas
from peaceops.geography.priogrid import priogrid_gid
from peaceops.i18n import N_, _
from peaceops.incidents import gazetteer
from peaceops.incidents.access import check_read, reporting_mission, sensitive_compartment
from peaceops.incidents.models import (
    CASUALTY_FIELDS,
    CREDIBILITY,
    INCIDENT_TAGS,
    PRECISIONS,
    RELIABILITY,
    SOURCE_TYPES,
    Incident,
    IncidentActor,
    IncidentActorLink,
    IncidentCategory,
    IncidentEvent,
    IncidentVersion,
)
from peaceops.incidents.taxonomy import EXTRA_FIELDS, find_category
from peaceops.missions.models import Mission
from peaceops.store import audit
from peaceops.store.base import utcnow

SNAPSHOT_FIELDS = (
    "occurred_at precision longitude latitude place_name admin1 category_id subcategory_id extra actors "
    "description source_type reliability credibility external_ref"
).split() + list(CASUALTY_FIELDS)


@dataclass
class IncidentInput:
    """What a reporter gives, from the form, the API or a CSV row (strings are checked here)."""

    occurred_at: datetime | str
    category: str
    source_type: str
    reliability: str
    credibility: int | str
    mission: str | None = None
    precision: str = "hour"
    longitude: float | str | None = None
    latitude: float | str | None = None
    place: str | None = None
    subcategory: str | None = None
    actors: list[str] = field(default_factory=list)
    casualties: dict[str, int | str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    external_ref: str | None = None
    # threat area codes (a list, or ";"-separated text); None keeps the stored tags (a file without the column)
    threat_areas: list[str] | str | None = None


def check_grading(reliability: str, credibility: int | str) -> tuple[str, int]:
    """The two-part grading (source reliability A-F, information credibility 1-6), or a clear error that
    names each of the two fields it is about (FormInvalid.fields: ``reliability``, ``credibility``)."""
    fields: dict[str, str] = {}
    rel = str(reliability or "").strip().upper()
    if rel not in RELIABILITY:
        fields["reliability"] = _(
            "Source reliability {value} is not a grade: use a letter from A (completely reliable) "
            "to F (reliability cannot be judged)."
        ).format(value=repr(reliability))
    try:
        cred = int(str(credibility).strip())
    except ValueError:
        cred = 0
    if cred not in CREDIBILITY:
        fields["credibility"] = _(
            "Information credibility {value} is not a grade: use a number from 1 (confirmed by other "
            "sources) to 6 (truth cannot be judged)."
        ).format(value=repr(credibility))
    if fields:
        raise FormInvalid(" ".join(fields.values()), fields)
    return rel, cred


def _when(value: datetime | str) -> datetime:
    if isinstance(value, datetime):
        when = value
    else:
        text = str(value).strip().replace("T", " ")
        if not text:
            raise ValidationFailed(_("Give the date of the incident (YYYY-MM-DD)."))
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationFailed(
                _("Date and time {value} is not readable; write YYYY-MM-DD HH:MM.").format(value=repr(value))
            ) from None
    when = when.replace(tzinfo=None, second=0, microsecond=0)
    if when > utcnow() + timedelta(hours=14):  # a field office may be up to 14 hours ahead of UTC
        raise ValidationFailed(_("Date and time {when} is in the future.").format(when=f"{when:%Y-%m-%d %H:%M}"))
    return when


def _float(value: float | str | None, name: str, low: float, high: float) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValidationFailed(_("{name} {value} is not a number.").format(name=_(name), value=repr(value))) from None
    if not low <= number <= high:
        raise ValidationFailed(
            _("{name} {number} is outside {low} to {high}.").format(
                name=_(name), number=number, low=f"{low:g}", high=f"{high:g}"
            )
        )
    return number


def _count(value: int | str | None, name: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    text = str(value).strip()
    if not text.isdigit():
        raise ValidationFailed(
            _("{name} must be a whole number, 0 or more (got {value}).").format(name=_(name), value=repr(value))
        )
    return int(text)


# What the report form calls the fields a problem can be about, for the sentences shown beside them.
# Kept in English (N_), translated where a sentence is made.
GROUP_LABELS = {"civilians": N_("Civilians"), "peacekeepers": N_("Peacekeepers"), "armed": N_("Armed actors")}
CASUALTY_LABELS = {
    "civilians_killed": N_("Civilians killed"),
    "civilians_injured": N_("Civilians injured"),
    "civilians_abducted": N_("Civilians abducted"),
    "peacekeepers_killed": N_("Peacekeepers killed"),
    "peacekeepers_injured": N_("Peacekeepers injured"),
    "peacekeepers_abducted": N_("Peacekeepers abducted"),
    "armed_killed": N_("Armed actors killed"),
    "armed_injured": N_("Armed actors injured"),
    "armed_abducted": N_("Armed actors abducted"),
}
FIELD_LABELS = {
    "date": N_("the date"),
    "precision": N_("the time precision"),
    "place": N_("the place"),
    "category": N_("the category of the incident"),
    "subcategory": N_("the subcategory"),
    "source_type": N_("the source type"),
    "reliability": N_("the source reliability"),
    "credibility": N_("the information credibility"),
}
# Sentences for the form, where a field is chosen from a list: the list's own words, never its codes (a file
# or the API, which write the codes, get the message that names them).
CHOOSE = N_("Choose {label}.")
CHOOSE_LISTED = N_("Choose {label} from the list; {value} is not one of its entries.")


def _chosen(field: str, value: object) -> str:
    """The sentence for a list field (category, source type, grading...) left empty or given a value the
    list does not hold."""
    label = _(FIELD_LABELS[field])
    text = str(value if value is not None else "").strip()
    return _(CHOOSE).format(label=label) if not text else _(CHOOSE_LISTED).format(label=label, value=repr(text))


def validate(session: Session, mission: Mission, data: IncidentInput) -> dict[str, Any]:
    """Column values for an incident, checked; one FormInvalid naming every field that is wrong. Its message
    (for a file's rows and the API) names values as they are written there; ``fields`` holds, for each of the
    report form's fields, a sentence in the form's own words (labels, never codes)."""
    problems: list[str] = []
    fields: dict[str, str] = {}

    def problem(field: str, message: str, plain: str | None = None) -> None:
        problems.append(message)
        if field:
            fields.setdefault(field, plain or message)

    def attempt(field: str, fn: Any, *args: Any, plain: str | None = None) -> Any:
        try:
            return fn(*args)
        except FormInvalid as exc:  # a check of several fields (the grading) says which is which
            problems.append(str(exc))
            for name, sentence in exc.fields.items():
                fields.setdefault(name, sentence)
        except ValidationFailed as exc:
            problem(field, str(exc), plain)
        return None

    values: dict[str, Any] = {}
    values["occurred_at"] = attempt("date", _when, data.occurred_at)
    if data.precision not in PRECISIONS:
        problem(
            "precision",
            _("Time precision {value} is not one of {choices}.").format(
                value=repr(data.precision), choices=", ".join(PRECISIONS)
            ),
            _chosen("precision", data.precision),
        )
    values["precision"] = data.precision
    before = len(problems)
    lon = attempt("longitude", _float, data.longitude, N_("Longitude"), -180, 180)
    lat = attempt("latitude", _float, data.latitude, N_("Latitude"), -90, 90)
    place = (data.place or "").strip() or None
    admin1 = None
    if len(problems) > before:
        pass  # the coordinates' own messages say what is wrong
    elif (lon is None) != (lat is None):
        problem(
            "latitude" if lat is None else "longitude",
            _("Give both longitude and latitude, or neither and a place name."),
        )
    elif lon is None and lat is None:
        if place is None:
            problem(
                "place", _("Say where: click the map, give longitude and latitude, or name a place of the gazetteer.")
            )
        else:
            found = attempt("place", gazetteer.resolve, session, mission.host_iso3, place)
            if found is not None:
                lon, lat = found.longitude, found.latitude
                place = found.name
                admin1 = found.name if found.kind == "admin1" else (found.admin1 or None)
    if lon is not None and lat is not None and admin1 is None:
        admin1 = gazetteer.admin_area(session, mission.host_iso3, lon, lat)
    values.update(longitude=lon, latitude=lat, place_name=place, admin1=admin1)
    category = attempt(
        "category", find_category, session, mission, data.category, plain=_chosen("category", data.category)
    )
    sub = None
    if category is not None and category.parent_id is not None:
        problem(
            "category",
            _("{code} is a subcategory; give its category and put it under subcategory.").format(code=data.category),
            _("{label} is a subcategory: choose its main category here and {label} under subcategory.").format(
                label=category.label
            ),
        )
    if category is not None and data.subcategory:
        code = data.subcategory.strip().lower()
        code = code if "." in code else f"{category.code}.{code}"
        listed = _("Choose a subcategory of {label} from the list, or none.").format(label=category.label)
        sub = attempt("subcategory", find_category, session, mission, code, plain=listed)
        if sub is not None and sub.parent_id != category.id:
            problem(
                "subcategory",
                _("Subcategory {value} does not belong to {code}.").format(
                    value=repr(data.subcategory), code=category.code
                ),
                listed,
            )
    values["category"], values["subcategory"] = category, sub
    for name in data.casualties:
        if name not in CASUALTY_FIELDS:
            problem(
                "",
                _("Casualty field {name} is not known; use {choices}.").format(
                    name=repr(name), choices=", ".join(CASUALTY_FIELDS)
                ),
            )
    for name in CASUALTY_FIELDS:
        values[name] = attempt(name, _count, data.casualties.get(name), CASUALTY_LABELS[name]) or 0
    extra: dict[str, Any] = {}
    required = (category.required_fields if category else []) + (sub.required_fields if sub else [])
    for name, raw in data.extra.items():
        if raw is None or str(raw).strip() == "":
            continue
        label, kind = EXTRA_FIELDS.get(name, (name, "text"))
        extra[name] = attempt(f"extra_{name}", _count, raw, label) if kind == "count" else str(raw).strip()[:500]
    for name in required:
        if name not in extra:
            label = _(EXTRA_FIELDS[name][0])
            what = category.label if category else _("This category")
            problem(
                f"extra_{name}",
                _("{what} needs the field {label} ({name}).").format(what=what, label=repr(label.lower()), name=name),
                _("Give the {label}: a report of {what} needs it.").format(label=label.lower(), what=what.lower()),
            )
    values["extra"] = extra
    if data.source_type not in SOURCE_TYPES:
        problem(
            "source_type",
            _("Source type {value} is not one of {choices}.").format(
                value=repr(data.source_type), choices=", ".join(SOURCE_TYPES)
            ),
            _chosen("source_type", data.source_type),
        )
    values["source_type"] = data.source_type
    grading = attempt("reliability", check_grading, data.reliability, data.credibility)
    for name, value in (("reliability", data.reliability), ("credibility", data.credibility)):
        if name in fields and not str(value if value is not None else "").strip():
            fields[name] = _chosen(name, value)  # left empty: the form asks for it, not for the value ''
    values["reliability"], values["credibility"] = grading or (None, None)
    values["actors"] = sorted({a.strip()[:120] for a in data.actors if a and a.strip()})
    values["description"] = (data.description or "").strip()[:8000]
    values["external_ref"] = (data.external_ref or "").strip()[:80] or None
    values["threat_areas"] = None
    if data.threat_areas is not None:
        values["threat_areas"] = attempt("threat_areas", parse_threat_areas, data.threat_areas)
    if problems:
        raise FormInvalid(" ".join(problems), fields)
    return values


def apply_values(session: Session, incident: Incident, mission: Mission, values: dict[str, Any]) -> None:
    category: IncidentCategory = values["category"]
    sub: IncidentCategory | None = values["subcategory"]
    for name in SNAPSHOT_FIELDS:
        if name not in ("category_id", "subcategory_id"):
            setattr(incident, name, values[name])
    incident.category_id = category.id
    incident.cell = priogrid_gid(incident.latitude, incident.longitude)
    incident.subcategory_id = sub.id if sub else None
    # An edit restricts a report whose category is sensitive, and never lifts a restriction: a report
    # filed while its category was sensitive stays restricted after the flag is turned off.
    if category.sensitive or (sub and sub.sensitive):
        incident.compartment = sensitive_compartment(mission.acronym)
    incident.updated_at = utcnow()
    session.flush()
    session.execute(delete(IncidentActorLink).where(IncidentActorLink.incident_id == incident.id))
    for name in values["actors"]:
        actor = _actor(session, mission, name)
        session.add(IncidentActorLink(incident_id=incident.id, actor_id=actor.id))
    if values.get("threat_areas") is not None:
        set_areas(session, INCIDENT_TAGS, incident.id, values["threat_areas"])


def _actor(session: Session, mission: Mission, name: str) -> IncidentActor:
    """The mission's actor of that name, created on first use (safe when two reports create it at once)."""
    query = select(IncidentActor).where(IncidentActor.mission_id == mission.id, IncidentActor.name == name)
    actor = session.scalar(query)
    if actor is not None:
        return actor
    try:
        with session.begin_nested():
            actor = IncidentActor(mission_id=mission.id, name=name)
            session.add(actor)
    except IntegrityError:  # another report created it between our look-up and our insert
        actor = session.scalar(query)
        assert actor is not None
    return actor


def log(
    session: Session, incident: Incident, action: str, actor: str, before: str | None, note: str | None = None
) -> None:
    session.add(
        IncidentEvent(
            incident_id=incident.id,
            action=action,
            from_status=before,
            to_status=incident.status,
            actor=actor,
            note=note,
        )
    )


def file_incident(session: Session, who: Actor, data: IncidentInput) -> Incident:
    """Record a new report as a draft of the reporter's mission; audited."""
    mission = reporting_mission(session, who, data.mission)
    values = validate(session, mission, data)
    incident = Incident(mission_id=mission.id, reported_by=who.username, status="draft", version=1)
    session.add(incident)
    apply_values(session, incident, mission, values)
    log(session, incident, "filed", who.username, None)
    audit_change(session, who, "create", incident, mission, None, snapshot(incident))
    return incident


def audit_change(
    session: Session,
    who: Actor,
    action: str,
    incident: Incident,
    mission: Mission,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    *,
    was_restricted: bool = False,
) -> None:
    """The audit entry of a change: the snapshots of an open report, only the names of the changed
    fields of a restricted one (restricted content never enters the audit log)."""
    if incident.compartment or was_restricted:
        fields = audit.field_names(before, after)
        kept = {"mission": mission.acronym, "compartment": incident.compartment, "fields": fields}
        audit.record(session, who.username, action, "incident", incident.id, after=kept)
        return
    audit.record(
        session,
        who.username,
        action,
        "incident",
        incident.id,
        before=before,
        after=after | {"mission": mission.acronym} if before is None else after,
    )


def snapshot(incident: Incident) -> dict[str, Any]:
    """The report's fields as kept in a version and compared by a re-import, its threat areas included."""
    out = {name: getattr(incident, name) for name in SNAPSHOT_FIELDS}
    out["occurred_at"] = incident.occurred_at.isoformat() if incident.occurred_at else None
    out["threat_areas"] = threat_areas_of(incident)
    return out


def threat_areas_of(incident: Incident) -> list[str]:
    """The threat areas an incident is tagged with (none before it is stored)."""
    session = object_session(incident)
    if session is None or incident.id is None:
        return []
    return areas_of(session, INCIDENT_TAGS, [incident.id]).get(incident.id, [])


def keep_version(session: Session, incident: Incident, before: dict[str, Any], actor: str, reason: str) -> None:
    """Store the state ``before`` a change as the incident's current version, then count one more."""
    session.add(
        IncidentVersion(
            incident_id=incident.id, version=incident.version, snapshot=before, changed_by=actor, reason=reason
        )
    )
    incident.version += 1


def load(session: Session, who: Actor, incident_id: int) -> tuple[Incident, Mission]:
    """An incident the reader may see (mission scope, compartment; restricted reads audited)."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(_("There is no incident {id}.").format(id=incident_id))
    mission = session.get(Mission, incident.mission_id)
    assert mission is not None
    check_read(session, who, incident, mission.acronym)
    return incident, mission


def check_edit(session: Session, who: Actor, incident: Incident, mission: Mission) -> None:
    """Refuse an edit outside the editor's mission (viewers never edit) or of a merged report; the
    reader checks (mission, compartment) come first through ``load``."""
    reporting_mission(session, who, mission.acronym)
    if incident.status == "merged":
        raise ValidationFailed(
            _("Incident {id} was merged into {other}; edit that one.").format(
                id=incident.id, other=incident.merged_into_id
            )
        )


def may_edit(session: Session, who: Actor, incident: Incident, mission: Mission) -> bool:
    """Whether the page offers "Edit": the same rule as ``check_edit``, as a yes or no."""
    try:
        check_edit(session, who, incident, mission)
    except PeaceopsError:
        return False
    return True


def needs_reason(incident: Incident) -> bool:
    """Edits of a verified or published report must say why (the reason is kept with the version)."""
    return incident.status in ("verified", "published")


def edit_incident(session: Session, who: Actor, incident_id: int, data: IncidentInput, reason: str = "") -> Incident:
    """Change a report. Once it left the draft stage the previous state is kept as a version."""
    incident, mission = load(session, who, incident_id)
    # On PostgreSQL concurrent edits take turns on the row (on SQLite the write path's lock does it).
    session.flush()
    session.refresh(incident, with_for_update=True)
    check_edit(session, who, incident, mission)
    values = validate(session, mission, data)
    before = snapshot(incident)
    was_restricted = incident.compartment is not None
    if incident.status != "draft":
        if needs_reason(incident) and not reason.strip():
            why = _("Say why a verified incident is changed (the reason is kept with the version).")
            raise FormInvalid(why, {"reason": why})
        keep_version(session, incident, before, who.username, reason.strip()[:200] or "edited")
    apply_values(session, incident, mission, values)
    after = snapshot(incident)
    log(session, incident, "edited", who.username, incident.status, reason.strip() or None)
    audit_change(session, who, "update", incident, mission, before, after, was_restricted=was_restricted)
    return incident


def _label(session: Session, category_id: int | None) -> tuple[str | None, str | None]:
    if category_id is None:
        return None, None
    row = session.get(IncidentCategory, category_id)
    return (row.code, row.label) if row else (None, None)


def as_dict(session: Session, incident: Incident, mission: Mission) -> dict[str, Any]:
    code, label = _label(session, incident.category_id)
    sub_code, sub_label = _label(session, incident.subcategory_id)
    return {
        "id": incident.id,
        "mission": mission.acronym,
        "external_ref": incident.external_ref,
        "occurred_at": incident.occurred_at.isoformat(timespec="minutes"),
        "precision": incident.precision,
        "longitude": incident.longitude,
        "latitude": incident.latitude,
        "place_name": incident.place_name,
        "admin1": incident.admin1,
        "category": code,
        "category_label": _(label) if label else label,  # a default category in the reader's language
        "subcategory": sub_code,
        "subcategory_label": _(sub_label) if sub_label else sub_label,
        "actors": list(incident.actors or []),
        "threat_areas": threat_areas_of(incident),
        **{name: getattr(incident, name) for name in CASUALTY_FIELDS},
        "extra": dict(incident.extra or {}),
        "description": incident.description,
        "source_type": incident.source_type,
        "reliability": incident.reliability,
        "credibility": incident.credibility,
        "grading": f"{incident.reliability}{incident.credibility}",
        "status": incident.status,
        "rejection_reason": incident.rejection_reason,
        "restricted": incident.compartment is not None,
        "merged_into": incident.merged_into_id,
        "version": incident.version,
        "reported_by": incident.reported_by,
        "reported_at": incident.reported_at.isoformat(timespec="minutes"),
        "verified_by": incident.verified_by,
        "published_at": incident.published_at.isoformat(timespec="minutes") if incident.published_at else None,
    }


def detail(session: Session, who: Actor, incident_id: int) -> dict[str, Any]:
    """One incident with its history and earlier versions (mission and compartment checked)."""
    incident, mission = load(session, who, incident_id)
    out = as_dict(session, incident, mission)
    events = session.scalars(
        select(IncidentEvent).where(IncidentEvent.incident_id == incident.id).order_by(IncidentEvent.id)
    )
    out["history"] = [
        {
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": e.actor,
            "at": e.at.isoformat(timespec="seconds"),
            "note": e.note,
        }
        for e in events
    ]
    versions = session.scalars(
        select(IncidentVersion).where(IncidentVersion.incident_id == incident.id).order_by(IncidentVersion.version)
    )
    out["versions"] = [
        {
            "version": v.version,
            "changed_by": v.changed_by,
            "changed_at": v.changed_at.isoformat(timespec="seconds"),
            "reason": v.reason,
            "snapshot": v.snapshot,
        }
        for v in versions
    ]
    merged = session.scalars(select(Incident.id).where(Incident.merged_into_id == incident.id).order_by(Incident.id))
    out["merged_from"] = list(merged)
    return out
