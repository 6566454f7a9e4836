"""What the conflict tests share: one local Spark per test process, started only by the tests that need it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark for the process (modules share it: a JVM starts in seconds, not milliseconds), built
    by peaceops' own ``spark_session``: loopback, UTC, Arrow transfers, this interpreter for the workers."""
    from peaceops.store.analytics import spark_session

    try:
        session = spark_session("local[1]")
    except Exception as exc:  # report why Spark did not start instead of skipping
        pytest.fail(f"Spark could not start here: {exc!r}")
    session.conf.set("spark.sql.shuffle.partitions", "2")  # tiny inputs: fewer tasks than the default 8
    yield session
    session.stop()
