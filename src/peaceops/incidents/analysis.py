"""A mission's own published reports in the analysis: monthly counts for the derived performance
indicators, and the mission's conflict panel, where they sit beside the UCDP/ACLED events of the host
country in columns of their own (decision 017: never summed with the source events, never a forecast
feature).

Counts shown to a person follow the incident access rule: the mission scope, and compartments the reader
holds (a restricted incident that enters a count is recorded in the audit log, as the weekly counts do).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor
from peaceops.conflict.panels import (
    BASE_COLUMNS,
    REPORT_COLUMNS,
    country_month_panel,
    event_cell,
    grid_month_panel,
    panel_frame,
    with_reports,
)
from peaceops.errors import ValidationFailed
from peaceops.geography.codes import gw_from_iso3, iso3_from_gw
from peaceops.geography.neighbours import grid_neighbours
from peaceops.incidents.access import audit_restricted_reads, may_read_mission
from peaceops.incidents.models import Incident, IncidentCategory
from peaceops.incidents.views import Filters, visible_query
from peaceops.missions.models import Mission
from peaceops.store.coverage import coverage_by_country
from peaceops.store.events import event_files, events_table

SOURCE = "The mission's own published incident reports (peaceops incidents)"
UCDP_YEARS = 3  # a mission panel shows at least this many years of the host country's events
KILLED = (Incident.civilians_killed, Incident.peacekeepers_killed, Incident.armed_killed)


def monthly_published(session: Session, mission: Mission, category: str | None = None) -> Counter[date]:
    """Published reports per month (first day), of one category or of all: the derived indicators' input."""
    query = select(Incident.occurred_at).where(Incident.mission_id == mission.id, Incident.status == "published")
    if category is not None:
        query = query.join(IncidentCategory, IncidentCategory.id == Incident.category_id).where(
            IncidentCategory.code == category
        )
    return Counter(when.date().replace(day=1) for when in session.scalars(query))


def report_counts(session: Session, who: Actor, mission: Mission, level: str) -> pd.DataFrame:
    """Published reports the reader may see, per panel unit and month: count and deaths (all groups killed).

    The unit is the host country's Gleditsch-Ward code (``cm``) or the report's PRIO-GRID cell (``pgm``).
    """
    gw = _host_gw(mission)
    columns = [Incident.id, Incident.compartment, Incident.occurred_at, Incident.cell, *KILLED]
    query = visible_query(who, Filters(mission=mission.acronym, status="published"), columns)
    rows, shown = [], []
    for incident_id, compartment, when, cell, *killed in session.execute(query):
        rows.append((gw if level == "cm" else cell, pd.Timestamp(when.date().replace(day=1)), 1, sum(killed)))
        if compartment:
            shown.append((incident_id, compartment))
    audit_restricted_reads(session, who, shown, f"conflict panel ({level})")
    frame = pd.DataFrame(rows, columns=["unit_id", "month", *REPORT_COLUMNS])
    return frame.astype(
        {"unit_id": "int64", "month": "datetime64[ns]", "mission_reports": "int64", "mission_deaths": "int64"}
    )


def mission_panel(
    session: Session, who: Actor, mission: Mission, var_dir: Path | None, level: str = "cm", start: date | None = None
) -> pd.DataFrame:
    """The host country's monthly panel (every EVENT feature) with the mission's reports beside it.

    ``cm``: one row per month for the host country. ``pgm``: the cells with host-country events or
    reports (spatial lags see every neighbouring cell's events). The calendar runs from ``start``
    (default: the earlier of the first report and three years before the events end) to the later of the
    last report and the last event month; months the loaded event files do not cover have empty event
    columns, not zeros, and ``events_covered`` False.
    """
    if level not in ("cm", "pgm"):
        raise ValidationFailed(f"Level {level!r} is not one of cm, pgm.")
    gw = _host_gw(mission)
    reports = report_counts(session, who, mission, level)
    events = events_table(var_dir) if var_dir is not None and event_files(var_dir) else None
    host = events.filter(events.country_gw == gw) if events is not None else None
    span = _event_span(session, host, gw)
    months = [m.date() for m in reports["month"]]
    if span is None and not months:
        raise ValidationFailed(
            f"There is nothing to put in {mission.acronym}'s panel: no published report, and no events are "
            f"loaded for its host country ({mission.host_iso3})."
        )
    first = start or min([*months, *([_months_before(span[1], 12 * UCDP_YEARS - 1)] if span else [])])
    last = max([*months, *([span[1]] if span else [])])
    if last < first:
        raise ValidationFailed(f"The panel would start ({first:%Y-%m}) after it ends ({last:%Y-%m}).")
    frame = _event_panel(events, host, level, gw, reports, first, last)
    frame = with_reports(frame, reports)
    frame["events_covered"] = frame["month"].between(pd.Timestamp(span[0]), pd.Timestamp(span[1])) if span else False
    event_columns = [
        c for c in frame.columns if c not in ("level", "unit_id", "month", "events_covered", *REPORT_COLUMNS)
    ]
    for name in event_columns:
        frame[name] = frame[name].astype("Float64" if frame[name].dtype.kind == "f" else "Int64")
        frame.loc[~frame["events_covered"], name] = pd.NA
    return frame.reset_index(drop=True)


def _event_panel(
    events: Any, host: Any, level: str, gw: int, reports: pd.DataFrame, first: date, last: date
) -> pd.DataFrame:
    """The source events' panel for the host country (cm) or its cells (pgm), zeros where no event."""
    if events is None:
        frame = pd.DataFrame({"month": pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq="MS")})
        frame["level"] = level
        units = [gw] if level == "cm" else sorted(set(reports["unit_id"]))
        frame = frame.merge(pd.DataFrame({"unit_id": units}, dtype="int64"), how="cross")
        for name in BASE_COLUMNS:
            frame[name] = 0
        return frame[["level", "unit_id", "month", *BASE_COLUMNS]]
    if level == "cm":
        expr = country_month_panel(events, first, last)
        frame = panel_frame(expr.filter(expr.unit_id == gw))
        if frame.empty:  # no event of the host country at all: its calendar of zeros
            return _event_panel(None, None, level, gw, reports, first, last)
        return frame
    cells = {int(c) for c in host.select(cell=event_cell(host)).distinct().to_pyarrow().column("cell").to_pylist()}
    cells |= {int(c) for c in reports["unit_id"]}
    around = sorted(cells | {n for c in cells for n in grid_neighbours(c)})
    nearby = events.filter(event_cell(events).isin(around))
    return panel_frame(grid_month_panel(nearby, first, last, cells=sorted(cells)))


def unit_reports(
    session: Session, who: Actor, level: str, unit_id: int, country_gw: int | None, first: date
) -> list[dict[str, Any]]:
    """For a conflict unit's page: each mission hosted in the unit's country whose reports ``who`` may
    read, with its published reports and their deaths per month from ``first`` on (months with none left
    out). Missions that ended and published nothing in the window are not listed."""
    iso3 = iso3_from_gw(country_gw) if country_gw is not None else None
    if iso3 is None:
        return []
    out = []
    for mission in session.scalars(select(Mission).where(Mission.host_iso3 == iso3).order_by(Mission.acronym)):
        if not may_read_mission(who, mission.acronym):
            continue
        counts = report_counts(session, who, mission, level)
        counts = counts[(counts["unit_id"] == unit_id) & (counts["month"] >= pd.Timestamp(first))]
        if counts.empty and not mission.active:
            continue
        monthly = counts.groupby("month")[REPORT_COLUMNS].sum().sort_index()
        months = [
            {"month": f"{when:%Y-%m}", "reports": int(row.mission_reports), "deaths": int(row.mission_deaths)}
            for when, row in monthly.iterrows()
        ]
        out.append({"mission": mission.acronym, "months": months})
    return out


def _host_gw(mission: Mission) -> int:
    gw = gw_from_iso3(mission.host_iso3) if mission.host_iso3 else None
    if gw is None:
        raise ValidationFailed(f"The host country of {mission.acronym} is not recorded, so it has no conflict panel.")
    return gw


def _event_span(session: Session, host: Any, gw: int) -> tuple[date, date] | None:
    """The months the loaded event files cover for the host country: the recorded coverage, else the span
    of its stored events."""
    recorded = coverage_by_country(session).get(gw)
    if recorded:
        return recorded
    if host is None:
        return None
    row = host.aggregate(first=host.month.min(), last=host.month.max()).to_pyarrow().to_pylist()[0]
    if row["first"] is None:
        return None
    return row["first"], row["last"]


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def beside_ucdp(session: Session, who: Actor, mission: Mission, var_dir: Path | None) -> list[dict[str, Any]]:
    """Per month from the first to the last published report: the reports and their deaths beside the
    host country's organised-violence events and deaths (None where the event files do not cover it).

    Read off the mission's country-month panel, so the page and the panel export give one figure."""
    try:
        panel = mission_panel(session, who, mission, var_dir, "cm")
    except ValidationFailed:  # no host country, or nothing reported and no events
        return []
    if not panel["mission_reports"].any():
        return []
    reported = panel.loc[panel["mission_reports"] > 0, "month"]
    rows = panel[panel["month"].between(reported.min(), reported.max())]
    out = []
    for r in rows.itertuples(index=False):
        covered = bool(r.events_covered)
        out.append(
            {
                "month": r.month.date().isoformat(),
                "mission_reports": int(r.mission_reports),
                "mission_deaths": int(r.mission_deaths),
                "ucdp_events": int(r.sb_count + r.ns_count + r.os_count) if covered else None,
                "ucdp_deaths": int(r.sb_best + r.ns_best + r.os_best) if covered else None,
            }
        )
    return out
