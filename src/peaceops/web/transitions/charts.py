"""The drawdown chart: the IPI monthly totals of uniformed personnel beside the plan's ceilings and the
strengths the mission reports (Vega-Lite, built from the domain's plain data like ``web.charts``)."""

from __future__ import annotations

from typing import Any

from peaceops.i18n import _
from peaceops.transitions.shapes import DrawdownStepOut
from peaceops.web.charts import chart, count_axis, period_axis

COLOURS = {"ipi": "#0072B2", "ceiling": "#D55E00", "reported": "#009E73"}


def drawdown_chart(
    series: list[dict[str, Any]], steps: list[DrawdownStepOut], categories: dict[str, str]
) -> dict[str, Any]:
    """A line per personnel category of the IPI totals, a square per planned ceiling, a dot per reported strength."""
    shown = {s.category for s in steps}
    names = {"ipi": _("IPI monthly totals"), "ceiling": _("Planned ceiling"), "reported": _("Reported by the mission")}
    values = [
        {"day": r["month"], "value": r["strength"], "series": names["ipi"], "category": categories[r["category"]]}
        for r in series
        if r["category"] in shown
    ]
    for s in steps:
        values.append({"day": s.planned_date.isoformat(), "value": s.planned_ceiling, "series": names["ceiling"],
                       "category": categories[s.category], "step": s.step})  # fmt: skip
        if s.actual_strength is not None and s.actual_date is not None:
            values.append({"day": s.actual_date.isoformat(), "value": s.actual_strength, "series": names["reported"],
                           "category": categories[s.category], "step": s.step})  # fmt: skip
    days = sorted(v["day"] for v in values)
    x = {"field": "day", "type": "temporal", "title": None,
         "axis": period_axis(days[0][:7], days[-1][:7]) if days else {}}  # fmt: skip
    y = {"field": "value", "type": "quantitative", "title": _("Uniformed personnel"), "axis": count_axis()}
    # A vertical legend under the chart: three labels side by side do not fit a 420 px screen.
    colour = {"field": "series", "type": "nominal", "title": None,
              "scale": {"domain": list(names.values()), "range": list(COLOURS.values())},
              "legend": {"orient": "bottom", "direction": "vertical"}}  # fmt: skip
    tooltip = [
        {"field": "day", "type": "temporal", "format": "%d %b %Y", "title": _("Date")},
        {"field": "series", "title": _("Figure")},
        {"field": "category", "title": _("Category")},
        {"field": "value", "format": ",", "title": _("Personnel")},
    ]
    return chart(
        _("Uniformed personnel per month in the IPI totals, with the drawdown plan's ceilings and the strengths the "
          "mission reports."),
        260,
        data={"values": values},
        encoding={"x": x, "y": y, "color": colour, "tooltip": tooltip},
        layer=[
            {"transform": [{"filter": {"field": "series", "equal": names["ipi"]}}],
             "mark": {"type": "line", "interpolate": "linear"}, "encoding": {"detail": {"field": "category"}}},
            {"transform": [{"filter": {"field": "series", "equal": names["ceiling"]}}],
             "mark": {"type": "point", "shape": "square", "filled": True, "size": 90}},
            {"transform": [{"filter": {"field": "series", "equal": names["reported"]}}],
             "mark": {"type": "point", "filled": True, "size": 70}},
        ],
    )  # fmt: skip
