"""Whether protection holds as the mission leaves, computed from evidence (decision 045).

For each base the mission has closed, the months before and after the closure are compared within
``RADIUS_KM`` of the base:

- conflict events that harmed civilians (UCDP GED / ACLED in the event store: one-sided violence, or any
  event with civilian deaths), where the loaded files cover the base's country over both windows;
- the mission's own published reports of attacks on civilians, where the reader may read the mission's
  incident reports (``incidents.access``) and the mission published reports over both windows.

A source *rises* when the months after hold at least ``max(RISE_MIN, RISE_SHARE x before)`` more events than
the months before. An area is ``deteriorating`` when a covered source rises, ``holding`` when the conflict
events cover it and do not rise (the mission's own reports alone never show that protection holds: fewer
patrols in a vacated area also mean fewer reports), ``too_early`` while the months after have not ended, and
``no_data`` otherwise.

The mission is ``at_risk`` when an area deteriorates or one of its protection indicators is off track in the
newest assessed quarter since the transition began; ``holding`` when some evidence says so and none says
otherwise; ``unknown`` when nothing tells.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, may_read_mission
from peaceops.errors import PermissionDenied
from peaceops.geography.codes import country_name, gw_from_iso3
from peaceops.i18n import _, format_number, ngettext
from peaceops.incidents.access import audit_restricted_reads
from peaceops.incidents.analysis import monthly_published
from peaceops.incidents.models import Incident
from peaceops.incidents.views import Filters, visible_query
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.store.coverage import coverage_by_country
from peaceops.transitions.indicators import protection_readings
from peaceops.transitions.listing import WHAT
from peaceops.transitions.models import DrawdownStep, TransitionBase, TransitionPlan
from peaceops.transitions.shapes import Count, IndicatorReading, Protection, SourceCount, VacatedArea
from peaceops.transitions.vocabulary import MISSION_VERDICTS, VERDICTS, label

RADIUS_KM = 50.0
WINDOW_MONTHS = 6
RISE_MIN = 2
RISE_SHARE = 0.5
ATTACKS_ON_CIVILIANS = "attack_civilians"  # the incident category of the default taxonomy


def _add_months(first: date, n: int) -> date:
    index = first.year * 12 + first.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def windows(closed: date) -> tuple[date, date, date, date]:
    """First months of (before start, before end, after start, after end): the ``WINDOW_MONTHS`` whole months
    on each side of the closure's month, which belongs to neither."""
    month = closed.replace(day=1)
    return (_add_months(month, -WINDOW_MONTHS), _add_months(month, -1), _add_months(month, 1),
            _add_months(month, WINDOW_MONTHS))  # fmt: skip


def _last_day(first: date) -> date:
    return _add_months(first, 1) - timedelta(days=1)


def _span(first: date, last: date) -> str:
    return f"{first:%Y-%m}..{last:%Y-%m}"


def rising(before: int, after: int) -> bool:
    """The rule of decision 045: at least RISE_MIN more, and at least RISE_SHARE more than before."""
    return after - before >= max(RISE_MIN, RISE_SHARE * before)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _box(lat: float) -> tuple[float, float]:
    """Half the sides, in degrees, of a box holding the circle of RADIUS_KM around a point at ``lat``."""
    dlat = RADIUS_KM / 111.0 + 0.05
    return dlat, min(180.0, dlat / max(math.cos(math.radians(lat)), 0.01))


def _events(var_dir: Path | None, spans: dict[int, tuple[date, date]], base: TransitionBase) -> SourceCount:
    """Conflict events that harmed civilians around the base, before and after it closed."""
    from peaceops.store.events import event_files, events_table

    assert base.actual_closure is not None
    b0, b1, a0, a1 = windows(base.actual_closure)
    gw = gw_from_iso3(base.country_iso3)
    span = spans.get(gw) if gw is not None else None
    if var_dir is None or not event_files(var_dir) or span is None or span[0] > b0 or span[1] < a1:
        note = _("The conflict events loaded do not cover {country} from {start} to {end}.").format(
            country=country_name(base.country_iso3) or base.country_iso3, start=f"{b0:%Y-%m}", end=f"{a1:%Y-%m}"
        )
        return SourceCount(source="events", covered=False, before=None, after=None, deaths_before=None,
                           deaths_after=None, rising=None, note=note)  # fmt: skip
    dlat, dlon = _box(base.latitude)
    table = events_table(var_dir)
    rows = (
        table.filter(
            table.month >= b0,
            table.month <= a1,
            table.latitude.between(base.latitude - dlat, base.latitude + dlat),
            table.longitude.between(base.longitude - dlon, base.longitude + dlon),
            (table.type_of_violence == 3) | (table.deaths_civilians.fill_null(0) > 0),
        )
        .select("month", "latitude", "longitude", "deaths_civilians")
        .to_pyarrow()
        .to_pylist()
    )
    counts = {"before": 0, "after": 0}
    deaths = {"before": 0, "after": 0}
    for r in rows:
        if km(base.latitude, base.longitude, r["latitude"], r["longitude"]) > RADIUS_KM:
            continue
        side = "before" if r["month"] <= b1 else "after" if r["month"] >= a0 else None
        if side:
            counts[side] += 1
            deaths[side] += r["deaths_civilians"] or 0
    return SourceCount(
        source="events", covered=True, before=counts["before"], after=counts["after"],
        deaths_before=deaths["before"], deaths_after=deaths["after"], rising=rising(counts["before"], counts["after"]),
    )  # fmt: skip


def _reports(session: Session, who: Actor, mission: Mission, base: TransitionBase) -> SourceCount:
    """The mission's published reports of attacks on civilians around the base that ``who`` may read."""
    assert base.actual_closure is not None
    b0, b1, a0, a1 = windows(base.actual_closure)
    published = monthly_published(session, mission)
    if not published or min(published) > b0 or max(published) < a1:
        return SourceCount(source="reports", covered=False, before=None, after=None, deaths_before=None,
                           deaths_after=None, rising=None,
                           note=_("The mission's published reports do not span both periods."))  # fmt: skip
    columns = [Incident.id, Incident.compartment, Incident.occurred_at, Incident.latitude, Incident.longitude,
               Incident.civilians_killed]  # fmt: skip
    filters = Filters(mission=mission.acronym, start=b0, end=_last_day(a1), category=ATTACKS_ON_CIVILIANS,
                      status="published")  # fmt: skip
    try:
        query = visible_query(who, filters, columns)
    except PermissionDenied:
        return SourceCount(source="reports", covered=False, before=None, after=None, deaths_before=None,
                           deaths_after=None, rising=None,
                           note=_("Your role does not read the mission's incident reports."))  # fmt: skip
    counts = {"before": 0, "after": 0}
    deaths = {"before": 0, "after": 0}
    shown: list[tuple[int, str | None]] = []
    before_end = datetime.combine(_last_day(b1), time.max)
    after_start = datetime.combine(a0, time.min)
    for incident_id, compartment, when, lat, lon, killed in session.execute(query):
        if km(base.latitude, base.longitude, lat, lon) > RADIUS_KM:
            continue
        side = "before" if when <= before_end else "after" if when >= after_start else None
        if side:
            counts[side] += 1
            deaths[side] += killed or 0
            if compartment:
                shown.append((incident_id, compartment))
    audit_restricted_reads(session, who, shown, "transition protection")
    return SourceCount(
        source="reports", covered=True, before=counts["before"], after=counts["after"],
        deaths_before=deaths["before"], deaths_after=deaths["after"], rising=rising(counts["before"], counts["after"]),
    )  # fmt: skip


def vacated_area(
    session: Session,
    who: Actor,
    mission: Mission,
    base: TransitionBase,
    var_dir: Path | None,
    spans: dict[int, tuple[date, date]],
    as_of: date,
) -> VacatedArea:
    """One closed base: the evidence around it and the verdict of decision 045."""
    assert base.actual_closure is not None
    b0, b1, a0, a1 = windows(base.actual_closure)
    common = {"base": base.name, "country_iso3": base.country_iso3, "closed": base.actual_closure,
              "before": _span(b0, b1), "after": _span(a0, a1)}  # fmt: skip
    if _last_day(a1) >= as_of:
        why = _("{base} closed on {closed}; the months compared after it run to {end}.").format(
            base=base.name, closed=base.actual_closure.isoformat(), end=f"{a1:%Y-%m}"
        )
        return VacatedArea(**common, sources=[], verdict="too_early", verdict_label=label(VERDICTS, "too_early"),
                           why=why)  # fmt: skip
    sources = [_events(var_dir, spans, base), _reports(session, who, mission, base)]
    events, reports = sources
    radius = format_number(RADIUS_KM, 0)
    if events.rising:
        verdict = "deteriorating"
        why = _(
            "Conflict events harming civilians within {radius} km of {base} rose from {before} ({before_span}) to "
            "{after} ({after_span}) after it closed."
        ).format(radius=radius, base=base.name, before=events.before, after=events.after, before_span=_span(b0, b1),
                 after_span=_span(a0, a1))  # fmt: skip
    elif reports.rising:
        verdict = "deteriorating"
        why = _(
            "The mission's reports of attacks on civilians within {radius} km of {base} rose from {before} "
            "({before_span}) to {after} ({after_span}) after it closed."
        ).format(radius=radius, base=base.name, before=reports.before, after=reports.after,
                 before_span=_span(b0, b1), after_span=_span(a0, a1))  # fmt: skip
    elif events.covered:
        verdict = "holding"
        why = _(
            "Conflict events harming civilians within {radius} km of {base}: {before} ({before_span}) before it "
            "closed and {after} ({after_span}) after; no rise."
        ).format(radius=radius, base=base.name, before=events.before, after=events.after, before_span=_span(b0, b1),
                 after_span=_span(a0, a1))  # fmt: skip
    else:
        verdict = "no_data"
        why = _(
            "No conflict events loaded cover the area of {base} before and after it closed; the mission's own "
            "reports alone cannot show that protection holds (fewer patrols also mean fewer reports)."
        ).format(base=base.name)
    return VacatedArea(**common, sources=sources, verdict=verdict, verdict_label=label(VERDICTS, verdict), why=why)


def _transition_start(session: Session, plan: TransitionPlan) -> date | None:
    """The first drawdown step or base closure of the plan, else the day it was adopted."""
    firsts = [
        session.scalar(select(func.min(DrawdownStep.planned_date)).where(DrawdownStep.plan_id == plan.id)),
        session.scalar(select(func.min(TransitionBase.actual_closure)).where(TransitionBase.plan_id == plan.id)),
        session.scalar(select(func.min(TransitionBase.planned_closure)).where(TransitionBase.plan_id == plan.id)),
    ]
    known = [d for d in firsts if d is not None]
    return min(known) if known else plan.adopted


def _newest(readings: list[IndicatorReading]) -> list[IndicatorReading]:
    if not readings:
        return []
    last = max(r.period for r in readings)
    return [r for r in readings if r.period == last]


def protection(
    session: Session, who: Actor, acronym: str, var_dir: Path | None, as_of: date | None = None
) -> Protection:
    """Whether protection holds in the areas the mission left and in the mission's protection indicators."""
    mission = find_mission(session, acronym)
    day = as_of or date.today()
    plan = session.scalar(select(TransitionPlan).where(TransitionPlan.mission_id == mission.id))
    bases = (
        list(
            session.scalars(
                select(TransitionBase)
                .where(TransitionBase.plan_id == plan.id, TransitionBase.actual_closure.is_not(None))
                .order_by(TransitionBase.actual_closure, TransitionBase.name)
            )
        )
        if plan
        else []
    )
    spans = coverage_by_country(session) if bases else {}
    areas = [vacated_area(session, who, mission, b, var_dir, spans, day) for b in bases]
    readings = protection_readings(session, mission, _transition_start(session, plan)) if plan else []
    newest = _newest(readings)
    off = [r for r in newest if r.status == "off_track"]
    worse = [a for a in areas if a.verdict == "deteriorating"]
    good = [a for a in areas if a.verdict == "holding"] + [r for r in newest if r.status == "on_track"]
    sentences = []
    if worse:
        sentences.append(
            ngettext(
                "{count} of the {total} vacated areas shows more harm to civilians after the mission left.",
                "{count} of the {total} vacated areas show more harm to civilians after the mission left.",
                len(worse),
            ).format(count=len(worse), total=len(areas))
        )
    if off:
        sentences.append(
            _("Off track in {period}: {codes}.").format(period=off[0].period, codes=", ".join(r.code for r in off))
        )
    if worse or off:
        verdict = "at_risk"
    elif good:
        verdict = "holding"
        sentences.append(_("The evidence loaded shows no rise in harm to civilians where the mission left."))
    else:
        verdict = "unknown"
        sentences.append(
            _("No closed base has evidence around it yet and no protection indicator is rated since the "
              "transition began.")
        )  # fmt: skip
    shown = may_read_mission(who, mission.acronym, WHAT)
    counted = [a.verdict for a in areas]
    return Protection(
        mission=mission.acronym, as_of=day, radius_km=RADIUS_KM, window_months=WINDOW_MONTHS, verdict=verdict,
        verdict_label=label(MISSION_VERDICTS, verdict), why=" ".join(sentences),
        areas_by_verdict=[Count(code=v, label=label(VERDICTS, v), count=counted.count(v)) for v in VERDICTS
                          if v in counted],
        areas_shown=shown, areas=areas if shown else [], indicators=readings,
    )  # fmt: skip
