"""Reader for the UN list of fatalities in peace operations since 1948 (``DPPADPOSS-FATALITIES.csv``).

A casualty id can appear on several rows (a person listed under two nationalities): every row is kept and
numbered by ``occurrence``, its order among the rows sharing the id, so (casualty id, occurrence) is the key.
"""

from __future__ import annotations

from pathlib import Path

from peaceops.geography.codes import is_known_iso3, iso3_from_name
from peaceops.i18n import N_
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import csv_rows, parse_date, read_text, require_columns

COLUMNS = (
    "incident_date",
    "casualty_id",
    "mission_acronym",
    "casualty_nationality",
    "casualty_personnel_type",
    "type_of_incident",
)
# The list's types of personnel, as it writes them (stored in English; pages show them with _()).
PERSONNEL_TYPES = (
    N_("International Civilian"),
    N_("Local"),
    N_("Military"),
    N_("Military Observer"),
    N_("Other"),
    N_("Police"),
)
# As the list writes them (stored in English; pages and charts show them with _()).
INCIDENT_TYPES = (
    N_("Illness"),
    N_("Accident"),
    N_("Malicious Act"),
    N_("Self-Inflicted"),
    N_("To Be Determined"),
    N_("Unknown"),
)


def read_fatalities(path: Path) -> SourceRows:
    text, digest = read_text(path)
    header, rows = csv_rows(text, path.name)
    require_columns(header, COLUMNS, path.name, "UN peacekeeping fatalities (DPPADPOSS-FATALITIES)")
    out = SourceRows("fatalities", str(path), digest, "DPPADPOSS-FATALITIES")
    known_types = {t.lower(): t for t in INCIDENT_TYPES}
    seen: dict[str, int] = {}  # casualty id -> rows kept so far
    for line, row in rows:
        out.rows_read += 1
        if "__error__" in row:
            out.reject(line, f"Line {line} {row['__error__']}.")
            continue
        try:
            casualty = row["casualty_id"]
            if not casualty:
                raise ValueError("casualty_id is empty")
            day = parse_date(row["incident_date"], "incident_date")
            if day is None:
                raise ValueError("incident_date is empty")
            mission = row["mission_acronym"].upper()
            if not mission:
                raise ValueError("mission_acronym is empty")
            incident = known_types.get(row["type_of_incident"].lower())
            if incident is None:
                raise ValueError(
                    f"type_of_incident {row['type_of_incident']!r} is not one of {', '.join(INCIDENT_TYPES)}"
                )
            ptype = row["casualty_personnel_type"]
            if not ptype:
                raise ValueError("casualty_personnel_type is empty")
            nationality = row["casualty_nationality"] or None
            iso3 = (row.get("isocode3") or "").upper() or None
            if iso3 and not is_known_iso3(iso3):
                raise ValueError(f"isocode3 {iso3!r} is not an ISO 3166 alpha-3 code")
            if iso3 is None and nationality:
                iso3 = iso3_from_name(nationality)  # None for "ZZ [Undetermined]": kept, nationality unknown
            gender = (row.get("gender") or "").upper() or None
            if gender not in (None, "M", "F"):
                raise ValueError(f"gender {row['gender']!r} is not M or F")
        except ValueError as exc:
            out.reject(line, f"Line {line}: {exc}.")
            continue
        seen[casualty] = seen.get(casualty, 0) + 1
        out.records.append(
            (
                line,
                {
                    "casualty_id": casualty,
                    "occurrence": seen[casualty],
                    "mission": mission,
                    "incident_date": day,
                    "nationality": nationality,
                    "nationality_iso3": iso3,
                    "personnel_type": ptype,
                    "incident_type": incident,
                    "gender": gender,
                    "source_updated": parse_date(row.get("last_update", ""), "last_update"),
                },
            )
        )
    return out
