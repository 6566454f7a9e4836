"""The one event shape every source is turned into, and the panel shapes built from it.

Event stores are Parquet files partitioned by year (``<var>/events/<source>/year=YYYY/*.parquet``),
queried with DuckDB; panels are computed with Ibis so the same expressions run on DuckDB and Spark.
"""

from __future__ import annotations

import pyarrow as pa

# type_of_violence follows UCDP: 1 state-based, 2 non-state, 3 one-sided (violence against civilians).
VIOLENCE_TYPES = {1: "state_based", 2: "non_state", 3: "one_sided"}


EVENT_SCHEMA = pa.schema(
    [
        ("source", pa.string()),  # "ucdp-ged", "acled", "mission"
        ("event_id", pa.string()),  # unique within source
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_prec", pa.int8()),  # UCDP 1 exact day ... 5 year; ACLED time_precision 1..3
        ("month", pa.date32()),  # first day of the month the event is counted in (of date_end, ViEWS rule)
        ("year", pa.int16()),
        ("type_of_violence", pa.int8()),  # 1, 2, 3; null when a source event is not organised violence
        ("event_type", pa.string()),  # source's own category (ACLED event_type; UCDP "state-based" ...)
        ("best", pa.int32()),  # fatalities, best estimate
        ("low", pa.int32()),
        ("high", pa.int32()),
        ("deaths_civilians", pa.int32()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("where_prec", pa.int8()),
        ("priogrid_gid", pa.int32()),  # 0.5-degree PRIO-GRID cell, derived from coordinates when missing
        ("country_iso3", pa.string()),
        ("country_gw", pa.int16()),  # Gleditsch-Ward code (UCDP country_id)
        ("conflict_id", pa.string()),
        ("side_a", pa.string()),
        ("side_b", pa.string()),
        ("admin1", pa.string()),
        ("location", pa.string()),
    ]
)
