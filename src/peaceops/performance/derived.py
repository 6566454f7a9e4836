"""Derived indicators: values peaceops computes itself, for every month the data it holds covers.

Each derived indicator names a *derivation*, a function from (session, mission, context) to monthly
points. The registry below holds the ones peaceops ships:

- ``women_share:<category>``: women's share (%) of one Uniformed Gender Parity Strategy category in the
  mission (contributions by country and gender);
- ``malicious_fatalities_per_1000``: peacekeepers killed by malicious acts in the month per 1,000
  uniformed personnel deployed that month (UN fatalities; IPI monthly mission totals);
- ``host_state_based_deaths`` / ``host_one_sided_deaths``: UCDP GED best-estimate deaths in state-based
  (type 1) and one-sided (type 3) violence in the host country per month, from the event store, for the
  months between the country's first and last stored GED event (months without events count as 0).

- ``incidents_attacks_on_civilians`` / ``incidents_attacks_on_peacekeepers``: the mission's own published
  incident reports of the category per month, from its first to its last published report (months
  without one count 0), from ``incidents.analysis``.

- ``sea_allegations_per_1000``: sexual exploitation and abuse allegations reported in the month per 1,000
  uniformed personnel deployed (UN table of allegations; IPI monthly mission totals), from
  ``accountability.conduct_rates``, so the performance page and the conduct page give one figure.

- ``commitments_implemented_share``: the share (%) of the host country's agreements' commitments rated
  implemented among those assessed, at the end of each quarter from the first recorded status
  (``commitments.curves``; implementation tracking, decision 037).

After its values, each computed indicator gets its default targets (``defaults.sync_defaults``: the parity
Strategy's targets, or the mission's own level over the three previous years).

A derivation whose data is not loaded raises DerivationUnavailable with what is missing; the indicator then
reads "no data" with that reason and no value is invented.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from peaceops.commitments.curves import quarterly_implemented
from peaceops.conduct.rates import monthly_allegation_rates
from peaceops.incidents.analysis import SOURCE as INCIDENT_SOURCE
from peaceops.incidents.analysis import monthly_published
from peaceops.missions.models import Mission
from peaceops.performance.defaults import ACTOR, sync_defaults
from peaceops.performance.models import ResultsFramework
from peaceops.performance.periods import Period, month, quarter
from peaceops.performance.shapes import DerivedReport
from peaceops.performance.values import Point, WriteCounts, lock_checker, recompute_formulas, write_points
from peaceops.personnel.categories import PARITY_CATEGORIES
from peaceops.personnel.parity import target_curve
from peaceops.personnel.series import deployments_by_type, malicious_death_dates, monthly_strength
from peaceops.store import audit

STATE_BASED, ONE_SIDED = 1, 3


@dataclass
class Context:
    """What derivations share within one run: the event store location and per-run caches."""

    var_dir: Path | None
    cache: dict[Any, Any] = field(default_factory=dict)


@dataclass
class Derived:
    points: list[Point]
    source: str


class DerivationUnavailable(Exception):
    """The data a derivation needs is not loaded (no events, no conduct data); the reason says which."""


Derivation = Callable[[Session, Mission, Context], Derived]


def _women_share(category: str) -> Derivation:
    types = PARITY_CATEGORIES[category]

    def derive(session: Session, mission: Mission, ctx: Context) -> Derived:
        key = ("deployments", mission.id)
        if key not in ctx.cache:
            ctx.cache[key] = deployments_by_type(session, mission.id)
        sums: dict[date, list[int]] = defaultdict(lambda: [0, 0])
        for day, ptype, women, total in ctx.cache[key]:
            if ptype in types:
                sums[day][0] += int(women or 0)
                sums[day][1] += int(total or 0)
        if not sums:
            if ctx.cache[key]:
                raise DerivationUnavailable(f"the contributions data has no {category} personnel in {mission.acronym}")
            raise DerivationUnavailable(f"no contributions by gender are loaded for {mission.acronym}")
        points = [
            Point(month(day.year, day.month), 100.0 * women / total, women, total)
            for day, (women, total) in sorted(sums.items())
            if total > 0
        ]
        return Derived(points, "contributions by country and gender (IPI / UN)")

    return derive


def _malicious_per_1000(session: Session, mission: Mission, ctx: Context) -> Derived:
    strength = monthly_strength(session, mission.id)
    if not strength:
        raise DerivationUnavailable(f"no monthly mission totals are loaded for {mission.acronym}")
    deaths: Counter[tuple[int, int]] = Counter((d.year, d.month) for d in malicious_death_dates(session, mission.id))
    points = [
        Point(
            month(day.year, day.month),
            1000.0 * deaths[(day.year, day.month)] / total,
            deaths[(day.year, day.month)],
            total,
        )
        for day, total in sorted(strength.items())
        if total and total > 0
    ]
    return Derived(points, "UN fatalities in peace operations; IPI monthly mission totals")


def _sea_per_1000(session: Session, mission: Mission, ctx: Context) -> Derived:
    rows = [r for r in monthly_allegation_rates(session, mission.acronym) if r["deployed"]]
    if not rows:
        raise DerivationUnavailable(
            f"no SEA allegations and monthly mission totals overlap for {mission.acronym} "
            "(import the UN table of allegations: peaceops import allegations FILE)"
        )
    points = [
        Point(month(int(r["month"][:4]), int(r["month"][5:7])), r["per_1000"], r["allegations"], r["deployed"])
        for r in rows
    ]
    return Derived(points, "UN table of SEA allegations; IPI monthly mission totals")


def _host_deaths(session: Session, mission: Mission, ctx: Context, violence: int) -> Derived:
    if ctx.var_dir is None:
        raise DerivationUnavailable("no event store was given")
    if not mission.host_iso3:
        raise DerivationUnavailable(f"the host country of {mission.acronym} is not recorded")
    if "events" not in ctx.cache:
        ctx.cache["events"] = _monthly_deaths(ctx.var_dir)
    first, last, sums = ctx.cache["events"].get(mission.host_iso3, (None, None, {}))
    if first is None:
        raise DerivationUnavailable(f"no UCDP GED events are loaded for {mission.host_iso3}")
    points = []
    current = month(first.year, first.month)
    while current.start <= last:
        value = float(sums.get((current.start, violence), 0))
        points.append(Point(current, value, value, None))
        current = current.next()
    return Derived(points, "UCDP GED events in the peaceops event store (best estimate)")


def _monthly_deaths(var_dir: Path) -> dict[str, tuple[date, date, dict[tuple[date, int], int]]]:
    """Per country: first and last month with a stored UCDP GED event, and deaths per (month, violence type).

    One scan of the event store per run, whatever the number of missions.
    """
    import duckdb

    from peaceops.store.events import events_dir

    files = sorted((events_dir(var_dir) / "ucdp-ged").glob("year=*/*.parquet"))
    if not files:
        return {}
    con = duckdb.connect()
    try:
        rel = con.read_parquet([str(f) for f in files], hive_partitioning=False)
        con.register("events", rel)
        spans = con.execute(
            "SELECT country_iso3, min(month), max(month) FROM events WHERE country_iso3 IS NOT NULL GROUP BY 1"
        ).fetchall()
        rows = con.execute(
            "SELECT country_iso3, month, type_of_violence, sum(best) FROM events "
            "WHERE type_of_violence IN (1, 3) AND country_iso3 IS NOT NULL GROUP BY 1, 2, 3"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, tuple[date, date, dict[tuple[date, int], int]]] = {
        iso3: (first, last, {}) for iso3, first, last in spans
    }
    for iso3, month_, violence, deaths in rows:
        out[iso3][2][(month_, int(violence))] = int(deaths or 0)
    return out


def _mission_reports(category: str) -> Derivation:
    def derive(session: Session, mission: Mission, ctx: Context) -> Derived:
        every = monthly_published(session, mission)
        if not every:
            raise DerivationUnavailable(f"{mission.acronym} has no published incident reports")
        counts = monthly_published(session, mission, category)
        first, last = min(every), max(every)
        points = []
        current = month(first.year, first.month)
        while current.start <= last:
            value = float(counts.get(current.start, 0))
            points.append(Point(current, value, value, None))
            current = current.next()
        return Derived(points, INCIDENT_SOURCE)

    return derive


def _provisions_implemented(session: Session, mission: Mission, ctx: Context) -> Derived:
    if not mission.host_iso3:
        raise DerivationUnavailable(f"the host country of {mission.acronym} is not recorded")
    rows = [r for r in quarterly_implemented(session, mission.host_iso3) if r[3] > 0]
    if not rows:
        raise DerivationUnavailable(
            f"no commitment of {mission.host_iso3}'s agreements has been assessed yet "
            "(record statuses on /commitments, or import them: peaceops import commitments FILE)"
        )
    points = [Point(quarter(year, q), 100.0 * done / assessed, done, assessed) for year, q, done, assessed in rows]
    return Derived(points, "implementation tracking of the host country's peace agreements (peaceops commitments)")


DERIVATIONS: dict[str, Derivation] = {
    **{f"women_share:{category}": _women_share(category) for category in PARITY_CATEGORIES},
    "malicious_fatalities_per_1000": _malicious_per_1000,
    "host_state_based_deaths": lambda s, m, c: _host_deaths(s, m, c, STATE_BASED),
    "host_one_sided_deaths": lambda s, m, c: _host_deaths(s, m, c, ONE_SIDED),
    "sea_allegations_per_1000": _sea_per_1000,
    "incidents_attacks_on_civilians": _mission_reports("attack_civilians"),
    "incidents_attacks_on_peacekeepers": _mission_reports("attack_peacekeepers"),
    "commitments_implemented_share": _provisions_implemented,
}
# Derivations whose data peaceops cannot load yet, with what they wait for.
PENDING: dict[str, str] = {}


def register_derivation(key: str, derivation: Derivation) -> None:
    """The hook for a new data source: make a derivation computable (and no longer pending).

    A derivation returns monthly points and the source's name, or raises DerivationUnavailable with what
    is missing.

        def sea_per_1000(session, mission, ctx):
            rows = monthly_allegations(session, mission)  # [(first day of month, allegations, deployed)]
            if not rows:
                raise DerivationUnavailable(f"no SEA allegations are loaded for {mission.acronym}")
            points = [Point(month(d.year, d.month), 1000 * n / deployed, n, deployed) for d, n, deployed in rows]
            return Derived(points, "UN table of SEA allegations; IPI monthly mission totals")

        register_derivation("sea_allegations_per_1000", sea_per_1000)
    """
    DERIVATIONS[key] = derivation
    PENDING.pop(key, None)


def derivation_status(key: str | None) -> str | None:
    """None when the derivation can run; else the sentence saying what it waits for."""
    if key in DERIVATIONS:
        return None
    return PENDING.get(key or "", f"derivation {key!r} is not known to peaceops")


def _in_window(framework: ResultsFramework, mission: Mission, period: Period) -> bool:
    start = framework.valid_from
    end = framework.valid_to or mission.end_date
    return period.end >= start and (end is None or period.start <= end)


def compute_derived(
    session: Session, framework: ResultsFramework, *, var_dir: Path | None = None, context: Context | None = None
) -> DerivedReport:
    """Compute every derived indicator of a framework version for all months its data covers and the version's
    validity allows; periods of approved assessments are left untouched."""
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    ctx = context or Context(var_dir)
    locked = lock_checker(session, framework.mission_id)
    indicators: list[dict[str, Any]] = []
    defaults: dict[str, dict[str, int]] = {}
    total = WriteCounts()
    for indicator in framework.indicators:
        if indicator.kind != "derived":
            continue
        entry: dict[str, Any] = {"code": indicator.code, "derivation": indicator.derivation, "values": 0}
        waiting = derivation_status(indicator.derivation)
        if waiting:
            indicators.append({**entry, "status": "pending", "note": waiting})
            continue
        assert indicator.derivation is not None
        try:
            derived = DERIVATIONS[indicator.derivation](session, mission, ctx)
        except DerivationUnavailable as exc:
            indicators.append({**entry, "status": "no_data", "note": str(exc)})
            continue
        points = [p for p in derived.points if _in_window(framework, mission, p.period)]
        counts = write_points(session, indicator, points, actor=ACTOR, source=derived.source, locked=locked)
        if "parity_curves" not in ctx.cache:
            ctx.cache["parity_curves"] = target_curve(session)
        targets = sync_defaults(session, indicator, locked, ctx.cache["parity_curves"])
        if targets:
            defaults[indicator.code] = targets
        total.add(counts)
        first, last = (points[0].period.key, points[-1].period.key) if points else (None, None)
        indicators.append(
            {**entry, "status": "computed", "values": len(points), "first": first, "last": last, "note": ""}
        )
    recompute_formulas(session, framework)
    report = DerivedReport(
        mission=mission.acronym,
        version=framework.version,
        indicators=indicators,
        inserted=total.inserted,
        updated=total.updated,
        unchanged=total.unchanged,
        removed=total.removed,
        locked=total.locked,
    )
    if report.inserted + report.updated + report.removed:
        audit.record(session, ACTOR, "derive", "perf_framework", framework.id, after=report.model_dump())
    if defaults:  # default targets inserted, updated or removed, per indicator
        audit.record(session, ACTOR, "default_targets", "perf_framework", framework.id, after=defaults)
    return report
