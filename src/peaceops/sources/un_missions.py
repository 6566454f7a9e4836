"""Reader for the UN DPPA/DPO list of peacekeeping operations (``DPPADPOSS-PKO.csv``)."""

from __future__ import annotations

from pathlib import Path

from peaceops.geography.codes import iso3_from_name
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import csv_rows, parse_date, parse_float, read_text, require_columns

COLUMNS = ("mission_acronym", "mission_name", "mission_isactive", "start_date", "end_date")
YES = {"yes", "y", "true", "1", "active"}
NO = {"no", "n", "false", "0", "closed", ""}


def host_from_name(name: str) -> str | None:
    """The host country when the mission's name names exactly one country ("... in Liberia")."""
    return iso3_from_name(name)


def read_missions(path: Path) -> SourceRows:
    text, digest = read_text(path)
    header, rows = csv_rows(text, path.name)
    require_columns(header, COLUMNS, path.name, "UN peacekeeping missions (DPPADPOSS-PKO)")
    out = SourceRows("missions", str(path), digest, "DPPADPOSS-PKO")
    seen: dict[str, int] = {}
    for line, row in rows:
        out.rows_read += 1
        if "__error__" in row:
            out.reject(line, f"Line {line} {row['__error__']}.")
            continue
        acronym = row["mission_acronym"].upper()
        name = row["mission_name"].strip('" ')
        try:
            if not acronym:
                raise ValueError("mission_acronym is empty")
            if acronym in seen:
                raise ValueError(f"mission {acronym} already appears on line {seen[acronym]}")
            if not name:
                raise ValueError("mission_name is empty")
            active_text = row["mission_isactive"].lower()
            if active_text not in YES | NO:
                raise ValueError(f"mission_isactive {row['mission_isactive']!r} is not Yes or No")
            start = parse_date(row["start_date"], "start_date")
            end = parse_date(row["end_date"], "end_date")
            if start and end and end < start:
                raise ValueError(f"end_date {end} is before start_date {start}")
            longitude = parse_float(row.get("mission_longitude", ""), "mission_longitude")
            latitude = parse_float(row.get("mission_latitude", ""), "mission_latitude")
            updated = parse_date(row.get("last_update", ""), "last_update")
        except ValueError as exc:
            out.reject(line, f"Line {line}: {exc}.")
            continue
        seen[acronym] = line
        out.records.append(
            (
                line,
                {
                    "acronym": acronym,
                    "name": name,
                    "lead_department": row.get("lead_department") or None,
                    "active": active_text in YES,
                    "start_date": start,
                    "end_date": end,
                    "hq_location": row.get("mission_location") or None,
                    "hq_longitude": longitude,
                    "hq_latitude": latitude,
                    "source_updated": updated,
                    "host_iso3": host_from_name(name),
                },
            )
        )
    return out
