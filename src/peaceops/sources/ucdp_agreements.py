"""Reader for the UCDP Peace Agreement Dataset (v22.1: 374 agreements 1975-2021, 68 columns).

One row per agreement (``paid``), with its conflict, signatories, type (``pa_type`` 1 full, 2 partial,
3 process) and 0/1 provision flags. Two column names end with a space in the published file
(``ref ``, ``return ``); headers are stripped, so they read as ``ref`` and ``return``.
Citation: Pettersson, Högbladh & Öberg 2019, JPR 56(4). Licence CC BY 4.0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peaceops.geography.codes import iso3_from_gw
from peaceops.sources.pax import open_csv
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import NULLS, collect_rows, parse_date, parse_int, require_columns

SOURCE = "ucdp-peace-agreements"
LAYOUT = "UCDP Peace Agreement Dataset (v19-v22 layout)"
FLAGS = (
    "cease",
    "intarmy",
    "ddr",
    "withd",
    "pp",
    "intgov",
    "intciv",
    "elections",
    "interim",
    "natalks",
    "shagov",
    "aut",
    "fed",
    "ind",
    "ref",
    "shaloc",
    "regdev",
    "cul",
    "demarcation",
    "locgov",
    "amn",
    "pris",
    "recon",
    "return",
    "pko",
    "gender",
)
COLUMNS = ("paid", "region", "gwno", "conflict_id", "conflict_name", "pa_name", "year", "pa_date", "pa_type", *FLAGS)


def read_ucdp_agreements(path: Path) -> SourceRows:
    """Read one UCDP Peace Agreement Dataset CSV into agreement records with their flags."""
    digest, header, rows = open_csv(path)
    require_columns(header, COLUMNS, path.name, "UCDP Peace Agreement Dataset")
    out = SourceRows(SOURCE, str(path), digest, LAYOUT)
    return collect_rows(out, rows, _agreement, "paid", "paid")


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return None if value in NULLS else value


def _agreement(row: dict[str, str]) -> dict[str, Any]:
    paid = parse_int(row["paid"], "paid")
    if paid is None:
        raise ValueError("paid (the UCDP agreement id) is empty")
    title = _text(row["pa_name"])
    if not title:
        raise ValueError(f"agreement {paid} has no name (pa_name is empty)")
    signed = parse_date(row["pa_date"], "pa_date")
    year = parse_int(row["year"], "year")
    if signed is not None and year is not None and signed.year != year:
        raise ValueError(f"pa_date {signed} is not in year {year}")
    pa_type = row["pa_type"].strip()
    if pa_type not in ("1", "2", "3"):
        raise ValueError(f"pa_type {pa_type!r} is not 1 (full), 2 (partial) or 3 (process)")
    flags = {}
    for flag in FLAGS:
        value = row[flag].strip()
        if value in NULLS or value == "0":
            continue
        if value != "1":
            raise ValueError(f"provision flag {flag} is {value!r}, not 0 or 1")
        flags[flag] = 1
    countries = []
    for part in row["gwno"].split(","):
        gw = parse_int(part.strip(), "gwno")
        iso3 = iso3_from_gw(gw) if gw is not None else None
        if iso3 and iso3 not in countries:
            countries.append(iso3)
    return {
        "paid": paid,
        "title": title,
        "signed_on": signed,
        "region": row["region"].strip().split(",")[0].strip() or None,
        "countries": countries,
        "conflict": _text(row["conflict_name"]),
        "ucdp_conflict": _text(row["conflict_id"]),
        "parties": _text(row.get("pa_sign")) or _text(row.get("actor_name")),
        "third_parties": _text(row.get("pa_3rd")),
        "comment": _text(row.get("pa_comment")),
        "url": _text(row.get("linktofulltextagreement")),
        "pa_type": pa_type,
        "flags": flags,
    }
