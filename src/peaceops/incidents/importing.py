"""CSV import of incident reports (e.g. from an older event database or a field form), as import kind
``incidents``: ``peaceops import incidents FILE``, the upload on /imports and /incidents, and the API.

One row per incident; ``external_ref`` is the natural key with the mission, so a file imported twice
changes nothing and a corrected file updates what changed (keeping a version). Each bad row is rejected
with its line and reason; the good rows are kept, and so is a line that cannot be read at all (bytes that
are not UTF-8, a quote never closed, a value over 128 KiB: ``sources.tabular.csv_records``). Imported
reports enter the workflow as submitted. Every import is an ``ImportRun`` with its rejected lines; a
file-level error (columns, an unreadable header row, a mission outside the importer's rights) raises
before anything is written.

Which mission: a ``mission`` column (acronym per row), else the mission the import is for (``?mission=``,
``--mission``), else the importer's own mission (mission officers). Every mission a file names is checked
against the importer's rights first: a mission officer's file naming another mission is refused whole.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_editor, local_admin
from peaceops.errors import ImportFileError, NotFound, PeaceopsError
from peaceops.i18n import N_, _
from peaceops.incidents.access import WHAT, reporting_mission, scope
from peaceops.incidents.models import CASUALTY_FIELDS, Incident
from peaceops.incidents.reports import IncidentInput, apply_values, keep_version, log, snapshot, validate
from peaceops.incidents.taxonomy import EXTRA_FIELDS
from peaceops.missions.lookup import mission_by_acronym
from peaceops.missions.models import Mission
from peaceops.sources.records import Rejection, SourceRows
from peaceops.sources.tabular import csv_rows, decode, encode
from peaceops.store.imports import ImportJob, ImportKind, finish_import
from peaceops.store.provenance import ImportReport
from peaceops.store.sync import ProgressStart

KIND = "incidents"
REQUIRED_COLUMNS = ("external_ref", "occurred_at", "category", "source_type", "reliability", "credibility")
OPTIONAL_COLUMNS = (
    "mission",
    "precision",
    "longitude",
    "latitude",
    "place",
    "subcategory",
    "actors",
    "description",
    "threat_areas",
    *CASUALTY_FIELDS,
    *EXTRA_FIELDS,
)


@dataclass
class ImportResult:
    mission: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    missions: list[str] = field(default_factory=list)
    run_id: int | None = None

    report: ImportReport | None = None  # the run as every import kind reports it (CLI summary, upload)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "report"}


def _reason(rejected: dict[str, Any]) -> str:
    ref = rejected.get("external_ref")
    return f"{ref}: {rejected['reason']}" if ref else str(rejected["reason"])


def _row_input(row: dict[str, str], mission: str) -> IncidentInput:
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731
    return IncidentInput(
        mission=mission,
        external_ref=get("external_ref"),
        occurred_at=get("occurred_at"),
        precision=get("precision") or "hour",
        longitude=get("longitude") or None,
        latitude=get("latitude") or None,
        place=get("place") or None,
        category=get("category"),
        subcategory=get("subcategory") or None,
        actors=[a for a in get("actors").split(";") if a.strip()],
        casualties={name: get(name) for name in CASUALTY_FIELDS if get(name)},
        extra={name: get(name) for name in EXTRA_FIELDS if get(name)},
        description=get("description"),
        source_type=get("source_type"),
        reliability=get("reliability"),
        credibility=get("credibility"),
        threat_areas=get("threat_areas") if "threat_areas" in row else None,
    )


def _missions_named(who: Actor, rows: list[dict[str, str]], explicit: str | None) -> None:
    """Refuse the whole file when it names a mission outside the importer's rights (nothing is written)."""
    named = {(row.get("mission") or "").strip().upper() for row in rows} - {""}
    for name in sorted(named):
        if explicit is None or name == explicit:
            check_editor(who, WHAT, name)


def import_incidents(
    session: Session,
    who: Actor,
    mission_acronym: str | None,
    content: str | bytes,
    progress: ProgressStart = None,
    *,
    source: str = "upload",
) -> ImportResult:
    """Import the CSV ``content`` (text, or the file's bytes: a line that is not UTF-8 is then rejected
    alone) as one import run; see the module docstring for the rules."""
    raw = content if isinstance(content, bytes) else encode(content)
    text = decode(raw)
    explicit = mission_acronym.strip().upper() if mission_acronym and mission_acronym.strip() else None
    default = reporting_mission(session, who, explicit) if explicit or scope(who) else None
    name = PurePath(source).name if source and source != "upload" else _("The file")  # its own name, not a path
    header, lines = csv_rows(text, name, short_rows=True)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        message = _("{name} lacks the column(s) {missing}; the header needs {required}.")
        required = ", ".join(REQUIRED_COLUMNS)
        raise ImportFileError(message.format(name=name, missing=", ".join(missing), required=required))
    if default is None and "mission" not in header:
        raise ImportFileError(
            _(
                "The file does not say which mission: add a mission column (the acronym on each row), or import "
                "it for one mission (peaceops incidents import FILE --mission ACRONYM; ?mission= on the API)."
            )
        )
    rows = list(lines)
    _missions_named(who, [row for _, row in rows if "__error__" not in row], explicit)
    result = ImportResult(mission=default.acronym if default else "")
    missions: dict[str, Mission | None] = {default.acronym: default} if default else {}
    advance = progress(len(rows)) if progress else None
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        result.rows += 1
        ref = (row.get("external_ref") or "").strip()
        try:
            if "__error__" in row:
                raise PeaceopsError(f"Line {line} {row['__error__']}.")
            mission = _row_mission(session, row, default, explicit, missions)
            if not ref:
                raise PeaceopsError("external_ref is empty; each row needs the reference it has in the source system.")
            if (mission.acronym, ref) in seen:
                raise PeaceopsError(f"external_ref {ref!r} was already given on line {seen[mission.acronym, ref]}.")
            seen[mission.acronym, ref] = line
            values = validate(session, mission, _row_input(row, mission.acronym))
        except PeaceopsError as exc:
            result.rejected.append({"line": line, "external_ref": ref or None, "reason": str(exc)})
            if advance:
                advance(1)
            continue
        outcome = _store(session, who, mission, ref, values)
        setattr(result, outcome, getattr(result, outcome) + 1)
        if mission.acronym not in result.missions:
            result.missions.append(mission.acronym)
        if advance:
            advance(1)
    rejections = [Rejection(r["line"], _reason(r)) for r in result.rejected]
    run = SourceRows(KIND, source, hashlib.sha256(raw).hexdigest(), "csv", rejections=rejections,
                     rows_read=result.rows)  # fmt: skip
    counts = {"inserted": result.inserted, "updated": result.updated, "unchanged": result.unchanged}
    extra = {"mission": result.mission, "missions": result.missions}
    result.report = finish_import(session, run, who.username, "incident_import", counts, extra=extra)
    result.run_id = result.report.run_id
    return result


def _row_mission(
    session: Session,
    row: dict[str, str],
    default: Mission | None,
    explicit: str | None,
    cache: dict[str, Mission | None],
) -> Mission:
    """The row's mission: its own column, else the import's; a row naming another than the one the import is
    for, or an unknown acronym, is rejected (the importer's rights were checked for the whole file)."""
    name = (row.get("mission") or "").strip().upper()
    if not name:
        if default is None:
            raise PeaceopsError("mission is empty; give the mission's acronym on this row.")
        return default
    if explicit is not None and name != explicit:
        raise PeaceopsError(f"mission {name} differs from the mission this import is for ({explicit}).")
    if name not in cache:
        try:
            cache[name] = mission_by_acronym(session, name)
        except NotFound:
            cache[name] = None
    found = cache[name]
    if found is None:
        raise PeaceopsError(f"Mission {name!r} is not known; use an acronym of the missions register.")
    return found


def _store(session: Session, who: Actor, mission: Mission, ref: str, values: dict[str, Any]) -> str:
    """Insert the row's report, or update the stored one (keeping a version) if it changed: the outcome."""
    existing = session.scalar(select(Incident).where(Incident.mission_id == mission.id, Incident.external_ref == ref))
    if existing is None:
        incident = Incident(mission_id=mission.id, reported_by=who.username, status="submitted", version=1)
        session.add(incident)
        apply_values(session, incident, mission, values)
        log(session, incident, "imported", who.username, None)
        return "inserted"
    before = snapshot(existing)
    probe = {k: values[k] for k in before if k not in ("category_id", "subcategory_id")}
    probe["occurred_at"] = values["occurred_at"].isoformat()
    probe["category_id"] = values["category"].id
    probe["subcategory_id"] = values["subcategory"].id if values["subcategory"] else None
    if values["threat_areas"] is None:  # the file has no threat_areas column: the stored tags stay
        probe["threat_areas"] = before["threat_areas"]
    if probe == before or existing.status == "merged":
        return "unchanged"
    keep_version(session, existing, before, who.username, "re-imported with changes")
    apply_values(session, existing, mission, values)
    log(session, existing, "reimported", who.username, existing.status)
    return "updated"


def import_incidents_file(session: Session, job: ImportJob) -> ImportReport:
    """``peaceops import incidents FILE`` and the upload: the file as one import run, by ``job.who`` (the
    uploader) or else a local administrator named ``job.actor`` (whose file then needs a mission column or
    ``job.mission``)."""
    importer = job.who if isinstance(job.who, Actor) else local_admin(job.actor)
    raw = job.path.read_bytes()
    result = import_incidents(session, importer, job.mission, raw, job.progress, source=str(job.path))
    assert result.report is not None
    return result.report


KINDS = (
    ImportKind(
        KIND, import_incidents_file, N_("incident reports"),
        N_(
            "Mission incident reports (CSV: external_ref, occurred_at, category, source_type, reliability, "
            "credibility, and a mission column unless the import is for one mission)."
        ),
        mission_scoped=True, uploadable=True,
    ),
)  # fmt: skip
