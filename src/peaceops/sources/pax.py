"""Reader for PA-X Peace Agreements Database exports (University of Edinburgh), in two layouts:

- the coded export (``pax_all_agreements_data.csv``, PA-X v4: basic information plus 240 provision codes,
  ordinal 0-3 or binary 0/1, ISO dates);
- the metadata export (``pax.csv``, PA-X v10: basic information plus a curated ``description``, stage
  labels and links, dd/mm/yyyy dates, no codes).

Both share the basic columns (``AgtId`` ... ``CowWar``); columns are read by name. Licence CC BY-NC-SA 4.0
with PA-X's terms of use: peaceops reads the user's own download and never ships the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from peaceops.errors import ImportFileError
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import NULLS, collect_rows, csv_rows, parse_date, parse_int, read_text, require_columns

SOURCE = "pax-agreements"
LAYOUT_CODED = "PA-X coded export (v4: basic information and provision codes)"
LAYOUT_METADATA = "PA-X metadata export (v10: basic information and descriptions)"
BASIC = ("Con", "PPName", "Reg", "AgtId", "Agt", "Dat", "Stage", "Part")
LAST_BASIC = "CowWar"  # the coded export's provision codes follow this column
ISO3 = re.compile(r"^[A-Z]{3}$")
MAX_PAID = 100_000
# Code-like fields stored in short columns; anything longer is a shifted or damaged line.
SHORT_FIELDS = {
    "Reg": 64,
    "Agtp": 32,
    "Stage": 16,
    "StageSub": 32,
}  # UCDP peace agreement ids have four digits; a few PA-X cells hold run-together numbers


def open_csv(path: Path) -> tuple[str, list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Digest, header and rows of a CSV file; a header that is not CSV (an unclosed quote) is a file error."""
    text, digest = read_text(path)
    header, rows = csv_rows(text, path.name)
    return digest, header, rows


def detect_layout(header: Sequence[str], name: str) -> str:
    """Which PA-X export a header belongs to; a file that is neither cannot be imported."""
    if "description" in header:
        return LAYOUT_METADATA
    if "Ce" in header and LAST_BASIC in header:
        return LAYOUT_CODED
    raise ImportFileError(
        f"{name} is not a PA-X agreements export: it has neither the provision codes of the coded export "
        f"(Ce, SsrDdr ...) nor the description column of the metadata export (found {', '.join(header[:8])}...)."
    )


def code_columns(header: Sequence[str]) -> list[str]:
    """The provision-code columns of the coded export: every column after ``CowWar``."""
    return list(header[header.index(LAST_BASIC) + 1 :])


def read_pax(path: Path) -> SourceRows:
    """Read one PA-X agreements export into agreement records (with codes for the coded layout)."""
    digest, header, rows = open_csv(path)
    layout = detect_layout(header, path.name)
    require_columns(header, BASIC, path.name, "PA-X agreements")
    codes = code_columns(header) if layout == LAYOUT_CODED else []
    release = "v4" if layout == LAYOUT_CODED else "v10"
    out = SourceRows(SOURCE, str(path), digest, layout)

    def parse(row: dict[str, str]) -> dict[str, Any]:
        record = _agreement(row, release)
        record["codes"] = _codes(row, codes)
        return record

    return collect_rows(out, rows, parse, "pax_id", "AgtId")


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return None if value in NULLS else value


def _paid(value: str) -> int | None:
    """UCDP's ``paid`` as PA-X writes it ("1502", "1502.0"); run-together numbers are not ids."""
    value = value.strip()
    if value in NULLS:
        return None
    try:
        number = int(float(value))
    except ValueError:
        return None
    return number if 0 < number < MAX_PAID else None


def _agreement(row: dict[str, str], release: str) -> dict[str, Any]:
    pax_id = parse_int(row["AgtId"], "AgtId")
    if pax_id is None:
        raise ValueError("AgtId (the PA-X agreement id) is empty")
    title = _text(row["Agt"])
    if not title:
        raise ValueError(f"agreement {pax_id} has no name (Agt is empty)")
    signed = parse_date(row["Dat"].strip(), "Dat")
    pages = row.get("Lgt", "").strip()
    countries = []
    for column in ("Loc1ISO", "Loc2ISO"):
        code = row.get(column, "").strip().upper()
        if ISO3.match(code) and code not in countries:
            countries.append(code)
    process = row.get("PP", "").strip()
    for column, limit in SHORT_FIELDS.items():
        if len(row.get(column, "").strip()) > limit:
            raise ValueError(f"{column} {row[column].strip()[:40]!r} is longer than {limit} characters")
    return {
        "pax_id": pax_id,
        "release": release,
        "title": title,
        "signed_on": signed,
        "country": _text(row["Con"]),
        "region": _text(row["Reg"]),
        "conflict": _text(row["PPName"]),
        "conflict_type": _text(row.get("Contp")),
        "process_id": int(float(process)) if re.fullmatch(r"\d+(\.0+)?", process) else None,
        "ucdp_conflict": _text(row.get("UcdpCon")),
        "ucdp_paid": _paid(row.get("UcdpAgr", "")),
        "agreement_type": _text(row.get("Agtp")),
        "stage": _text(row["Stage"]),
        "stage_sub": _text(row.get("StageSub")),
        "status": _text(row.get("Status")),
        "parties": _text(row["Part"]),
        "third_parties": _text(row.get("ThrdPart")),
        "description": _text(row.get("description")),
        "pages": int(float(pages)) if re.fullmatch(r"\d+(\.0+)?", pages) else None,
        "url": _text(row.get("PAX_Hyperlink")),
        "countries": countries,
    }


def _codes(row: dict[str, str], columns: list[str]) -> dict[str, int]:
    """The non-zero provision codes of one agreement; a value outside 0-3 rejects the line."""
    found: dict[str, int] = {}
    for column in columns:
        raw = row[column]
        if raw == "0" or raw in NULLS:
            continue
        if raw not in ("1", "2", "3"):
            raise ValueError(f"provision code {column} is {raw!r}, not 0, 1, 2 or 3")
        found[column] = int(raw)
    return found


GENERIC_LABELS = {"rhetorical", "anti-discrimination", "substantive", "other", "other."}


def read_pax_dictionary(path: Path) -> list[dict[str, str]]:
    """Category labels from the coded export's ``column_dictionary.csv`` (code, label, family, scale).

    Sub-codes with a generic label ("Rhetorical", "Other") are named after their parent ordinal code, so
    ``GChRhet`` reads "Children/Youth: Rhetorical" wherever it is shown alone.
    """
    _, header, rows = open_csv(path)
    require_columns(header, ("column", "label", "category", "type"), path.name, "PA-X column dictionary")
    categories = []
    parent: tuple[str, str] | None = None
    for _, row in rows:
        if "__error__" in row or row["category"].startswith("Basic information"):
            continue
        code, label = row["column"], row["label"].strip()
        scale = "ordinal" if row["type"].startswith("ordinal") else "binary"
        if scale == "ordinal":
            parent = (code, label)
        elif parent and (code.startswith(parent[0]) or label.lower() in GENERIC_LABELS):
            label = f"{parent[1]}: {label}"
        categories.append({"code": code, "label": label[:200], "family": row["category"], "scale": scale})
    return categories
