"""Forecast skill in the open: every stored run scored once the months it forecast are observed.

A run is scored against the events loaded now, beside the three ViEWS benchmarks started from the same
cut-off on the same units, per step and country (``ForecastScore``). Runs are (re)scored whenever the event
store changes after they were last scored (``scored_version``): an import of newer months scores the steps
they reveal, and a revised release rescores the rest. The page shows the record per level, step and country,
as ViEWS publishes for its own models. Scoring reads the panel without a transaction open and writes the
scores in one short write, like monitoring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from peaceops.conflict.alerts import RULES, judge_units, threshold, unit_risks
from peaceops.conflict.backtest import benchmark_forecasts
from peaceops.conflict.benchmarks import BENCHMARKS
from peaceops.conflict.forecast import TARGET
from peaceops.conflict.metrics import QUANTILE_COLUMNS, score_table
from peaceops.conflict.models import AlertOutcome, ConflictAlert, ForecastRun, ForecastScore, ForecastValue
from peaceops.conflict.monitoring import RISK_STEPS, data_version, latest_month, monitoring_panel
from peaceops.conflict.units import country_text
from peaceops.i18n import _
from peaceops.store import Database
from peaceops.store.analytics import DUCKDB, Engine

MODELS = ("peaceops", *BENCHMARKS)
NO_COUNTRY = 0
KINDS = ("early_entry", "escalation", "spillover")
# The thresholds each rule is also scored at, so decision 009's choice can be made on the record.
CANDIDATE_THRESHOLDS = (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7)


@dataclass
class RunScores:
    """One run's scores, computed but not stored yet."""

    run_id: int
    version: str
    through: date | None
    rows: list[dict[str, Any]]
    alerts: list[dict[str, Any]]


def due_runs(session: Session, var_dir: Path, version: str | None = None) -> list[ForecastRun]:
    """Runs with a forecast month inside the loaded events that were not scored on the events loaded now."""
    version = version or data_version(var_dir)
    latest = latest_month(session, var_dir)
    query = select(ForecastRun).where(ForecastRun.cutoff < latest).order_by(ForecastRun.level, ForecastRun.id)
    return [run for run in session.scalars(query) if run.scored_version != version]


def compute_scores(
    session: Session, var_dir: Path, runs: list[ForecastRun], version: str, engine: Engine = DUCKDB
) -> list[RunScores]:
    """Score ``runs`` on the events loaded now (reads only). The panel is built once per level, by ``engine``."""
    latest = latest_month(session, var_dir)
    computed = []
    for level in sorted({run.level for run in runs}):
        panel = monitoring_panel(session, var_dir, level, latest, engine)
        for run in (r for r in runs if r.level == level):
            target = str((run.config or {}).get("target", TARGET))  # the type of violence it forecast
            series = panel.frame[["unit_id", "month", target]].rename(columns={target: "y"})
            series = series.assign(month=pd.to_datetime(series["month"]))
            observed = series.assign(month=series["month"].dt.strftime("%Y-%m"))
            scores = _score_run(session, run, series, observed, version)
            if target == TARGET:  # the alert rules are about state-based deaths
                scores.alerts = _score_alert_rules(session, run, panel.frame, series)
            computed.append(scores)
    return computed


def store_scores(session: Session, computed: list[RunScores]) -> None:
    """Replace each run's scores (a short write)."""
    for scores in computed:
        run = session.get(ForecastRun, scores.run_id)
        if run is None:  # deleted meanwhile
            continue
        session.execute(delete(ForecastScore).where(ForecastScore.run_id == scores.run_id))
        session.execute(delete(AlertOutcome).where(AlertOutcome.run_id == scores.run_id))
        if scores.rows:
            session.execute(insert(ForecastScore), scores.rows)
        if scores.alerts:
            session.execute(insert(AlertOutcome), scores.alerts)
        run.scored_through = scores.through
        run.scored_version = scores.version


def score_runs(
    db: Database,
    var_dir: Path,
    step: Callable[[str, int | None], object] | None = None,
    engine: Engine = DUCKDB,
) -> int:
    """Score every due run: after an event import, and after monitoring stores a run. Returns how many."""
    version = data_version(var_dir)
    with db.session() as session:
        runs = due_runs(session, var_dir, version)
        if not runs:
            return 0
        if step is not None:
            step(f"score {len(runs)} past forecast run(s)", None)
        computed = compute_scores(session, var_dir, runs, version, engine)
    with db.write() as session:
        store_scores(session, computed)
    return len(computed)


def _score_run(
    session: Session,
    run: ForecastRun,
    series: pd.DataFrame,
    observed: pd.DataFrame,
    version: str,
) -> RunScores:
    cutoff = pd.Timestamp(run.cutoff)
    names = ["unit_id", "country_gw", "month", "step", "mean", *QUANTILE_COLUMNS]
    columns = [getattr(ForecastValue, c) for c in names]
    values = pd.DataFrame(
        session.execute(
            select(*columns).where(ForecastValue.run_id == run.id, ForecastValue.origin == run.cutoff)
        ).all(),
        columns=names,
    )
    unit_country = values.drop_duplicates("unit_id").set_index("unit_id")["country_gw"]
    values = values.drop(columns="country_gw")
    values["month"] = pd.to_datetime(values["month"]).dt.strftime("%Y-%m")
    frames = [values.assign(model="peaceops")]
    known = series[series["month"] <= cutoff]
    if not known.empty and (known["month"] == cutoff).any():
        units = set(values["unit_id"])
        for name, frame in benchmark_forecasts(known, cutoff, run.horizon, level=run.level).items():
            frames.append(frame[frame["unit_id"].isin(units)].drop(columns="level").assign(model=name))
    forecasts = pd.concat(frames, ignore_index=True).merge(observed, on=["unit_id", "month"], how="inner")
    if forecasts.empty:
        return RunScores(run.id, version, None, [], [])
    forecasts["level"] = run.level
    forecasts["country_gw"] = forecasts["unit_id"].map(unit_country).fillna(NO_COUNTRY).astype(int)  # as stored
    table = score_table(forecasts, by=("model", "step", "country_gw"))
    rows = [
        {
            "run_id": run.id,
            "model": r.model,
            "step": int(r.step),
            "country_gw": int(r.country_gw),
            "n": int(r.n),
            "crps": float(r.crps),
            "coverage_90": float(r.coverage_90),
            "brier_25": float(r.brier_25),
        }
        for r in table.itertuples(index=False)
    ]
    through = pd.Timestamp(forecasts["month"].max()).date()
    return RunScores(run.id, version, through, rows, [])


def _score_alert_rules(
    session: Session, run: ForecastRun, frame: pd.DataFrame, series: pd.DataFrame
) -> list[dict[str, Any]]:
    """Each rule judged on the run's units whose three months after the cut-off are all observed."""
    cutoff = pd.Timestamp(run.cutoff)
    window = [cutoff + pd.DateOffset(months=k) for k in range(1, RISK_STEPS + 1)]
    later = series[series["month"].isin(window)]
    complete = later.groupby("unit_id")["month"].nunique() == RISK_STEPS
    later = later[later["unit_id"].isin(complete.index[complete])]
    if later.empty:
        return []
    first = later[later["y"] >= 25].groupby("unit_id")["month"].min()
    lead = ((first.dt.year - cutoff.year) * 12 + first.dt.month - cutoff.month).astype(int)
    observed = frame[pd.to_datetime(frame["month"]) == cutoff].set_index("unit_id")
    risks = unit_risks(session, run).set_index("unit_id")
    risks = risks.join(observed[["sb_best", "sb_best_roll3", "sb25_months_since"]], how="inner")
    judged = judge_units(risks, observed, run.level, RULES[run.level])
    judged = judged[judged["unit_id"].isin(complete.index[complete])]
    return [
        {
            "run_id": run.id,
            "kind": kind,
            "unit_id": int(unit),
            "eligible": bool(eligible),
            "risk": float(risk),
            "happened": int(unit) in lead.index,
            "lead_months": int(lead[unit]) if int(unit) in lead.index else None,
        }
        for kind, unit, eligible, risk in judged[["kind", "unit_id", "eligible", "risk"]].itertuples(index=False)
    ]


def track_record(session: Session, level: str, country_gw: int | None = None) -> dict[str, Any]:
    """The record of every scored run at ``level``: per step, per country and per run, peaceops beside the
    benchmarks (means weighted by unit-months), and peaceops' CRPS as a ratio of the best benchmark's."""
    query = (
        select(ForecastScore, ForecastRun.cutoff, ForecastRun.scored_through)
        .join(ForecastRun, ForecastRun.id == ForecastScore.run_id)
        .where(ForecastRun.level == level)
    )
    if country_gw is not None:
        query = query.where(ForecastScore.country_gw == country_gw)
    rows = [
        {
            "run_id": s.run_id,
            "cutoff": f"{cutoff:%Y-%m}",
            "through": f"{through:%Y-%m}" if through else None,
            "model": s.model,
            "step": s.step,
            "country_gw": s.country_gw,
            "n": s.n,
            "crps": s.crps,
            "coverage_90": s.coverage_90,
            "brier_25": s.brier_25,
        }
        for s, cutoff, through in session.execute(query)
    ]
    alerts = alert_record(session, level) if country_gw is None else []
    if not rows:
        empty: dict[str, Any] = {"runs": [], "by_step": [], "by_country": [], "overall": None, "alerts": alerts}
        return {"level": level, "country_gw": country_gw, **empty}
    frame = pd.DataFrame(rows)
    by_country = _summary(frame, "country_gw")
    for row in by_country:
        row["name"] = country_text(row["country_gw"]) if row["country_gw"] != NO_COUNTRY else _("Unknown country")
    return {
        "level": level,
        "country_gw": country_gw,
        "overall": {k: v for k, v in _summary(frame.assign(all=1), "all")[0].items() if k != "all"},
        "by_step": _summary(frame, "step"),
        "by_country": by_country,
        "runs": sorted(_summary(frame, "run_id", extra=("cutoff", "through")), key=lambda r: r["cutoff"], reverse=True),
        "alerts": alerts,
    }


def alert_record(session: Session, level: str) -> list[dict[str, Any]]:
    """Per alert rule, over every judged run at ``level``, the rule as it is set now: hits, false alarms,
    misses, their rates, the mean lead time of the hits and the Brier score of the risk; and ``thresholds``,
    the same counts had the rule fired at each of ``CANDIDATE_THRESHOLDS`` (the evidence decision 009's
    thresholds are chosen by)."""
    query = (
        select(AlertOutcome.run_id, AlertOutcome.kind, AlertOutcome.eligible, AlertOutcome.risk, AlertOutcome.happened)
        .add_columns(AlertOutcome.lead_months)
        .join(ForecastRun, ForecastRun.id == AlertOutcome.run_id)
        .where(ForecastRun.level == level)
    )
    frame = pd.DataFrame(
        session.execute(query).all(), columns=["run_id", "kind", "eligible", "risk", "happened", "lead_months"]
    )
    out = []
    for kind in KINDS:
        group = frame[frame["kind"] == kind]
        if group.empty:
            continue
        current = threshold(RULES[level], kind)
        row = _rule_counts(group, current)
        row |= {
            "kind": kind,
            "threshold": current,
            "runs": int(group["run_id"].nunique()),
            "population": len(group),
            "brier": float(((group["risk"] - group["happened"].astype(float)) ** 2).mean()),
            "thresholds": [{"threshold": t, **_rule_counts(group, t)} for t in CANDIDATE_THRESHOLDS],
        }
        out.append(row)
    return out


def _rule_counts(group: pd.DataFrame, at: float) -> dict[str, Any]:
    flagged = group["eligible"].astype(bool) & (group["risk"] >= at)
    happened = group["happened"].astype(bool)
    hits = int((flagged & happened).sum())
    false_alarms = int((flagged & ~happened).sum())
    misses = int((~flagged & happened).sum())
    leads = group.loc[flagged & happened, "lead_months"].dropna()
    return {
        "flagged": int(flagged.sum()),
        "hits": hits,
        "false_alarms": false_alarms,
        "misses": misses,
        "hit_rate": hits / (hits + misses) if hits + misses else None,
        "false_alarm_ratio": false_alarms / (hits + false_alarms) if hits + false_alarms else None,
        "lead_months": float(leads.mean()) if len(leads) else None,
    }


def alert_outcome(session: Session, alert: ConflictAlert) -> dict[str, Any] | None:
    """What became of one alert once the three months after its run's cut-off were observed: a hit (a month
    of 25+ deaths came, ``lead_months`` after the cut-off) or a false alarm; None while they are not."""
    row = session.get(AlertOutcome, (alert.run_id, alert.kind, alert.unit_id))
    if row is None:
        return None
    return {"result": "hit" if row.happened else "false_alarm", "lead_months": row.lead_months}


def _summary(frame: pd.DataFrame, key: str, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Per ``key``: each model's weighted means, the best benchmark and peaceops' CRPS ratio to it."""
    weighted = frame.assign(**{f"w_{c}": frame[c] * frame["n"] for c in ("crps", "coverage_90", "brier_25")})
    sums = weighted.groupby([key, *extra, "model"])[["n", "w_crps", "w_coverage_90", "w_brier_25"]].sum()
    out = []
    levels = [key, *extra]
    for group, models in sums.groupby(level=levels if extra else key):
        keys = [k.item() if hasattr(k, "item") else k for k in (group if isinstance(group, tuple) else (group,))]
        row: dict[str, Any] = dict(zip(levels, keys, strict=True))
        scores = {}
        for model, r in models.droplevel(levels).iterrows():
            scores[str(model)] = {
                "n": int(r["n"]),
                "crps": float(r["w_crps"] / r["n"]),
                "coverage_90": float(r["w_coverage_90"] / r["n"]),
                "brier_25": float(r["w_brier_25"] / r["n"]),
            }
        row["models"] = scores
        row["n"] = scores.get("peaceops", {}).get("n", 0)
        benches = {m: s["crps"] for m, s in scores.items() if m != "peaceops"}
        best = min(benches, key=lambda m: benches[m]) if benches else None
        row["best_benchmark"] = best
        ours = scores.get("peaceops")
        row["ratio"] = ours["crps"] / benches[best] if ours and best and benches[best] > 0 else None
        out.append(row)
    return out
