"""Every stored value of one framework version as CSV or XLSX, with its provenance.

The columns start with those of the data-entry template (``mission``, ``period``, ``indicator_code``, ...,
``value``, ``note``), so an exported file, cut down to entered indicators, can be edited and uploaded again.
Numbers are written exactly (``repr`` of the float), so reading the file back gives the stored values.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.missions.models import Mission
from peaceops.performance.models import Indicator, IndicatorTarget, IndicatorValue, ResultsFramework
from peaceops.performance.periods import Period

EXPORT_COLUMNS = [
    "mission",
    "version",
    "period",
    "indicator_code",
    "indicator",
    "kind",
    "unit",
    "disaggregation",
    "value",
    "numerator",
    "denominator",
    "target",
    "source",
    "entered_by",
    "entered_at",
    "revision",
    "note",
]


def _number(x: float | None) -> str | int | float:
    if x is None:
        return ""
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def export_rows(session: Session, framework: ResultsFramework, period: Period | None = None) -> list[dict[str, Any]]:
    """The framework's values (all periods, or those inside ``period``) in indicator, period, breakdown order."""
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    query = (
        select(Indicator, IndicatorValue, IndicatorTarget.value)
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .outerjoin(
            IndicatorTarget,
            (IndicatorTarget.indicator_id == Indicator.id)
            & (IndicatorTarget.period == IndicatorValue.period)
            & (IndicatorTarget.disaggregation == IndicatorValue.disaggregation),
        )
        .where(Indicator.framework_id == framework.id)
        .order_by(Indicator.position, IndicatorValue.period_start, IndicatorValue.period, IndicatorValue.disaggregation)
    )
    if period is not None:
        query = query.where(IndicatorValue.period_start >= period.start, IndicatorValue.period_end <= period.end)
    return [
        {
            "mission": mission.acronym,
            "version": framework.version,
            "period": v.period,
            "indicator_code": i.code,
            "indicator": i.name,
            "kind": i.kind,
            "unit": i.unit,
            "disaggregation": v.disaggregation,
            "value": _number(v.value),
            "numerator": _number(v.numerator),
            "denominator": _number(v.denominator),
            "target": _number(target),
            "source": v.source,
            "entered_by": v.entered_by,
            "entered_at": v.entered_at.isoformat(timespec="seconds"),
            "revision": v.revision,
            "note": v.note or "",
        }
        for i, v, target in session.execute(query)
    ]


def export_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: repr(v) if isinstance(v, float) else v for k, v in row.items()})
    return out.getvalue()


def export_xlsx(rows: list[dict[str, Any]], title: str) -> bytes:
    """A workbook with a ``values`` sheet (written in streaming mode: a framework can hold 100,000 values)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("values")
    sheet.freeze_panes = "A2"
    header = []
    for name in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([row[c] if row[c] != "" else None for c in EXPORT_COLUMNS])
    about = book.create_sheet("about")
    about.append([title])
    about.append(["One row per stored value; 'target' is the target set for the same period and breakdown."])
    about.append(["Rows of entered indicators can be edited and uploaded on the data-entry page of their period."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
