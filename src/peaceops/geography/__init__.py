"""Country shapes from Natural Earth (npm ``world-atlas``, 1:110m), for bounding boxes and the web map."""

from peaceops.geography.countries import COUNTRIES_TOPOJSON, country_bbox, in_country

__all__ = ["COUNTRIES_TOPOJSON", "country_bbox", "in_country"]
