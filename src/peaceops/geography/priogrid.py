"""PRIO-GRID: the 0.5 degree cells that grid-level panels and forecasts count events in."""

from __future__ import annotations

import numpy as np


def priogrid_gid(latitude: float, longitude: float) -> int:
    """PRIO-GRID cell id: rows of 720 half-degree cells counted from (-90, -180), starting at 1."""
    row = min(int((latitude + 90.0) // 0.5), 359)
    col = min(int((longitude + 180.0) // 0.5), 719)
    return row * 720 + col + 1


def priogrid_gids(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    """``priogrid_gid`` of many points at once (float64 arrays), the same numbers: NumPy's floor division
    of doubles is Python's."""
    row = np.minimum(np.floor_divide(latitude + 90.0, 0.5).astype(np.int64), 359)
    col = np.minimum(np.floor_divide(longitude + 180.0, 0.5).astype(np.int64), 719)
    return row * 720 + col + 1
