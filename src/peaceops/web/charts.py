"""Vega-Lite specs built from the domain's plain data; the page embeds them inline, so no fetch is needed.

Colours come from the Okabe-Ito palette, which stays distinguishable for the common colour-vision
deficiencies; each spec carries a ``description`` that becomes the chart's accessible label.
"""

from __future__ import annotations

import json
import math
from typing import Any

from peaceops.i18n import N_, _
from peaceops.personnel.categories import PARITY_LABELS

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier only; never fetched
# Ethiopic faces last so that Amharic labels (narratives, alerts) draw with glyphs, never boxes; as in app.css.
FONT = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', 'Noto Sans Ethiopic', "
    "'Abyssinica SIL', sans-serif"
)
CONFIG: dict[str, Any] = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelColor": "#3b4652", "titleColor": "#1b232c", "gridColor": "#e6e9ee", "labelFontSize": 12},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1b232c", "orient": "top"},
}
# Labels in English here, shown with _(label).
PERSONNEL = [
    ("troops", N_("Troops"), "#0072B2"),
    ("police", N_("Police"), "#009E73"),
    ("observers", N_("Observers"), "#E69F00"),
]
PARITY_COLOURS = ["#0072B2", "#56B4E9", "#009E73", "#CC79A7"]
INCIDENTS = {
    "Malicious Act": "#D55E00",
    "Accident": "#E69F00",
    "Illness": "#56B4E9",
    "Self-Inflicted": "#CC79A7",
    "To Be Determined": "#8C8C8C",
    "Unknown": "#C8C8C8",
}


def _year_axis(first: str, last: str, *, grid: bool = True) -> dict[str, Any]:
    """Ticks on whole years only (never '2012 2012'), every n years so that about a dozen show."""
    span = int(last[:4]) - int(first[:4])
    step = max(1, math.ceil(span / 12))
    return {
        "format": "%Y",
        "tickCount": {"interval": "year", "step": step},
        "labelOverlap": "greedy",
        "labelSeparation": 8,
        "grid": grid,
    }


# An axis of counts (people, incidents, items): whole-number ticks only, never 0.5 of an incident.
COUNT_AXIS: dict[str, Any] = {"format": ",d", "tickMinStep": 1}


def count_axis(**extra: Any) -> dict[str, Any]:
    """The axis of a count field: integer labels at integer steps, with ``extra`` axis properties."""
    return {**COUNT_AXIS, **extra}


def period_axis(first: str, last: str, *, grid: bool = True) -> dict[str, Any]:
    """A time axis that stays readable at any width: whole years over long spans, else "Jan 2024" labels.

    Vega's default month ticks ("April  October  April") carry no year and run together on narrow charts; long
    spans get year ticks, short ones month-and-year labels every n months, and overlapping labels are dropped.
    """
    if not first or not last:
        return {"labelOverlap": "greedy", "labelSeparation": 8, "grid": grid}
    months = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7] or 1) - int(first[5:7] or 1)
    if months > 36:
        return _year_axis(first, last, grid=grid)
    step = max(1, math.ceil(months / 6))
    return {
        "format": "%b %Y",
        "tickCount": {"interval": "month", "step": step},
        "labelOverlap": "greedy",
        "labelSeparation": 8,
        "labelAngle": 0,
        "grid": grid,
    }


def chart(description: str, height: int | str, **spec: Any) -> dict[str, Any]:
    """The frame every spec shares: full container width, house fonts and colours, an accessible label."""
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        "height": height,
        "autosize": {"type": "fit" if height == "container" else "fit-x", "contains": "padding"},
        "config": CONFIG,
        **spec,
    }


def strength_chart(series: list[dict[str, Any]]) -> dict[str, Any]:
    """Stacked areas of troops, police and observers per month, with a hover rule listing the month."""
    domain = [_(label) for _key, label, _colour in PERSONNEL]
    names = ", ".join(f"{key}: {json.dumps(_(label))}" for key, label, _colour in PERSONNEL)
    axis = _year_axis(series[0]["month"], series[-1]["month"]) if series else {}
    x = {"field": "month", "type": "temporal", "title": None, "axis": axis}
    return chart(
        _("Uniformed personnel per month, stacked by type: troops, police and military observers."),
        300,
        data={"values": series},
        encoding={"x": x},
        layer=[
            {
                "transform": [
                    {"fold": [key for key, _label, _colour in PERSONNEL], "as": ["key", "count"]},
                    {
                        "calculate": "{" + names + "}[datum.key]",
                        "as": "type",
                    },
                    {"calculate": "indexof(['troops', 'police', 'observers'], datum.key)", "as": "order"},
                ],
                "mark": {"type": "area", "interpolate": "step-after", "opacity": 0.9},
                "encoding": {
                    "y": {
                        "field": "count",
                        "type": "quantitative",
                        "stack": "zero",
                        "title": _("Uniformed personnel"),
                        "axis": {"format": "~s"},
                    },
                    "color": {
                        "field": "type",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": domain, "range": [c for _key, _label, c in PERSONNEL]},
                    },
                    "order": {"field": "order", "type": "quantitative"},
                },
            },
            {
                "params": [
                    {
                        "name": "hover",
                        "select": {
                            "type": "point",
                            "fields": ["month"],
                            "nearest": True,
                            "on": "pointerover",
                            "clear": "pointerout",
                        },
                    }
                ],
                "mark": {"type": "rule", "color": "#1b232c", "strokeWidth": 6},
                "encoding": {
                    "opacity": {"condition": {"param": "hover", "empty": False, "value": 0.35}, "value": 0},
                    "tooltip": [
                        {"field": "month", "type": "temporal", "format": "%B %Y", "title": _("Month")},
                        *({"field": key, "title": _(label), "format": ","} for key, label, _colour in PERSONNEL),
                        {"field": "total", "title": _("Total"), "format": ","},
                    ],
                },
            },
        ],
    )


def women_share_chart(series: list[dict[str, Any]], targets: list[dict[str, Any]]) -> dict[str, Any]:
    """Monthly share of women per parity category (solid) against the Strategy's targets (dashed)."""
    labels = [_(label) for label in PARITY_LABELS.values()]
    series = [{**row, "label": _(row["label"])} for row in series]
    targets = [{**t, "label": _(t["label"])} for t in targets]
    colour = {
        "field": "label",
        "type": "nominal",
        "title": None,
        "scale": {"domain": labels, "range": PARITY_COLOURS},
        "legend": {"columns": 1, "labelLimit": 300},
    }
    highest = max([row["share"] for row in series] + [t["share"] for t in targets] + [0.1])
    y = {
        "field": "share",
        "type": "quantitative",
        "title": _("Share of women"),
        "axis": {"format": ".0%"},
        "scale": {"domain": [0, min(1.0, math.ceil((highest + 0.02) * 20) / 20)]},
    }
    target_values = [{**t, "date": f"{t['year']}-01-01"} for t in targets]
    end = max(row["month"] for row in series) if series else None
    dates = [row["month"] for row in series] + [t["date"] for t in target_values]
    axis = _year_axis(min(dates), max(dates)) if dates else {}
    x_month = {"field": "month", "type": "temporal", "title": None, "axis": axis}
    x_date = {"field": "date", "type": "temporal", "title": None, "axis": axis}
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": series},
            "mark": {"type": "line", "strokeWidth": 2, "point": {"size": 14}},
            "encoding": {
                "x": x_month,
                "y": y,
                "color": colour,
                "tooltip": [
                    {"field": "month", "type": "temporal", "format": "%B %Y", "title": _("Month")},
                    {"field": "label", "title": _("Category")},
                    {"field": "women", "title": _("Women"), "format": ","},
                    {"field": "total", "title": _("All personnel"), "format": ","},
                    {"field": "share", "title": _("Share of women"), "format": ".1%"},
                ],
            },
        },
        {
            "data": {"values": target_values},
            "mark": {"type": "line", "strokeDash": [6, 4], "strokeWidth": 2, "opacity": 0.9},
            "encoding": {"x": x_date, "y": y, "color": colour},
        },
        {
            "data": {"values": target_values},
            "transform": [{"filter": "datum.milestone"}],
            "mark": {"type": "point", "shape": "diamond", "size": 70, "filled": True},
            "encoding": {
                "x": x_date,
                "y": y,
                "color": colour,
                "tooltip": [
                    {"field": "label", "title": _("Category")},
                    {"field": "year", "title": _("Target year")},
                    {"field": "share", "title": _("Target share of women"), "format": ".0%"},
                ],
            },
        },
    ]
    if end:
        layers.append(
            {
                "data": {"values": [{"date": end, "note": _("gender data ends")}]},
                "layer": [
                    {"mark": {"type": "rule", "strokeDash": [2, 3], "color": "#5b6670"}, "encoding": {"x": x_date}},
                    {
                        "mark": {
                            "type": "text",
                            "align": "left",
                            "baseline": "top",
                            "dx": 4,
                            "y": 4,
                            "color": "#3b4652",
                            "fontSize": 11,
                        },
                        "encoding": {"x": x_date, "text": {"field": "note"}},
                    },
                ],
            }
        )
    return chart(
        _(
            "Share of women among uniformed personnel by gender-parity category, monthly, with the "
            "Uniformed Gender Parity Strategy targets for 2021 to 2028 as dashed lines."
        ),
        320,
        layer=layers,
    )


def contributors_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Horizontal bars of the largest contributing countries, split into women and men."""
    values = []
    women, men = _("Women"), _("Men")
    for row in rows:
        base = {"country": row["country"], "total": row["total"], "share": row["share"]}
        values.append({**base, "gender": women, "count": row["women"]})
        values.append({**base, "gender": men, "count": row["total"] - row["women"]})
    return chart(
        _("Largest contributing countries by uniformed personnel, split into women and men."),
        max(160, 30 * len(rows)),
        data={"values": values},
        mark={"type": "bar"},
        encoding={
            "y": {"field": "country", "type": "nominal", "sort": "-x", "title": None, "axis": {"labelLimit": 200}},
            "x": {
                "field": "count",
                "type": "quantitative",
                "stack": "zero",
                "title": _("Uniformed personnel"),
                "axis": count_axis(),
            },
            "color": {
                "field": "gender",
                "type": "nominal",
                "title": None,
                "scale": {"domain": [men, women], "range": ["#8fb3d3", "#C2185B"]},
            },
            "order": {"field": "gender", "sort": "ascending"},
            "tooltip": [
                {"field": "country", "title": _("Country")},
                {"field": "total", "title": _("Personnel"), "format": ","},
                {"field": "gender", "title": _("Bar segment")},
                {"field": "count", "title": _("In segment"), "format": ","},
                {"field": "share", "title": _("Share of women"), "format": ".1%"},
            ],
        },
    )


def fatalities_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Deaths per year, stacked by type of incident; every year in the span gets a slot, so gaps show. The
    types (the UN list's English words) show in the current language."""
    order = [_(kind) for kind in INCIDENTS]
    years = list(range(rows[0]["year"], rows[-1]["year"] + 1)) if rows else []
    rows = [{**r, "incident_type": _(r["incident_type"])} for r in rows]
    return chart(
        _("Fatalities per year among personnel of the mission, stacked by type of incident."),
        280,
        data={"values": rows},
        transform=[{"calculate": f"indexof({order!r}, datum.incident_type)", "as": "order"}],
        mark={"type": "bar"},
        encoding={
            "x": {
                "field": "year",
                "type": "ordinal",
                "title": None,
                "scale": {"domain": years},
                "axis": {"labelAngle": 0, "labelOverlap": "greedy", "labelSeparation": 6, "ticks": False},
            },
            "y": {
                "field": "count",
                "type": "quantitative",
                "stack": "zero",
                "title": _("Fatalities"),
                "axis": count_axis(),
            },
            "color": {
                "field": "incident_type",
                "type": "nominal",
                "title": None,
                "scale": {"domain": order, "range": list(INCIDENTS.values())},
                "legend": {"columns": 2},
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "year", "title": _("Year")},
                {"field": "incident_type", "title": _("Incident")},
                {"field": "count", "title": _("Fatalities")},
            ],
        },
    )


def fan_chart(observed: list[dict[str, Any]], forecast: list[dict[str, Any]], cutoff: str) -> dict[str, Any]:
    """Observed state-based deaths, then the forecast's 90% and 50% bands and median: the unit page's chart."""
    history = [{"month": r["month"], "deaths": r["state_based"]} for r in observed]
    x = {
        "field": "month",
        "type": "temporal",
        "title": None,
        "axis": _year_axis(observed[0]["month"], forecast[-1]["month"]),
    }
    return chart(
        _("Line chart of monthly state-based deaths, followed by the forecast median with 50% and 90% bands."),
        260,
        layer=[
            {
                "data": {"values": forecast},
                "mark": {"type": "area", "color": "#E69F00", "opacity": 0.25},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "q05",
                        "type": "quantitative",
                        "title": _("State-based deaths"),
                        "axis": count_axis(),
                    },
                    "y2": {"field": "q95"},
                },
            },
            {
                "data": {"values": forecast},
                "mark": {"type": "area", "color": "#E69F00", "opacity": 0.45},
                "encoding": {"x": x, "y": {"field": "q25", "type": "quantitative"}, "y2": {"field": "q75"}},
            },
            {
                "data": {"values": forecast},
                "mark": {"type": "line", "color": "#B35900", "strokeDash": [4, 3], "point": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "q50", "type": "quantitative"},
                    "tooltip": [
                        {"field": "month", "type": "temporal", "format": "%b %Y", "title": _("Month")},
                        {"field": "q50", "title": _("Median"), "format": ",.0f"},
                        {"field": "q05", "title": "5%", "format": ",.0f"},
                        {"field": "q95", "title": "95%", "format": ",.0f"},
                        {"field": "p25", "title": _("P(25+ deaths)"), "format": ".0%"},
                    ],
                },
            },
            {
                "data": {"values": history},
                "mark": {"type": "line", "color": "#0072B2", "interpolate": "step-after"},
                "encoding": {
                    "x": x,
                    "y": {"field": "deaths", "type": "quantitative"},
                    "tooltip": [
                        {"field": "month", "type": "temporal", "format": "%b %Y", "title": _("Month")},
                        {"field": "deaths", "title": _("State-based deaths"), "format": ","},
                    ],
                },
            },
            {
                "data": {"values": [{"month": cutoff}]},
                "mark": {"type": "rule", "color": "#5b6672", "strokeDash": [2, 2]},
                "encoding": {"x": {"field": "month", "type": "temporal"}},
            },
        ],
    )
