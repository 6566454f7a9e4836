"""Reader for the UN table of allegations of sexual exploitation and abuse (Conduct in UN Field Missions).

The UN publishes it as an Excel workbook (sheet ``Export``), one row per allegation since 2015. Several
cells combine more than one fact, with entries separated by blank lines: ``Military (MC),6`` is the
category, the type and the number of personnel involved; ``UN OIOS (238)`` the investigating entity and
the days the investigation took; ``Child (2)\\n\\nAdult (4)`` the number of victims by age group. The
reader splits each of these into typed parts and rejects a row, with its spreadsheet row number and the
reason, when a cell does not follow the pattern.

Victims are only ever counted by age group: a ``Victim`` cell holding anything else (a name, say) rejects
the row, and columns the reader does not know are never read, so no personal data enters peaceops.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from peaceops.errors import ImportFileError
from peaceops.geography.codes import country_name, iso3_from_name
from peaceops.sources.records import SourceRows

SHEET = "Export"
LAYOUT = "UN table of allegations (Conduct in UN Field Missions)"
REQUIRED = ("Date", "Mission", "Personnel Type", "Nationality", "Allegation", "Investigation (days)", "Result")
OPTIONAL = (
    "Date of incident",
    "Victim",
    "Paternity claim",
    "Paternity established",
    "NIO appointed",
    "Interim Action",
    "Final Action",
    "Referral for criminal accountability",
)
PERSONNEL_CATEGORIES = ("Military", "Police", "Civilian")
UNIFORMED = ("Military", "Police")
ALLEGATION_CODES = {"SA": "Sexual abuse", "SE": "Sexual exploitation"}
VICTIM_GROUPS = ("Adult", "Child", "Unknown")
RESULTS = ("Substantiated", "Unsubstantiated", "Pending", "Incomplete", "N/A")
# The allegation's overall outcome: the first of these its results contain.
OUTCOME_ORDER = ("Substantiated", "Pending", "Unsubstantiated", "Incomplete", "N/A")
YES_NO = ("Yes", "No")
YES_NO_PENDING = ("Yes", "No", "Pending", "N/A")
NIO_VALUES = ("Yes", "No (no response)", "No (declined)", "No", "Pending", "N/A")
MONTHS = {m.lower(): i for i, m in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"), start=1)}  # fmt: skip
NOT_STATED = {"", "n/a", "na", "none", "-"}

_ENTRY_SPLIT = re.compile(r"\n\s*\n")
_PERSONNEL = re.compile(r"^(?P<category>[A-Za-z]+)\s*\((?P<type>.*)\)\s*(?:,\s*(?P<count>\d+))?$", re.S)
_COUNTED = re.compile(r"^(?P<label>[^()]+?)\s*(?:\((?P<count>\d+)\))?$")
_ALLEGATION = re.compile(r"^(?P<code>[A-Za-z]{2})\s*\((?P<type>.*)\)$", re.S)
_INVESTIGATION = re.compile(r"^(?P<entity>.*?)\s*\((?P<days>\d+|Pending|N/A)\)$", re.S | re.I)
_RESULT = re.compile(r"^(?P<result>[A-Za-z/]+)\s*(?:\((?P<detail>.*)\))?\s*\((?P<count>\d+)\)$", re.S)
_ACTION = re.compile(r"^(?:(?P<by>UN|NG)\s+)?(?P<action>.*?)\s*\((?P<count>\d+)\)$", re.S)
_MONTH_YEAR = re.compile(r"^(?P<month>\d{1,2})\s*/\s*(?P<year>\d{4})$")
_INCIDENT_PART = re.compile(r"^(?P<month>[A-Za-z]+)\s*/\s*(?P<year>\d{4})$")


def read_allegations(path: Path) -> SourceRows:
    """Every allegation in the workbook as typed fields, or the row's number and why it was rejected."""
    digest, book = _open_book(path)
    try:
        return _read_sheet(path, digest, book[SHEET])
    finally:
        book.close()  # read-only workbooks keep the file open until closed


def _read_sheet(path: Path, digest: str, sheet: Any) -> SourceRows:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or not any(_text(v) for v in header):
        raise ImportFileError(f"{path.name}: the sheet {SHEET!r} is empty; it has no header row.")
    columns = {_text(name).lower(): i for i, name in enumerate(header) if _text(name)}
    missing = [c for c in REQUIRED if c.lower() not in columns]
    if missing:
        found = ", ".join(_text(h) for h in header if _text(h))
        raise ImportFileError(
            f"{path.name} does not have the columns of the {LAYOUT} layout: missing {', '.join(missing)} "
            f"(found {found}). Export the table again from the UN conduct website, sheet {SHEET!r}."
        )
    index = {name: columns.get(name.lower()) for name in (*REQUIRED, *OPTIONAL)}
    out = SourceRows("allegations", str(path), digest, "un-conduct-allegations")
    occurrences: Counter[str] = Counter()
    for line, values in enumerate(rows, start=2):
        cells = {name: _text(values[i]) if i is not None and i < len(values) else "" for name, i in index.items()}
        if not any(cells.values()):
            continue
        out.rows_read += 1
        try:
            record = parse_row(cells, values[index["Date"]] if index["Date"] is not None else None)
        except ValueError as exc:
            out.reject(line, f"Line {line}: {exc}.")
            continue
        identity = record.pop("_identity")
        occurrences[identity] += 1
        record["allegation_key"] = _key(identity, occurrences[identity])
        out.records.append((line, record))
    if out.rows_read == 0:
        raise ImportFileError(f"{path.name}: the sheet {SHEET!r} has a header row but no allegations.")
    return out


def _open_book(path: Path) -> tuple[str, Any]:
    """The workbook's SHA-256 and the workbook, opened read-only, once it is known to hold the sheet."""
    if not path.is_file():
        raise ImportFileError(f"{path} does not exist or is not a file.")
    raw = path.read_bytes()
    if not raw:
        raise ImportFileError(f"{path.name} is empty; expected the UN table of allegations as an .xlsx workbook.")
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportFileError(
            f"{path.name} cannot be opened as an Excel .xlsx workbook ({exc.__class__.__name__}: {exc}); "
            "download the table of allegations again."
        ) from exc
    if SHEET not in book.sheetnames:
        names = ", ".join(repr(n) for n in book.sheetnames)
        book.close()
        raise ImportFileError(
            f"{path.name} has no sheet named {SHEET!r} (its sheets: {names}); the UN table of allegations "
            f"keeps its rows in {SHEET!r}."
        )
    return hashlib.sha256(raw).hexdigest(), book


def _text(value: object) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _entries(text: str) -> list[str]:
    """The entries of a combined cell: separated by blank lines, each with its inner spaces collapsed."""
    return [" ".join(part.split()) for part in _ENTRY_SPLIT.split(text) if part.strip()]


def _key(identity: str, occurrence: int) -> str:
    """A stable natural key: the facts that do not change as a case progresses, and the row's occurrence
    among rows that share them (the UN lists separate allegations with identical public fields)."""
    return f"{hashlib.sha256(identity.encode()).hexdigest()[:32]}-{occurrence}"


def parse_row(cells: dict[str, str], raw_date: object = None) -> dict[str, Any]:
    """One row of the table as stored fields; ValueError with a readable reason when a cell is malformed."""
    reported = parse_reported_month(raw_date if isinstance(raw_date, datetime | date) else cells["Date"])
    mission = cells["Mission"].upper()
    if not mission:
        raise ValueError("Mission is empty")
    personnel = parse_personnel(cells["Personnel Type"])
    categories = {p["category"] for p in personnel}
    nationalities = parse_nationalities(cells["Nationality"])
    allegations = parse_allegations(cells["Allegation"])
    victims = parse_victims(cells["Victim"])
    entity, status, days = parse_investigation(cells["Investigation (days)"])
    results = parse_results(cells["Result"])
    incident_from, incident_to = parse_incident_period(cells["Date of incident"])
    counts = [p["count"] for p in personnel]
    identity = "|".join(
        [
            reported.isoformat(),
            mission,
            " ".join(cells["Date of incident"].split()),
            "; ".join(sorted(f"{p['category']} ({p['type']})" for p in personnel)),
            "; ".join(sorted(n["name"] for n in nationalities)),
            "; ".join(sorted(f"{a['code']} ({a['type']})" for a in allegations)),
        ]
    )
    return {
        "_identity": identity,
        "mission_acronym": mission,
        "reported_month": reported,
        "incident_period": " ".join(cells["Date of incident"].split()) or None,
        "incident_from": incident_from,
        "incident_to": incident_to,
        "personnel_category": categories.pop() if len(categories) == 1 else "Several",
        "personnel": personnel,
        "personnel_involved": sum(counts) if all(c is not None for c in counts) else None,  # type: ignore[misc]
        "nationality": "; ".join(n["name"] for n in nationalities) or None,
        "nationalities": nationalities,
        "victim_groups": victims,
        "child_victims": "Child" in victims,
        "allegation_category": (
            ALLEGATION_CODES["SA"] if any(a["code"] == "SA" for a in allegations) else ALLEGATION_CODES["SE"]
        ),
        "allegation_types": allegations,
        "paternity_claim": _choice(cells["Paternity claim"], YES_NO, "Paternity claim", empty="No") == "Yes",
        "paternity_established": _choice(cells["Paternity established"], YES_NO_PENDING, "Paternity established"),
        "nio_appointed": _choice(cells["NIO appointed"], NIO_VALUES, "NIO appointed"),
        "investigation_entity": entity,
        "investigation_status": status,
        "investigation_days": days,
        "outcome": next(o for o in OUTCOME_ORDER if any(r["result"] == o for r in results)),
        "results": results,
        "interim_actions": parse_actions(cells["Interim Action"], "Interim Action"),
        "final_actions": parse_actions(cells["Final Action"], "Final Action"),
        "criminal_referral": _choice(
            cells["Referral for criminal accountability"], YES_NO_PENDING, "Referral for criminal accountability"
        ),
    }


def parse_reported_month(value: object) -> date:
    """``7/2024`` (the table's month and year of reporting), or a date cell, as the first day of the month."""
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    text = _text(value)
    found = _MONTH_YEAR.match(text)
    if not found or not 1 <= int(found["month"]) <= 12 or not 2000 <= int(found["year"]) <= 2100:
        raise ValueError(f"Date {text!r} is not a month and year of reporting (expected M/YYYY, e.g. 7/2024)")
    return date(int(found["year"]), int(found["month"]), 1)


def parse_personnel(text: str) -> list[dict[str, Any]]:
    """``Military (MC),6`` -> category Military, type MC, 6 personnel; a missing number stays unknown (None)."""
    entries = _entries(text)
    if not entries:
        raise ValueError("Personnel Type is empty")
    out = []
    for entry in entries:
        found = _PERSONNEL.match(entry)
        category = found["category"].capitalize() if found else ""
        if not found or category not in PERSONNEL_CATEGORIES:
            raise ValueError(
                f"Personnel Type {entry!r} is not 'Category (type),count' with a category of "
                f"{', '.join(PERSONNEL_CATEGORIES)} (e.g. 'Military (MC),6')"
            )
        kind = " ".join(found["type"].split()) or "Unspecified"
        out.append({"category": category, "type": kind, "count": int(found["count"]) if found["count"] else None})
    return out


def parse_nationalities(text: str) -> list[dict[str, Any]]:
    """Countries of the personnel involved; ``N/A`` (usually civilians) and ``Unknown`` name no country."""
    out = []
    for entry in _entries(text):
        if entry.lower() in NOT_STATED or entry.lower() == "unknown":
            continue
        iso3 = iso3_from_name(entry)
        if not iso3 or country_name(iso3) is None:
            raise ValueError(f"Nationality {entry!r} is not a country name peaceops recognises")
        out.append({"name": entry, "iso3": iso3})
    return out


def parse_victims(text: str) -> dict[str, int | None]:
    """Victims counted by age group (``Child (2)``, ``Adult``); anything else, a name above all, is refused."""
    groups: dict[str, int | None] = {}
    for entry in _entries(text):
        found = _COUNTED.match(entry)
        label = found["label"].strip().capitalize() if found else ""
        if not found or label not in VICTIM_GROUPS:
            # The cell's text is not repeated: if it holds a name, the rejection must not store it either.
            raise ValueError(
                f"Victim is not an age group with a count ({', '.join(VICTIM_GROUPS)}, e.g. 'Child (2)'); "
                "peaceops records victims only as counts and never stores who they are"
            )
        count = int(found["count"]) if found["count"] else None
        if label not in groups:
            groups[label] = count
        else:  # the same group twice: add up, unless either count is unknown
            previous = groups[label]
            groups[label] = None if previous is None or count is None else previous + count
    return groups


def parse_allegations(text: str) -> list[dict[str, str]]:
    """``SA (Rape)`` -> sexual abuse, rape; ``SE (Transactional sex)`` -> sexual exploitation, transactional sex."""
    entries = _entries(text)
    if not entries:
        raise ValueError("Allegation is empty")
    out = []
    for entry in entries:
        found = _ALLEGATION.match(entry)
        if not found or found["code"].upper() not in ALLEGATION_CODES:
            raise ValueError(
                f"Allegation {entry!r} is not 'SA (type)' (sexual abuse) or 'SE (type)' (sexual exploitation)"
            )
        out.append({"code": found["code"].upper(), "type": " ".join(found["type"].split()) or "Unspecified"})
    return out


def parse_investigation(text: str) -> tuple[str, str, int | None]:
    """``UN OIOS (238)`` -> (entity, "completed", 238 days); ``TCC (Pending)`` -> pending; ``(N/A)`` -> none."""
    entry = " ".join(text.split())
    found = _INVESTIGATION.match(entry)
    if not found or not found["entity"]:
        raise ValueError(
            f"Investigation (days) {entry!r} is not 'Entity (days)', 'Entity (Pending)' or 'Entity (N/A)' "
            "(e.g. 'UN OIOS (238)')"
        )
    days = found["days"]
    if days.isdigit():
        return found["entity"], "completed", int(days)
    return found["entity"], "pending" if days.lower() == "pending" else "not_applicable", None


def parse_results(text: str) -> list[dict[str, Any]]:
    """``Substantiated (Rape) (1)\\n\\nPending (2)`` -> each result with its detail and number of personnel."""
    entries = _entries(text)
    if not entries:
        raise ValueError("Result is empty")
    known = {r.lower(): r for r in RESULTS}
    out = []
    for entry in entries:
        found = _RESULT.match(entry)
        result = known.get(found["result"].lower()) if found else None
        if not found or result is None:
            raise ValueError(f"Result {entry!r} is not 'Result (detail) (count)' with a result of {', '.join(RESULTS)}")
        detail = " ".join((found["detail"] or "").split()) or None
        out.append({"result": result, "detail": detail, "count": int(found["count"])})
    return out


def parse_actions(text: str, field: str) -> list[dict[str, Any]]:
    """``UN Repatriation (1)\\n\\nNG Jail (1)``: who acted (UN, or NG: the national government), what, for how many."""
    out = []
    for entry in _entries(text):
        found = _ACTION.match(entry)
        if not found:
            raise ValueError(f"{field} {entry!r} is not '[UN|NG] action (count)' (e.g. 'NG Jail (1)')")
        action = found["action"].strip() or "Not specified"
        out.append({"by": found["by"], "action": action, "count": int(found["count"])})
    return out


def parse_incident_period(text: str) -> tuple[date | None, date | None]:
    """``April / 2014 - Unspecified / 2015`` -> (2014-04-01, 2015-12-31); ``Unknown`` -> (None, None)."""
    entry = " ".join(text.split())
    if not entry or entry.lower() in ("unknown", "n/a"):
        return None, None
    parts = [p.strip() for p in entry.split(" - ")]
    if len(parts) > 2:
        raise ValueError(f"Date of incident {entry!r} has more than two dates")
    start = _period_bound(parts[0], entry, end=False)
    end = _period_bound(parts[-1], entry, end=True)
    if start and end and end < start:
        raise ValueError(f"Date of incident {entry!r} ends before it starts")
    return start, end


def _period_bound(part: str, entry: str, *, end: bool) -> date | None:
    if part.lower() in ("unspecified", "unknown"):
        return None
    found = _INCIDENT_PART.match(part)
    month_name = found["month"].lower() if found else ""
    if not found or (month_name != "unspecified" and month_name not in MONTHS):
        raise ValueError(
            f"Date of incident {entry!r} is not 'Month / YYYY' or 'Unspecified / YYYY', optionally as a "
            "range 'Month / YYYY - Month / YYYY'"
        )
    year = int(found["year"])
    if month_name == "unspecified":
        return date(year, 12, 31) if end else date(year, 1, 1)
    month = MONTHS[month_name]
    if not end:
        return date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def _choice(value: str, allowed: tuple[str, ...], field: str, *, empty: str = "N/A") -> str:
    text = " ".join(value.split())
    if not text:
        return empty
    for option in allowed:
        if text.lower() == option.lower():
            return option
    raise ValueError(f"{field} {text!r} is not one of {', '.join(allowed)}")
