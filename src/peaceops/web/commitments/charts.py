"""The implementation chart: per group (all commitments, then the largest categories or parties), the share of
commitments at each status at the end of each year, as stacked areas (the Peace Accords Matrix's curves)."""

from __future__ import annotations

from typing import Any

from peaceops.agreements.categories import category_label
from peaceops.commitments.models import STATUS_LABELS
from peaceops.commitments.shapes import ShareRow
from peaceops.i18n import _
from peaceops.web.charts import chart

# Okabe-Ito: implemented green, under way sky blue, not started orange, disputed vermillion, abandoned grey.
STATUS_COLOURS = {
    "implemented": "#009E73",
    "under_way": "#56B4E9",
    "not_started": "#E69F00",
    "disputed": "#D55E00",
    "abandoned": "#8C8C8C",
    "not_assessed": "#E6E9EE",
}
ORDER = list(STATUS_COLOURS)


def implementation_chart(rows: list[ShareRow], group: str, *, legend: bool = True, height: int = 160) -> dict[str, Any]:
    """One group's curves: years across, the share (0-100%) of its commitments at each status stacked up; the
    statuses and the group's name (a category, "All commitments") in the current language."""
    labels = [_(STATUS_LABELS[s]) for s in ORDER]
    values = [{**r.model_dump(), "status_label": _(r.status_label)} for r in rows if r.group == group]
    years = sorted({r["year"] for r in values})
    several = len(years) > 1
    x: dict[str, Any] = {"field": "year", "title": None}
    if several:
        x |= {
            "type": "quantitative",
            "scale": {"domain": [years[0], years[-1]], "nice": False, "zero": False},
            "axis": {"format": "d", "tickMinStep": 1, "labelOverlap": "greedy", "labelSeparation": 8, "grid": False},
        }
    else:
        x |= {"type": "ordinal", "axis": {"labelAngle": 0}}
    return chart(
        _(
            "{group}: share of commitments implemented, under way, not started, disputed, abandoned or not yet "
            "assessed at the end of each year."
        ).format(group=category_label(group)),
        height,
        data={"values": values},
        transform=[{"calculate": f"indexof({labels!r}, datum.status_label)", "as": "order"}],
        mark={"type": "area", "interpolate": "linear"} if several else {"type": "bar"},
        encoding={
            "x": x,
            "y": {
                "field": "share",
                "type": "quantitative",
                "stack": "zero",
                "title": _("% of commitments"),
                "scale": {"domain": [0, 100]},
                "axis": {"values": [0, 25, 50, 75, 100]},
            },
            "color": {
                "field": "status_label",
                "type": "nominal",
                "title": None,
                "scale": {"domain": labels, "range": list(STATUS_COLOURS.values())},
                "legend": {"columns": 2, "symbolStrokeColor": "#8C8C8C", "symbolStrokeWidth": 0.5, "labelLimit": 140}
                if legend
                else None,
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "year", "title": _("Year")},
                {"field": "status_label", "title": _("Status")},
                {"field": "count", "title": _("Commitments")},
                {"field": "total", "title": _("Of")},
                {"field": "share", "title": _("% of the group")},
            ],
        },
    )
