"""``peaceops import training-courses|training-sessions|training-records|training-requirements FILE``: the
training files (CSV or XLSX, layouts in docs/examples/README.md), each upserted by its natural key, so a
file imported twice changes nothing; each bad line is rejected alone with its number and what to fix.

Courses and sessions are shared records (analysts and administrators import them); records and requirements
belong to a mission: a mission officer's file naming another mission is refused whole, before anything is
written (``access.policy.check_editor``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_editor, local_admin
from peaceops.framework.threat_areas import THREAT_AREAS
from peaceops.geography.codes import is_known_iso3
from peaceops.i18n import N_
from peaceops.missions.lookup import mission_ids
from peaceops.roster.models import Expert
from peaceops.sources.workbook import read_table
from peaceops.store.imports import ImportJob, ImportKind, LineProblem, import_lines
from peaceops.store.provenance import ImportReport
from peaceops.store.sync import sync_rows
from peaceops.training.capabilities import CAPABILITIES, PARTNER_KINDS, priority_codes
from peaceops.training.models import (
    TrainingCourse,
    TrainingPartner,
    TrainingRecord,
    TrainingRequirement,
    TrainingSession,
)

COURSES, SESSIONS, RECORDS, REQUIREMENTS = (
    "training-courses",
    "training-sessions",
    "training-records",
    "training-requirements",
)
WHAT = N_("training records")


class Bad(LineProblem):
    """One line's problem, in words that say what to fix."""


def _date(row: dict[str, str], column: str, *, optional: bool = False) -> date | None:
    text = row.get(column, "")
    if not text:
        if optional:
            return None
        raise Bad(f"{column} is empty; write the date as YYYY-MM-DD")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise Bad(f"{column} {text!r} is not a date; write it as YYYY-MM-DD") from None


def _count(row: dict[str, str], column: str, *, optional: bool = False) -> int | None:
    text = row.get(column, "")
    if not text:
        if optional:
            return None
        raise Bad(f"{column} is empty; write a whole number")
    try:
        value = int(text)
    except ValueError:
        raise Bad(f"{column} {text!r} is not a whole number") from None
    if value < 0:
        raise Bad(f"{column} cannot be negative")
    return value


def _capability(text: str) -> str:
    code = text.strip().lower()
    if code not in CAPABILITIES:
        raise Bad(f"capability {text!r} is not known; use one of {', '.join(CAPABILITIES)}")
    return code


def _actor(job: ImportJob) -> Actor:
    return job.who if isinstance(job.who, Actor) else local_admin(job.actor)


def _run(
    session: Session,
    job: ImportJob,
    kind: str,
    required: tuple[str, ...],
    parse: Callable[[dict[str, str]], dict[str, Any]],
    model: type[Any],
    key: list[str],
    entity: str,
) -> ImportReport:
    """The shared tail of the four importers: read, parse each line alone, upsert, record the run."""
    return import_lines(session, job, kind, read_table(job.path, required), parse, model, key, entity)


def _missions_named(session: Session, job: ImportJob, rows_missions: set[str]) -> dict[str, int]:
    """The missions register; refuses the whole file if it names a mission outside the importer's rights."""
    who = _actor(job)
    for acronym in sorted(rows_missions):
        check_editor(who, WHAT, acronym)
    return mission_ids(session)


def _mission_column(job: ImportJob) -> set[str]:
    _, _, rows = read_table(job.path, ("mission",))
    return {r["mission"].strip().upper() for _, r in rows if isinstance(r, dict) and r.get("mission", "").strip()}


def import_courses(session: Session, job: ImportJob) -> ImportReport:
    """Courses (code, title, capability, area, partner, partner_kind, partner_country); partners are upserted
    by name first."""
    check_editor(_actor(job), "training courses")
    _, _, rows = read_table(job.path, ("code", "title", "capability", "area"))
    partners: dict[str, dict[str, Any]] = {}
    for _, row in rows:
        if isinstance(row, dict) and row.get("partner"):
            kind = (row.get("partner_kind") or "").strip().lower()
            iso3 = (row.get("partner_country") or "").strip().upper()
            if kind in PARTNER_KINDS and (not iso3 or is_known_iso3(iso3)):
                partners.setdefault(
                    row["partner"], {"name": row["partner"], "kind": kind, "country_iso3": iso3 or None}
                )
    if partners:
        sync_rows(session, TrainingPartner, ["name"], list(partners.values()))
    partner_ids = dict(session.execute(select(TrainingPartner.name, TrainingPartner.id)).all())

    def parse(row: dict[str, str]) -> dict[str, Any]:
        if not row["code"] or not row["title"]:
            raise Bad("code and title are required")
        area = row["area"].strip()
        if area.lower() in THREAT_AREAS:
            area = area.lower()
        elif area.upper() in priority_codes():
            area = area.upper()
        else:
            raise Bad(
                f"area {area!r} is neither an A4P+ priority ({', '.join(sorted(priority_codes()))}) nor a threat "
                f"area ({', '.join(THREAT_AREAS)})"
            )
        partner = row.get("partner", "")
        if partner and partner not in partner_ids:
            kind = row.get("partner_kind", "")
            if kind.strip().lower() not in PARTNER_KINDS:
                raise Bad(f"partner_kind {kind!r} is not known; use one of {', '.join(PARTNER_KINDS)}")
            raise Bad(f"partner_country {row.get('partner_country', '')!r} is not an ISO 3166 alpha-3 code")
        return {
            "code": row["code"].upper()[:40],
            "title": row["title"][:300],
            "capability": _capability(row["capability"]),
            "area": area,
            "partner_id": partner_ids.get(partner) if partner else None,
        }

    return _run(session, job, COURSES, ("code", "title", "capability", "area"), parse, TrainingCourse, ["code"],
                "training_course")  # fmt: skip


def _course_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(TrainingCourse.code, TrainingCourse.id)).all())


def _course(ids: dict[str, int], text: str) -> int:
    code = text.strip().upper()
    if code not in ids:
        raise Bad(f"course {text!r} is not known; import the courses file first (peaceops import {COURSES} FILE)")
    return ids[code]


def import_sessions(session: Session, job: ImportJob) -> ImportReport:
    """Sessions (course, starts, ends, place, provider: a partner's name)."""
    check_editor(_actor(job), "training sessions")
    courses = _course_ids(session)
    partners = dict(session.execute(select(TrainingPartner.name, TrainingPartner.id)).all())

    def parse(row: dict[str, str]) -> dict[str, Any]:
        starts, ends = _date(row, "starts"), _date(row, "ends")
        assert starts is not None and ends is not None
        if ends < starts:
            raise Bad("ends is before starts")
        provider = row.get("provider", "")
        if provider and provider not in partners:
            raise Bad(f"provider {provider!r} is not a known training partner; name it in the courses file first")
        if not row["place"]:
            raise Bad("place is empty; name the town or training centre")
        return {
            "course_id": _course(courses, row["course"]),
            "starts": starts,
            "place": row["place"][:200],
            "ends": ends,
            "provider_id": partners.get(provider) if provider else None,
        }

    return _run(session, job, SESSIONS, ("course", "starts", "ends", "place"), parse, TrainingSession,
                ["course_id", "starts", "place"], "training_session")  # fmt: skip


def import_records(session: Session, job: ImportJob) -> ImportReport:
    """Training records: a unit (country, unit, trained, strength) or a person (person, expert_email)."""
    missions = _missions_named(session, job, _mission_column(job))
    courses = _course_ids(session)
    experts = dict(session.execute(select(Expert.email, Expert.id)).all())

    def parse(row: dict[str, str]) -> dict[str, Any]:
        acronym = row["mission"].upper()
        if acronym not in missions:
            raise Bad(f"mission {row['mission']!r} is not known; import the missions file first")
        iso3, unit, person = row.get("country", "").upper(), row.get("unit", ""), row.get("person", "")
        if iso3 and not is_known_iso3(iso3):
            raise Bad(f"country {row['country']!r} is not an ISO 3166 alpha-3 code (NPL, RWA, ...)")
        if not unit and not person:
            raise Bad("name a unit (with its country) or a person")
        if unit and not iso3:
            raise Bad("a unit needs its contributing country (ISO3)")
        trained = _count(row, "trained", optional=bool(person)) or 1
        strength = _count(row, "strength", optional=True)
        if strength is not None and trained > strength:
            raise Bad(f"trained ({trained}) is more than the unit's strength ({strength})")
        email = row.get("expert_email", "").lower()
        if email and email not in experts:
            raise Bad(f"expert_email {email!r} is not on the roster; import the experts first or leave it empty")
        return {
            "course_id": _course(courses, row["course"]),
            "mission_id": missions[acronym],
            "country_iso3": iso3,
            "unit": unit[:120],
            "person": person[:200],
            "completed": _date(row, "completed"),
            "trained": trained,
            "strength": strength,
            "certificate_expires": _date(row, "certificate_expires", optional=True),
            "expert_id": experts.get(email) if email else None,
        }

    key = ["course_id", "mission_id", "country_iso3", "unit", "person", "completed"]
    return _run(session, job, RECORDS, ("mission", "course", "completed"), parse, TrainingRecord, key,
                "training_record")  # fmt: skip


def import_requirements(session: Session, job: ImportJob) -> ImportReport:
    """Pre-deployment requirements (mission, capability, required_percent, indicators)."""
    missions = _missions_named(session, job, _mission_column(job))

    def parse(row: dict[str, str]) -> dict[str, Any]:
        acronym = row["mission"].upper()
        if acronym not in missions:
            raise Bad(f"mission {row['mission']!r} is not known; import the missions file first")
        text = row["required_percent"].rstrip("%").strip()
        try:
            share = float(text)
        except ValueError:
            raise Bad(f"required_percent {row['required_percent']!r} is not a number from 0 to 100") from None
        if not 0 <= share <= 100:
            raise Bad(f"required_percent {text} is outside 0 to 100")
        return {
            "mission_id": missions[acronym],
            "capability": _capability(row["capability"]),
            "required_percent": share,
            "indicators": row.get("indicators", "").upper()[:300],
        }

    return _run(session, job, REQUIREMENTS, ("mission", "capability", "required_percent"), parse,
                TrainingRequirement, ["mission_id", "capability"], "training_requirement")  # fmt: skip


KINDS = (
    ImportKind(
        COURSES, import_courses, N_("training courses"),
        N_(
            "Training courses (CSV or XLSX: code, title, capability, area, optional partner, partner_kind, "
            "partner_country), upserted by code."
        ),
        uploadable=True,
    ),
    ImportKind(
        SESSIONS, import_sessions, N_("training sessions"),
        N_(
            "Training sessions (CSV or XLSX: course, starts, ends, place, optional provider), upserted by course, "
            "start and place."
        ),
        uploadable=True,
    ),
    ImportKind(
        RECORDS, import_records, WHAT,
        N_(
            "Training records per unit or person (CSV or XLSX: mission, course, completed, country, unit, trained, "
            "strength, person, expert_email, certificate_expires)."
        ),
        mission_scoped=True, uploadable=True,
    ),
    ImportKind(
        REQUIREMENTS, import_requirements, N_("training requirements"),
        N_(
            "Pre-deployment training requirements per mission (CSV or XLSX: mission, capability, required_percent, "
            "optional indicators)."
        ),
        mission_scoped=True, uploadable=True,
    ),
)  # fmt: skip
