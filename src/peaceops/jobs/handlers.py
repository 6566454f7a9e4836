"""What each kind of job does: the same functions the CLI runs in the foreground, with their progress
reported to the job's row instead of a terminal bar. Each is safe to run again after a half-done attempt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from peaceops.errors import ValidationFailed
from peaceops.platform import REGISTRY, import_file
from peaceops.store import jobs
from peaceops.store.analytics import DUCKDB, Engine
from peaceops.store.database import Database

Advance = Callable[[int], None]


@dataclass
class Context:
    """What a handler gets: the database, the folders, who asked, ``start(step, total)`` for progress, and the
    analytics engine monitoring builds its panels on."""

    db: Database
    var_dir: Path
    data_dir: Path
    actor: str
    start: Callable[[str, int | None], Advance]
    engine: Engine = DUCKDB


def _import(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Import one file (upserts: a second run after a killed first one changes nothing more)."""
    path = Path(params["path"])
    report = import_file(
        ctx.db,
        params["kind"],
        path,
        ctx.actor,
        lambda total: ctx.start(f"import {path.name}", total),
        var_dir=ctx.var_dir,
    )
    summary = report.as_dict()
    summary["rejections"] = summary.get("rejections", [])[:20]  # the first ones; the import run keeps them all
    return summary


def _monitor(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Forecast from the event store and raise alerts (an unchanged run is reused, never stored twice)."""
    from peaceops.conflict.early_warning import mission_cutoff, monitor
    from peaceops.conflict.pipeline import LEVELS, month_start

    levels = tuple(LEVELS) if params.get("level", "all") == "all" else (params["level"],)
    with ctx.db.session() as session:
        cutoff: date = month_start(params["cutoff"]) if params.get("cutoff") else mission_cutoff(session, ctx.var_dir)
    summaries = monitor(
        ctx.db,
        ctx.var_dir,
        levels,
        cutoff=cutoff,
        horizon=int(params.get("horizon", 12)),
        actor=ctx.actor,
        step=ctx.start,
        engine=ctx.engine,
    )
    return {
        "runs": [
            {
                "level": s.level,
                "cutoff": f"{s.cutoff:%Y-%m}",
                "run_id": s.run_id,
                "reused": s.reused,
                "alerts": s.alerts,
            }
            for s in summaries
        ]
    }


def _retrain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Retrain the communications classifiers with the analysts' review decisions (an unchanged set is kept)."""
    from peaceops.comms.retrain import retrain

    ctx.start("retrain", None)
    names = [params["model"]] if params.get("model") else None
    with ctx.db.session() as session:
        results = retrain(session, ctx.data_dir, ctx.var_dir, names)
    return {"models": [{"name": r.name, "changed": r.changed, "version": r.new_version[:16]} for r in results]}


def _embed(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Embed the agreements and provisions not yet in the search cache (cached ones are skipped on a re-run)."""
    from peaceops.agreements.semantic import build_index

    with ctx.db.session() as session:
        report = build_index(session, ctx.var_dir, lambda total: ctx.start("embeddings", total))
    return {"agreements": report.agreements, "provisions": report.provisions, "computed": report.computed}


HANDLERS: dict[str, Callable[[Context, dict[str, Any]], dict[str, Any]]] = {
    "import": _import,
    "monitor": _monitor,
    "retrain": _retrain,
    "embed": _embed,
}
JOB_KINDS = tuple(HANDLERS)


def submit(session: Session, kind: str, params: dict[str, Any], actor: str) -> jobs.Job:
    """Check the job's arguments now (a bad one is refused at once, not at 3 a.m. in a worker), then queue it."""
    if kind not in HANDLERS:
        raise ValidationFailed(f"There is no job kind {kind!r}; the kinds are {', '.join(JOB_KINDS)}.")
    if kind == "import":
        if params.get("kind") not in REGISTRY:
            raise ValidationFailed(f"Unknown import kind {params.get('kind')!r}; see `peaceops import --help`.")
        path = Path(str(params.get("path", "")))
        if not path.is_file():
            raise ValidationFailed(f"There is no file at {path}; give the full path of a file the workers can read.")
        params = {**params, "path": str(path.resolve())}
    if kind == "monitor" and params.get("level", "all") not in ("all", "cm", "pgm"):
        raise ValidationFailed("The monitoring level is cm, pgm or all.")
    return jobs.enqueue(session, kind, params, actor)
