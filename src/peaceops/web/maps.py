"""The world map of missions: Natural Earth countries (served by the app) with one mark per mission."""

from __future__ import annotations

import json
from typing import Any

from peaceops.i18n import N_, _, _n, format_number
from peaceops.reports.filters import mission_url
from peaceops.web.charts import chart

ESTIMATED = N_("Host country centre (HQ position unknown)")


def mission_map(points: list[dict[str, Any]], topojson_url: str) -> dict[str, Any]:
    """World map (Equal Earth) with one mark per deployed mission, sized by its personnel; marks link."""
    estimated, headquarters = _(ESTIMATED), _("Mission headquarters")
    values = [
        {
            **p,
            "url": mission_url(p["acronym"]),
            "position": estimated if p["position_estimated"] else headquarters,
            "aria": _("{mission}: {total} uniformed personnel ({host})").format(
                mission=p["acronym"], total=format_number(p["total"]), host=p["host_country"] or _("host unknown")
            ),
        }
        for p in points
    ]
    return chart(
        _n(
            "World map of {count} UN peace operation with uniformed personnel, sized by personnel.",
            "World map of {count} UN peace operations with uniformed personnel, sized by personnel.",
            len(values),
        ).format(count=len(values)),
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
                            "title": _("Uniformed personnel"),
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
                        "scale": {"domain": [headquarters, estimated], "range": ["circle", "diamond"]},
                        "legend": None,  # only a rare fallback; the caption explains the diamond
                    },
                    "color": {"value": "#0a6ebd"},
                    "href": {"field": "url"},
                    "description": {"field": "aria"},
                    "tooltip": [
                        {"field": "acronym", "title": _("Mission")},
                        {"field": "name", "title": _("Name")},
                        {"field": "host_country", "title": _("Host country")},
                        {"field": "total", "title": _("Uniformed personnel"), "format": ","},
                        {"field": "position", "title": _("Position")},
                    ],
                },
            },
        ],
    )


RISK_SCALE = {"scheme": "orangered", "domain": [0, 1]}
VIOLENCE_COLOURS = {"state-based": "#D55E00", "non-state": "#0072B2", "one-sided": "#CC79A7"}


def _countries_layer(topojson_url: str, iso_numeric: list[str]) -> dict[str, Any]:
    """Country outlines; limited to ``iso_numeric`` when given, which also fits the projection to them."""
    where = f"indexof({json.dumps(iso_numeric)}, datum.id) >= 0" if iso_numeric else "datum.id !== '010'"
    return {
        "data": {"url": topojson_url, "format": {"type": "topojson", "feature": "countries"}},
        "transform": [{"filter": where}],
        "mark": {"type": "geoshape", "fill": "#eef1f4", "stroke": "#9aa5b1", "strokeWidth": 0.8},
    }


def country_risk_map(units: list[dict[str, Any]], topojson_url: str) -> dict[str, Any]:
    """Choropleth of each country's risk of a month with 25+ state-based deaths; countries link to their page."""
    values = [{**u, "url": f"/conflict/units/cm/{u['unit_id']}"} for u in units if u.get("iso_numeric")]
    return chart(
        f"Map of {len(values)} countries coloured by the forecast risk of a month with 25 or more state-based deaths.",
        "container",
        projection={"type": "equalEarth"},
        layer=[
            _countries_layer(topojson_url, []),
            {
                "data": {"url": topojson_url, "format": {"type": "topojson", "feature": "countries"}},
                "transform": [
                    {
                        "lookup": "id",
                        "from": {
                            "data": {"values": values},
                            "key": "iso_numeric",
                            "fields": ["name", "risk", "risk_before", "expected_next_3", "url"],
                        },
                    },
                    {"filter": "isValid(datum.risk)"},
                ],
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.6, "cursor": "pointer"},
                "encoding": {
                    "color": {
                        "field": "risk",
                        "type": "quantitative",
                        "scale": RISK_SCALE,
                        "legend": {"title": "Risk (25+ deaths, next 3 months)", "format": ".0%"},
                    },
                    "href": {"field": "url"},
                    "tooltip": _risk_tooltip(),
                },
            },
        ],
    )


def _risk_tooltip() -> list[dict[str, Any]]:
    return [
        {"field": "name", "title": "Unit"},
        {"field": "risk", "title": "Risk now", "format": ".0%"},
        {"field": "risk_before", "title": "A month earlier", "format": ".0%"},
        {"field": "expected_next_3", "title": "Expected deaths, next 3 months", "format": ",.0f"},
    ]


def cell_risk_map(units: list[dict[str, Any]], iso_numeric: list[str], topojson_url: str) -> dict[str, Any]:
    """PRIO-GRID cells as half-degree squares coloured by risk, over the outlines of their countries."""
    half = 0.25
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                # Clockwise, as d3-geo reads an exterior ring on the sphere (anticlockwise is "all but the cell")
                "coordinates": [
                    [
                        [u["longitude"] - half, u["latitude"] - half],
                        [u["longitude"] - half, u["latitude"] + half],
                        [u["longitude"] + half, u["latitude"] + half],
                        [u["longitude"] + half, u["latitude"] - half],
                        [u["longitude"] - half, u["latitude"] - half],
                    ]
                ],
            },
            "properties": {k: u[k] for k in ("unit_id", "name", "risk", "risk_before", "expected_next_3")}
            | {"url": f"/conflict/units/pgm/{u['unit_id']}"},
        }
        for u in units
    ]
    tooltip = [{**t, "field": f"properties.{t['field']}"} for t in _risk_tooltip()]
    return chart(
        f"Map of {len(features)} grid cells coloured by forecast risk of a month with 25+ state-based deaths.",
        "container",
        projection={"type": "mercator"},
        layer=[
            _countries_layer(topojson_url, iso_numeric),
            {
                "data": {"values": features, "format": {"type": "json"}},
                "mark": {"type": "geoshape", "stroke": None, "cursor": "pointer"},
                "encoding": {
                    "color": {
                        "field": "properties.risk",
                        "type": "quantitative",
                        "scale": RISK_SCALE,
                        "legend": {"title": "Risk (25+ deaths, next 3 months)", "format": ".0%"},
                    },
                    "href": {"field": "properties.url"},
                    "tooltip": tooltip,
                },
            },
        ],
    )


def events_map(events: list[dict[str, Any]], iso_numeric: list[str], topojson_url: str) -> dict[str, Any]:
    """Recent events with deaths, sized by deaths and coloured by type of violence."""
    return chart(
        f"Map of the {len(events)} deadliest recent events, sized by deaths and coloured by type of violence.",
        "container",
        projection={"type": "mercator"},
        layer=[
            _countries_layer(topojson_url, iso_numeric),
            {
                "data": {"values": events},
                "mark": {"type": "circle", "opacity": 0.65, "stroke": "#ffffff", "strokeWidth": 0.5},
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "size": {
                        "field": "best",
                        "type": "quantitative",
                        "scale": {"range": [12, 600]},
                        "legend": {"title": "Deaths", "orient": "bottom", "direction": "horizontal"},
                    },
                    "color": {
                        "field": "violence",
                        "type": "nominal",
                        "scale": {"domain": list(VIOLENCE_COLOURS), "range": list(VIOLENCE_COLOURS.values())},
                        "legend": {"title": "Violence"},
                    },
                    "tooltip": [
                        {"field": "date_end", "title": "Date"},
                        {"field": "location", "title": "Place"},
                        {"field": "violence", "title": "Type"},
                        {"field": "best", "title": "Deaths (best)"},
                    ],
                },
            },
        ],
    )
