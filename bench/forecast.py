"""Forecast skill: rolling-origin backtests on the shared UCDP GED files, peaceops against the ViEWS benchmarks.

Run: .venv/bin/python bench/forecast.py [--levels cm pgm] [--origins 6] [--horizon 12] [--blend] [--violence sb]

Each GED file gets its own panel (its own calendar: a file that stops in 2019 must not read as zeros
afterwards); the panels are pooled for training. From each cut-off (the last ``--origins`` years of each
file, 12 months apart, each leaving ``--horizon`` observed months) peaceops and the three benchmarks
forecast every unit observed at the cut-off; all are scored on the same unit-months. Printed per level
and step (1, 3, 6, 12): CRPS, MSLE, mean interval score (alpha 0.1), 90% coverage, Brier (>= 25), and
peaceops' CRPS as a ratio of the best benchmark's, then the average over steps 1..horizon; then per
cut-off (origin) the ratio of mean CRPS over steps, with coverage and Brier, the share of the year's deaths that
fell in units with none in the 12 months up to the cut-off (where no forecast built from the past can beat
zero: decision 004), and the mean over origins.
peaceops is the model alone; ``--blend`` scores it blended with conflictology (conflict/blend.py, weights
per step chosen on the year before each cut-off; decision 029).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from peaceops.conflict.backtest import backtest_forecasts, compare, rolling_cutoffs
from peaceops.conflict.forecast import VIOLENCE, ForecastConfig
from peaceops.conflict.pipeline import panel_from_files
from peaceops.settings import Settings

FILES = ("ged_central_african_republic.csv.gz", "ged_myanmar.csv.gz", "ged_mexico.csv.gz", "ged_syria_2016_2019.csv.gz")
SHOWN_STEPS = (1, 3, 6, 12)
COLUMNS = ["crps", "msle", "interval_score", "coverage_90", "brier_25"]


def pooled_panel(level: str) -> tuple[pd.DataFrame, list[pd.Timestamp], int]:
    folder = Settings().data_path("ucdp", "ged")
    panels, cutoffs = [], set()
    for name in FILES:
        panel = panel_from_files([folder / name], level)
        panels.append(panel)
        cutoffs.update(rolling_cutoffs(panel, ARGS.horizon, ARGS.origins))
    pooled = pd.concat(panels, ignore_index=True)
    duplicated = int(pooled.duplicated(["unit_id", "month"]).sum())
    pooled = pooled.drop_duplicates(["unit_id", "month"], keep="last")
    return pooled, sorted(cutoffs), duplicated


def quiet_share(panel: pd.DataFrame, scored: pd.DataFrame, target: str) -> dict[str, float]:
    """Per cut-off, the share of the observed deaths in units with no death in the 12 months up to it."""
    months = pd.to_datetime(panel["month"])
    out = {}
    for cutoff, rows in scored[scored["model"] == "zero"].groupby("cutoff"):
        cut = pd.Timestamp(f"{cutoff}-01")
        window = panel[(months > cut - pd.DateOffset(months=12)) & (months <= cut)]
        quiet = window.groupby("unit_id")[target].sum() == 0
        in_quiet = rows["unit_id"].map(quiet).fillna(True).to_numpy(dtype=bool)
        total = float(rows["y"].sum())
        out[str(cutoff)] = float(rows.loc[in_quiet, "y"].sum()) / total if total else float("nan")
    return out


def main() -> None:
    for level in ARGS.levels:
        start = time.perf_counter()
        panel, cutoffs, duplicated = pooled_panel(level)
        built = time.perf_counter() - start
        start = time.perf_counter()
        config = ForecastConfig(
            horizon=ARGS.horizon,
            n_estimators=ARGS.n_estimators,
            num_leaves=ARGS.num_leaves,
            min_child_samples=ARGS.min_child_samples,
            blend=ARGS.blend,
            target=VIOLENCE[ARGS.violence],
        )
        scored = backtest_forecasts(panel, cutoffs, ARGS.horizon, config, level=level)
        ran = time.perf_counter() - start
        table = compare(scored)
        print(
            f"\n== level {level}: {panel['unit_id'].nunique():,} units, {len(panel):,} unit-months "
            f"(panels built in {built:.1f} s; {duplicated} overlapping unit-months dropped); "
            f"{len(cutoffs)} cut-offs {', '.join(c.strftime('%Y-%m') for c in cutoffs)}; "
            f"backtest {ran:.1f} s for all models"
        )
        shown = table[table["step"].isin(SHOWN_STEPS)].sort_values(["step", "model"])
        header = f"{'step':>4} {'model':<14}{'n':>8}" + "".join(f"{c:>16}" for c in COLUMNS) + f"{'crps/best':>11}"
        print(header)
        for _, row in shown.iterrows():
            values = "".join(f"{row[c]:>16.4f}" for c in COLUMNS)
            print(f"{row['step']:>4} {row['model']:<14}{row['n']:>8}{values}{row['crps_ratio']:>11.3f}")
        mean = table.groupby("model")[["crps", "coverage_90", "interval_score"]].mean()
        best = mean.drop(index="peaceops")["crps"].min()
        print(
            f"average over steps 1..{ARGS.horizon}: "
            + "; ".join(f"{m} CRPS {r.crps:.4f} cov {r.coverage_90:.3f}" for m, r in mean.iterrows())
        )
        print(f"peaceops CRPS / best benchmark CRPS, averaged over steps: {mean.loc['peaceops', 'crps'] / best:.3f}")
        per_origin = compare(scored, by=("model", "level", "cutoff", "step"))
        print(
            f"{'origin':<8}{'n/step':>8}{'crps/best':>11}{'cov90':>8}{'cov90 best':>11}"
            f"{'brier25':>9}{'brier25 best':>13}{'deaths in quiet units':>23}"
        )
        quiet = quiet_share(panel, scored, config.target)
        ratios = []
        for cutoff, rows in per_origin.groupby("cutoff"):
            ours = rows[rows["model"] == "peaceops"]
            means = rows.groupby("model")[["crps", "coverage_90", "brier_25"]].mean()
            best_model = means.drop(index="peaceops")["crps"].idxmin()
            # Mean CRPS over the origin's steps, then the ratio: a step where a benchmark scores 0 (every unit
            # quiet and forecast 0) would make a mean of per-step ratios infinite.
            ratio = float(means.loc["peaceops", "crps"] / means.loc[best_model, "crps"])
            ratios.append(ratio)
            print(
                f"{cutoff:<8}{int(ours['n'].iloc[0]):>8}{ratio:>11.3f}{means.loc['peaceops', 'coverage_90']:>8.3f}"
                f"{means.loc[best_model, 'coverage_90']:>11.3f}{means.loc['peaceops', 'brier_25']:>9.4f}"
                f"{means.loc[best_model, 'brier_25']:>13.4f}{quiet[str(cutoff)]:>23.0%}  (best benchmark: {best_model})"
            )
        print(
            f"level {level}: CRPS ratio to the best benchmark, mean over {len(ratios)} origins and steps: "
            f"{sum(ratios) / len(ratios):.3f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--levels", nargs="+", default=["cm", "pgm"], choices=["cm", "pgm"])
    parser.add_argument("--origins", type=int, default=6)
    parser.add_argument("--horizon", type=int, default=12)
    defaults = ForecastConfig()
    parser.add_argument("--n-estimators", type=int, default=defaults.n_estimators)
    parser.add_argument("--num-leaves", type=int, default=defaults.num_leaves)
    parser.add_argument("--min-child-samples", type=int, default=defaults.min_child_samples)
    parser.add_argument("--blend", action="store_true", help="blend the model with conflictology (decision 029)")
    parser.add_argument("--violence", default="sb", choices=list(VIOLENCE), help="sb, ns or os deaths")
    ARGS = parser.parse_args()
    main()
