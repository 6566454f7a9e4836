"""Reader for the IPI monthly totals per mission (troops, police, observers; host country and region)."""

from __future__ import annotations

from pathlib import Path

from peaceops.geography.codes import is_known_iso3
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import csv_rows, month_start, parse_date, parse_int, read_text, require_columns

COLUMNS = ("Date", "Mission", "Country of Mission ISO-3", "Troops", "Police", "Observers", "Total")


def read_mission_totals(path: Path) -> SourceRows:
    text, digest = read_text(path)
    header, rows = csv_rows(text, path.name)
    require_columns(header, COLUMNS, path.name, "IPI mission monthly totals")
    out = SourceRows("mission-totals", str(path), digest, "ipi-mission-totals")
    seen: dict[tuple[str, object], int] = {}
    for line, row in rows:
        out.rows_read += 1
        if "__error__" in row:
            out.reject(line, f"Line {line} {row['__error__']}.")
            continue
        try:
            day = parse_date(row["Date"], "Date")
            if day is None:
                raise ValueError("Date is empty")
            mission = row["Mission"].upper()
            if not mission:
                raise ValueError("Mission is empty")
            host = row["Country of Mission ISO-3"].upper() or None
            if host and not is_known_iso3(host):
                raise ValueError(f"Country of Mission ISO-3 {host!r} is not an ISO 3166 alpha-3 code")
            troops = parse_int(row["Troops"], "Troops")
            police = parse_int(row["Police"], "Police")
            observers = parse_int(row["Observers"], "Observers")
            total = parse_int(row["Total"], "Total")
            parts = sum(v or 0 for v in (troops, police, observers))
            if total is None:
                total = parts
            elif total != parts:
                raise ValueError(f"Total {total} is not troops + police + observers ({parts})")
            key = (mission, month_start(day))
            if key in seen:
                raise ValueError(f"{mission} for {day:%Y-%m} already appears on line {seen[key]}")
        except ValueError as exc:
            out.reject(line, f"Line {line}: {exc}.")
            continue
        seen[key] = line
        out.records.append(
            (
                line,
                {
                    "mission": mission,
                    "month": key[1],
                    "troops": troops,
                    "police": police,
                    "observers": observers,
                    "total": total,
                    "contributors": parse_int(row.get("Number of Contributors", ""), "Number of Contributors"),
                    "host_iso3": host,
                    "region": row.get("Mission Region") or None,
                },
            )
        )
    return out
