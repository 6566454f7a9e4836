"""CSV import of missions' environmental figures (kind ``environment``): one line per mission and period.

Every rejected line is reported with its number and reason and the good lines are kept; a re-import of
the same file changes nothing (upsert by mission and period); each run is recorded and audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.environment.models import EnvironmentReport
from peaceops.environment.reports import EnvironmentInput, check_environment, environment_fields
from peaceops.i18n import N_, _
from peaceops.missions.lookup import mission_ids
from peaceops.sources.tabular import number_field, parse_date, parse_each, parse_percent, read_layout
from peaceops.store.base import utcnow
from peaceops.store.imports import ImportJob, ImportKind, finish_import
from peaceops.store.provenance import ImportReport

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


def _environment_input(row: dict[str, str], missions: dict[str, int]) -> EnvironmentInput:
    mission = row["mission"].strip().upper()
    if not mission:
        raise ValueError(_("the mission is empty"))
    if mission not in missions:
        raise ValueError(_("mission {mission!r} is not in the missions register").format(mission=row["mission"]))
    start = parse_date(row["period_start"], "period_start")
    end = parse_date(row["period_end"], "period_end")
    if start is None or end is None:
        raise ValueError(_("the period needs both its first and its last day"))
    data = EnvironmentInput(
        mission=mission,
        period_start=start,
        period_end=end,
        energy_mwh=number_field(row, "energy_mwh"),
        renewable_mwh=number_field(row, "renewable_mwh"),
        renewable_target=parse_percent(row.get("renewable_target_pct", ""), "renewable_target_pct"),
        water_m3=number_field(row, "water_m3"),
        water_target_m3=number_field(row, "water_target_m3"),
        wastewater_treated_share=parse_percent(row.get("wastewater_treated_pct", ""), "wastewater_treated_pct"),
        wastewater_target=parse_percent(row.get("wastewater_target_pct", ""), "wastewater_target_pct"),
        solid_waste_t=number_field(row, "solid_waste_t"),
        solid_waste_target_t=number_field(row, "solid_waste_target_t"),
        source=row.get("source", ""),
    )
    check_environment(data)
    return data


def import_environment(session: Session, job: ImportJob) -> ImportReport:
    """Import mission environmental figures; one line per mission and period (shares in percent)."""
    rows, lines = read_layout(job.path, "environment", ENVIRONMENT_COLUMNS, ENVIRONMENT_OPTIONAL)
    actor, progress = job.actor, job.progress
    missions = mission_ids(session)

    def parse(row: dict[str, str]) -> tuple[tuple[Any, ...], Any]:
        data = _environment_input(row, missions)
        return (missions[data.mission], data.period_start, data.period_end), data

    parsed = parse_each(rows, lines, parse)
    existing = {(r.mission_id, r.period_start, r.period_end): r for r in session.scalars(select(EnvironmentReport))}
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    changes: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    tick = progress(len(parsed)) if progress else None
    for _line, key, data in parsed:
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
    return finish_import(session, rows, actor, "environment_report", counts, changes)


KINDS = (
    ImportKind(
        "environment", import_environment, N_("environmental figures"),
        N_(
            "Missions' environmental figures, one line per mission and period (CSV: mission, period_start, "
            "period_end and any of the figures)."
        ),
        uploadable=True,
    ),
)  # fmt: skip
