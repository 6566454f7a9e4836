"""Environmental management of missions: energy (and the share from renewable sources), water, wastewater
treated and solid waste per mission and period, each against the target set for that period.

A period is whatever the mission reports on (a month, a quarter, a budget year); the natural key is the
mission and the period's first and last day, so entering or importing the same period again updates it.
Shares are stored as fractions (0-1); forms and CSV files use percentages, which read more naturally.
Every role reads these figures; analysts and administrators change them for any mission, mission officers
for their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_editor
from peaceops.environment.models import ENVIRONMENT_METRICS, EnvironmentReport
from peaceops.errors import problems_invalid
from peaceops.i18n import N_, _, format_date
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.store import audit
from peaceops.store.base import utcnow

WHAT = N_("environmental figures")
# Stored figures besides the mission and period, in the order of the CSV export.
FIGURES = (
    "energy_mwh",
    "renewable_mwh",
    "renewable_target",
    "water_m3",
    "water_target_m3",
    "wastewater_treated_share",
    "wastewater_target",
    "solid_waste_t",
    "solid_waste_target_t",
)
SHARES = ("renewable_target", "wastewater_treated_share", "wastewater_target")
# metric -> (the figure, its target), for comparing each figure with its target.
TARGETS = {
    "renewable_share": ("renewable_share", "renewable_target"),
    "water_m3": ("water_m3", "water_target_m3"),
    "wastewater_treated_share": ("wastewater_treated_share", "wastewater_target"),
    "solid_waste_t": ("solid_waste_t", "solid_waste_target_t"),
}


@dataclass(frozen=True)
class EnvironmentInput:
    """One mission's figures for one period; any figure or target may be missing (None)."""

    mission: str
    period_start: date
    period_end: date
    energy_mwh: float | None = None
    renewable_mwh: float | None = None
    renewable_target: float | None = None
    water_m3: float | None = None
    water_target_m3: float | None = None
    wastewater_treated_share: float | None = None
    wastewater_target: float | None = None
    solid_waste_t: float | None = None
    solid_waste_target_t: float | None = None
    source: str = ""


# The names the form and the CSV give the stored figures (shares are entered as percentages).
FORM_NAMES = {
    "renewable_target": "renewable_target_pct",
    "wastewater_treated_share": "wastewater_treated_pct",
    "wastewater_target": "wastewater_target_pct",
}
# What each figure is called in a sentence, kept in English (N_) and translated when told.
FIGURE_LABELS = {
    "energy_mwh": N_("The total energy"),
    "renewable_mwh": N_("The renewable energy"),
    "renewable_target": N_("The renewable target"),
    "water_m3": N_("The water used"),
    "water_target_m3": N_("The water ceiling"),
    "wastewater_treated_share": N_("The share of wastewater treated"),
    "wastewater_target": N_("The wastewater target"),
    "solid_waste_t": N_("The solid waste"),
    "solid_waste_target_t": N_("The solid waste ceiling"),
}


def environment_problems(data: EnvironmentInput) -> list[tuple[str, str]]:
    """Every reason the figures cannot be right, each a sentence in the current language with the field it is
    about (the form's and the CSV's name for it; empty for the figures as a whole)."""
    problems: list[tuple[str, str]] = []
    if data.period_end < data.period_start:
        message = _("The period ends ({end}) before it starts ({start}).")
        problems.append(("period_end", message.format(end=data.period_end, start=data.period_start)))
    elif (data.period_end - data.period_start).days > 366:
        problems.append(("period_end", _("A period is at most a year long.")))
    if data.period_start > date.today():
        problems.append(
            ("period_start", _("The period starts in the future ({start}).").format(start=data.period_start))
        )
    values = {name: getattr(data, name) for name in FIGURES}
    if all(v is None for v in values.values()):
        problems.append(("", _("No figure and no target is given: enter at least one.")))
    for name, value in values.items():
        if value is not None and value < 0:
            message = _("{figure} is negative ({value:g}).")
            problems.append((FORM_NAMES.get(name, name), message.format(figure=_(FIGURE_LABELS[name]), value=value)))
        elif name in SHARES and value is not None and value > 1:
            message = _("{figure} is {value:g}%, above 100%.")
            figure = _(FIGURE_LABELS[name])
            problems.append((FORM_NAMES.get(name, name), message.format(figure=figure, value=value * 100)))
    if data.renewable_mwh is not None:
        if data.energy_mwh is None:
            message = _("The renewable energy is given without the total energy it is a share of: give the total.")
            problems.append(("energy_mwh", message))
        elif data.renewable_mwh > data.energy_mwh:
            message = _("The renewable energy ({renewable:g} MWh) exceeds the total ({total:g} MWh).")
            problems.append(("renewable_mwh", message.format(renewable=data.renewable_mwh, total=data.energy_mwh)))
    if len(data.source) > 200:
        problems.append(("source", _("The source is longer than 200 characters.")))
    return problems


def check_environment(data: EnvironmentInput) -> None:
    """ValueError with every reason when the figures cannot be right (the importer rejects the line with it)."""
    if problems := environment_problems(data):
        raise ValueError(" ".join(sentence for _field, sentence in problems).rstrip("."))


def environment_fields(data: EnvironmentInput) -> dict[str, Any]:
    return {name: getattr(data, name) for name in FIGURES} | {"source": data.source.strip()}


def save_environment(
    session: Session, who: Actor, data: EnvironmentInput, found: Sequence[tuple[str, str]] = ()
) -> EnvironmentReport:
    """Create or update the mission's figures for the period; audited with before and after. Every problem is
    told at once, each with its field (FormInvalid), with those the surface ``found`` reading its fields."""
    mission = find_mission(session, data.mission)
    check_editor(who, WHAT, mission.acronym)
    if invalid := problems_invalid([*found, *environment_problems(data)]):
        raise invalid
    report = session.scalar(
        select(EnvironmentReport).where(
            EnvironmentReport.mission_id == mission.id,
            EnvironmentReport.period_start == data.period_start,
            EnvironmentReport.period_end == data.period_end,
        )
    )
    fields = environment_fields(data)
    key = {"mission": mission.acronym, "period_start": data.period_start, "period_end": data.period_end}
    if report is None:
        report = EnvironmentReport(
            mission_id=mission.id,
            period_start=data.period_start,
            period_end=data.period_end,
            updated_by=who.username,
            **fields,
        )
        session.add(report)
        session.flush()
        audit.record(session, who.username, "create", "environment_report", report.id, after={**key, **fields})
        return report
    before = {name: getattr(report, name) for name in fields}
    if before == fields:
        return report
    for name, value in fields.items():
        setattr(report, name, value)
    report.updated_by, report.updated_at = who.username, utcnow()
    session.flush()
    audit.record(
        session, who.username, "update", "environment_report", report.id, before={**key, **before}, after=fields
    )
    return report


def _met(metric: str, value: float | None, target: float | None) -> bool | None:
    if value is None or target is None:
        return None
    direction = next(m[3] for m in ENVIRONMENT_METRICS if m[0] == metric)
    return value >= target if direction == "at_least" else value <= target


def report_fields(report: EnvironmentReport, acronym: str) -> dict[str, Any]:
    """A report as the API and the CSV export give it, with the renewable share and each target's outcome."""
    share = (
        round(report.renewable_mwh / report.energy_mwh, 4)
        if report.renewable_mwh is not None and report.energy_mwh
        else None
    )
    row: dict[str, Any] = {
        "id": report.id,
        "mission": acronym,
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        **{name: getattr(report, name) for name in FIGURES},
        "renewable_share": share,
        "source": report.source,
        "updated_by": report.updated_by,
        "updated_at": report.updated_at.isoformat(timespec="seconds"),
    }
    for metric, (value, target) in TARGETS.items():
        row[f"{metric}_met"] = _met(metric, row[value], row[target])
    return row


def environment_reports(session: Session, *, mission: str | None = None) -> list[dict[str, Any]]:
    """Every report (or one mission's), by mission then period."""
    query = select(EnvironmentReport, Mission.acronym).join(Mission, Mission.id == EnvironmentReport.mission_id)
    if mission:
        query = query.where(EnvironmentReport.mission_id == find_mission(session, mission).id)
    rows = session.execute(query.order_by(Mission.acronym, EnvironmentReport.period_start, EnvironmentReport.id))
    return [report_fields(report, acronym) for report, acronym in rows]


def environment_overview(session: Session, *, mission: str | None = None) -> dict[str, Any]:
    """What the Environment page shows: the reports, and per metric how many periods met their target."""
    acronym = find_mission(session, mission).acronym if mission else None
    reports = environment_reports(session, mission=acronym)
    metrics = []
    for key, label, unit, direction in ENVIRONMENT_METRICS:
        outcomes = [r[f"{key}_met"] for r in reports if r[f"{key}_met"] is not None]
        metrics.append(
            {
                "metric": key,
                "label": label,
                "unit": unit,
                "direction": direction,
                "reported": sum(r[key] is not None for r in reports),
                "with_target": len(outcomes),
                "met": sum(outcomes),
                "met_share": round(sum(outcomes) / len(outcomes), 4) if outcomes else None,
            }
        )
    return {
        "mission": acronym,
        "missions": sorted({r["mission"] for r in reports}),
        "reports": reports,
        "metrics": metrics,
    }


def _period_label(start: str, end: str) -> str:
    """A short axis label ("Jan–Jun 2024", "Jul 2024–Jun 2025") that Vega never parses as a date."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if first.year == last.year and first.month == last.month:
        return format_date(first, "MMM y")
    if first.year == last.year:
        return f"{format_date(first, 'MMM')}–{format_date(last, 'MMM y')}"
    return f"{format_date(first, 'MMM y')}–{format_date(last, 'MMM y')}"


def environment_series(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Long rows (mission, period, metric, value, target) for charts: shares as percentages."""
    rows = []
    for r in reports:
        for key, label, unit, _direction in ENVIRONMENT_METRICS:
            value, target = r[TARGETS[key][0]], r[TARGETS[key][1]]
            if value is None and target is None:
                continue
            scale = 100.0 if unit == "share" else 1.0
            rows.append(
                {
                    "mission": r["mission"],
                    "period": r["period_start"],
                    "period_end": r["period_end"],
                    "period_label": _period_label(r["period_start"], r["period_end"]),
                    "metric": key,
                    "label": f"{label} ({'%' if unit == 'share' else unit})",
                    "value": None if value is None else round(value * scale, 2),
                    "target": None if target is None else round(target * scale, 2),
                }
            )
    return rows
