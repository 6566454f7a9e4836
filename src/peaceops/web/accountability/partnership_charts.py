"""Vega-Lite specs for the Environment, Pledges and Partnerships pages (same frame and palette as the others)."""

from __future__ import annotations

from typing import Any

from peaceops.i18n import _
from peaceops.web.charts import chart, count_axis

STATUS_COLOURS = {"Delivered": "#009E73", "In progress": "#E69F00", "Announced": "#56B4E9", "Withdrawn": "#C8C8C8"}
MILESTONE_COLOURS = {
    "Done": "#009E73",
    "In progress": "#E69F00",
    "Planned": "#56B4E9",
    "Overdue": "#D55E00",
    "Dropped": "#C8C8C8",
}


def environment_chart(rows: list[dict[str, Any]], label: str) -> dict[str, Any]:
    """One metric per period, a bar per mission, with the period's target as a black tick across the bar."""
    tooltip = [
        {"field": "mission", "title": _("Mission")},
        {"field": "period", "title": _("From"), "type": "temporal", "format": "%d %b %Y"},
        {"field": "period_end", "title": _("To"), "type": "temporal", "format": "%d %b %Y"},
        {"field": "value", "title": _("Figure"), "format": ",.2f"},
        {"field": "target", "title": _("Target"), "format": ",.2f"},
    ]
    x = {
        "field": "period_label",
        "type": "ordinal",
        "title": None,
        "sort": {"field": "period", "op": "min"},
        "axis": {"labelAngle": 0, "labelOverlap": "greedy"},
    }
    return chart(
        _("{metric} per period and mission, bars for the figure and black ticks for the target.").format(metric=label),
        220,
        data={"values": rows},
        encoding={"x": x, "xOffset": {"field": "mission"}, "tooltip": tooltip},
        layer=[
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "y": {"field": "value", "type": "quantitative", "title": label},
                    "color": {"field": "mission", "type": "nominal", "title": None},
                },
            },
            {
                "mark": {"type": "tick", "color": "#000000", "thickness": 3},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            },
        ],
    )


def progress_chart(rows: list[dict[str, Any]], description: str) -> dict[str, Any]:
    """Pledges per group, stacked by status (delivered first); the statuses in the current language."""
    present = [s for s in STATUS_COLOURS if any(r["status"] == s for r in rows)]
    order = [_(s) for s in present]
    rows = [{**r, "status": _(r["status"])} for r in rows]
    return chart(
        description,
        40 + 28 * len({r["label"] for r in rows}),
        data={"values": rows},
        transform=[{"calculate": f"indexof({order!r}, datum.status)", "as": "order"}],
        mark={"type": "bar", "height": {"band": 0.7}},
        encoding={
            "y": {"field": "label", "type": "nominal", "title": None, "sort": "-x", "axis": {"labelLimit": 260}},
            "x": {
                "field": "count",
                "type": "quantitative",
                "stack": "zero",
                "title": _("Pledges"),
                "axis": count_axis(),
            },
            "color": {
                "field": "status",
                "type": "nominal",
                "title": None,
                "scale": {"domain": order, "range": [STATUS_COLOURS[s] for s in present]},
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "label", "title": _("Group")},
                {"field": "status", "title": _("Status")},
                {"field": "count", "title": _("Pledges")},
            ],
        },
    )


def milestones_chart(frameworks: list[dict[str, Any]]) -> dict[str, Any]:
    """Each framework's milestones, stacked by monitored status (overdue apart from the other open ones)."""
    rows = [
        {"framework": f["code"], "status": "Overdue" if m["overdue"] else m["status_label"], "count": 1}
        for f in frameworks
        for m in f["milestones"]
    ]
    present = [s for s in MILESTONE_COLOURS if any(r["status"] == s for r in rows)]
    order = [_(s) for s in present]  # the statuses in the current language
    rows = [{**r, "status": _(r["status"])} for r in rows]
    return chart(
        _("Milestones of each cooperation framework by status; overdue milestones are open and past their due date."),
        40 + 28 * len(frameworks),
        data={"values": rows},
        transform=[{"calculate": f"indexof({order!r}, datum.status)", "as": "order"}],
        mark={"type": "bar", "height": {"band": 0.7}},
        encoding={
            "y": {"field": "framework", "type": "nominal", "title": None},
            "x": {
                "aggregate": "sum",
                "field": "count",
                "type": "quantitative",
                "stack": "zero",
                "title": _("Milestones"),
                "axis": count_axis(),
            },
            "color": {
                "field": "status",
                "type": "nominal",
                "title": None,
                "scale": {"domain": order, "range": [MILESTONE_COLOURS[s] for s in present]},
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "framework", "title": _("Framework")},
                {"field": "status", "title": _("Status")},
                {"aggregate": "sum", "field": "count", "title": _("Milestones")},
            ],
        },
    )
