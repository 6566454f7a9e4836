"""The peace-process timeline as one Vega-Lite spec: phases, mediator tenures and agreements on one axis."""

from __future__ import annotations

from typing import Any

from peaceops.i18n import _
from peaceops.processes.models import MEDIATOR_KIND_LABELS, PHASE_LABELS
from peaceops.web.charts import chart

PHASE_COLOURS = ["#56B4E9", "#E69F00", "#CC79A7", "#009E73"]  # Okabe-Ito, in phase order
KIND_COLOURS = ["#0072B2", "#D55E00", "#8C8C8C", "#C9B400"]  # UN, regional, state, NGO
CORE_COLOURS = ["#8DBBDD", "#EBA77F", "#C4C4C4", "#E6DA7A"]  # the same hues, lighter, for core-team members


def timeline_chart(lanes: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Bars for phases and tenures (open mandates run to today), diamonds for agreements signed."""
    lane_order = [_("Phase"), *dict.fromkeys(t["lane"] for t in lanes["tenures"]), _("Agreements")]
    y = {"field": "lane", "type": "nominal", "title": None, "scale": {"domain": lane_order},
         "axis": {"labelLimit": 220}}  # fmt: skip
    x = {"field": "start", "type": "temporal", "title": None}
    labels = [_(label) for label in MEDIATOR_KIND_LABELS.values()]
    palette = dict(zip(labels, KIND_COLOURS, strict=True))
    palette.update({_("{kind} · core team").format(kind=k): c for k, c in zip(labels, CORE_COLOURS, strict=True)})
    present = {t["kind"] for t in lanes["tenures"]}
    kinds = [k for k in palette if k in present]  # only the kinds on the chart, in a fixed order and colour
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": lanes["phases"]},
            "mark": {"type": "bar", "cornerRadius": 2, "height": {"band": 0.7}},
            "encoding": {
                "y": y,
                "x": x,
                "x2": {"field": "end"},
                "color": {
                    "field": "label",
                    "type": "nominal",
                    "title": _("Phase"),
                    "scale": {"domain": [_(label) for label in PHASE_LABELS.values()], "range": PHASE_COLOURS},
                    "legend": {"columns": 2},  # two by two: the phases' names fit a phone's width in French too
                },
                "tooltip": [
                    {"field": "label", "title": _("Phase")},
                    {"field": "start", "type": "temporal", "title": _("From"), "format": "%-d %b %Y"},
                    {"field": "end", "type": "temporal", "title": _("Until"), "format": "%-d %b %Y"},
                ],
            },
        },
        {
            "data": {"values": lanes["tenures"]},
            "mark": {"type": "bar", "cornerRadius": 2, "height": {"band": 0.55}},
            "encoding": {
                "y": y,
                "x": x,
                "x2": {"field": "end"},
                "color": {
                    "field": "kind",
                    "type": "nominal",
                    "title": _("Mediator"),
                    "legend": {"labelLimit": 320, "columns": 1},
                    "scale": {"domain": kinds, "range": [palette[k] for k in kinds]},
                },
                "opacity": {"condition": {"test": "datum.open", "value": 0.65}, "value": 1},
                "tooltip": [
                    {"field": "lane", "title": _("Mediator")},
                    {"field": "organisation", "title": _("Organisation")},
                    {"field": "start", "type": "temporal", "title": _("Appointed"), "format": "%-d %b %Y"},
                    {"field": "end", "type": "temporal", "title": _("Until"), "format": "%-d %b %Y"},
                ],
            },
        },
    ]
    if lanes["agreements"]:
        layers.append(
            {
                "data": {"values": lanes["agreements"]},
                "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 140, "color": "#1b232c"},
                "encoding": {
                    "y": y,
                    "x": {"field": "date", "type": "temporal"},
                    "tooltip": [
                        {"field": "title", "title": _("Agreement")},
                        {"field": "date", "type": "temporal", "title": _("Signed"), "format": "%-d %b %Y"},
                        {"field": "stage", "title": _("Stage")},
                    ],
                },
            }
        )
    height = max(120, 34 * len(lane_order))
    return chart(
        _(
            "Timeline of the peace process: its phases, each mediator's time in office (lighter while still in "
            "office) and the agreements signed, on one time axis."
        ),
        height,
        layer=layers,
        resolve={"scale": {"color": "independent"}},
    )
