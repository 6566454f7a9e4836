"""The world map of missions: Natural Earth countries (served by the app) with one mark per mission."""

from __future__ import annotations

from typing import Any

from peaceops.web.charts import chart
from peaceops.web.templating import mission_url

ESTIMATED = "Host country centre (HQ position unknown)"


def mission_map(points: list[dict[str, Any]], topojson_url: str) -> dict[str, Any]:
    """World map (Equal Earth) with one mark per deployed mission, sized by its personnel; marks link."""
    values = [
        {
            **p,
            "url": mission_url(p["acronym"]),
            "position": ESTIMATED if p["position_estimated"] else "Mission headquarters",
            "aria": f"{p['acronym']}: {p['total']:,} uniformed personnel ({p['host_country'] or 'host unknown'})",
        }
        for p in points
    ]
    return chart(
        f"World map of {len(values)} UN peace operations with uniformed personnel, sized by personnel.",
        "container",  # the slot's CSS aspect ratio sets the height, so narrow screens get a short map
        projection={"type": "equalEarth"},
        layer=[
            {
                "data": {"url": topojson_url, "format": {"type": "topojson", "feature": "countries"}},
                "transform": [{"filter": "datum.id !== '010'"}],  # Antarctica: no missions, much space
                "mark": {"type": "geoshape", "fill": "#dfe4ea", "stroke": "#ffffff", "strokeWidth": 0.6},
            },
            {
                "data": {"values": values},
                "mark": {
                    "type": "point",
                    "filled": True,
                    "opacity": 0.8,
                    "stroke": "#ffffff",
                    "strokeWidth": 1,
                    "cursor": "pointer",
                },
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "size": {
                        "field": "total",
                        "type": "quantitative",
                        "scale": {"range": [40, 1400]},
                        "legend": {
                            "title": "Uniformed personnel",
                            "format": ",d",
                            "orient": "bottom",
                            "direction": "horizontal",
                            "values": [1000, 5000, 15000],
                            "symbolFillColor": "#0a6ebd",
                            "symbolStrokeColor": "#ffffff",
                            "symbolOpacity": 0.8,
                        },
                    },
                    "shape": {
                        "field": "position",
                        "type": "nominal",
                        "scale": {"domain": ["Mission headquarters", ESTIMATED], "range": ["circle", "diamond"]},
                        "legend": None,  # only a rare fallback; the caption explains the diamond
                    },
                    "color": {"value": "#0a6ebd"},
                    "href": {"field": "url"},
                    "description": {"field": "aria"},
                    "tooltip": [
                        {"field": "acronym", "title": "Mission"},
                        {"field": "name", "title": "Name"},
                        {"field": "host_country", "title": "Host country"},
                        {"field": "total", "title": "Uniformed personnel", "format": ","},
                        {"field": "position", "title": "Position"},
                    ],
                },
            },
        ],
    )
