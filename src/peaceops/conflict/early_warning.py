"""One monitoring pass: a stored forecast run per level and the alerts it raises (CLI, demo and web share it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.conflict.alerts import detect
from peaceops.conflict.blend import training_steps
from peaceops.conflict.monitoring import latest_month, plan_run, store_run, train_run
from peaceops.conflict.track_record import score_runs
from peaceops.geography.codes import gw_from_iso3
from peaceops.missions.models import Mission
from peaceops.store import Database
from peaceops.store.analytics import DUCKDB, Engine
from peaceops.store.coverage import coverage_by_country


@dataclass(frozen=True)
class MonitoringSummary:
    level: str
    cutoff: date
    run_id: int
    units: int
    reused: bool
    seconds: float
    alerts: dict[str, int]


def mission_cutoff(session: Session, var_dir: Path) -> date:
    """The newest month the loaded events cover for a country hosting an active mission, else the newest month.

    The demo forecasts from there, so the countries where missions work have a current forecast even
    when another country's file runs later.
    """
    coverage = coverage_by_country(session)
    hosts = {
        gw_from_iso3(iso3)
        for iso3 in session.scalars(select(Mission.host_iso3).where(Mission.active.is_(True)))
        if iso3
    }
    ends = [coverage[gw][1] for gw in hosts if gw in coverage]
    return max(ends) if ends else latest_month(session, var_dir)


def monitor(
    db: Database,
    var_dir: Path,
    levels: tuple[str, ...],
    *,
    cutoff: date | None,
    horizon: int,
    actor: str,
    step: Callable[[str, int | None], Callable[[int], None]] | None = None,
    alerts: bool = True,
    engine: Engine = DUCKDB,
) -> list[MonitoringSummary]:
    """Per level: read the panel, train without any transaction open (minutes), then store the run and
    raise its alerts in one short write, so other writers (a login, a report) never wait for the training.

    With ``alerts`` off (a run from a past month, kept for the track record) no alert is raised or refreshed.
    Every run whose months the loaded events cover is then scored (``track_record.score_runs``).

    ``step(label, total)``, when given, starts a progress line and returns its advance callback
    (``cli.common.step_progress``): one line per level's panel, training (one tick per forecast step) and alerts.
    ``engine`` builds the panels and scores the forecasts (``PEACEOPS_ENGINE``); training stays here.
    """
    summaries = []
    for level in levels:
        if step is not None:
            step(f"panel {level}", None)
        with db.session() as session:
            plan = plan_run(session, var_dir, level, cutoff=cutoff, horizon=horizon, engine=engine)
        advance = (
            step(f"train {level}", training_steps(plan.config)) if step is not None and plan.existing is None else None
        )
        trained = None if plan.existing is not None else train_run(plan, advance)
        if step is not None and alerts:
            step(f"alerts {level}", None)
        with db.write() as session:
            if trained is not None:
                run, reused = store_run(session, trained, actor)
            else:
                assert plan.existing is not None
                run, reused = session.merge(plan.existing, load=False), True
            counts = detect(session, run, plan.panel, var_dir, actor) if alerts else {"new": 0, "refreshed": 0}
            summaries.append(MonitoringSummary(level, run.cutoff, run.id, run.units, reused, run.seconds, counts))
    score_runs(db, var_dir, step, engine)  # a run from an earlier cut-off is scored at once on the months it forecast
    return summaries
