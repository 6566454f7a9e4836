"""Vega-Lite specs for mission performance pages, in the house style of ``web.charts``."""

from __future__ import annotations

from typing import Any

from peaceops.i18n import _
from peaceops.performance.shapes import IndicatorDefinition, TargetPoint, TrendCell, ValuePoint
from peaceops.web.charts import chart, count_axis, period_axis

VALUE_COLOUR = "#0072B2"
TARGET_COLOUR = "#D55E00"


def indicator_chart(
    indicator: IndicatorDefinition, values: list[ValuePoint], targets: list[TargetPoint]
) -> dict[str, Any]:
    """An indicator's values over time (line and points) with its targets as dashed segments over their periods."""
    unit = {"percent": " (%)", "per_1000": " (per 1,000 deployed)"}.get(indicator.unit, "")
    title = indicator.name + unit
    starts = [v.period_start for v in values] + [t.period_start for t in targets]
    ends = starts + [t.period_end for t in targets]
    x_axis = period_axis(min(starts), max(ends)) if starts else period_axis("", "")
    y_axis = count_axis() if indicator.unit == "count" else {}
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": [{"start": v.period_start, "value": v.value, "period": v.period} for v in values]},
            "mark": {"type": "line", "point": {"size": 18}, "color": VALUE_COLOUR, "interpolate": "linear"},
            "encoding": {
                "x": {"field": "start", "type": "temporal", "title": None, "axis": x_axis},
                "y": {"field": "value", "type": "quantitative", "title": title, "axis": y_axis},
                "tooltip": [
                    {"field": "period", "title": "Period"},
                    {"field": "value", "title": "Value", "format": ",.2f"},
                ],
            },
        }
    ]
    totals = [t for t in targets if t.disaggregation == ""]
    if totals:
        layers.append(
            {
                "data": {
                    "values": [
                        {"start": t.period_start, "end": t.period_end, "target": t.value, "period": t.period}
                        for t in totals
                    ]
                },
                "mark": {"type": "rule", "color": TARGET_COLOUR, "strokeDash": [6, 3], "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "start", "type": "temporal"},
                    "x2": {"field": "end"},
                    "y": {"field": "target", "type": "quantitative"},
                    "tooltip": [{"field": "period", "title": "Target for"}, {"field": "target", "title": "Target"}],
                },
            }
        )
    description = f"Line chart of {indicator.name} per {indicator.frequency}" + (
        ", with dashed target segments" if totals else ""
    )
    return chart(description, 260, layer=layers)


RATING_ORDER = ["on_track", "at_risk", "off_track", "no_data"]
RATING_COLOURS = ["#2e8b57", "#e0a100", "#c0392b", "#b8c0c8"]


def scorecard_trend_chart(trend: list[TrendCell], labels: dict[str, str]) -> dict[str, Any]:
    """Month x priority/theme rectangles coloured by the pooled rating across missions."""
    return chart(
        _("Heatmap: months across, A4P+ priorities and themes down, colour is the pooled rating across missions"),
        22 * len({t.element for t in trend}),
        data={
            "values": [
                {
                    **t.model_dump(),
                    "label": f"{t.element.replace('A4P+.', '')} {_(t.title)}"[:48],
                    "rating_label": labels[t.rating],
                }
                for t in trend
            ]
        },
        mark={"type": "rect", "stroke": "#fff", "strokeWidth": 1},
        encoding={
            "x": {"field": "period", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}},
            "y": {"field": "label", "type": "nominal", "title": None, "sort": {"field": "element"}},
            "color": {
                "field": "rating_label",
                "type": "nominal",
                "title": _("Pooled rating"),
                "scale": {"domain": [labels[r] for r in RATING_ORDER], "range": RATING_COLOURS},
            },
            "tooltip": [
                {"field": "period", "title": _("Month")},
                {"field": "title", "title": _("Priority or theme")},
                {"field": "rating_label", "title": _("Pooled rating")},
                {"field": "on_track", "title": _("Missions on track")},
                {"field": "missions", "title": _("Missions")},
            ],
        },
    )
