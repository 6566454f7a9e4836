"""Reader for the IPI global monthly summary: uniformed personnel in all UN peacekeeping, month by month.

One row per month (dated the month's last day, stored as its first), with the number of contributing
countries and the troops, police and experts on mission (military observers and staff) they provide; the
averages, medians and standard deviations beside them derive from the same counts and are not kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import (
    collect_rows,
    csv_rows,
    month_start,
    parse_date,
    parse_int,
    read_text,
    require_columns,
)

KIND = "world-totals"
# Stored field: the file's column. Experts on mission (EOM) are the military observers and staff officers.
FIELDS = {
    "contributors": "Number of Contributors",
    "troops": "Troop Contributions",
    "police": "Police Contributions",
    "observers": "EOM Contributions",
    "total": "Total Contributions",
}
COLUMNS = ("Date", *FIELDS.values())


def read_world_totals(path: Path) -> SourceRows:
    """Typed rows ``month, contributors, troops, police, observers, total``; a rejected line says why."""
    text, digest = read_text(path)
    header, rows = csv_rows(text, path.name)
    require_columns(header, COLUMNS, path.name, "IPI global monthly summary")
    out = SourceRows(KIND, str(path), digest, "ipi-global-summary")
    return collect_rows(out, rows, _month, "month", "the month")


def _month(row: dict[str, str]) -> dict[str, Any]:
    day = parse_date(row["Date"], "Date")
    if day is None:
        raise ValueError("Date is empty")
    counts: dict[str, int] = {}
    for name, column in FIELDS.items():
        value = parse_int(row[column], column)
        if value is None:
            raise ValueError(f"{column} is empty")
        counts[name] = value
    parts = counts["troops"] + counts["police"] + counts["observers"]
    if counts["total"] != parts:
        raise ValueError(f"Total Contributions {counts['total']} is not troops + police + experts on mission ({parts})")
    return {"month": month_start(day), **counts}
