"""Readers for uniformed personnel contributions by country, mission, personnel type and gender.

Two layouts are accepted:

* ``ipi-gender``: the IPI Peacekeeping Database, one row per contributor x mission x month with
  male/female/total columns for each category (2009-11 to 2014-02);
* ``un-gender``: the UN's current monthly open data (peacekeeping.un.org), one row per contributor x
  mission x personnel type with ``Female_Personnel`` and ``Male_Personnel`` (column names matched
  case-insensitively, so the ``DPO-UCHISTORICAL`` export with lower-case names reads too).

Both are checked column-wise (``sources.columnar``, decision 053); the rules for one row (``_ipi_row``,
``_un_row``) decide every row the column-wise checks cannot accept, and ``read_contributions_by_row``
applies them to every row: the reference the tests hold the column-wise reader to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peaceops.errors import ImportFileError
from peaceops.geography.codes import is_known_iso3
from peaceops.sources.columnar import Columns, drop_repeated, holds, ints, month_of, per_value, read_columns, settle
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
    """Contributions in either layout; each record is one mission x month x contributor x type.

    The records come as ``SourceRows.table`` (``records`` builds the dictionaries when asked)."""
    columns, digest = read_columns(path)
    return contribution_rows(columns, digest, path)


def contribution_rows(columns: Columns, digest: str, path: Path) -> SourceRows:
    """The work of ``read_contributions`` on a file already parsed (``bench/load.py`` times the two apart)."""
    layout, names = _layout(columns.header, path.name)
    out = SourceRows("contributions", str(path), digest, layout)
    out.table = _ipi_columns(columns, out) if layout == "ipi-gender" else _un_columns(columns, names, out)
    out.rejections.sort(key=lambda r: r.line)
    return out


def read_contributions_by_row(path: Path) -> SourceRows:
    """``read_contributions`` one row at a time, as it was before decision 053: the reference."""
    text, digest = read_text(path)
    header, rows = csv_rows(text, path.name)
    layout, names = _layout(header, path.name)
    out = SourceRows("contributions", str(path), digest, layout)
    if layout == "ipi-gender":
        _read_ipi(rows, out)
    else:
        _read_un(rows, names, out)
    return out


def _layout(header: Sequence[str], name: str) -> tuple[str, dict[str, str]]:
    """The layout of a header, and for the UN layout the header's name of each of UN_COLUMNS."""
    lowered = {h.lower().replace("-", "").replace(" ", "_"): h for h in header}
    if all(c in header for c in IPI_COLUMNS):
        return "ipi-gender", {}
    if all(c in lowered for c in UN_COLUMNS):
        return "un-gender", {c: lowered[c] for c in UN_COLUMNS}
    raise ImportFileError(
        f"{name} is in neither contributions layout: the IPI layout needs "
        f"{', '.join(IPI_COLUMNS[:3])} and male/female/total columns per category; the UN layout needs "
        f"ISOCode3, Mission_Acronym, Personnel_Type, Last_Reporting_Date, Female_Personnel, Male_Personnel "
        f"(found {', '.join(header[:8])})."
    )


def _contributor(code: str) -> str:
    iso3 = code.upper()
    if not is_known_iso3(iso3):
        raise ValueError(f"contributor code {code!r} is not an ISO 3166 alpha-3 country code")
    return iso3


def _day(value: str, field: str) -> date:
    day = parse_date(value, field)
    if day is None:
        raise ValueError(f"{field} is empty")
    return day


def _mission(value: str, field: str) -> str:
    mission = value.upper()
    if not mission:
        raise ValueError(f"{field} is empty")
    return mission


IpiCounts = dict[str, tuple[int, int, int]]


def _ipi_row(row: dict[str, str]) -> tuple[tuple[str, date, str], IpiCounts, date]:
    """One IPI row's key (mission, month, contributor), its counts by category and its date; ValueError
    says why the row cannot be read."""
    day = _day(row["Date"], "Date")
    iso3 = _contributor(row["Contributor ISO-3"])
    mission = _mission(row["Mission"], "Mission")
    counts = {
        cat: tuple(parse_int(row[f"{cat} {s}"], f"{cat} {s}") or 0 for s in ("Male", "Female", "Total"))
        for cat in (*IPI_CATEGORIES, "Total")
    }
    for cat, (male, female, total) in counts.items():
        if male + female != total:
            raise ValueError(f"{cat}: male {male} + female {female} does not equal total {total}")
    if sum(counts[c][2] for c in IPI_CATEGORIES) != counts["Total"][2]:
        raise ValueError("the categories do not add up to Total Total")
    return (mission, month_start(day), iso3), counts, day  # type: ignore[return-value]


def _read_ipi(rows: Iterator[tuple[int, dict[str, str]]], out: SourceRows) -> None:
    seen: dict[tuple[str, Any, str], int] = {}
    for line, row in rows:
        out.rows_read += 1
        if "__error__" in row:
            out.reject(line, f"Line {line} {row['__error__']}.")
            continue
        try:
            key, counts, day = _ipi_row(row)
            mission, _, iso3 = key
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


def _ipi_columns(columns: Columns, out: SourceRows) -> pa.Table:
    """The IPI layout column-wise: one row of ``_ipi_row``'s values per accepted line, then one record per
    category with personnel, in line then category order."""
    day, easy = per_value(columns.column("Date"), lambda v: _day(v, "Date"), pa.date32())
    iso3, ok = per_value(columns.column("Contributor ISO-3"), _contributor, pa.string())
    easy &= ok
    mission, ok = per_value(columns.column("Mission"), lambda v: _mission(v, "Mission"), pa.string())
    easy &= ok
    counts: dict[str, list[pa.Array]] = {}
    for cat in (*IPI_CATEGORIES, "Total"):
        counts[cat] = []
        for s in ("Male", "Female", "Total"):
            values, ok = ints(columns.column(f"{cat} {s}"), f"{cat} {s}")
            counts[cat].append(pc.fill_null(values, 0))
            easy &= ok
    for male, female, total in counts.values():
        easy &= holds(pc.equal(pc.add(male, female), total))
    categories = [counts[c][2] for c in IPI_CATEGORIES]
    easy &= holds(pc.equal(pc.add(pc.add(categories[0], categories[1]), pc.add(categories[2], categories[3])),
                           counts["Total"][2]))  # fmt: skip
    bulk = {"mission": mission, "month": month_of(day), "contributor_iso3": iso3}
    for cat, ptype in IPI_CATEGORIES.items():
        bulk[ptype], bulk[f"{ptype}:female"] = counts[cat][0], counts[cat][1]

    def by_row(row: dict[str, str]) -> dict[str, Any]:
        (mission, month, iso3), found, _ = _ipi_row(row)
        fields: dict[str, Any] = {"mission": mission, "month": month, "contributor_iso3": iso3}
        for cat, ptype in IPI_CATEGORIES.items():
            fields[ptype], fields[f"{ptype}:female"] = found[cat][0], found[cat][1]
        return fields

    rows = settle(out, columns, easy, bulk, by_row)
    rows = drop_repeated(
        out,
        rows,
        ("mission", "month", "contributor_iso3"),
        lambda line, r, first: (
            f"Line {line}: {r['contributor_iso3']} in {r['mission']} for {r['month']:%Y-%m} "
            f"already appears on line {first}."
        ),
    )
    parts = []
    for order, ptype in enumerate(IPI_CATEGORIES.values()):
        male, female = rows.column(ptype), rows.column(f"{ptype}:female")
        total = pc.add(male, female)
        part = pa.table(
            {
                "line": rows.column("line"),
                "mission": rows.column("mission"),
                "month": rows.column("month"),
                "contributor_iso3": rows.column("contributor_iso3"),
                "personnel_type": pa.repeat(ptype, rows.num_rows) if rows.num_rows else pa.array([], pa.string()),
                "male": male,
                "female": female,
                "total": total,
                "_order": pa.repeat(order, rows.num_rows) if rows.num_rows else pa.array([], pa.int64()),
            }
        )
        parts.append(part.filter(pc.not_equal(total, 0)))
    records = pa.concat_tables(parts).sort_by([("line", "ascending"), ("_order", "ascending")])
    return records.drop_columns(["_order"])


def _un_row(row: dict[str, str], col: dict[str, str]) -> dict[str, Any]:
    """One row of the UN layout as a record (with ``type_text``, the personnel type as written)."""
    day = _day(row[col["last_reporting_date"]], "Last_Reporting_Date")
    iso3 = _contributor(row[col["isocode3"]])
    mission = _mission(row[col["mission_acronym"]], "Mission_Acronym")
    type_text = row[col["personnel_type"]]
    ptype = _personnel_type(type_text)
    female = parse_int(row[col["female_personnel"]], "Female_Personnel") or 0
    male = parse_int(row[col["male_personnel"]], "Male_Personnel") or 0
    return {**_record(mission, month_start(day), iso3, ptype, male, female), "type_text": type_text}


def _personnel_type(text: str) -> str:
    ptype = UN_TYPES.get(text.lower())
    if ptype is None:
        raise ValueError(f"Personnel_Type {text!r} is not one of {', '.join(sorted(set(UN_TYPES)))}")
    return ptype


def _un_repeated(line: int, r: dict[str, Any], first: int) -> str:
    return (
        f"Line {line}: {r['contributor_iso3']} {r['type_text']} in {r['mission']} for {r['month']:%Y-%m} "
        f"already appears on line {first}."
    )


def _read_un(rows: Iterator[tuple[int, dict[str, str]]], col: dict[str, str], out: SourceRows) -> None:
    seen: dict[tuple[str, Any, str, str], int] = {}
    for line, row in rows:
        out.rows_read += 1
        if "__error__" in row:
            out.reject(line, f"Line {line} {row['__error__']}.")
            continue
        try:
            record = _un_row(row, col)
        except ValueError as exc:
            out.reject(line, f"Line {line}: {exc}.")
            continue
        key = (record["mission"], record["month"], record["contributor_iso3"], record["personnel_type"])
        if key in seen:
            out.reject(line, _un_repeated(line, record, seen[key]))
            continue
        seen[key] = line
        del record["type_text"]
        out.records.append((line, record))


def _un_columns(columns: Columns, col: dict[str, str], out: SourceRows) -> pa.Table:
    day, easy = per_value(
        columns.column(col["last_reporting_date"]), lambda v: _day(v, "Last_Reporting_Date"), pa.date32()
    )
    iso3, ok = per_value(columns.column(col["isocode3"]), _contributor, pa.string())
    easy &= ok
    mission, ok = per_value(
        columns.column(col["mission_acronym"]), lambda v: _mission(v, "Mission_Acronym"), pa.string()
    )
    easy &= ok
    type_text = columns.column(col["personnel_type"])
    ptype, ok = per_value(type_text, _personnel_type, pa.string())
    easy &= ok
    female, ok = ints(columns.column(col["female_personnel"]), "Female_Personnel")
    easy &= ok
    male, ok = ints(columns.column(col["male_personnel"]), "Male_Personnel")
    easy &= ok
    male, female = pc.fill_null(male, 0), pc.fill_null(female, 0)
    bulk = {
        "mission": mission,
        "month": month_of(day),
        "contributor_iso3": iso3,
        "personnel_type": ptype,
        "male": male,
        "female": female,
        "total": pc.add(male, female),
        "type_text": type_text,
    }
    rows = settle(out, columns, np.asarray(easy), bulk, lambda row: _un_row(row, col))
    rows = drop_repeated(out, rows, ("mission", "month", "contributor_iso3", "personnel_type"), _un_repeated)
    return rows.drop_columns(["type_text"])


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
