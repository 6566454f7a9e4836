"""Default targets for derived indicators, so a scorecard built on data peaceops computes can rate.

Derived indicators have values for every month the data covers but nobody sets their targets, and an
indicator without a target is not rated (decision 007, step 4). peaceops therefore writes default targets
as ordinary ``perf_target`` rows, each with its ``source`` and the one-line ``rule`` it was computed by:

- *Strategy*: a women's share (``women_share:<category>``) gets the Uniformed Gender Parity Strategy's
  target for each year its curve covers (the confirmed milestones, interpolated between them);
- *Own level*: any other year (and every other derived indicator) gets the mission's own level over the
  three previous calendar years, from the indicator's stored values: a ratio indicator the ratio of the
  summed numerators to the summed denominators (fatalities per 1,000 over all person-months), others the
  mean monthly value. At least 6 monthly values must lie in the three years, else there is no target.
  The indicator's direction says which side is better ("at or below" for lower-is-better). A level of 0
  for a higher-is-better indicator is no target (everything would be on track).

A yearly target holds for any month or quarter of the year when the indicator is a ratio, a mean or a
latest value. A ``sum`` indicator (monthly counts) gets one target per month, quarter and year (the
monthly level times 1, 3 and 12), so each period is compared with a target of its own length.

Rows written here carry ``set_by == ACTOR``. A rerun updates them in place (never a second row) and
deletes the ones no longer wanted; a target a person set or edited (``set_by`` is then that person) is
never touched, and neither is a period an approved assessment locks.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.i18n import N_, _
from peaceops.performance.models import Indicator, IndicatorTarget, IndicatorValue
from peaceops.performance.periods import Period, month, parse_period, quarter, year
from peaceops.personnel.parity import target_curve
from peaceops.store.base import utcnow

ACTOR = "peaceops (derived)"
WINDOW_YEARS = 3
MIN_MONTHS = 6
PARITY_SOURCE = N_(
    "Uniformed Gender Parity Strategy 2018-2028 (UN Department of Peace Operations, 2018): "
    "confirmed targets, as kept in peaceops parity targets"
)
OWN_LEVEL_SOURCE = N_("peaceops default: the mission's own level, from this indicator's stored values")


@dataclass(frozen=True)
class Default:
    period: Period
    value: float
    source: str
    rule: str


def _sig(value: float) -> float:
    """Six significant figures: enough for any rate, and stable from one run to the next."""
    return float(f"{value:.6g}")


def _own_level(indicator: Indicator, rows: list[IndicatorValue], target_year: int) -> tuple[float, int] | None:
    """The mission's level over the three years before ``target_year`` and how many months it rests on."""
    window = [r for r in rows if target_year - WINDOW_YEARS <= r.period_start.year < target_year]
    if len(window) < MIN_MONTHS:
        return None
    if indicator.aggregation == "ratio" and all(r.numerator is not None and r.denominator for r in window):
        bottom = sum(float(r.denominator or 0) for r in window)
        return sum(float(r.numerator or 0) for r in window) / bottom * indicator.factor, len(window)
    return sum(r.value for r in window) / len(window), len(window)


def _parity(indicator: Indicator, curves: dict[str, list[dict[str, object]]]) -> dict[int, Default]:
    """The Strategy's target for each year of its curve, for a women's share indicator."""
    derivation = indicator.derivation or ""
    if not derivation.startswith("women_share:"):
        return {}
    curve = curves.get(derivation.split(":", 1)[1], [])
    milestones = [int(str(p["year"])) for p in curve if p["milestone"]]
    out = {}
    for point in curve:
        y, share = int(str(point["year"])), round(100.0 * float(str(point["share"])), 4)
        rule: dict[str, Any] = {"kind": "milestone", "target": share, "unit": indicator.unit, "year": y}
        if not point["milestone"]:
            before = max(m for m in milestones if m < y)
            after = min(m for m in milestones if m > y)
            rule.update(kind="interpolated", before=before, after=after)
        out[y] = Default(year(y), share, PARITY_SOURCE, _stored(rule))
    return out


def compute_defaults(
    indicator: Indicator, rows: list[IndicatorValue], curves: dict[str, list[dict[str, object]]]
) -> list[Default]:
    """Every default target of one derived indicator, from its stored monthly values (module docstring)."""
    monthly = [r for r in rows if r.disaggregation == "" and parse_period(r.period).kind == "month"]
    strategy = _parity(indicator, curves)
    years = sorted({r.period_start.year for r in monthly})
    wanted = sorted(set(strategy) | set(years))
    out: list[Default] = []
    for y in wanted:
        if y in strategy:
            out.append(strategy[y])
            continue
        level = _own_level(indicator, monthly, y)
        if level is None or (level[0] <= 0 and indicator.direction == "higher"):
            continue
        value, months = level
        what = ("share" if indicator.unit == "percent" else "rate") if indicator.aggregation == "ratio" else "mean"
        own: dict[str, Any] = {"kind": "own", "side": indicator.direction, "unit": indicator.unit, "what": what}
        own.update(first=y - WINDOW_YEARS, last=y - 1, months=months)
        if indicator.aggregation != "sum":
            out.append(Default(year(y), _sig(value), OWN_LEVEL_SOURCE, _stored({**own, "target": _sig(value)})))
            continue
        for length, periods in (
            (1, [month(y, m) for m in range(1, 13)]),
            (3, [quarter(y, q) for q in range(1, 5)]),
            (12, [year(y)]),
        ):
            rule = _stored({**own, "kind": "own_sum", "target": _sig(value * length), "length": length})
            out.extend(Default(p, _sig(value * length), OWN_LEVEL_SOURCE, rule) for p in periods)
    return out


def _stored(rule: dict[str, Any]) -> str:
    """A rule is stored as its facts (JSON), so each reader sees it written in their own language."""
    return json.dumps(rule, sort_keys=True)


def source_text(source: str | None) -> str:
    """A target's source in the reader's language where peaceops wrote it; a person's source as written."""
    return _(source) if source in (PARITY_SOURCE, OWN_LEVEL_SOURCE) else (source or "")


def sync_defaults(
    session: Session,
    indicator: Indicator,
    locked: Callable[[Period], Any],
    curves: dict[str, list[dict[str, object]]] | None = None,
) -> dict[str, int]:
    """Write the indicator's default targets: insert, update in place, delete the unwanted; never touch a
    target a person set or a locked period. ``curves`` (the parity targets) may be passed once per run.
    Returns counts of inserted, updated and removed rows."""
    rows = list(
        session.scalars(
            select(IndicatorValue).where(
                IndicatorValue.indicator_id == indicator.id, IndicatorValue.disaggregation == ""
            )
        )
    )
    wanted = {
        d.period.key: d for d in compute_defaults(indicator, rows, target_curve(session) if curves is None else curves)
    }
    existing = {
        t.period: t
        for t in session.scalars(
            select(IndicatorTarget).where(
                IndicatorTarget.indicator_id == indicator.id, IndicatorTarget.disaggregation == ""
            )
        )
    }
    counts: dict[str, int] = defaultdict(int)
    for key, target in existing.items():
        if target.set_by == ACTOR and key not in wanted:
            if not locked(parse_period(key)):
                session.delete(target)
                counts["removed"] += 1
    for key, d in wanted.items():
        stored = existing.get(key)
        if locked(d.period) or (stored is not None and stored.set_by != ACTOR):
            continue
        if stored is None:
            session.add(
                IndicatorTarget(
                    indicator_id=indicator.id,
                    period=key,
                    period_start=d.period.start,
                    period_end=d.period.end,
                    disaggregation="",
                    value=d.value,
                    source=d.source,
                    rule=d.rule,
                    set_by=ACTOR,
                )
            )
            counts["inserted"] += 1
        elif abs(stored.value - d.value) > 1e-9 or stored.rule != d.rule or stored.source != d.source:
            stored.value, stored.rule, stored.source, stored.set_at = d.value, d.rule, d.source, utcnow()
            counts["updated"] += 1
    return dict(counts)
