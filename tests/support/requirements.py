"""What a test needs beyond Python, how to tell whether this machine has it, and what to do when it does not.

Each requirement is a pytest marker (registered in tests/conftest.py). A test that needs a missing piece
skips with the reason and the fix, unless the matching PEACEOPS_REQUIRE_* variable is 1 (`.ci/run` sets
them all), which turns the skip into a failure:

| marker | needs | override | required by |
|---|---|---|---|
| ``data`` | the shared data sets (``PEACEOPS_DATA_DIR``) | | ``PEACEOPS_REQUIRE_DATA=1`` |
| ``e2e`` | Debian's Chromium | ``PEACEOPS_CHROMIUM`` | ``PEACEOPS_REQUIRE_SYSTEM=1`` |
| ``pdf`` | WeasyPrint's Pango/HarfBuzz libraries and poppler-utils | | ``PEACEOPS_REQUIRE_SYSTEM=1`` |
| (database) | PostgreSQL at 127.0.0.1:5432 | ``PEACEOPS_TEST_POSTGRES_URL`` | ``PEACEOPS_REQUIRE_POSTGRES=1`` |
"""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

import pytest

from peaceops.settings import Settings

DATA_DIR: Path = Settings().data_dir
CHROMIUM: str = os.environ.get("PEACEOPS_CHROMIUM", "/usr/bin/chromium")
SYSTEM_FIX = "run scripts/system-deps.sh (it prints the apt command when it cannot install)"


def required(variable: str) -> bool:
    return os.environ.get(variable) == "1"


def skip_or_fail(problem: str, variable: str) -> None:
    """Skip the current test with ``problem``, or fail it where ``variable``=1 makes the piece mandatory."""
    if required(variable):
        pytest.fail(f"{problem} ({variable}=1 makes this mandatory)", pytrace=False)
    pytest.skip(problem)


@cache
def data_problem() -> str | None:
    if not (DATA_DIR / "un_peacekeeping").is_dir():
        return (
            f"the shared data sets are not at {DATA_DIR}; set PEACEOPS_DATA_DIR to the folder holding un_peacekeeping/"
        )
    return None


@cache
def browser_problem() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (PEACEOPS_CHROMIUM); {SYSTEM_FIX}"
    return None


@cache
def pdf_problem() -> str | None:
    try:
        import weasyprint  # noqa: F401  (dlopens Pango and HarfBuzz: OSError when they are missing)
    except (ImportError, OSError) as exc:
        return f"WeasyPrint cannot load its libraries ({exc}); {SYSTEM_FIX}"
    missing = [tool for tool in ("pdfinfo", "pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        return f"poppler-utils is missing ({', '.join(missing)}); {SYSTEM_FIX}"
    return None


# marker -> (the check, the variable that makes it mandatory)
MARKERS = {
    "data": (data_problem, "PEACEOPS_REQUIRE_DATA"),
    "e2e": (browser_problem, "PEACEOPS_REQUIRE_SYSTEM"),
    "pdf": (pdf_problem, "PEACEOPS_REQUIRE_SYSTEM"),
}


def check_markers(item: pytest.Item) -> None:
    """Called before each test's fixtures are set up: skip (or fail) when a marked requirement is missing."""
    for name, (problem, variable) in MARKERS.items():
        if item.get_closest_marker(name) is not None:
            found = problem()
            if found:
                skip_or_fail(found, variable)
