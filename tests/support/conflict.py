"""A stored forecast run for tests that need alerts or forecast values without training a model."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from peaceops.conflict.models import ForecastRun


def stored_run(session: Session, level: str, cutoff: date = date(2021, 12, 1), *, units: int = 1) -> ForecastRun:
    """A run row as monitoring stores one (model version, data and settings hashes), flushed so it has an id."""
    run = ForecastRun(
        level=level,
        cutoff=cutoff,
        horizon=3,
        model_version="hurdle-lgbm-1",
        data_version="d" * 64,
        config_hash="c" * 64,
        config={},
        units=units,
        seconds=1.0,
        actor="t",
    )
    session.add(run)
    session.flush()
    return run
