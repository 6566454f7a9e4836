"""The expert roster: validating an expert's record, creating and editing it (audited), reading it with
contact details only for those allowed, and importing it from CSV.

Who may see what: the roster's expertise, languages, regions and availability are open to every
signed-in user (they drive the gap report); an expert's contact details (email, phone, affiliation's
notes) are read only by analysts, administrators and mission officers; only analysts and administrators
change the roster. Three rosters share the table (``kind``): technical experts, NGO mediators and senior
envoy candidates; the candidates, named for senior posts, are read only by analysts and administrators (the
people who keep the rosters), and are neither listed nor counted for anyone else. The same functions serve
pages, the JSON API and CSV exports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peaceops.access.policy import Actor, holds_record_role, may_edit_shared, role_label
from peaceops.errors import ImportFileError, NotFound, PermissionDenied, ValidationFailed, field_of
from peaceops.i18n import _
from peaceops.roster import review, terms
from peaceops.roster.models import Expert, ExpertAvailability
from peaceops.roster.shapes import AvailabilityWindow, ExpertLanguage, ExpertProfile
from peaceops.sources.tabular import csv_rows
from peaceops.store import audit
from peaceops.store.base import utcnow

__all__ = [
    "CSV_COLUMNS",
    "ExpertData",
    "ExpertImportResult",
    "can_see_contacts",
    "check_roster_editor",
    "readable_kinds",
    "clean_expert",
    "expert_out",
    "get_expert",
    "import_experts",
    "list_experts",
    "save_expert",
]

CSV_COLUMNS = ("name", "email", "affiliation", "phone", "clearance", "expertise", "languages", "regions",
               "availability", "notes", "kind", "last_reviewed")  # fmt: skip
REQUIRED_COLUMNS = ("name", "email", "expertise")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONTACT_FIELDS = ("email", "phone", "notes")


def can_see_contacts(who: Actor) -> bool:
    return holds_record_role(who)


def readable_kinds(who: Actor) -> list[str]:
    """The rosters ``who`` may read: every one for analysts and administrators; no envoy candidates otherwise."""
    return [k for k in terms.EXPERT_KIND_LABELS if k != "envoy_candidate" or may_edit_shared(who)]


def check_roster_editor(who: Actor) -> None:
    if not may_edit_shared(who):
        message = _("Your role ({role}) can read the expert roster but not change it; analysts and administrators can.")
        raise PermissionDenied(message.format(role=role_label(who)))


@dataclass
class ExpertData:
    """A validated expert record, as stored."""

    name: str
    email: str
    affiliation: str = ""
    phone: str = ""
    clearance: str = "none"
    expertise: list[str] = field(default_factory=list)
    languages: list[dict[str, str]] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    availability: list[tuple[date, date]] = field(default_factory=list)
    notes: str = ""
    kind: str = terms.TECHNICAL
    last_reviewed_on: date | None = None  # None keeps the stored date: a review is recorded, not edited away


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[;\n]", value) if p.strip()]
    return list(value)


def _language(item: Any, where: str) -> dict[str, str]:
    if isinstance(item, dict):
        code, level = str(item.get("code", "")), str(item.get("level") or "fluent")
    else:
        code, _sep, level = str(item).partition(":")
        level = level.strip() or "fluent"
    level = level.lower()
    if level not in terms.PROFICIENCY:
        raise ValidationFailed(
            _("{where}: proficiency {level!r} is not one of {accepted}.").format(
                where=where, level=level, accepted=", ".join(terms.PROFICIENCY)
            )
        )
    return {"code": terms.language_code(code, where), "level": level}


def _window(item: Any, where: str) -> tuple[date, date]:
    if isinstance(item, dict):
        start, end = str(item.get("from", "")), str(item.get("to", ""))
    elif isinstance(item, list | tuple) and len(item) == 2:
        start, end = str(item[0]), str(item[1])
    else:
        start, sep, end = str(item).partition("..")
        if not sep:
            raise ValidationFailed(
                _("{where}: availability {item!r} is not a range like 2027-01-10..2027-03-31.").format(
                    where=where, item=item
                )
            )
    try:
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except ValueError:
        message = _("{where}: availability {item!r} has a date that is not YYYY-MM-DD.")
        raise ValidationFailed(message.format(where=where, item=item)) from None
    if last < first:
        raise ValidationFailed(
            _("{where}: availability {item!r} ends before it starts.").format(where=where, item=item)
        )
    return first, last


def clean_expert(raw: dict[str, Any], where: str | None = None) -> ExpertData:
    """Validate one expert from a form, the API or a CSV row; the error names the field and the reason, and
    says which field of the form it is about (``ValidationFailed.field``)."""
    where = where or _("Expert")
    name = str(raw.get("name") or "").strip()
    email = str(raw.get("email") or "").strip().lower()
    if not name:
        raise ValidationFailed(_("{where}: the name is required.").format(where=where), field="name")
    if not EMAIL.match(email):
        message = _("{where}: email {email!r} is not an email address (it identifies the expert).")
        raise ValidationFailed(message.format(where=where, email=email), field="email")
    with field_of("kind"):
        kind = terms.expert_kind_code(str(raw.get("kind") or ""), where)
    with field_of("expertise"):
        expertise = sorted({terms.expertise_code(str(x), where) for x in _items(raw.get("expertise"))})
    if not expertise and kind == terms.TECHNICAL:
        message = _("{where}: at least one expertise area is required.")
        raise ValidationFailed(message.format(where=where), field="expertise")
    with field_of("last_reviewed"):
        reviewed = _reviewed(raw.get("last_reviewed") or raw.get("last_reviewed_on"), where)
    languages: dict[str, dict[str, str]] = {}
    with field_of("languages"):
        for item in _items(raw.get("languages")):
            lang = _language(item, where)
            languages[lang["code"]] = lang
    with field_of("regions"):
        regions = sorted({terms.place_code(str(x), where) for x in _items(raw.get("regions"))})
    with field_of("availability"):
        windows = sorted({_window(x, where) for x in _items(raw.get("availability"))})
    with field_of("clearance"):
        clearance = terms.clearance_code(str(raw.get("clearance") or "none"), where)
    return ExpertData(
        name=name[:200],
        email=email,
        affiliation=str(raw.get("affiliation") or "").strip()[:200],
        phone=str(raw.get("phone") or "").strip()[:60],
        clearance=clearance,
        expertise=expertise,
        languages=sorted(languages.values(), key=lambda x: x["code"]),
        regions=regions,
        availability=windows,
        notes=str(raw.get("notes") or "").strip(),
        kind=kind,
        last_reviewed_on=reviewed,
    )


def _reviewed(value: Any, where: str) -> date | None:
    """The last review's day from a file or form (blank: none given); never in the future."""
    if value is None or isinstance(value, date) or not str(value).strip():
        day = value if isinstance(value, date) else None
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            message = _("{where}: last reviewed {value!r} is not a date (YYYY-MM-DD).")
            raise ValidationFailed(message.format(where=where, value=str(value).strip())) from None
    if day is not None and day > date.today():
        raise ValidationFailed(_("{where}: last reviewed {day} is in the future.").format(where=where, day=day))
    return day


def _state(expert: Expert) -> dict[str, Any]:
    return {
        "name": expert.name,
        "email": expert.email,
        "affiliation": expert.affiliation,
        "phone": expert.phone,
        "clearance": expert.clearance,
        "expertise": list(expert.expertise),
        "languages": [dict(x) for x in expert.languages],
        "regions": list(expert.regions),
        "availability": [(w.starts_on, w.ends_on) for w in expert.windows],
        "notes": expert.notes,
        "kind": expert.kind,
        "last_reviewed_on": expert.last_reviewed_on,
    }


def _data_state(data: ExpertData, stored: date | None) -> dict[str, Any]:
    reviewed = data.last_reviewed_on or stored
    return {**asdict(data), "availability": list(data.availability), "last_reviewed_on": reviewed}


def save_expert(
    session: Session, who: Actor, data: ExpertData, expert_id: int | None = None, *, action: str | None = None
) -> tuple[Expert, str]:
    """Create the expert, or update them (by id, else by email); returns the expert and what happened:
    "created", "updated" or "unchanged". Every change is written to the audit log."""
    check_roster_editor(who)
    expert: Expert | None
    if expert_id is not None:
        expert = get_expert(session, expert_id)
        other = session.scalar(select(Expert).where(Expert.email == data.email, Expert.id != expert_id))
        if other is not None:
            message = _("Email {email} already belongs to expert {id} ({name}).")
            raise ValidationFailed(message.format(email=data.email, id=other.id, name=other.name), field="email")
    else:
        expert = session.scalar(select(Expert).options(selectinload(Expert.windows)).where(Expert.email == data.email))
    now = utcnow()
    if expert is None:
        expert = Expert(email=data.email, created_by=who.username, created_at=now)
        session.add(expert)
        before = None
        outcome = "created"
    else:
        before = _state(expert)
        if before == _data_state(data, expert.last_reviewed_on):
            return expert, "unchanged"
        outcome = "updated"
    for name in ("name", "email", "affiliation", "phone", "clearance", "expertise", "languages", "regions", "notes",
                 "kind"):  # fmt: skip
        setattr(expert, name, getattr(data, name))
    if data.last_reviewed_on is not None:
        expert.last_reviewed_on = data.last_reviewed_on
    expert.windows = [ExpertAvailability(starts_on=a, ends_on=b) for a, b in data.availability]
    expert.updated_by, expert.updated_at = who.username, now
    session.flush()
    audit.record(session, who.username, action or f"expert.{outcome}", "expert", expert.id,
                 before=before, after=_state(expert))  # fmt: skip
    return expert, outcome


def get_expert(session: Session, expert_id: int, who: Actor | None = None) -> Expert:
    """One roster entry; with ``who``, one they may read (an envoy candidate is "not found" to the others)."""
    expert = session.get(Expert, expert_id)
    if expert is None or (who is not None and expert.kind not in readable_kinds(who)):
        raise NotFound(_("There is no expert {id} on the roster.").format(id=expert_id))
    return expert


def expert_out(expert: Expert, who: Actor, today: date | None = None) -> ExpertProfile:
    """The expert as pages and the API show them; contact fields are None for readers not allowed them."""
    day = today or date.today()
    contacts = can_see_contacts(who)
    return ExpertProfile(
        id=expert.id,
        name=expert.name,
        affiliation=expert.affiliation,
        email=expert.email if contacts else None,
        phone=expert.phone if contacts else None,
        notes=expert.notes if contacts else None,
        clearance=expert.clearance,
        clearance_label=terms.clearance_label(expert.clearance),
        expertise=list(expert.expertise),
        expertise_labels=[terms.area_label(c) for c in expert.expertise],
        languages=[ExpertLanguage(**x) for x in expert.languages],
        regions=list(expert.regions),
        region_labels=[terms.place_label(r) for r in expert.regions],
        availability=[AvailabilityWindow(from_=w.starts_on, to=w.ends_on) for w in expert.windows],
        kind=expert.kind,
        kind_label=terms.expert_kind_label(expert.kind),
        last_reviewed_on=expert.last_reviewed_on,
        review_due_on=review.review_due_on(expert.last_reviewed_on),
        review_overdue=review.is_overdue(expert.last_reviewed_on, day),
        updated_at=expert.updated_at,
    )


def list_experts(
    session: Session,
    who: Actor,
    *,
    expertise: str | None = None,
    language: str | None = None,
    kind: str | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> list[ExpertProfile]:
    """The roster entries ``who`` may read (one roster with ``kind``; only those due a review with ``overdue``)."""
    day = today or date.today()
    kinds = [k for k in readable_kinds(who) if kind is None or k == kind]
    query = select(Expert).options(selectinload(Expert.windows)).where(Expert.kind.in_(kinds))
    experts = session.scalars(query.order_by(Expert.name, Expert.id))
    out = []
    for expert in experts:
        if overdue and not review.is_overdue(expert.last_reviewed_on, day):
            continue
        if expertise and expertise not in expert.expertise:
            continue
        if language and language not in {x["code"] for x in expert.languages}:
            continue
        out.append(expert_out(expert, who, day))
    return out


@dataclass
class ExpertImportResult:
    """What an import did: counts, and each rejected line with its reason (good lines are kept)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    rows_read: int = 0


def import_experts(
    session: Session,
    who: Actor,
    text: str,
    source: str = "upload",
    progress: Callable[[int], Callable[[int], object]] | None = None,
) -> ExpertImportResult:
    """Upsert experts from CSV text by email: re-importing the same file changes nothing. A line that cannot
    be read (bytes that are not UTF-8, a quote never closed: ``sources.tabular``) is rejected alone."""
    check_roster_editor(who)
    header, lines = csv_rows(text, source, short_rows=True)
    missing = [c for c in REQUIRED_COLUMNS if c not in [h.lower() for h in header]]
    if missing:
        raise ImportFileError(
            f"{source}: the header lacks the column(s) {', '.join(missing)}; expected {', '.join(CSV_COLUMNS)}."
        )
    rows = list(lines)
    advance = progress(len(rows)) if progress else None
    report = ExpertImportResult()
    seen: dict[str, int] = {}
    for number, row in rows:
        if advance:
            advance(1)
        raw = {k.lower(): v for k, v in row.items()}
        where = _("Line {number}").format(number=number)
        report.rows_read += 1
        try:
            if "__error__" in row:
                raise ValidationFailed(f"{where} {row['__error__']}.")
            data = clean_expert(raw, where)
            if data.email in seen:
                message = _("{where}: email {email} is already on line {line} of this file.")
                raise ValidationFailed(message.format(where=where, email=data.email, line=seen[data.email]))
            seen[data.email] = number
            with session.begin_nested():
                _saved, outcome = save_expert(session, who, data)
        except ValidationFailed as exc:
            report.rejected.append({"line": number, "email": (raw.get("email") or "").strip(), "reason": str(exc)})
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    audit.record(session, who.username, "expert.import", "expert", None,
                 after={"source": source, **asdict(report)})  # fmt: skip
    return report
