"""Maps: the world map of missions (Natural Earth countries, served by the app, one mark per mission) and
the conflict maps, fitted to their data over the offline basemap (``peaceops.web.basemap``)."""

from __future__ import annotations

from typing import Any

from peaceops.geography.codes import iso3_from_gw
from peaceops.i18n import N_, _, _n, format_number
from peaceops.reports.filters import mission_url
from peaceops.web.basemap import (
    WATER_URL,
    Extent,
    admin1_at,
    basemap_url,
    country_extent,
    extent,
    fitted_projection,
    labels,
    nearest_place,
)
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
VIOLENCE_NAMES = {"state-based": N_("state-based"), "non-state": N_("non-state"), "one-sided": N_("one-sided")}
LAND, FOCUS, BORDER, ADMIN1 = "#e9ece6", "#fbfbf8", "#8d97a3", "#9aa3ad"
WATER, RIVER, OCEAN, PLACE = "#b9d6ee", "#86b6de", "#dcebf7", "#2f3a45"
# Legends under the map, where the title has the map's width (Vega cuts titles at 180 px by default).
LEGEND: dict[str, Any] = {"orient": "bottom", "direction": "horizontal", "titleLimit": 360, "labelLimit": 200}


def _map(description: str, box: Extent | None, layers: list[dict[str, Any]]) -> dict[str, Any]:
    """A map fitted to ``box`` (the data shown, with its country), over a sea-coloured view."""
    projection = fitted_projection(box) if box else {"type": "equalEarth"}
    return chart(description, "container", projection=projection, view={"fill": OCEAN, "stroke": None}, layer=layers)


def _base_layers(topojson_url: str, iso3s: list[str]) -> list[dict[str, Any]]:
    """What lies under the data: the world's countries (1:110m), the shown countries' own shapes (1:10m),
    lakes and rivers, and the shown countries' admin-1 lines; nothing takes the pointer."""
    layers: list[dict[str, Any]] = [
        {
            "data": {"url": topojson_url, "format": {"type": "topojson", "feature": "countries"}},
            "transform": [{"filter": "datum.id !== '010'"}],  # Antarctica: no Mercator y at the pole
            "mark": {"type": "geoshape", "fill": LAND, "stroke": "#ffffff", "strokeWidth": 0.8, "tooltip": None},
        }
    ]
    urls = [u for u in (basemap_url(c) for c in iso3s) if u]
    for url in urls:
        layers.append(
            {
                "data": {"url": url, "format": {"type": "topojson", "feature": "admin1"}},
                "mark": {"type": "geoshape", "fill": FOCUS, "stroke": None, "tooltip": None},
            }
        )
    layers += [
        {
            "data": {"url": WATER_URL, "format": {"type": "topojson", "feature": "lakes"}},
            "mark": {"type": "geoshape", "fill": WATER, "stroke": None, "tooltip": None},
        },
        {
            "data": {"url": WATER_URL, "format": {"type": "topojson", "feature": "rivers"}},
            "mark": {"type": "geoshape", "filled": False, "stroke": RIVER, "strokeWidth": 0.9, "tooltip": None},
        },
    ]
    for url in urls:
        layers.append(
            {
                "data": {"url": url, "format": {"type": "topojson", "mesh": "admin1"}},
                "mark": {
                    "type": "geoshape",
                    "filled": False,
                    "stroke": ADMIN1,
                    "strokeWidth": 0.7,
                    "strokeDash": [3, 2],
                    "tooltip": None,
                },
            }
        )
    return layers


def _place_layers(iso3s: list[str], box: Extent | None) -> list[dict[str, Any]]:
    """The shown countries' capital and larger towns: a dot and its name on a white halo, chosen so that
    names do not overlap (``basemap.labels``); a narrow map names fewer."""
    values = labels(iso3s, box) if box else []
    if not values:
        return []
    position = {
        "longitude": {"field": "lon", "type": "quantitative"},
        "latitude": {"field": "lat", "type": "quantitative"},
    }
    text = {"type": "text", "align": "left", "baseline": "middle", "dx": 5, "fontSize": 11, "clip": True}
    return [
        {
            "data": {"values": values},
            "transform": [{"filter": "width >= datum.minwidth"}],
            "layer": [
                {
                    "mark": {"type": "circle", "size": 14, "fill": PLACE, "opacity": 1, "clip": True},
                    "encoding": {**position, "tooltip": {"field": "place", "title": _("Place")}},
                },
                {
                    "mark": {**text, "stroke": "#ffffff", "strokeWidth": 3, "strokeOpacity": 0.9, "fill": "#ffffff"},
                    "encoding": {**position, "text": {"field": "place"}},
                },
                {"mark": {**text, "fill": PLACE}, "encoding": {**position, "text": {"field": "place"}}},
            ],
        }
    ]


def _place_fields(iso3: str | None, longitude: float, latitude: float) -> dict[str, str]:
    """The admin-1 area and nearest town of a point, for a tooltip ("–" when the basemap knows neither)."""
    return {
        "area": admin1_at(iso3, longitude, latitude) or "–",
        "near": nearest_place(iso3, longitude, latitude) or "–",
    }


def country_risk_map(units: list[dict[str, Any]], topojson_url: str) -> dict[str, Any]:
    """Choropleth of each country's risk of a month with 25+ state-based deaths; countries link to their page.
    The map is fitted to the countries that have a risk, not the whole world."""
    values = [{**u, "url": f"/conflict/units/cm/{u['unit_id']}"} for u in units if u.get("iso_numeric")]
    iso3s = [c for c in (iso3_from_gw(u["unit_id"]) for u in values) if c]
    box = extent([], *(country_extent(c) for c in iso3s))
    return _map(
        _(
            "Map of {count} countries coloured by the forecast risk of a month with 25 or more state-based deaths."
        ).format(count=len(values)),
        box,
        [
            *_base_layers(topojson_url, iso3s if len(iso3s) == 1 else []),
            {
                "name": "countries",
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
                "mark": {
                    "type": "geoshape",
                    "stroke": "#ffffff",
                    "strokeWidth": 0.6,
                    "cursor": "pointer",
                    "opacity": 0.85 if len(iso3s) == 1 else 1,
                },
                "encoding": {
                    "color": {
                        "field": "risk",
                        "type": "quantitative",
                        "scale": RISK_SCALE,
                        "legend": {**LEGEND, "title": _risk_title(), "format": ".0%", "gradientLength": 180},
                    },
                    "href": {"field": "url"},
                    "tooltip": _risk_tooltip(),
                },
            },
            *_place_layers(iso3s if len(iso3s) == 1 else [], box),
        ],
    )


# Two lines (a translation keeps the line break): one line is cut on a phone, whatever Vega's titleLimit.
RISK_TITLE = N_("Risk of a month with 25+ deaths,\nin the next 3 months")


def _risk_title() -> list[str]:
    return _(RISK_TITLE).split("\n")


def _risk_tooltip(prefix: str = "", places: bool = False) -> list[dict[str, Any]]:
    fields = [
        {"field": "name", "title": _("Unit")},
        {"field": "risk", "title": _("Risk now"), "format": ".0%"},
        {"field": "risk_before", "title": _("A month earlier"), "format": ".0%"},
        {"field": "expected_next_3", "title": _("Expected deaths, next 3 months"), "format": ",.0f"},
    ]
    if places:
        fields[1:1] = [{"field": "area", "title": _("Admin-1 area")}, {"field": "near", "title": _("Near")}]
    return [{**f, "field": prefix + f["field"]} for f in fields]


def cell_risk_map(units: list[dict[str, Any]], iso3: str | None, topojson_url: str) -> dict[str, Any]:
    """One country's PRIO-GRID cells as half-degree squares coloured by risk, on the basemap and fitted
    to the cells; each cell's tooltip names its admin-1 area and nearest town."""
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
            | _place_fields(iso3, u["longitude"], u["latitude"])
            | {"url": f"/conflict/units/pgm/{u['unit_id']}"},
        }
        for u in units
    ]
    box = extent(((u["longitude"], u["latitude"]) for u in units), country_extent(iso3), half=half)
    iso3s = [iso3] if iso3 else []
    return _map(
        _("Map of {count} grid cells coloured by forecast risk of a month with 25+ state-based deaths.").format(
            count=len(features)
        ),
        box,
        [
            *_base_layers(topojson_url, iso3s),
            {
                "name": "cells",
                "data": {"values": features, "format": {"type": "json"}},
                "mark": {"type": "geoshape", "stroke": None, "cursor": "pointer", "opacity": 0.8},
                "encoding": {
                    "color": {
                        "field": "properties.risk",
                        "type": "quantitative",
                        "scale": RISK_SCALE,
                        "legend": {**LEGEND, "title": _risk_title(), "format": ".0%", "gradientLength": 180},
                    },
                    "href": {"field": "properties.url"},
                    "tooltip": _risk_tooltip("properties.", places=True),
                },
            },
            *_place_layers(iso3s, box),
        ],
    )


def events_map(events: list[dict[str, Any]], iso3: str | None, topojson_url: str) -> dict[str, Any]:
    """One country's recent events with deaths, sized by deaths and coloured by type of violence, on the
    basemap and fitted to the events and their country."""
    names = {key: _(label) for key, label in VIOLENCE_NAMES.items()}
    values = [
        {**e, "type": names.get(e["violence"], e["violence"])} | _place_fields(iso3, e["longitude"], e["latitude"])
        for e in events
    ]
    box = extent(((e["longitude"], e["latitude"]) for e in events), country_extent(iso3))
    iso3s = [iso3] if iso3 else []
    return _map(
        _n(
            "Map of the {count} deadliest recent event, sized by deaths and coloured by type of violence.",
            "Map of the {count} deadliest recent events, sized by deaths and coloured by type of violence.",
            len(values),
        ).format(count=len(values)),
        box,
        [
            *_base_layers(topojson_url, iso3s),
            {
                "name": "events",
                "data": {"values": values},
                "mark": {"type": "circle", "opacity": 0.7, "stroke": "#ffffff", "strokeWidth": 0.5, "clip": True},
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "size": {
                        "field": "best",
                        "type": "quantitative",
                        "scale": {"range": [12, 600]},
                        "legend": {**LEGEND, "title": _("Deaths"), "tickCount": 3},
                    },
                    "color": {
                        "field": "type",
                        "type": "nominal",
                        "scale": {"domain": list(names.values()), "range": list(VIOLENCE_COLOURS.values())},
                        "legend": {**LEGEND, "orient": "top", "title": _("Violence")},
                    },
                    "tooltip": [
                        {"field": "date_end", "title": _("Date")},
                        {"field": "location", "title": _("Place")},
                        {"field": "area", "title": _("Admin-1 area")},
                        {"field": "near", "title": _("Near")},
                        {"field": "type", "title": _("Type")},
                        {"field": "best", "title": _("Deaths (best)")},
                    ],
                },
            },
            *_place_layers(iso3s, box),
        ],
    )
