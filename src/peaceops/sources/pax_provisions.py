"""Reader for PA-X provision texts (``pax_provisions_mapped_to_constitutions.csv``).

One row per numbered provision of an agreement (``AgtId``, ``provision_no``, ``provision_text``), as
published with their links to constitution sections. The set covers 418 agreements, not all of PA-X.
Licence CC BY-NC-SA 4.0 with PA-X's terms of use: read from the user's download, never shipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peaceops.sources.pax import open_csv
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import collect_rows, parse_int, require_columns

SOURCE = "pax-provisions"
LAYOUT = "PA-X provision texts"
COLUMNS = ("AgtId", "provision_no", "provision_text")


def read_pax_provisions(path: Path) -> SourceRows:
    """Read provision texts; a line without agreement id, number or text is rejected with the reason."""
    digest, header, rows = open_csv(path)
    require_columns(header, COLUMNS, path.name, "PA-X provision texts")
    out = SourceRows(SOURCE, str(path), digest, LAYOUT)
    return collect_rows(out, rows, _provision, "ref", "provision")


def _provision(row: dict[str, str]) -> dict[str, Any]:
    pax_id = parse_int(row["AgtId"], "AgtId")
    if pax_id is None:
        raise ValueError("AgtId (the PA-X agreement id) is empty")
    number = parse_int(row["provision_no"], "provision_no")
    if number is None:
        raise ValueError("provision_no is empty")
    text = " ".join(row["provision_text"].split())
    if not text:
        raise ValueError(f"provision {number} of agreement {pax_id} has no text")
    return {"ref": f"{pax_id}/{number}", "pax_id": pax_id, "number": number, "text": text}
