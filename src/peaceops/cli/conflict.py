"""``peaceops forecast ...``: thin commands over the conflict pipeline (stable contract, used by evaluation)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from peaceops.cli.common import step_progress
from peaceops.errors import ValidationFailed

if TYPE_CHECKING:
    import pandas as pd

    from peaceops.store import Database
    from peaceops.store.analytics import Engine

forecast_app = typer.Typer(help="Probabilistic forecasts of state-based fatalities.", no_args_is_help=True)
console = Console()

EventFiles = Annotated[
    list[Path], typer.Option("--events", help="UCDP GED or ACLED files: --events A B C, or --events A --events B.")
]
# Click options take one value each; the files after the first are caught as arguments, so both the
# contract's `--events A B C` and the repeated option work.
MoreEventFiles = Annotated[list[Path] | None, typer.Argument(hidden=True)]
VIOLENCE_HELP = "Deaths of which type of violence (UCDP): sb state-based, ns non-state, os one-sided."


def _fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _violence_column(violence: str) -> str:
    from peaceops.conflict.forecast import VIOLENCE

    if violence not in VIOLENCE:
        raise ValidationFailed(
            f"Violence {violence!r} is not one of sb (state-based), ns (non-state) or os (one-sided)."
        )
    return VIOLENCE[violence]


def run(events: list[Path], level: str, cutoff: str, horizon: int, out: Path, violence: str = "sb") -> pd.DataFrame:
    """Train on events up to the end of ``cutoff`` and write the forecast CSV plus a JSON manifest."""
    # Imported here, not at module level: every `peaceops` command loads this module, and pandas,
    # Ibis and LightGBM cost about a second to import.
    import pandas as pd

    from peaceops.conflict.blend import blended_forecast, step_weights, too_few_units, training_steps
    from peaceops.conflict.forecast import MODEL_VERSION, ForecastConfig
    from peaceops.conflict.metrics import FORECAST_COLUMNS
    from peaceops.conflict.pipeline import month_start, panel_from_files

    if not 1 <= horizon <= 36:
        raise ValidationFailed(f"The horizon must be 1 to 36 months (got {horizon}).")
    target = _violence_column(violence)
    cut = month_start(cutoff)
    with step_progress() as step:
        step(f"panel {level}", None)
        panel = panel_from_files(events, level, end=cut)
        config = ForecastConfig(horizon=horizon, target=target)
        advance = step(f"train {level}", training_steps(config))
        blended = blended_forecast(panel, pd.Timestamp(cut), config, level=level, on_step=advance)
    result = blended[list(FORECAST_COLUMNS)]
    out.parent.mkdir(parents=True, exist_ok=True)
    result.to_csv(out, index=False, float_format="%.4f")
    manifest = {
        "model_version": MODEL_VERSION,
        "level": level,
        "violence": violence,
        "cutoff": cut.strftime("%Y-%m"),
        "horizon": horizon,
        "units": int(result["unit_id"].nunique()),
        "events": [str(p) for p in events],
        "data_sha256": _fingerprint(events),
        "config": {k: v for k, v in vars(config).items() if k != "extra"},
        "blend_weights": step_weights(blended),  # the model's share per step; the rest is conflictology
        # fewer units than the model needs (config.min_units): the conflictology benchmark is served (decision 033)
        "served": "benchmark" if too_few_units(panel, pd.Timestamp(cut), config) else "model",
    }
    out.with_suffix(out.suffix + ".json").write_text(json.dumps(manifest, indent=2))
    return result


def evaluate(forecasts: Path, events: list[Path], violence: str = "sb") -> pd.DataFrame:
    """Score a forecast CSV against the events, with the three ViEWS benchmarks from the same cut-off."""
    import pandas as pd

    from peaceops.conflict.backtest import compare
    from peaceops.conflict.benchmarks import BENCHMARKS
    from peaceops.conflict.metrics import FORECAST_COLUMNS
    from peaceops.conflict.pipeline import panel_from_files

    target = _violence_column(violence)
    frame = pd.read_csv(forecasts, dtype={"month": str})
    missing = sorted(set(FORECAST_COLUMNS) - set(frame.columns))
    if missing:
        raise ValidationFailed(f"{forecasts.name} lacks the forecast columns {missing}.")
    levels = frame["level"].unique()
    if len(levels) != 1:
        raise ValidationFailed(f"{forecasts.name} mixes levels {list(levels)}; evaluate one level at a time.")
    level = str(levels[0])
    first = pd.Period(frame.loc[frame["step"] == 1, "month"].min(), "M")
    cutoff = (first - 1).to_timestamp()
    horizon = int(frame["step"].max())
    panel = panel_from_files(events, level)
    observed = panel[["unit_id", "month", target]].rename(columns={target: "y"})
    observed["month"] = pd.to_datetime(observed["month"]).dt.strftime("%Y-%m")
    series = panel[["unit_id", "month", target]].rename(columns={target: "y"})
    runs = [frame.assign(model="peaceops")]
    for name, benchmark in BENCHMARKS.items():
        runs.append(benchmark(series, cutoff, horizon, level=level).assign(model=name))
    scored = pd.concat(runs, ignore_index=True).merge(observed, on=["unit_id", "month"], how="inner")
    if scored.empty:
        raise ValidationFailed("None of the forecast months are observed in the events given.")
    return compare(scored)


@forecast_app.command("run")
def run_command(
    events: EventFiles,
    level: Annotated[str, typer.Option(help="cm (country-month) or pgm (PRIO-GRID cell-month).")],
    cutoff: Annotated[str, typer.Option(help="Last month of training data, YYYY-MM.")],
    horizon: Annotated[int, typer.Option(help="Months ahead, 1-36.")] = 12,
    out: Annotated[Path, typer.Option(help="Where to write the forecast CSV.")] = Path("forecast.csv"),
    violence: Annotated[str, typer.Option(help=VIOLENCE_HELP)] = "sb",
    more_events: MoreEventFiles = None,
) -> None:
    """Train on events up to the cut-off month and write quantile forecasts for every unit and step."""
    result = run([*events, *(more_events or [])], level, cutoff, horizon, out, violence)
    console.print(f"Wrote {len(result):,} forecasts ({result['unit_id'].nunique():,} units × {horizon} steps) to {out}")


@forecast_app.command("evaluate")
def evaluate_command(
    forecasts: Annotated[Path, typer.Option(help="A forecast CSV written by `peaceops forecast run`.")],
    events: EventFiles,
    violence: Annotated[str, typer.Option(help=VIOLENCE_HELP)] = "sb",
    more_events: MoreEventFiles = None,
) -> None:
    """Print CRPS, MSLE, interval score, coverage and Brier per step, with the ViEWS benchmarks beside."""
    table = evaluate(forecasts, [*events, *(more_events or [])], violence)
    view = Table(title=f"Forecast skill ({forecasts.name})")
    columns = ["model", "step", "n", "crps", "crps_ratio", "msle", "interval_score", "coverage_90", "brier_25"]
    for column in columns:
        view.add_column(column, justify="left" if column == "model" else "right")
    for _, row in table.sort_values(["step", "model"]).iterrows():
        view.add_row(*(f"{row[c]:.3f}" if isinstance(row[c], float) else str(row[c]) for c in columns))
    console.print(view)


def monitor_and_print(
    db: Database,
    var_dir: Path,
    levels: tuple[str, ...],
    cutoff: str | None,
    horizon: int,
    actor: str,
    *,
    alerts: bool = True,
    months_back: int = 0,
    engine: Engine | None = None,
) -> None:
    """Store a forecast run per level from the event store (reused when nothing changed) and raise alerts.

    ``months_back`` moves the default cut-off (the newest month a mission host is covered to) earlier: the
    demo keeps a run from a year before, scored at once on the months it forecast (the track record).
    ``engine`` builds the panels and scores the forecasts (DuckDB when not given)."""
    import pandas as pd

    from peaceops.conflict.early_warning import mission_cutoff, monitor
    from peaceops.conflict.pipeline import month_start
    from peaceops.store.analytics import DUCKDB

    with db.session() as session:
        cut = month_start(cutoff) if cutoff else mission_cutoff(session, var_dir)
    cut = (pd.Timestamp(cut) - pd.DateOffset(months=months_back)).date()
    if engine is not None and engine.is_spark and not months_back:
        console.print(f"Panels and scoring on Spark at {engine.spark_master}; training here.", highlight=False)
    with step_progress() as step:
        summaries = monitor(
            db,
            var_dir,
            levels,
            cutoff=cut,
            horizon=horizon,
            actor=actor,
            step=step,
            alerts=alerts,
            engine=engine or DUCKDB,
        )
    for s in summaries:
        how = "reused" if s.reused else f"trained in {s.seconds:.0f} s"
        raised = (
            f"alerts: {s.alerts['new']} new, {s.alerts['refreshed']} refreshed" if alerts else "no alerts (past run)"
        )
        console.print(
            f"Forecast {s.level} from {s.cutoff:%Y-%m}: run {s.run_id}, {s.units:,} units, {how}; {raised}",
            highlight=False,
        )
