"""Readers for uniformed personnel contributions by country, mission, personnel type and gender.

Two layouts are accepted:

* ``ipi-gender``: the IPI Peacekeeping Database, one row per contributor x mission x month with
  male/female/total columns for each category (2009-11 to 2014-02);
* ``un-gender``: the UN's current monthly open data (peacekeeping.un.org), one row per contributor x
  mission x personnel type with ``Female_Personnel`` and ``Male_Personnel`` (column names matched
  case-insensitively, so the ``DPO-UCHISTORICAL`` export with lower-case names reads too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peaceops.errors import ImportFileError
from peaceops.geography.codes import is_known_iso3
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import csv_rows, month_start, parse_date, parse_int, read_text

IPI_CATEGORIES = {
    "Individual Police": "individual_police",
    "Formed Police Units": "formed_police",
    "Experts on Mission": "experts_on_mission",
    "Troops": "troops",
}
IPI_COLUMNS = ("Date", "Contributor ISO-3", "Mission") + tuple(
    f"{c} {s}" for c in (*IPI_CATEGORIES, "Total") for s in ("Male", "Female", "Total")
)
UN_COLUMNS = (
    "isocode3",
    "mission_acronym",
    "personnel_type",
    "last_reporting_date",
    "female_personnel",
    "male_personnel",
)
UN_TYPES = {
    "troops": "troops",
    "troop": "troops",
    "contingent troop": "troops",
    "staff officer": "staff_officers",
    "staff officers": "staff_officers",
    "experts on mission": "experts_on_mission",
    "military experts on mission": "experts_on_mission",
    "military observers": "experts_on_mission",
    "formed police units": "formed_police",
    "formed police unit": "formed_police",
    "fpu": "formed_police",
    "individual police": "individual_police",
    "individual police officers": "individual_police",
    "ipo": "individual_police",
    "police": "individual_police",
}


def read_contributions(path: Path) -> SourceRows:
    """Contributions in either layout; each record is one mission x month x contributor x type."""
    text, digest = read_text(path)
    header, rows = csv_rows(text, path.name)
    lowered = {h.lower().replace("-", "").replace(" ", "_"): h for h in header}
    if all(c in header for c in IPI_COLUMNS):
        out = SourceRows("contributions", str(path), digest, "ipi-gender")
        _read_ipi(rows, out)
    elif all(c in lowered for c in UN_COLUMNS):
        out = SourceRows("contributions", str(path), digest, "un-gender")
        _read_un(rows, lowered, out)
    else:
        raise ImportFileError(
            f"{path.name} is in neither contributions layout: the IPI layout needs "
            f"{', '.join(IPI_COLUMNS[:3])} and male/female/total columns per category; the UN layout needs "
            f"ISOCode3, Mission_Acronym, Personnel_Type, Last_Reporting_Date, Female_Personnel, Male_Personnel "
            f"(found {', '.join(header[:8])})."
        )
    return out


def _contributor(code: str) -> str:
    iso3 = code.upper()
    if not is_known_iso3(iso3):
        raise ValueError(f"contributor code {code!r} is not an ISO 3166 alpha-3 country code")
    return iso3


def _read_ipi(rows: Any, out: SourceRows) -> None:
    seen: dict[tuple[str, Any, str], int] = {}
    for line, row in rows:
        out.rows_read += 1
        if "__error__" in row:
            out.reject(line, f"Line {line} {row['__error__']}.")
            continue
        try:
            day = parse_date(row["Date"], "Date")
            if day is None:
                raise ValueError("Date is empty")
            iso3 = _contributor(row["Contributor ISO-3"])
            mission = row["Mission"].upper()
            if not mission:
                raise ValueError("Mission is empty")
            counts = {
                cat: tuple(parse_int(row[f"{cat} {s}"], f"{cat} {s}") or 0 for s in ("Male", "Female", "Total"))
                for cat in (*IPI_CATEGORIES, "Total")
            }
            for cat, (male, female, total) in counts.items():
                if male + female != total:
                    raise ValueError(f"{cat}: male {male} + female {female} does not equal total {total}")
            if sum(counts[c][2] for c in IPI_CATEGORIES) != counts["Total"][2]:
                raise ValueError("the categories do not add up to Total Total")
            key = (mission, month_start(day), iso3)
            if key in seen:
                raise ValueError(f"{iso3} in {mission} for {day:%Y-%m} already appears on line {seen[key]}")
        except ValueError as exc:
            out.reject(line, f"Line {line}: {exc}.")
            continue
        seen[key] = line
        for cat, ptype in IPI_CATEGORIES.items():
            male, female, total = counts[cat]
            if total:
                out.records.append((line, _record(mission, key[1], iso3, ptype, male, female)))


def _read_un(rows: Any, lowered: dict[str, str], out: SourceRows) -> None:
    col = {c: lowered[c] for c in UN_COLUMNS}
    seen: dict[tuple[str, Any, str, str], int] = {}
    for line, row in rows:
        out.rows_read += 1
        if "__error__" in row:
            out.reject(line, f"Line {line} {row['__error__']}.")
            continue
        try:
            day = parse_date(row[col["last_reporting_date"]], "Last_Reporting_Date")
            if day is None:
                raise ValueError("Last_Reporting_Date is empty")
            iso3 = _contributor(row[col["isocode3"]])
            mission = row[col["mission_acronym"]].upper()
            if not mission:
                raise ValueError("Mission_Acronym is empty")
            type_text = row[col["personnel_type"]]
            ptype = UN_TYPES.get(type_text.lower())
            if ptype is None:
                raise ValueError(f"Personnel_Type {type_text!r} is not one of {', '.join(sorted(set(UN_TYPES)))}")
            female = parse_int(row[col["female_personnel"]], "Female_Personnel") or 0
            male = parse_int(row[col["male_personnel"]], "Male_Personnel") or 0
            key = (mission, month_start(day), iso3, ptype)
            if key in seen:
                raise ValueError(f"{iso3} {type_text} in {mission} for {day:%Y-%m} already appears on line {seen[key]}")
        except ValueError as exc:
            out.reject(line, f"Line {line}: {exc}.")
            continue
        seen[key] = line
        out.records.append((line, _record(mission, key[1], iso3, ptype, male, female)))


def _record(mission: str, month: Any, iso3: str, ptype: str, male: int, female: int) -> dict[str, Any]:
    return {
        "mission": mission,
        "month": month,
        "contributor_iso3": iso3,
        "personnel_type": ptype,
        "male": male,
        "female": female,
        "total": male + female,
    }
