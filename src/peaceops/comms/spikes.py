"""Volume over time and the spike rule for harmful narratives.

The rule (decision 015): a narrative is *harmful* when at least half its items are labelled hate or
offensive (or were confirmed or escalated by an analyst). For each day ``d`` with items, take the
daily counts of the ``window`` (14) days before it, missing days counted as 0, their mean ``m`` and
standard deviation ``s``. The day is a spike when its count is at least
``max(min_count, m + z * max(s, 1))`` with ``min_count`` 5 and ``z`` 3: a new narrative needs five items
in a day, an established one three standard deviations above its recent normal (never less than three
items above the mean, so a flat series does not alarm on noise). Items without a time are counted
apart and never enter the series. Of the shared labelled sets only the Amharic tweets have a time (from
their tweet ids, snowflake.py); the English and LIAR narratives show "timing unknown".

Training rows (models.SHOWN) never count. Every query function takes the reader's scope (``visible``,
scope.Scope.where): a mission's page counts that mission's items only, so its spikes are computed on the
items its readers may see.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from peaceops.comms.models import SHOWN, CommsItem, CommsNarrative

WINDOW = 14
MIN_COUNT = 5
Z = 3.0
NEARBY_KM = 50.0
NEARBY_DAYS = 7


def detect(
    counts: dict[date, int], *, window: int = WINDOW, min_count: int = MIN_COUNT, z: float = Z
) -> list[dict[str, Any]]:
    """Spike days in a daily series (pure function; see the module docstring for the rule)."""
    spikes = []
    for day in sorted(counts):
        history = [counts.get(day - timedelta(days=i), 0) for i in range(1, window + 1)]
        mean = statistics.fmean(history)
        sd = statistics.pstdev(history)
        threshold = max(float(min_count), mean + z * max(sd, 1.0))
        if counts[day] >= threshold:
            spikes.append(
                {
                    "day": day.isoformat(),
                    "count": counts[day],
                    "baseline": round(mean, 2),
                    "threshold": round(threshold, 2),
                }
            )
    return spikes


def daily_counts(
    session: Session, narrative_id: int, visible: ColumnElement[bool] | None = None
) -> tuple[dict[date, int], int]:
    """Items per day of a narrative, and how many of its items have no time."""
    query = select(CommsItem.posted_at).where(CommsItem.narrative_id == narrative_id, SHOWN)
    times = session.scalars(query if visible is None else query.where(visible))
    counts: Counter[date] = Counter()
    unknown = 0
    for t in times:
        if t is None:
            unknown += 1
        else:
            counts[t.date()] += 1
    return dict(counts), unknown


def alerts(
    session: Session, var_dir: Path | None = None, visible: ColumnElement[bool] | None = None
) -> list[dict[str, Any]]:
    """Spike alerts of every harmful narrative, newest first, with the items of the spike day."""
    out = []
    for narrative in session.scalars(
        select(CommsNarrative).where(CommsNarrative.harmful_share >= 0.5).order_by(CommsNarrative.id)
    ):
        counts, _unknown = daily_counts(session, narrative.id, visible)
        for spike in detect(counts):
            day = date.fromisoformat(spike["day"])
            start = datetime.combine(day, datetime.min.time())
            items = list(
                session.scalars(
                    select(CommsItem)
                    .where(
                        CommsItem.narrative_id == narrative.id,
                        CommsItem.posted_at >= start,
                        CommsItem.posted_at < start + timedelta(days=1),
                        SHOWN,
                        *([] if visible is None else [visible]),
                    )
                    .order_by(CommsItem.id)
                )
            )
            places = [(i.latitude, i.longitude) for i in items if i.latitude is not None and i.longitude is not None]
            events = nearby_events(var_dir, places, day) if var_dir is not None and places else []
            out.append(
                {
                    **spike,
                    "narrative_id": narrative.id,
                    "narrative": narrative.label,
                    "item_ids": [i.id for i in items],
                    "places_known": len(places),
                    "events_nearby": events,
                }
            )
    return sorted(out, key=lambda a: (a["day"], a["count"]), reverse=True)


def series(session: Session, narrative_id: int, visible: ColumnElement[bool] | None = None) -> dict[str, Any]:
    counts, unknown = daily_counts(session, narrative_id, visible)
    return {
        "days": [{"day": d.isoformat(), "items": n} for d, n in sorted(counts.items())],
        "time_unknown": unknown,
        "spikes": detect(counts),
    }


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def nearby_events(var_dir: Path, places: list[tuple[float, float]], day: date, limit: int = 20) -> list[dict[str, Any]]:
    """Conflict events (UCDP GED / ACLED in the event store) within 50 km and 7 days of the items' places."""
    from peaceops.store.events import event_files, events_table

    if not event_files(var_dir):
        return []
    lats = [p[0] for p in places]
    lons = [p[1] for p in places]
    pad = NEARBY_KM / 111.0 + 0.1
    table = events_table(var_dir)
    lo, hi = day - timedelta(days=NEARBY_DAYS), day + timedelta(days=NEARBY_DAYS)
    rows = (
        table.filter(
            table.date_end >= lo,
            table.date_start <= hi,
            table.latitude.between(min(lats) - pad, max(lats) + pad),
            table.longitude.between(min(lons) - 2 * pad, max(lons) + 2 * pad),
        )
        .select("event_id", "date_start", "date_end", "best", "latitude", "longitude", "location", "event_type")
        .limit(2000)
        .to_pyarrow()
        .to_pylist()
    )
    out = []
    for r in rows:
        dist = min(_km(lat, lon, r["latitude"], r["longitude"]) for lat, lon in places)
        if dist <= NEARBY_KM:
            out.append({**r, "km": round(dist, 1)})
    return sorted(out, key=lambda r: r["km"])[:limit]


def timing_summary(session: Session, visible: ColumnElement[bool] | None = None) -> dict[str, int]:
    base = select(func.count()).select_from(CommsItem).where(SHOWN)
    if visible is not None:
        base = base.where(visible)
    total = session.scalar(base) or 0
    timed = session.scalar(base.where(CommsItem.posted_at.is_not(None))) or 0
    return {"items": total, "with_time": timed, "time_unknown": total - timed}
