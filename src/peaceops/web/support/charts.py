"""The delivery chart of the support-office pages (same frame and palette as the others)."""

from __future__ import annotations

from typing import Any

from peaceops.i18n import _
from peaceops.support.shapes import DeliveryOut
from peaceops.support.vocabulary import SERVICES, service_label
from peaceops.web.charts import chart

# Okabe-Ito, one colour per service in the order of support.vocabulary.SERVICES.
COLOURS = ("#0072B2", "#E69F00", "#56B4E9", "#D55E00", "#009E73", "#CC79A7", "#000000")


def delivery_chart(rows: list[DeliveryOut]) -> dict[str, Any]:
    """Delivered over agreed per service and period (periods in the order they end), with 100 % marked."""
    values = [
        {"service": r.service_label, "end": r.period_end.isoformat(), "period": r.period, "rate": r.rate}
        for r in rows
        if r.rate is not None
    ]
    present = {r.service for r in rows if r.rate is not None}
    order = [i for i, code in enumerate(SERVICES) if code in present]
    shown = [code for code in SERVICES if code in present]
    tooltip = [
        {"field": "service", "title": _("Service")},
        {"field": "period", "title": _("Period")},
        {"field": "rate", "title": _("Delivered over agreed"), "format": ".0%"},
    ]
    return chart(
        _("Delivered over agreed per service and period; the line at 100 % is the agreed level."),
        240,
        layer=[
            {
                "data": {"values": values},
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": {
                        "field": "period",
                        "type": "ordinal",
                        "title": None,
                        "sort": {"field": "end", "op": "min"},
                        "axis": {"labelAngle": 0, "labelOverlap": "greedy"},
                    },
                    "y": {
                        "field": "rate",
                        "type": "quantitative",
                        "title": _("Delivered over agreed"),
                        "axis": {"format": "%"},
                        "scale": {"zero": True},
                    },
                    "color": {
                        "field": "service",
                        "type": "nominal",
                        "title": None,
                        # each service keeps its colour in every language and on every operation's page
                        "scale": {"domain": [service_label(c) for c in shown], "range": [COLOURS[i] for i in order]},
                        "legend": {"columns": 2, "labelLimit": 260},  # one row of seven services does not fit a phone
                    },
                    "tooltip": tooltip,
                },
            },  # fmt: skip
            {
                "data": {"values": [{"rate": 1}]},
                "mark": {"type": "rule", "color": "#1b232c", "strokeDash": [4, 3]},
                "encoding": {"y": {"field": "rate", "type": "quantitative"}},
            },
        ],
    )
