"""CSV import of a mission's incident reports (e.g. from an older event database or a field form).

One row per incident; ``external_ref`` is the natural key with the mission, so a file imported twice
changes nothing and a corrected file updates what changed (keeping a version). Each bad row is rejected
with its line and reason; the good rows are kept. Imported reports enter the workflow as submitted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access import audit
from peaceops.errors import ImportFileError, PeaceopsError
from peaceops.incidents.access import Who, reporting_mission
from peaceops.incidents.models import CASUALTY_FIELDS, Incident, IncidentVersion
from peaceops.incidents.reports import IncidentInput, _apply, log, snapshot, validate
from peaceops.incidents.taxonomy import EXTRA_FIELDS

REQUIRED_COLUMNS = ("external_ref", "occurred_at", "category", "source_type", "reliability", "credibility")
OPTIONAL_COLUMNS = (
    "precision",
    "longitude",
    "latitude",
    "place",
    "subcategory",
    "actors",
    "description",
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

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__}


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
    )


def import_incidents(
    session: Session,
    who: Who,
    mission_acronym: str | None,
    text: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import the CSV ``text`` into the mission's incidents; see the module docstring for the rules."""
    mission = reporting_mission(session, who, mission_acronym)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            f"The file lacks the column(s) {', '.join(missing)}; the header needs {', '.join(REQUIRED_COLUMNS)}."
        )
    reader.fieldnames = header
    result = ImportResult(mission=mission.acronym)
    rows = list(reader)
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        line = index + 2
        result.rows += 1
        ref = (row.get("external_ref") or "").strip()
        try:
            if not ref:
                raise PeaceopsError("external_ref is empty; each row needs the reference it has in the source system.")
            if ref in seen:
                raise PeaceopsError(f"external_ref {ref!r} was already given on line {seen[ref]}.")
            seen[ref] = line
            values = validate(session, mission, _row_input(row, mission.acronym))
        except PeaceopsError as exc:
            result.rejected.append({"line": line, "external_ref": ref or None, "reason": str(exc)})
            continue
        existing = session.scalar(
            select(Incident).where(Incident.mission_id == mission.id, Incident.external_ref == ref)
        )
        if existing is None:
            incident = Incident(mission_id=mission.id, reported_by=who.username, status="submitted", version=1)
            session.add(incident)
            _apply(session, incident, mission, values)
            log(session, incident, "imported", who.username, None)
            result.inserted += 1
        else:
            before = snapshot(existing)
            compare = {**before}
            probe = {k: values[k] for k in before if k not in ("category_id", "subcategory_id")}
            probe["occurred_at"] = values["occurred_at"].isoformat()
            probe["category_id"] = values["category"].id
            probe["subcategory_id"] = values["subcategory"].id if values["subcategory"] else None
            if probe == compare or existing.status == "merged":
                result.unchanged += 1
            else:
                session.add(
                    IncidentVersion(
                        incident_id=existing.id,
                        version=existing.version,
                        snapshot=before,
                        changed_by=who.username,
                        reason="re-imported with changes",
                    )
                )
                existing.version += 1
                _apply(session, existing, mission, values)
                log(session, existing, "reimported", who.username, existing.status)
                result.updated += 1
        if progress:
            progress(index + 1, len(rows))
    audit.record(
        session,
        who.username,
        "import",
        "incident",
        mission.acronym,
        after={k: v for k, v in result.as_dict().items() if k != "rejected"} | {"rejected": len(result.rejected)},
    )
    return result
