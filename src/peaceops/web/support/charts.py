"""The delivery chart of the support-office pages (same frame and palette as the others)."""

from __future__ import annotations

from typing import Any

from peaceops.i18n import _
from peaceops.support.shapes import DeliveryOut
from peaceops.web.charts import chart

# Okabe-Ito, one colour per service in the order of support.vocabulary.SERVICES.
COLOURS = ("#0072B2", "#E69F00", "#56B4E9", "#D55E00", "#009E73", "#CC79A7", "#000000")


def delivery_chart(rows: list[DeliveryOut]) -> dict[str, Any]:
    """Delivered over agreed per service and period (a point at the period's last day), with 100 % marked."""
    values = [
        {"service": r.service_label, "end": r.period_end.isoformat(), "period": r.period, "rate": r.rate}
        for r in rows
        if r.rate is not None
    ]
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
                        "field": "end",
                        "type": "temporal",
                        "title": None,
                        "axis": {"format": "%b %Y", "labelAngle": 0, "labelOverlap": "greedy"},
                    },
                    "y": {
                        "field": "rate",
                        "type": "quantitative",
                        "title": _("Delivered over agreed"),
                        "axis": {"format": "%"},
                        "scale": {"zero": True},
                    },
                    "color": {"field": "service", "type": "nominal", "title": None, "scale": {"range": list(COLOURS)}},
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
