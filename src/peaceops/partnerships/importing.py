"""CSV imports of environmental figures (kind ``environment``) and Member State pledges (kind ``pledges``).

Both follow the platform's rules for imports: every rejected line is reported with its number and reason
and the good lines are kept; a re-import of the same file changes nothing (upsert by natural key: mission
and period; country, event, type and title); each run is recorded with its provenance and audited. A
pledge whose status differs from the stored one moves through ``move_pledge``, so its history and the
audit log show the change as if entered by hand, and a move the workflow refuses rejects the line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peaceops.environment.models import EnvironmentReport
from peaceops.environment.reports import EnvironmentInput, check_environment, environment_fields
from peaceops.errors import ImportFileError
from peaceops.missions.models import Mission, MissionAlias
from peaceops.partnerships.models import Pledge
from peaceops.partnerships.pledges import PledgeInput, area_ids, check_pledge, move_pledge, new_pledge
from peaceops.sources.records import Rejection, SourceRows
from peaceops.sources.tabular import NULLS, csv_rows, parse_date, parse_float, read_text, require_columns
from peaceops.store import audit
from peaceops.store.base import utcnow
from peaceops.store.provenance import ImportReport, record_import
from peaceops.store.sync import ProgressStart

ENVIRONMENT_COLUMNS = ("mission", "period_start", "period_end")
ENVIRONMENT_OPTIONAL = (
    "energy_mwh",
    "renewable_mwh",
    "renewable_target_pct",
    "water_m3",
    "water_target_m3",
    "wastewater_treated_pct",
    "wastewater_target_pct",
    "solid_waste_t",
    "solid_waste_target_t",
    "source",
)
PLEDGE_COLUMNS = ("country", "event", "date", "area", "type", "title")
PLEDGE_OPTIONAL = ("quantity", "unit", "status", "status_date", "evidence", "note")


def parse_percent(value: str, field: str) -> float | None:
    """A percentage ("45", "45%", "45,5") as a fraction (0.45); None when blank."""
    number = parse_float(value.rstrip("%").strip(), field)
    return None if number is None else round(number / 100.0, 6)


def mission_ids(session: Session) -> dict[str, int]:
    """Acronym (and alias) -> mission id, upper-cased."""
    ids = {acronym.upper(): id_ for id_, acronym in session.execute(select(Mission.id, Mission.acronym))}
    for alias, mission_id in session.execute(select(MissionAlias.alias, MissionAlias.mission_id)):
        ids.setdefault(alias.upper(), mission_id)
    return ids


def _number(row: dict[str, str], column: str) -> float | None:
    return parse_float(row.get(column, ""), column)


def _read(path: Path, kind: str, required: tuple[str, ...], optional: tuple[str, ...]) -> tuple[SourceRows, Any]:
    text, digest = read_text(path)
    header, rows = csv_rows(text, path.name)
    require_columns(header, required, path.name, kind)
    unknown = [h for h in header if h not in required and h not in optional]
    if unknown:
        raise ImportFileError(
            f"{path.name} has columns the {kind} layout does not know: {', '.join(unknown)} "
            f"(known: {', '.join((*required, *optional))})."
        )
    return SourceRows(kind=kind, path=str(path), sha256=digest, layout=kind), rows


def _finish(
    session: Session,
    rows: SourceRows,
    actor: str,
    entity: str,
    counts: dict[str, int],
    changes: list[tuple[int, dict[str, Any], dict[str, Any]]],
) -> ImportReport:
    rows.rejections.sort(key=lambda r: r.line)
    run = record_import(
        session,
        kind=rows.kind,
        source=rows.path,
        sha256=rows.sha256,
        actor=actor,
        rows_read=rows.rows_read,
        counts=counts,
        rejections=[(r.line, r.reason) for r in rows.rejections],
    )
    report = ImportReport(
        kind=rows.kind,
        source=rows.path,
        layout=rows.layout,
        rows_read=rows.rows_read,
        accepted=rows.rows_read - len(rows.rejections),
        inserted=counts["inserted"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        rejections=rows.rejections,
        run_id=run.id,
    )
    audit.record(
        session, actor, "import", entity, run.id, after={k: v for k, v in report.as_dict().items() if k != "rejections"}
    )
    for entity_id, before, after in changes:
        audit.record(session, actor, "update", entity, entity_id, before=before, after=after)
    return report


def _each(
    rows: SourceRows,
    lines: Any,
    parse: Callable[[dict[str, str]], tuple[tuple[Any, ...], Any]],
) -> list[tuple[int, tuple[Any, ...], Any]]:
    """Parse each line; a ValueError, or a key already seen on an earlier line, rejects it with the reason."""
    seen: dict[tuple[Any, ...], int] = {}
    out = []
    for line, row in lines:
        rows.rows_read += 1
        if "__error__" in row:
            rows.reject(line, f"Line {line} {row['__error__']}.")
            continue
        try:
            key, value = parse(row)
        except ValueError as exc:
            rows.reject(line, f"Line {line}: {exc}.")
            continue
        if key in seen:
            rows.reject(line, f"Line {line}: the same {rows.kind} entry already appears on line {seen[key]}.")
            continue
        seen[key] = line
        out.append((line, key, value))
    return out


# ------------------------------------------------------------------ environment
def _environment_input(row: dict[str, str], missions: dict[str, int]) -> EnvironmentInput:
    mission = row["mission"].strip().upper()
    if not mission:
        raise ValueError("the mission is empty")
    if mission not in missions:
        raise ValueError(f"mission {row['mission']!r} is not in the missions register")
    start = parse_date(row["period_start"], "period_start")
    end = parse_date(row["period_end"], "period_end")
    if start is None or end is None:
        raise ValueError("the period needs both its first and its last day")
    data = EnvironmentInput(
        mission=mission,
        period_start=start,
        period_end=end,
        energy_mwh=_number(row, "energy_mwh"),
        renewable_mwh=_number(row, "renewable_mwh"),
        renewable_target=parse_percent(row.get("renewable_target_pct", ""), "renewable_target_pct"),
        water_m3=_number(row, "water_m3"),
        water_target_m3=_number(row, "water_target_m3"),
        wastewater_treated_share=parse_percent(row.get("wastewater_treated_pct", ""), "wastewater_treated_pct"),
        wastewater_target=parse_percent(row.get("wastewater_target_pct", ""), "wastewater_target_pct"),
        solid_waste_t=_number(row, "solid_waste_t"),
        solid_waste_target_t=_number(row, "solid_waste_target_t"),
        source=row.get("source", ""),
    )
    check_environment(data)
    return data


def import_environment(session: Session, path: Path, actor: str, progress: ProgressStart = None) -> ImportReport:
    """Import mission environmental figures; one line per mission and period (shares in percent)."""
    rows, lines = _read(path, "environment", ENVIRONMENT_COLUMNS, ENVIRONMENT_OPTIONAL)
    missions = mission_ids(session)

    def parse(row: dict[str, str]) -> tuple[tuple[Any, ...], Any]:
        data = _environment_input(row, missions)
        return (missions[data.mission], data.period_start, data.period_end), data

    parsed = _each(rows, lines, parse)
    existing = {(r.mission_id, r.period_start, r.period_end): r for r in session.scalars(select(EnvironmentReport))}
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    changes: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    tick = progress(len(parsed)) if progress else None
    for _, key, data in parsed:
        fields = environment_fields(data)
        report = existing.get(key)
        if report is None:
            session.add(
                EnvironmentReport(mission_id=key[0], period_start=key[1], period_end=key[2], updated_by=actor, **fields)
            )
            counts["inserted"] += 1
        else:
            before = {name: getattr(report, name) for name in fields}
            if before == fields:
                counts["unchanged"] += 1
            else:
                for name, value in fields.items():
                    setattr(report, name, value)
                report.updated_by, report.updated_at = actor, utcnow()
                counts["updated"] += 1
                ident = {"mission": data.mission, "period_start": key[1], "period_end": key[2]}
                changes.append((report.id, {**ident, **before}, {**ident, **fields}))
        if tick:
            tick(1)
    session.flush()
    return _finish(session, rows, actor, "environment_report", counts, changes)


# ------------------------------------------------------------------ pledges
def _pledge_input(row: dict[str, str], areas: dict[str, int]) -> tuple[PledgeInput, date | None]:
    pledged_on = parse_date(row["date"], "date")
    if pledged_on is None:
        raise ValueError("the pledge date is empty")
    area = row["area"].strip()
    if area.upper() not in areas:
        raise ValueError(f"area {area!r} is not an A4P / A4P+ code of the framework (e.g. A4P.4, A4P+.P1)")
    quantity = row.get("quantity", "")
    status = (row.get("status", "") or "announced").strip().lower().replace(" ", "_")
    data = PledgeInput(
        country=row["country"],
        event=row["event"],
        pledged_on=pledged_on,
        area=area.upper(),
        pledge_type=row["type"].strip().lower().replace(" ", "_"),
        title=row["title"],
        quantity=None if quantity in NULLS else parse_float(quantity.replace(",", ""), "quantity"),
        unit=row.get("unit", ""),
        evidence=row.get("evidence", ""),
        status=status,
    )
    check_pledge(data)
    status_date = parse_date(row.get("status_date", ""), "status_date")
    return data, status_date


def import_pledges(session: Session, path: Path, actor: str, progress: ProgressStart = None) -> ImportReport:
    """Import pledges; a changed status on a known pledge is a status change, kept in its history.

    A move the workflow treats as a correction (back a stage, or out of "withdrawn") needs the line's
    ``note``, as it would in the form.
    """
    rows, lines = _read(path, "pledges", PLEDGE_COLUMNS, PLEDGE_OPTIONAL)
    areas = area_ids(session)

    def parse(row: dict[str, str]) -> tuple[tuple[Any, ...], Any]:
        data, status_date = _pledge_input(row, areas)
        key = (data.country.strip().upper(), data.event.strip(), data.pledge_type, data.title.strip())
        return key, (data, status_date, row.get("note", "").strip())

    parsed = _each(rows, lines, parse)
    existing = {
        (p.country_iso3, p.event, p.pledge_type, p.title): p
        for p in session.scalars(select(Pledge).options(selectinload(Pledge.history)))
    }
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    changes: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    tick = progress(len(parsed)) if progress else None
    for line, key, (data, status_date, note) in parsed:
        if tick:
            tick(1)
        pledge = existing.get(key)
        if pledge is None:
            pledge = new_pledge(data, areas[data.area], actor)
            if status_date and data.status != "announced":
                pledge.status_since = pledge.history[0].effective_on = status_date
            session.add(pledge)
            counts["inserted"] += 1
            continue
        fields = {
            "pledged_on": data.pledged_on,
            "area_id": areas[data.area],
            "quantity": data.quantity,
            "unit": data.unit.strip(),
        }
        if data.evidence.strip():
            fields["evidence"] = data.evidence.strip()
        before = {name: getattr(pledge, name) for name in fields} | {"status": pledge.status}
        if pledge.status != data.status:
            try:
                move_pledge(pledge, data.status, status_date or date.today(), note, data.evidence, actor)
            except ValueError as exc:
                rows.rejections.append(Rejection(line, f"Line {line}: the status cannot change: {exc}."))
                continue
            if not pledge.history[-1].note:
                pledge.history[-1].note = f"Imported from {path.name}"
        elif all(before[name] == value for name, value in fields.items()):
            counts["unchanged"] += 1
            continue
        for name, value in fields.items():
            setattr(pledge, name, value)
        pledge.updated_at = utcnow()
        counts["updated"] += 1
        changes.append(
            (pledge.id, {"pledge": list(key), **before}, {"pledge": list(key), **fields, "status": data.status})
        )
    session.flush()
    return _finish(session, rows, actor, "pledge", counts, changes)
