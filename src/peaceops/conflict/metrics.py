"""Forecast scores the ViEWS way, as plain numpy over arrays, plus the per-model table for backtests.

Every score is negatively oriented (lower is better) except ``coverage``. The definitions follow the
ViEWS metric code (``views-evaluation`` 2.0, ``evaluation/native_metric_calculators.py``); the tests
check each one against it on the same forecasts. Where peaceops deliberately differs (the Brier event is
``y >= threshold`` where ViEWS uses ``y > threshold``), the docstring says so and the test pins the relation.

Shapes: observations ``y`` are ``(n,)``; sample forecasts ``(n, m)``; quantile forecasts ``(n, k)`` with
their ``k`` levels. Every function returns the mean over the ``n`` rows; ``score_table`` groups rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from peaceops.errors import ValidationFailed

__all__ = [
    "BY_STEP",
    "BY_UNIT",
    "FORECAST_COLUMNS",
    "QUANTILE_COLUMNS",
    "QUANTILE_LEVELS",
    "VIEWS_BINS",
    "binned_log_score",
    "brier",
    "coverage",
    "crps_quantiles",
    "crps_samples",
    "exceedance_from_quantiles",
    "exceedance_from_samples",
    "interval_score",
    "msle",
    "score_table",
]

# The forecast CSV contract (issue 3, CLI `peaceops forecast run`).
QUANTILE_LEVELS = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
QUANTILE_COLUMNS = ("q05", "q10", "q25", "q50", "q75", "q90", "q95")
FORECAST_COLUMNS = ("level", "unit_id", "month", "step", *QUANTILE_COLUMNS, "mean")

# ViEWS' fatality bins for the Ignorance (binned log) score: views_evaluation.profiles.base.BASE_PROFILE.
VIEWS_BINS = (0.0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5)

BY_STEP = ("model", "level", "step")
BY_UNIT = ("model", "level", "unit_id")


def _vector(name: str, values: npt.ArrayLike) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (n,), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity")
    return arr


def _matrix(name: str, values: npt.ArrayLike, n: int) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] != n or arr.shape[1] == 0:
        raise ValueError(f"{name} must be 2-D ({n}, m) with m >= 1, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity")
    return arr


Levels = Sequence[float] | np.ndarray


def _levels(levels: Levels, k: int) -> np.ndarray:
    arr = np.asarray(levels, dtype=np.float64)
    if arr.shape != (k,):
        raise ValueError(f"levels must have one entry per quantile column ({k}), got shape {arr.shape}")
    if np.any(arr <= 0) or np.any(arr >= 1) or np.any(np.diff(arr) <= 0):
        raise ValueError("levels must be strictly increasing and inside (0, 1)")
    return arr


def _crps_samples_rows(y: np.ndarray, samples: np.ndarray, fair: bool) -> np.ndarray:
    x = np.sort(samples, axis=1)
    m = x.shape[1]
    mae = np.mean(np.abs(x - y[:, None]), axis=1)
    # sum_{i,j} |x_i - x_j| = 2 * sum_j (2j - m + 1) x_(j) for the sorted sample (0-indexed j).
    pair_sum = 2.0 * (x @ (2.0 * np.arange(m) - m + 1.0))
    if fair:
        if m < 2:
            raise ValueError("the fair CRPS needs at least two samples per row")
        return mae - pair_sum / (2.0 * m * (m - 1))
    return mae - pair_sum / (2.0 * m * m)


def crps_samples(y: npt.ArrayLike, samples: npt.ArrayLike, *, fair: bool = False) -> float:
    """Mean CRPS of sample (ensemble) forecasts, the energy form: the main ViEWS metric.

    ``CRPS(F_m, y) = (1/m) sum_i |x_i - y| - 1/(2 m^2) sum_i sum_j |x_i - x_j|``, which is the exact
    CRPS of the empirical distribution of the ``m`` samples (Gneiting & Raftery 2007, eq. 21). This is the
    ``"nrg"`` estimator of scoringrules and what ViEWS computes (``_crps_ensemble_numpy``); it is *not*
    the fair/unbiased form. ``fair=True`` gives the fair form (``1/(2 m (m-1))``, Ferro 2014), which does
    not penalise small ensembles for their sampling noise; ViEWS numbers use ``fair=False``.
    A point forecast is a one-sample ensemble, for which the CRPS is ``|y - x|``.
    """
    yv = _vector("y", y)
    xs = _matrix("samples", samples, len(yv))
    return float(np.mean(_crps_samples_rows(yv, xs, fair)))


def _pinball_rows(y: np.ndarray, quantiles: np.ndarray, levels: np.ndarray) -> np.ndarray:
    diff = y[:, None] - quantiles
    return np.where(diff >= 0, levels * diff, (levels - 1.0) * diff)


def _crps_quantiles_rows(y: np.ndarray, quantiles: np.ndarray, levels: np.ndarray) -> np.ndarray:
    return 2.0 * np.mean(_pinball_rows(y, quantiles, levels), axis=1)


def crps_quantiles(y: npt.ArrayLike, quantiles: npt.ArrayLike, levels: Levels = QUANTILE_LEVELS) -> float:
    """Mean CRPS approximated from quantile forecasts: the mean over levels of twice the pinball loss.

    ``CRPS(F, y) = 2 * integral_0^1 QS_tau(F^-1(tau), y) d tau`` with the pinball (quantile) loss
    ``QS_tau(q, y) = tau (y - q)`` if ``y >= q`` else ``(1 - tau)(q - y)`` (Laio & Tamea 2007; Gneiting &
    Raftery 2007, sec. 9.1). The integral is replaced by the mean over the given levels,
    ``(2/k) sum_l QS_tau_l``, as scoringrules' ``crps_quantile`` does (Berrisch & Ziel 2023). With only the
    seven contract levels (0.05 .. 0.95) the tails beyond 5%/95% are not scored, so it is not the CRPS of
    the full distribution (usually a little lower); it converges to it as the levels fill (0, 1) — exactly, for the
    empirical distribution of ``m`` samples, when the levels are the midpoints of ``r * m`` equal cells.
    ViEWS scores samples only; compare models with the same levels.
    """
    yv = _vector("y", y)
    q = _matrix("quantiles", quantiles, len(yv))
    lv = _levels(levels, q.shape[1])
    return float(np.mean(_crps_quantiles_rows(yv, q, lv)))


def _sle_rows(y: np.ndarray, point: np.ndarray) -> np.ndarray:
    if np.any(y <= -1) or np.any(point <= -1):
        raise ValueError("MSLE needs values above -1 (fatality counts are >= 0)")
    return (np.log1p(y) - np.log1p(point)) ** 2


def msle(y: npt.ArrayLike, point: npt.ArrayLike) -> float:
    """Mean squared log error of point forecasts: ``mean((log(1 + y) - log(1 + x))^2)``.

    The ViEWS point metric (``calculate_msle_native``); ``log1p`` keeps zero-fatality months defined and
    puts errors on a relative scale, so one war does not drown every quiet unit.
    """
    yv = _vector("y", y)
    return float(np.mean(_sle_rows(yv, _vector("point", point))))


def _interval_rows(y: np.ndarray, lower: np.ndarray, upper: np.ndarray, alpha: float) -> np.ndarray:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    if np.any(lower > upper):
        raise ValueError("lower bound above upper bound; sort crossing quantiles first")
    below = (2.0 / alpha) * (lower - y) * (y < lower)
    above = (2.0 / alpha) * (y - upper) * (y > upper)
    return (upper - lower) + below + above


def interval_score(y: npt.ArrayLike, lower: npt.ArrayLike, upper: npt.ArrayLike, alpha: float = 0.1) -> float:
    """Mean interval score of central ``(1 - alpha)`` prediction intervals (Gneiting & Raftery 2007, eq. 43).

    ``IS_alpha(l, u; y) = (u - l) + (2/alpha)(l - y) 1{y < l} + (2/alpha)(y - u) 1{y > u}``: width plus a
    penalty for each unit of distance outside. ViEWS' ``MIS`` takes ``l, u`` as the ``alpha/2`` and
    ``1 - alpha/2`` sample quantiles (numpy's linear interpolation); here they are given, e.g. q05 and q95
    for ``alpha = 0.1`` (ViEWS' default profile says 0.05; issue 3 asks for 0.1).
    """
    yv = _vector("y", y)
    return float(np.mean(_interval_rows(yv, _vector("lower", lower), _vector("upper", upper), alpha)))


def coverage(y: npt.ArrayLike, lower: npt.ArrayLike, upper: npt.ArrayLike) -> float:
    """Share of observations inside the closed interval ``[lower, upper]`` (ViEWS ``Coverage``).

    For q05..q95 a calibrated forecast covers 0.90; closed bounds matter for counts, where many
    forecasts put both bounds at 0 and an observed 0 is covered.
    """
    yv = _vector("y", y)
    lo, hi = _vector("lower", lower), _vector("upper", upper)
    return float(np.mean((yv >= lo) & (yv <= hi)))


def _brier_rows(y: np.ndarray, prob: np.ndarray, threshold: float) -> np.ndarray:
    if np.any(prob < 0) or np.any(prob > 1):
        raise ValueError("prob must lie in [0, 1]")
    return (prob - (y >= threshold)) ** 2


def brier(y: npt.ArrayLike, prob: npt.ArrayLike, threshold: float = 25) -> float:
    """Mean Brier score ``mean((p - 1{y >= threshold})^2)`` of event probabilities (Brier 1950).

    The event is "at least ``threshold`` deaths" — 25 is the UCDP armed-conflict threshold the issue
    names. ViEWS binarises with a strict ``y > threshold`` (``Brier_*``, default threshold 0 = "any
    fatality"), so for integer counts ``brier(y, p, t)`` equals ViEWS' Brier at threshold ``t - 1``.
    For samples take ``p = exceedance_from_samples(samples, t)``; for quantiles,
    ``exceedance_from_quantiles``.
    """
    yv = _vector("y", y)
    return float(np.mean(_brier_rows(yv, _vector("prob", prob), threshold)))


def exceedance_from_samples(samples: npt.ArrayLike, threshold: float = 25) -> np.ndarray:
    """``P(Y >= threshold)`` per row: the share of samples at or above the threshold."""
    xs = np.asarray(samples, dtype=np.float64)
    if xs.ndim != 2:
        raise ValueError(f"samples must be 2-D (n, m), got shape {xs.shape}")
    return np.mean(xs >= threshold, axis=1)


def exceedance_from_quantiles(
    quantiles: npt.ArrayLike, levels: Levels = QUANTILE_LEVELS, threshold: float = 25
) -> np.ndarray:
    """``P(Y >= threshold)`` per row from quantiles, by linear interpolation of the CDF between them.

    The CDF ``F`` runs linearly from ``(q_l, tau_l)`` to ``(q_l+1, tau_l+1)``; below the lowest quantile it
    is 0 and above the highest it is 1, i.e. the tail mass ``tau_1`` and ``1 - tau_k`` sits on the
    extreme quantiles (with the contract levels: a threshold above q95 gets probability 0, one at or
    below q05 gets 1). The result is ``1 - F(threshold-)``, the left limit, so tied quantiles (a jump of
    ``F``) at the threshold count towards the event. Rows are sorted first, which repairs crossing
    quantiles by rearrangement (Chernozhukov, Fernandez-Val & Galichon 2010).
    """
    q = np.sort(np.asarray(quantiles, dtype=np.float64), axis=1)
    if q.ndim != 2:
        raise ValueError(f"quantiles must be 2-D (n, k), got shape {q.shape}")
    lv = _levels(levels, q.shape[1])
    k = q.shape[1]
    i = np.sum(q < threshold, axis=1)  # first quantile >= threshold
    lo = np.clip(i - 1, 0, k - 1)
    hi = np.clip(i, 0, k - 1)
    q_lo, q_hi = np.take_along_axis(q, lo[:, None], 1)[:, 0], np.take_along_axis(q, hi[:, None], 1)[:, 0]
    span = np.where(q_hi > q_lo, q_hi - q_lo, 1.0)
    cdf_inside = lv[lo] + (lv[hi] - lv[lo]) * (threshold - q_lo) / span
    cdf = np.where(i == 0, 0.0, np.where(i == k, 1.0, cdf_inside))
    return 1.0 - cdf


def _log_score_rows(y: np.ndarray, samples: np.ndarray, bins: Sequence[float]) -> np.ndarray:
    edges = np.asarray(bins, dtype=np.float64)
    if edges.ndim != 1 or len(edges) < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError("bins must be at least two strictly increasing edges")
    n_bins = len(edges) - 1
    obs_bin = np.digitize(y, edges) - 1
    if np.any((obs_bin < 0) | (obs_bin >= n_bins)):
        bad = y[(obs_bin < 0) | (obs_bin >= n_bins)][0]
        raise ValueError(f"observation {bad} lies outside the bins [{edges[0]}, {edges[-1]}); widen bins")
    sample_bin = np.digitize(samples, edges) - 1
    if np.any(sample_bin < 0):
        raise ValueError(f"a sample lies below the first bin edge {edges[0]}")
    in_obs_bin = np.sum(sample_bin == obs_bin[:, None], axis=1)
    # As ViEWS: samples at or above the last edge form an extra overflow bin, which exists (and gets
    # its +1) only in rows where some sample lands there.
    overflow = np.any(sample_bin >= n_bins, axis=1)
    total = samples.shape[1] + n_bins + overflow
    return -np.log2((in_obs_bin + 1) / total)


def binned_log_score(y: npt.ArrayLike, samples: npt.ArrayLike, bins: Sequence[float] = VIEWS_BINS) -> float:
    """Mean binned log score in bits, ViEWS' "Ignorance": ``-log2 P(bin of y)``.

    Samples are counted in the half-open bins ``[b_i, b_i+1)``; the forecast probability of a bin is its
    count plus one over the total (add-one/Laplace smoothing, ViEWS' smoothing, so an empty bin still has
    a finite score). The observation must lie inside the bins (ViEWS raises too). Samples at or above
    the last edge land in an overflow bin that is smoothed only when occupied — kept to match ViEWS
    exactly (``calculate_ignorance_score_native``).
    """
    yv = _vector("y", y)
    return float(np.mean(_log_score_rows(yv, _matrix("samples", samples, len(yv)), bins)))


def score_table(frame: pd.DataFrame, by: Sequence[str] = BY_STEP) -> pd.DataFrame:
    """Scores of long-format quantile forecasts, one row per group (default model x level x step).

    ``frame`` has the forecast CSV columns plus ``model`` and the observed ``y``. Per group: ``n`` rows,
    ``crps`` (``crps_quantiles`` over q05..q95), ``msle`` (on ``mean``), ``msle_q50`` (on the median),
    ``interval_score`` (q05-q95, alpha 0.1), ``coverage_90`` and ``brier_25`` (event ``y >= 25``, its
    probability from ``exceedance_from_quantiles``). Use ``by=BY_UNIT`` for the per-unit table.
    """
    needed = {"model", "y", *FORECAST_COLUMNS, *by}
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise ValidationFailed(f"The forecast table lacks the columns {missing}; see the forecast CSV contract.")
    if frame.empty:
        raise ValidationFailed("The forecast table has no rows to score.")
    numeric = frame[["y", *QUANTILE_COLUMNS, "mean"]].to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(numeric)):
        raise ValidationFailed(
            "The forecast table has missing y, quantile or mean values; drop unobserved months first."
        )
    y = numeric[:, 0]
    q = numeric[:, 1:-1]
    levels = np.asarray(QUANTILE_LEVELS)
    lower, upper = q[:, 0], q[:, -1]
    rows = pd.DataFrame(
        {
            "crps": _crps_quantiles_rows(y, q, levels),
            "msle": _sle_rows(y, numeric[:, -1]),
            "msle_q50": _sle_rows(y, q[:, 3]),
            "interval_score": _interval_rows(y, lower, upper, 0.1),
            "coverage_90": ((y >= lower) & (y <= upper)).astype(np.float64),
            "brier_25": _brier_rows(y, exceedance_from_quantiles(q, levels, 25), 25),
        },
        index=frame.index,
    )
    keys = list(by)
    grouped = pd.concat([frame[keys], rows], axis=1).groupby(keys, sort=True)
    table = grouped.mean()
    table.insert(0, "n", grouped.size())
    return table.reset_index()
