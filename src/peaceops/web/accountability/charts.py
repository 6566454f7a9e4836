"""Vega-Lite specs for the Safety, Conduct and country pages, built from the accountability domains' rows
(their typed shapes, or dicts: a chart's data values are the rows as plain dicts).

They share the frame, fonts and the Okabe-Ito palette of ``charts``; every spec carries a description
that becomes the chart's accessible label.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from peaceops.i18n import N_, _
from peaceops.personnel.categories import PERSONNEL_LABELS
from peaceops.web import charts
from peaceops.web.charts import chart, count_axis

CATEGORY_COLOURS = {"Military": "#0072B2", "Police": "#009E73", "Civilian": "#E69F00", "Several": "#8C8C8C"}
OUTCOME_COLOURS = {
    "Substantiated": "#D55E00",
    "Pending": "#E69F00",
    "Unsubstantiated": "#56B4E9",
    "Incomplete": "#CC79A7",
    "N/A": "#C8C8C8",
}
TYPE_COLOURS = ["#0072B2", "#56B4E9", "#009E73", "#E69F00", "#CC79A7"]
RATE_COLOURS = {N_("All causes"): "#0072B2", N_("Malicious acts"): "#D55E00"}
Rows = Sequence[Mapping[str, Any] | BaseModel]


def _plain(rows: Rows) -> list[dict[str, Any]]:
    """The rows as plain dicts, the form a chart's data values take."""
    return [row.model_dump() if isinstance(row, BaseModel) else dict(row) for row in rows]


def _month_axis(first: str, last: str) -> dict[str, Any]:
    """Whole-year ticks on a monthly axis, about a dozen of them."""
    step = max(1, math.ceil((int(last[:4]) - int(first[:4])) / 12))
    return {"format": "%Y", "tickCount": {"interval": "year", "step": step}, "labelOverlap": "greedy"}


def _year_x(years: list[int]) -> dict[str, Any]:
    """An ordinal year axis with a slot for every year in the span, so years without events show as gaps."""
    domain = list(range(min(years), max(years) + 1)) if years else []
    return {
        "field": "year",
        "type": "ordinal",
        "title": None,
        "scale": {"domain": domain},
        "axis": {"labelAngle": 0, "labelOverlap": "greedy", "labelSeparation": 6, "ticks": False},
    }


def fatalities_by_year_chart(rows: Rows, scope: str) -> dict[str, Any]:
    """Deaths per year by type of incident: the mission page's chart, described for this page's scope."""
    rows = _plain(rows)
    spec = charts.fatalities_chart(rows)
    spec["description"] = _("Fatalities per year {scope}, stacked by type of incident.").format(scope=scope)
    return spec


def _stacked_bars(
    description: str, rows: list[dict[str, Any]], field: str, colours: dict[str, str], y_title: str, field_title: str
) -> dict[str, Any]:
    """Bars per year stacked by ``field``, whose values (the table's English words) show in the current language."""
    present = [k for k in colours if any(r[field] == k for r in rows)]
    order = [_(k) for k in present]
    rows = [{**r, field: _(r[field])} for r in rows]
    return chart(
        description,
        260,
        data={"values": rows},
        transform=[{"calculate": f"indexof({order!r}, datum.{field})", "as": "order"}],
        mark={"type": "bar"},
        encoding={
            "x": _year_x([r["year"] for r in rows]),
            "y": {"field": "count", "type": "quantitative", "stack": "zero", "title": y_title, "axis": count_axis()},
            "color": {
                "field": field,
                "type": "nominal",
                "title": None,
                "scale": {"domain": order, "range": [colours[k] for k in present]},
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "year", "title": _("Year reported")},
                {"field": field, "title": field_title},
                {"field": "count", "title": y_title},
            ],
        },
    )


def fatality_rate_chart(trend: Rows) -> dict[str, Any]:
    """Uniformed deaths per 1,000 uniformed personnel-years, all causes and malicious acts, by year."""
    trend = _plain(trend)
    values = []
    for row in trend:
        if row["per_1000"] is None:
            continue
        for label, key in (("All causes", "per_1000"), ("Malicious acts", "malicious_per_1000")):
            values.append(
                {"year": row["year"], "series": _(label), "rate": row[key], "exposure": row["personnel_years"]}
            )
    return chart(
        _(
            "Uniformed fatalities per 1,000 uniformed personnel-years, all causes and malicious acts, for the years "
            "with monthly strength data."
        ),
        260,
        data={"values": values},
        mark={"type": "line", "point": True, "strokeWidth": 2},
        encoding={
            "x": _year_x([v["year"] for v in values]),
            "y": {"field": "rate", "type": "quantitative", "title": _("Per 1,000 personnel-years")},
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": [_(k) for k in RATE_COLOURS], "range": list(RATE_COLOURS.values())},
            },
            "tooltip": [
                {"field": "year", "title": _("Year")},
                {"field": "series", "title": _("Deaths")},
                {"field": "rate", "title": _("Per 1,000"), "format": ".2f"},
                {"field": "exposure", "title": _("Personnel-years"), "format": ",.0f"},
            ],
        },
    )


def malicious_chart(trend: Rows) -> dict[str, Any]:
    """Deaths by malicious acts per year (bars), every year on record."""
    trend = _plain(trend)
    values = [r for r in trend if r["fatalities"]]
    return chart(
        _("Deaths by malicious acts per year, among all personnel in the UN fatalities list."),
        240,
        data={"values": values},
        mark={"type": "bar", "color": "#D55E00"},
        encoding={
            "x": _year_x([r["year"] for r in values]),
            "y": {
                "field": "malicious",
                "type": "quantitative",
                "title": _("Deaths by malicious acts"),
                "axis": count_axis(),
            },
            "tooltip": [
                {"field": "year", "title": _("Year")},
                {"field": "malicious", "title": _("Malicious acts")},
                {"field": "fatalities", "title": _("All deaths")},
                {"field": "malicious_share", "title": _("Share"), "format": ".0%"},
            ],
        },
    )


def comparison_chart(rows: Rows, limit: int = 20) -> dict[str, Any]:
    """The missions with the highest rates, with their 95% intervals as whiskers."""
    rows = _plain(rows)
    values = [
        {
            **{k: r[k] for k in ("mission", "per_1000", "malicious_per_1000", "personnel_years", "fatalities")},
            "low": r["per_1000_interval"][0],
            "high": r["per_1000_interval"][1],
        }
        for r in rows[:limit]
    ]
    y = {"field": "mission", "type": "nominal", "sort": None, "title": None}
    tooltip = [
        {"field": "mission", "title": _("Mission")},
        {"field": "per_1000", "title": _("Per 1,000 personnel-years"), "format": ".2f"},
        {"field": "low", "title": _("95% interval from"), "format": ".2f"},
        {"field": "high", "title": _("95% interval to"), "format": ".2f"},
        {"field": "malicious_per_1000", "title": _("Malicious acts per 1,000"), "format": ".2f"},
        {"field": "fatalities", "title": _("Uniformed deaths")},
        {"field": "personnel_years", "title": _("Personnel-years"), "format": ",.0f"},
    ]
    return chart(
        _("Uniformed fatalities per 1,000 uniformed personnel-years by mission, highest first, with 95% intervals."),
        max(200, 22 * len(values)),
        data={"values": values},
        encoding={"y": y},
        layer=[
            {
                "mark": {"type": "rule", "color": "#5b6670"},
                "encoding": {
                    "x": {"field": "low", "type": "quantitative", "title": _("Per 1,000 personnel-years")},
                    "x2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 70, "color": "#0072B2"},
                "encoding": {"x": {"field": "per_1000", "type": "quantitative"}, "tooltip": tooltip},
            },
        ],
    )


def horizontal_bars(
    description: str,
    rows: Rows,
    label: str,
    value: str,
    title: str,
    colour: str = "#0072B2",
    label_title: str | None = None,
    words: bool = False,
) -> dict[str, Any]:
    """One bar per row. The labels are names (missions, countries) shown as they are, or (``words``) the
    English words of a source's closed list (types of incident), shown in the current language."""
    rows = [{**r, label: _(r[label])} for r in _plain(rows)] if words else _plain(rows)
    return chart(
        description,
        max(140, 24 * len(rows)),
        data={"values": rows},
        mark={"type": "bar", "color": colour},
        encoding={
            "y": {"field": label, "type": "nominal", "sort": "-x", "title": None, "axis": {"labelLimit": 220}},
            "x": {"field": value, "type": "quantitative", "title": title, "axis": count_axis()},
            "tooltip": [
                {"field": label, "title": label_title or _("Group")},
                {"field": value, "title": title},
            ],
        },
    )


def allegations_by_year_chart(rows: Rows, scope: str) -> dict[str, Any]:
    rows = _plain(rows)
    return _stacked_bars(
        _("Allegations of sexual exploitation and abuse per year reported {scope}, by category of personnel.").format(
            scope=scope
        ),
        rows,
        "personnel_category",
        CATEGORY_COLOURS,
        _("Allegations"),
        _("Category of personnel"),
    )


def outcomes_chart(rows: Rows) -> dict[str, Any]:
    rows = _plain(rows)
    return _stacked_bars(
        _("Allegations per year reported, by outcome of the investigation so far."),
        rows,
        "outcome",
        OUTCOME_COLOURS,
        _("Allegations"),
        _("Outcome"),
    )


def timeliness_chart(rows: Rows, prompt_days: int) -> dict[str, Any]:
    """Median days to a completed investigation per year reported, the middle half as a band."""
    rows = _plain(rows)
    values = [r for r in rows if r["median_days"] is not None]
    x = _year_x([r["year"] for r in values])
    return chart(
        _(
            "Days from report to completed investigation by year reported: median line, middle half of "
            "investigations as a band, and the {days}-day mark."
        ).format(days=prompt_days),
        260,
        layer=[
            {
                "data": {"values": values},
                "mark": {"type": "bar", "color": "#56B4E9", "opacity": 0.45, "width": {"band": 0.6}},
                "encoding": {
                    "x": x,
                    "y": {"field": "p25_days", "type": "quantitative", "title": _("Days to complete")},
                    "y2": {"field": "p75_days"},
                },
            },
            {
                "data": {"values": values},
                "mark": {"type": "line", "point": True, "color": "#0072B2", "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": {"field": "median_days", "type": "quantitative"},
                    "tooltip": [
                        {"field": "year", "title": _("Year reported")},
                        {"field": "median_days", "title": _("Median days")},
                        {"field": "p25_days", "title": _("25th percentile")},
                        {"field": "p75_days", "title": _("75th percentile")},
                        {"field": "completed", "title": _("Completed investigations")},
                        {"field": "pending", "title": _("Still pending")},
                    ],
                },
            },
            {
                "data": {"values": [{"days": prompt_days}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#D55E00"},
                "encoding": {"y": {"field": "days", "type": "quantitative"}},
            },
        ],
    )


def personnel_chart(rows: Rows) -> dict[str, Any]:
    """A country's personnel per month, stacked by type."""
    rows = _plain(rows)
    labels = list(PERSONNEL_LABELS.values())
    axis = _month_axis(rows[0]["month"], rows[-1]["month"]) if rows else {}
    return chart(
        _("Uniformed personnel the country deployed per month, all missions together, stacked by type."),
        280,
        data={"values": rows},
        mark={"type": "area", "interpolate": "step-after", "opacity": 0.9},
        encoding={
            "x": {"field": "month", "type": "temporal", "title": None, "axis": axis},
            "y": {
                "field": "total",
                "type": "quantitative",
                "stack": "zero",
                "title": _("Personnel"),
                "axis": {"format": "~s"},
            },
            "color": {
                "field": "label",
                "type": "nominal",
                "title": None,
                "scale": {"domain": labels, "range": TYPE_COLOURS},
                "legend": {"columns": 3},
            },
            "order": {"field": "personnel_type", "type": "nominal"},
            "tooltip": [
                {"field": "month", "type": "temporal", "format": "%B %Y", "title": _("Month")},
                {"field": "label", "title": _("Type")},
                {"field": "total", "title": _("Personnel"), "format": ","},
            ],
        },
    )


def women_share_line(rows: Rows) -> dict[str, Any]:
    rows = _plain(rows)
    axis = _month_axis(rows[0]["month"], rows[-1]["month"]) if rows else {}
    return chart(
        _("Share of women among the country's uniformed personnel, per month."),
        240,
        data={"values": rows},
        mark={"type": "line", "point": {"size": 14}, "color": "#C2185B", "strokeWidth": 2},
        encoding={
            "x": {"field": "month", "type": "temporal", "title": None, "axis": axis},
            "y": {"field": "share", "type": "quantitative", "title": _("Share of women"), "axis": {"format": ".0%"}},
            "tooltip": [
                {"field": "month", "type": "temporal", "format": "%B %Y", "title": _("Month")},
                {"field": "women", "title": _("Women"), "format": ","},
                {"field": "total", "title": _("All personnel"), "format": ","},
                {"field": "share", "title": _("Share"), "format": ".1%"},
            ],
        },
    )
