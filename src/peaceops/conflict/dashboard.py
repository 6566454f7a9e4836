"""What the conflict pages and their JSON twins show: stored runs, unit risks, alerts, recent events, series."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.conflict.alert_text import summary_text
from peaceops.conflict.alerts import recent_events, unit_risks
from peaceops.conflict.models import ALERT_TAGS, ConflictAlert, ForecastRun, ForecastValue
from peaceops.conflict.monitoring import RISK_STEPS
from peaceops.conflict.pipeline import LEVELS
from peaceops.conflict.track_record import alert_outcome
from peaceops.conflict.units import cell_centre, country_text, unit_label, unit_text
from peaceops.errors import NotFound, ValidationFailed
from peaceops.framework.threat_areas import check_threat_area, counts_out
from peaceops.framework.threat_tags import areas_of, count_areas, tagged
from peaceops.geography.codes import gw_from_iso3, iso3_from_gw, numeric_code
from peaceops.geography.neighbours import country_neighbours, grid_neighbours
from peaceops.i18n import _, format_number, format_percent
from peaceops.missions.models import Mission
from peaceops.store.coverage import coverage_by_country
from peaceops.store.event_schema import VIOLENCE_TYPES
from peaceops.store.events import events_table

EVENT_MAP_LIMIT = 3000  # the deadliest events of the window; a map of more says nothing more


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValidationFailed(f"Level {level!r} is not one of {', '.join(LEVELS)}.")


def method_note(config: dict[str, Any] | None, units: int | None = None) -> str:
    """One line for every page that shows a run's forecast: what made it, model or benchmark (issue 16), in the
    reader's language (written at read time: the run stores only its settings)."""
    config = config or {}
    weights = config.get("blend_weights")
    if units is not None and units < int(config.get("min_units", 0)):
        return _(
            "This forecast is the conflictology benchmark (each unit's last 12 months), not a model: the model "
            "needs at least {needed} units with data to learn from, and this run has {units} (with the four shared "
            "countries it scored worse than this benchmark in the backtest). Load a global GED release "
            "(peaceops fetch ucdp-ged)."
        ).format(needed=format_number(int(config["min_units"])), units=format_number(units))
    if not weights:
        return _("The model alone, not blended with a benchmark.")
    shares = [weights[k] for k in sorted(weights, key=int)]
    if max(shares) == 0:
        return _(
            "This forecast is the conflictology benchmark (each unit's last 12 months): on the year before the "
            "cut-off the model did no better than it at any step."
        )
    if min(shares) == 1:
        return _("The model alone: on the year before the cut-off it beat the conflictology benchmark at every step.")
    return _(
        "The model blended with the conflictology benchmark (each unit's last 12 months): the model's share is "
        "{low} to {high} across steps, as chosen on the year before the cut-off."
    ).format(low=format_percent(min(shares)), high=format_percent(max(shares)))


def run_out(run: ForecastRun) -> dict[str, Any]:
    weights = (run.config or {}).get("blend_weights")
    benchmark = run.units < int((run.config or {}).get("min_units", 0))
    return {
        "id": run.id,
        "level": run.level,
        "cutoff": f"{run.cutoff:%Y-%m}",
        "horizon": run.horizon,
        "model_version": run.model_version,
        "data_version": run.data_version,
        "units": run.units,
        "seconds": run.seconds,
        "created_at": run.created_at.isoformat(timespec="seconds"),
        "actor": run.actor,
        "blend_weights": weights,
        "method": method_note(run.config, run.units),
        "benchmark_only": benchmark,
        "scored_through": f"{run.scored_through:%Y-%m}" if run.scored_through else None,
    }


def runs(session: Session, level: str | None = None) -> list[dict[str, Any]]:
    query = select(ForecastRun).order_by(ForecastRun.cutoff.desc(), ForecastRun.id.desc())
    if level:
        query = query.where(ForecastRun.level == level)
    return [run_out(r) for r in session.scalars(query)]


def pick_run(session: Session, level: str, run_id: int | None = None) -> ForecastRun | None:
    """The run asked for, else the newest cut-off's latest run at that level."""
    _check_level(level)
    if run_id is not None:
        run = session.get(ForecastRun, run_id)
        if run is None or run.level != level:
            raise NotFound(f"There is no {level} forecast run {run_id}.")
        return run
    return session.scalar(
        select(ForecastRun)
        .where(ForecastRun.level == level)
        .order_by(ForecastRun.cutoff.desc(), ForecastRun.id.desc())
        .limit(1)
    )


def areas(session: Session) -> list[dict[str, Any]]:
    """Countries with forecasts, each with the active missions it hosts: the filter of the dashboard."""
    countries = sorted({gw for gw in session.scalars(select(ForecastValue.country_gw).distinct()) if gw is not None})
    coverage = coverage_by_country(session)
    missions: dict[int, list[str]] = {}
    for acronym, iso3 in session.execute(select(Mission.acronym, Mission.host_iso3).where(Mission.active.is_(True))):
        gw = gw_from_iso3(iso3) if iso3 else None
        if gw is not None:
            missions.setdefault(gw, []).append(acronym)
    return [
        {
            "country_gw": gw,
            "iso3": iso3_from_gw(gw),
            "name": country_text(gw),
            "missions": sorted(missions.get(gw, [])),
            "covered_from": f"{coverage[gw][0]:%Y-%m}" if gw in coverage else None,
            "covered_to": f"{coverage[gw][1]:%Y-%m}" if gw in coverage else None,
        }
        for gw in countries
    ]


def country_for_mission(session: Session, acronym: str) -> int:
    iso3 = session.scalar(select(Mission.host_iso3).where(func.upper(Mission.acronym) == acronym.upper()))
    gw = gw_from_iso3(iso3) if iso3 else None
    if gw is None:
        raise NotFound(f"No mission {acronym!r} with a known host country.")
    return gw


def unit_table(session: Session, run: ForecastRun, country_gw: int | None = None) -> list[dict[str, Any]]:
    """Every unit of the run with its risk, risk a month earlier and expected deaths, riskiest first."""
    risks = unit_risks(session, run)
    countries = dict(
        session.execute(
            select(ForecastValue.unit_id, ForecastValue.country_gw).where(
                ForecastValue.run_id == run.id, ForecastValue.step == 1, ForecastValue.origin == run.cutoff
            )
        ).all()
    )
    risks["country_gw"] = risks["unit_id"].map(countries)
    if country_gw is not None:
        risks = risks[risks["country_gw"] == country_gw]
    rows = []
    for r in risks.sort_values(["risk", "unit_id"], ascending=[False, True]).itertuples(index=False):
        gw = None if pd.isna(r.country_gw) else int(r.country_gw)
        row: dict[str, Any] = {
            "unit_id": int(r.unit_id),
            "name": unit_text(run.level, int(r.unit_id), gw),
            "country_gw": gw,
            "risk": round(float(r.risk), 4),
            "risk_before": round(float(r.risk_before), 4),
            "expected_next_3": round(float(r.expected), 1),
        }
        if run.level == "pgm":
            row["latitude"], row["longitude"] = cell_centre(int(r.unit_id))
        else:
            iso3 = iso3_from_gw(int(r.unit_id))
            row["iso_numeric"] = f"{numeric_code(iso3):03d}" if iso3 and numeric_code(iso3) else None
        rows.append(row)
    return rows


def alert_out(alert: ConflictAlert, threat_areas: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": alert.id,
        "kind": alert.kind,
        "level": alert.level,
        "unit_id": alert.unit_id,
        "name": unit_text(alert.level, alert.unit_id, alert.country_gw),
        "country_gw": alert.country_gw,
        "run_id": alert.run_id,
        "cutoff": f"{alert.cutoff:%Y-%m}",
        "risk": alert.risk,
        "risk_before": alert.risk_before,
        "summary": summary_text(alert),
        "status": alert.status,
        "note": alert.note,
        "updated_by": alert.updated_by,
        "updated_at": alert.updated_at.isoformat(timespec="seconds"),
        "threat_areas": threat_areas or [],
    }


def _alert_query(
    level: str | None, status: str | None, country_gw: int | None, unit_id: int | None, threat_area: str | None
) -> Any:
    query = select(ConflictAlert).order_by(ConflictAlert.cutoff.desc(), ConflictAlert.risk.desc(), ConflictAlert.id)
    area = check_threat_area(threat_area)
    if area:
        query = query.where(ConflictAlert.id.in_(tagged(ALERT_TAGS, area)))
    if level:
        query = query.where(ConflictAlert.level == level)
    if status:
        query = query.where(ConflictAlert.status == status)
    if country_gw is not None:
        query = query.where(ConflictAlert.country_gw == country_gw)
    if unit_id is not None:
        query = query.where(ConflictAlert.unit_id == unit_id)
    return query


def alerts(
    session: Session,
    *,
    level: str | None = None,
    status: str | None = None,
    country_gw: int | None = None,
    unit_id: int | None = None,
    threat_area: str | None = None,
) -> list[dict[str, Any]]:
    """Alerts, newest cut-off and highest risk first, each with its threat areas; ``threat_area`` keeps
    those tagged with it."""
    found = list(session.scalars(_alert_query(level, status, country_gw, unit_id, threat_area)))
    areas = areas_of(session, ALERT_TAGS, [a.id for a in found])
    return [alert_out(a, areas.get(a.id)) for a in found]


def alert_threat_counts(
    session: Session, *, level: str | None = None, status: str | None = None, country_gw: int | None = None
) -> list[dict[str, Any]]:
    """Alerts per threat area under the other filters (alerts are read by every signed-in role)."""
    ids = _alert_query(level, status, country_gw, None, None).with_only_columns(ConflictAlert.id).order_by(None)
    return counts_out(count_areas(session, ALERT_TAGS, ids))


def alert_detail(session: Session, alert_id: int) -> dict[str, Any]:
    alert = session.get(ConflictAlert, alert_id)
    if alert is None:
        raise NotFound(f"There is no alert {alert_id}.")
    run = session.get(ForecastRun, alert.run_id)
    method = method_note(run.config, run.units) if run is not None else ""
    outcome = alert_outcome(session, alert)
    areas = areas_of(session, ALERT_TAGS, [alert.id]).get(alert.id, [])
    evidence = {
        **alert.evidence,
        "neighbours": [_neighbour_out(alert.level, n) for n in alert.evidence.get("neighbours", [])],
    }
    return {**alert_out(alert, areas), "evidence": evidence, "method": method, "outcome": outcome}


def _neighbour_out(level: str, neighbour: dict[str, Any]) -> dict[str, Any]:
    """A violent neighbour of an alert, named in the reader's language (evidence stored before neighbours kept
    their country keeps its stored name for a grid cell)."""
    if level == "cm" or "country_gw" in neighbour:
        return {**neighbour, "name": unit_text(level, int(neighbour["unit_id"]), neighbour.get("country_gw"))}
    return neighbour


def event_points(var_dir: Path, cutoff: date, months: int, country_gw: int | None = None) -> list[dict[str, Any]]:
    """Events with deaths in the ``months`` up to the cut-off, deadliest first, for the events map."""
    table = events_table(var_dir)
    start = (pd.Timestamp(cutoff) - pd.DateOffset(months=months - 1)).date()
    filters = [table.month >= start, table.month <= cutoff, table.best > 0, table.latitude.notnull()]
    if country_gw is not None:
        filters.append(table.country_gw == country_gw)
    picked = (
        table.filter(*filters)
        .order_by([table.best.desc(), table.event_id])
        .limit(EVENT_MAP_LIMIT)
        .select("event_id", "date_end", "type_of_violence", "best", "latitude", "longitude", "location", "country_gw")
        .to_pyarrow()
        .to_pylist()
    )
    return [
        {
            **e,
            "date_end": e["date_end"].isoformat(),
            "violence": VIOLENCE_TYPES.get(e["type_of_violence"] or 0, "other").replace("_", "-"),
        }
        for e in picked
    ]


def dashboard(
    session: Session,
    var_dir: Path,
    level: str,
    *,
    run_id: int | None = None,
    country_gw: int | None = None,
    threat_area: str | None = None,
) -> dict[str, Any]:
    area = check_threat_area(threat_area)
    counts = alert_threat_counts(session, level=level, country_gw=country_gw)
    run = pick_run(session, level, run_id)
    if run is None:
        return {
            "level": level, "run": None, "units": [], "alerts": [], "events": [], "areas": areas(session),
            "threat_area": area, "alert_threat_areas": counts,
        }  # fmt: skip
    return {
        "level": level,
        "run": run_out(run),
        "country_gw": country_gw,
        "areas": areas(session),
        "units": unit_table(session, run, country_gw),
        "alerts": alerts(session, level=level, country_gw=country_gw, threat_area=area),
        "threat_area": area,
        "alert_threat_areas": counts,
        "events": event_points(var_dir, run.cutoff, 3, country_gw),
        "runs": runs(session, level),
    }


def observed_series(var_dir: Path, level: str, unit_id: int, last: date, months: int = 60) -> list[dict[str, Any]]:
    """Monthly deaths by type of violence in the unit, zeros included, over ``months`` up to ``last``."""
    table = events_table(var_dir)
    first = (pd.Timestamp(last) - pd.DateOffset(months=months - 1)).date()
    where = table.country_gw == unit_id if level == "cm" else table.priogrid_gid == unit_id
    rows = (
        table.filter(where, table.month >= first, table.month <= last)
        .group_by(["month", "type_of_violence"])
        .aggregate(best=table.best.sum())
        .to_pyarrow()
        .to_pylist()
    )
    calendar = pd.period_range(pd.Timestamp(first), pd.Timestamp(last), freq="M")
    totals = {(p.strftime("%Y-%m"), name): 0 for p in calendar for name in VIOLENCE_TYPES.values()}
    for r in rows:
        name = VIOLENCE_TYPES.get(r["type_of_violence"] or 0)
        if name:
            totals[(r["month"].strftime("%Y-%m"), name)] += int(r["best"] or 0)
    labels = [p.strftime("%Y-%m") for p in calendar]
    return [{"month": m, **{name: totals[(m, name)] for name in VIOLENCE_TYPES.values()}} for m in labels]


def unit_detail(session: Session, var_dir: Path, level: str, unit_id: int, run_id: int | None = None) -> dict[str, Any]:
    """One unit: the observed series to the cut-off, the forecast fan, its alerts and neighbours."""
    run = pick_run(session, level, run_id)
    if run is None:
        raise NotFound(f"No {level} forecast has been run yet; run `peaceops monitor`.")
    values = session.scalars(
        select(ForecastValue)
        .where(ForecastValue.run_id == run.id, ForecastValue.unit_id == unit_id, ForecastValue.origin == run.cutoff)
        .order_by(ForecastValue.step)
    ).all()
    if not values:
        raise NotFound(f"{unit_label(level, unit_id)} has no forecast in run {run.id} (cut-off {run.cutoff:%Y-%m}).")
    country = values[0].country_gw
    risk = max(v.p25 for v in values[:RISK_STEPS])
    neighbours = country_neighbours(unit_id) if level == "cm" else set(grid_neighbours(unit_id))
    detail: dict[str, Any] = {
        "level": level,
        "unit_id": unit_id,
        "name": unit_text(level, unit_id, country),
        "country_gw": country,
        "country": country_text(country) if country is not None else None,
        "run": run_out(run),
        "risk": round(risk, 4),
        "forecast": [
            {
                "step": v.step,
                "month": f"{v.month:%Y-%m}",
                **{q: v.__dict__[q] for q in ("q05", "q10", "q25", "q50", "q75", "q90", "q95", "mean", "p25")},
            }
            for v in values
        ],
        "observed": observed_series(var_dir, level, unit_id, run.cutoff),
        "alerts": alerts(session, level=level, unit_id=unit_id),
        "recent_events": recent_events(var_dir, level, [unit_id], run.cutoff, months=3, limit=10).get(unit_id, []),
        "neighbours": [{"unit_id": n, "name": unit_text(level, n)} for n in sorted(neighbours)],
    }
    if level == "pgm":
        detail["latitude"], detail["longitude"] = cell_centre(unit_id)
    return detail
