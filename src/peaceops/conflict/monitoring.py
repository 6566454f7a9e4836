"""Monitoring runs: the event store's panel at a cut-off, a stored forecast run, and the alerts it raises.

A run is keyed by level, cut-off, horizon, model version, settings and the event store's checksum: asking
again for the same run reuses the stored one (the demo's second start trains nothing).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis.backends import BaseBackend
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from peaceops.conflict.blend import blended_forecast, step_weights
from peaceops.conflict.forecast import MODEL_VERSION, ForecastConfig
from peaceops.conflict.models import ForecastRun, ForecastValue
from peaceops.conflict.pipeline import LEVELS, PanelFiles, panels_dir, read_panel, write_panel
from peaceops.conflict.scoring import engine_scorer
from peaceops.errors import ValidationFailed
from peaceops.geography.neighbours import grid_neighbours
from peaceops.store.analytics import DUCKDB, Engine, read_parquet
from peaceops.store.coverage import coverage_by_country
from peaceops.store.events import event_files, events_table

RISK_STEPS = 3  # alerts look at the next three months
PREVIOUS_STEPS = RISK_STEPS  # the previous origin is stored only as far as the alerts compare it


def data_version(var_dir: Path) -> str:
    """SHA-256 of every Parquet file in the event store, with its path: any import that changes data changes it."""
    digest = hashlib.sha256()
    for path in event_files(var_dir):
        digest.update(str(path.relative_to(var_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _config_key(config: ForecastConfig) -> tuple[dict[str, object], str]:
    settings = {k: v for k, v in asdict(config).items() if k not in ("threads", "horizon")}
    return settings, hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class MonitoringPanel:
    """The panel up to the cut-off, trimmed to covered months, each unit's country, and the Parquet it was
    read from (the engine's, untrimmed: what batch scoring reads)."""

    level: str
    cutoff: date
    frame: pd.DataFrame
    unit_country: dict[int, int]
    files: PanelFiles | None = None


def latest_month(session: Session, var_dir: Path) -> date:
    """The newest month any loaded country is covered to: the default cut-off."""
    coverage = coverage_by_country(session)
    if coverage:
        return max(last for _, last in coverage.values())
    table = events_table(var_dir)
    newest = table.month.max().execute()
    if newest is None or pd.isna(newest):
        raise ValidationFailed("No conflict events are loaded; import a UCDP GED or ACLED file first.")
    return pd.Timestamp(newest).date().replace(day=1)


def cell_countries(con: BaseBackend, events: ir.Table, cells: list[int]) -> dict[int, int]:
    """A cell's country is the one most of its events are in, ties going to the country seen first in the
    store's order (source, year, date, event id); a cell without events takes its neighbours'.

    Counted on the engine: only one row per cell and country comes back to this process.
    """
    located = events.filter(events.priogrid_gid.notnull(), events.country_gw.notnull())
    order = [located.source, located.year, located.date_end, located.event_id]
    ranked = located.mutate(_seen=ibis.row_number().over(group_by=located.priogrid_gid, order_by=order))
    counts = ranked.group_by(gid=ranked.priogrid_gid.cast("int64"), gw=ranked.country_gw.cast("int64")).aggregate(
        n=ranked.count(), seen=ranked._seen.min()
    )
    frame = con.to_pyarrow(counts).to_pandas()
    best = frame.sort_values(["gid", "n", "seen"], ascending=[True, False, True]).drop_duplicates("gid")
    countries = {int(gid): int(gw) for gid, gw in zip(best["gid"], best["gw"], strict=True)}
    for gid in cells:
        if gid not in countries:
            around: Counter[int] = Counter(countries[n] for n in grid_neighbours(gid) if n in countries)
            if around:
                countries[gid] = around.most_common(1)[0][0]
    return countries


def monitoring_panel(
    session: Session, var_dir: Path, level: str, cutoff: date, engine: Engine = DUCKDB
) -> MonitoringPanel:
    """The stored events' panel at ``level`` up to ``cutoff``, without the months a country's files do not cover.

    ``engine`` builds it from the event store into ``<var_dir>/panels/<level>/`` (counts, then the panel with
    its features); the frame is that Parquet read on this machine, where the model trains.
    """
    if level not in LEVELS:
        raise ValidationFailed(f"Level {level!r} is not one of {', '.join(LEVELS)}.")
    if not event_files(var_dir):
        raise ValidationFailed("No conflict events are loaded; import a UCDP GED or ACLED file first.")
    con = engine.connect()
    events = events_table(var_dir, con)
    files = write_panel(con, events, level, panels_dir(var_dir) / level, cutoff)
    panel = read_panel(files.panel)
    units = sorted(int(u) for u in panel["unit_id"].unique())
    unit_country = {u: u for u in units} if level == "cm" else cell_countries(con, events, units)
    coverage = coverage_by_country(session)
    if coverage:
        months = pd.to_datetime(panel["month"])
        country = panel["unit_id"].map(unit_country)
        first = pd.to_datetime(country.map(lambda gw: coverage.get(gw, (None, None))[0]))
        last = pd.to_datetime(country.map(lambda gw: coverage.get(gw, (None, None))[1]))
        known = first.isna() | ((months >= first) & (months <= last))
        panel = panel[known.to_numpy()].reset_index(drop=True)
    return MonitoringPanel(level, cutoff, panel, unit_country, files)


def find_run(
    session: Session, level: str, cutoff: date, horizon: int, version: str, config_hash: str
) -> ForecastRun | None:
    return session.scalar(
        select(ForecastRun).where(
            ForecastRun.level == level,
            ForecastRun.cutoff == cutoff,
            ForecastRun.horizon == horizon,
            ForecastRun.model_version == MODEL_VERSION,
            ForecastRun.data_version == version,
            ForecastRun.config_hash == config_hash,
        )
    )


@dataclass
class PlannedRun:
    """What a run needs before training: its key, its panel, and the stored run when one exists already."""

    level: str
    cutoff: date
    horizon: int
    version: str
    config: ForecastConfig
    settings: dict[str, object]
    config_hash: str
    panel: MonitoringPanel
    existing: ForecastRun | None
    engine: Engine = DUCKDB


@dataclass
class TrainedRun:
    """A run trained but not stored yet: the forecast rows and how long training took."""

    plan: PlannedRun
    result: pd.DataFrame
    units: int
    seconds: float
    weights: dict[str, float]


def plan_run(
    session: Session,
    var_dir: Path,
    level: str,
    *,
    cutoff: date | None = None,
    horizon: int = 12,
    config: ForecastConfig | None = None,
    engine: Engine = DUCKDB,
) -> PlannedRun:
    """Read what a run needs (no database writes): the key, the panel (built by ``engine``), and the stored
    run for that key if any."""
    if not 1 <= horizon <= 36:
        raise ValidationFailed(f"The horizon must be 1 to 36 months (got {horizon}).")
    cutoff = (cutoff or latest_month(session, var_dir)).replace(day=1)
    config = config or ForecastConfig()
    config.horizon = horizon
    settings, config_hash = _config_key(config)
    version = data_version(var_dir)
    panel = monitoring_panel(session, var_dir, level, cutoff, engine)
    existing = find_run(session, level, cutoff, horizon, version, config_hash)
    return PlannedRun(level, cutoff, horizon, version, config, settings, config_hash, panel, existing, engine)


def train_run(plan: PlannedRun, on_step: Callable[[int], None] | None = None) -> TrainedRun:
    """Train the forecast for a planned run: the long part, which needs no database at all (``on_step``
    is told of each trained step). Training runs here, on the panel read from Parquet; on Spark the trained
    models then score the origin rows in Spark's workers, read from the panel's Parquet there."""
    cutoff = plan.cutoff
    at_cutoff = plan.panel.frame[pd.to_datetime(plan.panel.frame["month"]) == pd.Timestamp(cutoff)]
    if at_cutoff.empty:
        raise ValidationFailed(f"No loaded country is covered in {cutoff:%Y-%m}; choose an earlier cut-off.")
    started = time.perf_counter()
    scorer = None
    if plan.engine.is_spark and plan.panel.files is not None:
        con = plan.engine.connect()
        scorer = engine_scorer(con, read_parquet(con, plan.panel.files.panel))
    result = blended_forecast(
        plan.panel.frame,
        pd.Timestamp(cutoff),
        plan.config,
        level=plan.level,
        origins=2,
        on_step=on_step,
        scorer=scorer,
    )
    result = result[(result["origin"] == f"{cutoff:%Y-%m}") | (result["step"] <= PREVIOUS_STEPS)]
    seconds = round(time.perf_counter() - started, 2)
    return TrainedRun(
        plan, result.drop(columns="weight"), int(at_cutoff["unit_id"].nunique()), seconds, step_weights(result)
    )


def store_run(session: Session, trained: TrainedRun, actor: str) -> tuple[ForecastRun, bool]:
    """Store a trained run and its values; when another job stored the same run meanwhile, that one is
    kept and returned (True). Meant for a short write transaction (``Database.write``)."""
    plan = trained.plan
    existing = find_run(session, plan.level, plan.cutoff, plan.horizon, plan.version, plan.config_hash)
    if existing is not None:
        return existing, True
    run = ForecastRun(
        level=plan.level,
        cutoff=plan.cutoff,
        horizon=plan.horizon,
        model_version=MODEL_VERSION,
        data_version=plan.version,
        config_hash=plan.config_hash,
        config={**plan.settings, "blend_weights": trained.weights},
        units=trained.units,
        seconds=trained.seconds,
        actor=actor,
    )
    session.add(run)
    session.flush()
    _store_values(session, run.id, trained.result, plan.panel.unit_country)
    return run, False


def forecast_run(
    session: Session,
    var_dir: Path,
    level: str,
    *,
    cutoff: date | None = None,
    horizon: int = 12,
    actor: str,
    config: ForecastConfig | None = None,
    engine: Engine = DUCKDB,
) -> tuple[ForecastRun, MonitoringPanel, bool]:
    """The stored run for these inputs, trained and stored first when there is none; True when reused.

    All in the caller's session; a long job plans, trains and stores in separate steps instead
    (``early_warning.monitor``), so that it holds the write lock only while storing.
    """
    plan = plan_run(session, var_dir, level, cutoff=cutoff, horizon=horizon, config=config, engine=engine)
    if plan.existing is not None:
        return plan.existing, plan.panel, True
    run, reused = store_run(session, train_run(plan), actor)
    return run, plan.panel, reused


def _store_values(session: Session, run_id: int, result: pd.DataFrame, unit_country: dict[int, int]) -> None:
    columns = ["q05", "q10", "q25", "q50", "q75", "q90", "q95", "mean", "p25"]
    rows = [
        {
            "run_id": run_id,
            "unit_id": int(unit),
            "origin": _month(origin),
            "step": int(step),
            "month": _month(month),
            "country_gw": unit_country.get(int(unit)),
            **{c: round(float(v), 4) for c, v in zip(columns, values, strict=True)},
        }
        for unit, origin, step, month, *values in result[["unit_id", "origin", "step", "month", *columns]].itertuples(
            index=False
        )
    ]
    for start in range(0, len(rows), 5000):
        session.execute(insert(ForecastValue), rows[start : start + 5000])


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)
