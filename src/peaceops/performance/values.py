"""Writing indicator values and targets: validation, history, the approval lock, and formula recomputation.

Every write goes through here, whether it comes from the grid, the API, an uploaded file, a formula or a
derivation. A changed value moves its previous version to ``perf_value_history`` (who had entered it,
when, from what source) before it is replaced; clearing a value keeps it in the history too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, require_mission_editor
from peaceops.errors import PeaceopsError
from peaceops.i18n import N_, _
from peaceops.missions.models import Mission
from peaceops.performance.formula import Formula, FormulaError, dependents, formula_order, parse_formula
from peaceops.performance.frameworks import indicator_by_code
from peaceops.performance.models import (
    Assessment,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    IndicatorValueHistory,
    ResultsFramework,
)
from peaceops.performance.periods import Period, parse_period
from peaceops.performance.shapes import SaveOutcome, TargetSet, ValueVersion
from peaceops.performance.validation import (
    DIMENSION_WORDS,
    ValueRejected,
    check_disaggregation,
    check_not_above,
    check_unit,
    outlier_warning,
    parse_number,
)
from peaceops.store import audit
from peaceops.store.base import utcnow

TOLERANCE = 1e-9


# Words a message names, in English here and translated where a sentence is made.
PERIOD_WORDS = {"month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}


class PeriodLocked(PeaceopsError):
    """The period belongs to an approved assessment; only an administrator's reopening unlocks it."""

    status_code = 409


@dataclass
class Point:
    """One value to store: a period, a disaggregation ('' is the total), the value and its parts."""

    period: Period
    value: float
    numerator: float | None = None
    denominator: float | None = None
    disaggregation: str = ""
    note: str | None = None


@dataclass
class WriteCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    locked: int = 0

    def add(self, other: WriteCounts) -> None:
        for name in ("inserted", "updated", "unchanged", "removed", "locked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def approved_periods(session: Session, mission_id: int) -> list[Assessment]:
    query = select(Assessment).where(Assessment.mission_id == mission_id, Assessment.status == "approved")
    return list(session.scalars(query))


def lock_checker(session: Session, mission_id: int) -> Callable[[Period], Assessment | None]:
    """A function telling which approved assessment (if any) locks a period, from one query."""
    approved = approved_periods(session, mission_id)

    def locked(period: Period) -> Assessment | None:
        for a in approved:
            if a.period_start <= period.start and period.end <= a.period_end:
                return a
        return None

    return locked


def _raise_if_locked(session: Session, framework: ResultsFramework, period: Period) -> None:
    assessment = lock_checker(session, framework.mission_id)(period)
    if assessment is not None:
        mission = session.get(Mission, framework.mission_id)
        raise PeriodLocked(
            _(
                "{period} is locked: the {mission} assessment for {assessed} was approved by {by}. An administrator "
                "must reopen it before values change."
            ).format(
                period=period.key,
                mission=mission.acronym if mission else "",
                assessed=assessment.period,
                by=assessment.approved_by,
            )
        )


def _history_row(old: IndicatorValue, replaced_by: str, at: datetime) -> dict[str, object]:
    return {
        "indicator_id": old.indicator_id,
        "period": old.period,
        "disaggregation": old.disaggregation,
        "value": old.value,
        "numerator": old.numerator,
        "denominator": old.denominator,
        "source": old.source,
        "note": old.note,
        "entered_by": old.entered_by,
        "entered_at": old.entered_at,
        "revision": old.revision,
        "replaced_by": replaced_by,
        "replaced_at": at,
    }


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > TOLERANCE * max(1.0, abs(a), abs(b))


def write_points(
    session: Session,
    indicator: Indicator,
    points: Iterable[Point],
    *,
    actor: str,
    source: str,
    scope: set[str] | None = None,
    locked: Callable[[Period], object] | None = None,
) -> WriteCounts:
    """Bulk upsert of computed values (formulas, derivations) with history; no validation, no permission check.

    Values of the indicator inside ``scope`` (period keys; None means all) that the points do not
    mention are removed (kept in the history): a recomputation replaces what it computed before.
    Periods that ``locked`` reports are left exactly as they are.
    """
    counts = WriteCounts()
    query = select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id)
    if scope is not None:
        query = query.where(IndicatorValue.period.in_(sorted(scope)))
    existing = {(v.period, v.disaggregation): v for v in session.scalars(query)}
    now = utcnow()
    inserts: list[dict[str, object]] = []
    history: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    for p in points:
        key = (p.period.key, p.disaggregation)
        seen.add(key)
        if locked is not None and locked(p.period):
            counts.locked += 1
            continue
        old = existing.get(key)
        if old is None:
            inserts.append(
                {
                    "indicator_id": indicator.id,
                    "period": p.period.key,
                    "period_start": p.period.start,
                    "period_end": p.period.end,
                    "disaggregation": p.disaggregation,
                    "value": p.value,
                    "numerator": p.numerator,
                    "denominator": p.denominator,
                    "source": source,
                    "note": p.note,
                    "warning": None,
                    "entered_by": actor,
                    "entered_at": now,
                    "revision": 1,
                }
            )
            continue
        if not (
            _differs(old.value, p.value)
            or _differs(old.numerator, p.numerator)
            or _differs(old.denominator, p.denominator)
            or old.source != source
        ):
            counts.unchanged += 1
            continue
        history.append(_history_row(old, actor, now))
        old.value, old.numerator, old.denominator = p.value, p.numerator, p.denominator
        old.source, old.note, old.entered_by, old.entered_at = source, p.note, actor, now
        old.revision += 1
        counts.updated += 1
    stale = [v for key, v in existing.items() if key not in seen]
    for old in stale:
        if locked is not None and locked(parse_period(old.period)):
            counts.locked += 1
            continue
        history.append(_history_row(old, actor, now))
        session.delete(old)
        counts.removed += 1
    if inserts:
        session.execute(insert(IndicatorValue), inserts)
        counts.inserted = len(inserts)
    if history:
        session.execute(insert(IndicatorValueHistory), history)
    session.flush()
    return counts


def _formulas(framework: ResultsFramework) -> dict[str, Formula]:
    return {
        i.code: parse_formula(i.numerator or "", i.denominator, i.factor)
        for i in framework.indicators
        if i.kind == "formula"
    }


def recompute_formulas(
    session: Session,
    framework: ResultsFramework,
    *,
    changed: set[str] | None = None,
    periods: set[str] | None = None,
    actor: str = "peaceops (formula)",
) -> list[str]:
    """Recompute formula indicators (those depending on ``changed``, or all) for ``periods`` (or every period
    an input has a value for). Returns a note for each value that could not be computed and why."""
    formulas = _formulas(framework)
    if not formulas:
        return []
    by_code = {i.code: i for i in framework.indicators}
    order = dependents(formulas, changed) if changed is not None else formula_order(formulas, set(by_code))
    locked = lock_checker(session, framework.mission_id)
    notes: list[str] = []
    for code in order:
        formula = formulas[code]
        inputs = [by_code[c] for c in sorted(formula.codes)]
        query = select(IndicatorValue).where(IndicatorValue.indicator_id.in_([i.id for i in inputs]))
        if periods is not None:
            query = query.where(IndicatorValue.period.in_(sorted(periods)))
        table: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
        code_of = {i.id: i.code for i in inputs}
        for v in session.scalars(query):
            table[(v.period, v.disaggregation)][code_of[v.indicator_id]] = v.value
        points = []
        for (period_key, disaggregation), values in sorted(table.items()):
            try:
                value, top, bottom = formula.compute(values)
            except FormulaError as exc:
                where = period_key + (f" ({disaggregation})" if disaggregation else "")
                if "needs a value" not in str(exc):
                    notes.append(f"{code} not computed for {where}: {exc}")
                continue
            points.append(Point(parse_period(period_key), value, top, bottom, disaggregation))
        scope = periods if periods is not None else None
        write_points(session, by_code[code], points, actor=actor, source="formula", scope=scope, locked=locked)
    return notes


def _period_for(indicator: Indicator, framework: ResultsFramework, text: str) -> Period:
    period = parse_period(text)
    if period.kind != indicator.frequency:
        raise ValueRejected(
            _("{code} is reported per {frequency}; {period} is a {kind}.").format(
                code=indicator.code,
                frequency=_(PERIOD_WORDS.get(indicator.frequency, indicator.frequency)),
                period=period.key,
                kind=_(PERIOD_WORDS.get(period.kind, period.kind)),
            )
        )
    if period.end < framework.valid_from or (framework.valid_to and period.start > framework.valid_to):
        raise ValueRejected(
            _("{period} is outside framework version {version} ({start} - {end}).").format(
                period=period.key,
                version=framework.version,
                start=framework.valid_from.isoformat(),
                end=framework.valid_to.isoformat() if framework.valid_to else _("now"),
            )
        )
    return period


def _current(session: Session, indicator_id: int, period: str) -> dict[str, IndicatorValue]:
    query = select(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id, IndicatorValue.period == period)
    return {v.disaggregation: v for v in session.scalars(query)}


def _check_relations(
    session: Session, framework: ResultsFramework, indicator: Indicator, period: Period, key: str, value: float
) -> None:
    """Parts never exceed their whole: disaggregations against the total, ``not_above`` pairs both ways."""
    same = _current(session, indicator.id, period.key)
    label = indicator.code + (f" [{key}]" if key else "")
    if indicator.unit in ("count", "usd", "days"):
        if key:
            total = same.get("")
            check_not_above(
                value, total.value if total else None, label, _("the total of {code}").format(code=indicator.code)
            )
            dimension = key.split(":", 1)[0]
            others = sum(v.value for k, v in same.items() if k.startswith(dimension + ":") and k != key)
            if total is not None and others + value > total.value + TOLERANCE:
                raise ValueRejected(
                    _(
                        "{label} is {value}; with the other {dimension} figures ({others}) that is more than the "
                        "total of {code} ({total}) for {period}."
                    ).format(
                        label=label,
                        value=f"{value:g}",
                        dimension=_(DIMENSION_WORDS.get(dimension, dimension)),
                        others=f"{others:g}",
                        code=indicator.code,
                        total=f"{total.value:g}",
                        period=period.key,
                    )
                )
        else:
            for k, v in same.items():
                if k and v.value > value + TOLERANCE:
                    raise ValueRejected(
                        _("The total of {code} cannot be {value}: {part} is already {stored} for {period}.").format(
                            code=indicator.code, value=f"{value:g}", part=k, stored=f"{v.value:g}", period=period.key
                        )
                    )
            sums: dict[str, float] = defaultdict(float)
            for k, v in same.items():
                if k:
                    sums[k.split(":", 1)[0]] += v.value
            for dimension, part in sums.items():
                if part > value + TOLERANCE:
                    raise ValueRejected(
                        _(
                            "The total of {code} cannot be {value}: its {dimension} figures add up to {sum} "
                            "for {period}."
                        ).format(
                            code=indicator.code,
                            value=f"{value:g}",
                            dimension=_(DIMENSION_WORDS.get(dimension, dimension)),
                            sum=f"{part:g}",
                            period=period.key,
                        )
                    )
    by_code = {i.code: i for i in framework.indicators}
    if indicator.not_above and indicator.not_above in by_code:
        limit = _current(session, by_code[indicator.not_above].id, period.key).get(key)
        check_not_above(value, limit.value if limit else None, label, indicator.not_above)
    for other in framework.indicators:
        if other.not_above == indicator.code:
            stored = _current(session, other.id, period.key).get(key)
            if stored is not None and stored.value > value + TOLERANCE:
                raise ValueRejected(
                    _(
                        "{label} cannot be {value}: {other} is already {stored} for {period} and must not "
                        "exceed {code}."
                    ).format(
                        label=label,
                        value=f"{value:g}",
                        other=other.code,
                        stored=f"{stored.value:g}",
                        period=period.key,
                        code=indicator.code,
                    )
                )


def _history_values(session: Session, indicator: Indicator, key: str, period: str) -> list[float]:
    query = select(IndicatorValue.value).where(
        IndicatorValue.indicator_id == indicator.id,
        IndicatorValue.disaggregation == key,
        IndicatorValue.period != period,
    )
    return [float(v) for v in session.scalars(query)]


def save_value(
    session: Session,
    framework: ResultsFramework,
    code: str,
    period: str,
    raw: str | float | None,
    actor: Actor,
    *,
    disaggregation: str = "",
    source: str = "web form",
    note: str | None = None,
) -> SaveOutcome:
    """Validate and store one entered value (None or '' clears it); raises ValueRejected or PeriodLocked."""
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    require_mission_editor(actor, mission.acronym)
    indicator = indicator_by_code(session, framework, code)
    if indicator.kind != "entered":
        sentence = (
            N_("{code} is a formula indicator: peaceops computes it from its formula; it cannot be typed in.")
            if indicator.kind == "formula"
            else N_("{code} is a derived indicator: peaceops derives it from the data it holds; it cannot be typed in.")
        )
        raise ValueRejected(_(sentence).format(code=indicator.code))
    p = _period_for(indicator, framework, period)
    _raise_if_locked(session, framework, p)
    key = check_disaggregation(disaggregation, list(indicator.disaggregations or []), framework.regions or [], code)
    value = parse_number(raw)
    old = _current(session, indicator.id, p.key).get(key)
    now = utcnow()
    fields = {"code": indicator.code, "period": p.key, "disaggregation": key, "value": value}
    unchanged = SaveOutcome(**fields, status="unchanged", warning=None, notes=[])
    note = (note or "").strip() or None
    before: dict[str, object] | None
    warning: str | None = None
    if value is None:
        if old is None:
            return unchanged
        session.execute(insert(IndicatorValueHistory), [_history_row(old, actor.username, now)])
        before = {"value": old.value, "revision": old.revision}
        session.delete(old)
        session.flush()
        status = "cleared"
        audit.record(session, actor.username, "clear", "perf_value", _entity(mission, indicator, p, key), before=before)
    else:
        check_unit(indicator.unit, value, indicator.code)
        _check_relations(session, framework, indicator, p, key, value)
        if old is not None and not _differs(old.value, value) and (note is None or note == old.note):
            return unchanged
        warning = outlier_warning(_history_values(session, indicator, key, p.key), value)
        if old is None:
            session.add(
                IndicatorValue(
                    indicator_id=indicator.id,
                    period=p.key,
                    period_start=p.start,
                    period_end=p.end,
                    disaggregation=key,
                    value=value,
                    source=source,
                    note=note,
                    warning=warning,
                    entered_by=actor.username,
                    entered_at=now,
                    revision=1,
                )
            )
            before = None
        else:
            session.execute(insert(IndicatorValueHistory), [_history_row(old, actor.username, now)])
            before = {"value": old.value, "revision": old.revision, "entered_by": old.entered_by}
            old.value, old.source, old.note, old.warning = value, source, note or old.note, warning
            old.entered_by, old.entered_at, old.revision = actor.username, now, old.revision + 1
            old.numerator = old.denominator = None
        session.flush()
        status = "saved"
        after = {"value": value, "source": source, "warning": warning}
        audit.record(
            session,
            actor.username,
            "update" if before else "create",
            "perf_value",
            _entity(mission, indicator, p, key),
            before=before,
            after=after,
        )
    notes = recompute_formulas(session, framework, changed={indicator.code}, periods={p.key})
    return SaveOutcome(**fields, status=status, warning=warning, notes=notes)


def _entity(mission: Mission, indicator: Indicator, period: Period, key: str) -> str:
    return f"{mission.acronym}/{indicator.code}/{period.key}" + (f"/{key}" if key else "")


def set_target(
    session: Session,
    framework: ResultsFramework,
    code: str,
    period: str,
    raw: str | float | None,
    actor: Actor,
    *,
    disaggregation: str = "",
    source: str = "",
) -> TargetSet:
    """Set (or clear, with None) an indicator's target for a period; the period may be longer than the
    indicator's frequency (a yearly target for a monthly indicator), never shorter. The answer is the
    target as it stands (``value`` None: there is none)."""
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    require_mission_editor(actor, mission.acronym)
    indicator = indicator_by_code(session, framework, code)
    p = parse_period(period)
    order = {"month": 0, "quarter": 1, "year": 2}
    if order[p.kind] < order[indicator.frequency]:
        raise ValueRejected(
            _("{code} is reported per {frequency}; a target per {kind} is finer.").format(
                code=indicator.code,
                frequency=_(PERIOD_WORDS.get(indicator.frequency, indicator.frequency)),
                kind=_(PERIOD_WORDS.get(p.kind, p.kind)),
            )
        )
    _raise_if_locked(session, framework, p)
    key = check_disaggregation(disaggregation, list(indicator.disaggregations or []), framework.regions or [], code)
    value = parse_number(raw)
    answer = TargetSet(code=indicator.code, period=p.key, disaggregation=key, value=value)
    existing = session.scalar(
        select(IndicatorTarget).where(
            IndicatorTarget.indicator_id == indicator.id,
            IndicatorTarget.period == p.key,
            IndicatorTarget.disaggregation == key,
        )
    )
    before = {"value": existing.value, "set_by": existing.set_by} if existing else None
    if value is None:
        if existing is not None:
            session.delete(existing)
    else:
        check_unit(indicator.unit, value, _("The target of {code}").format(code=indicator.code))
        if existing is None:
            session.add(
                IndicatorTarget(
                    indicator_id=indicator.id,
                    period=p.key,
                    period_start=p.start,
                    period_end=p.end,
                    disaggregation=key,
                    value=value,
                    source=source or "set by the mission",
                    set_by=actor.username,
                )
            )
        elif not _differs(existing.value, value) and not existing.rule:
            return answer
        else:
            # A person's target from now on (even at the default's value): a rerun of the defaults leaves it.
            existing.value, existing.set_by, existing.set_at = value, actor.username, utcnow()
            existing.source = source or ("set by the mission" if existing.rule else existing.source)
            existing.rule = ""
    session.flush()
    if before is not None or value is not None:
        audit.record(
            session,
            actor.username,
            "target",
            "perf_target",
            _entity(mission, indicator, p, key),
            before=before,
            after={"value": value} if value is not None else None,
        )
    return answer


def set_baseline(
    session: Session, framework: ResultsFramework, code: str, raw: str | float | None, period: str | None, actor: Actor
) -> None:
    """Record an indicator's baseline (the value progress is measured from) and the period it refers to."""
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    require_mission_editor(actor, mission.acronym)
    indicator = indicator_by_code(session, framework, code)
    value = parse_number(raw)
    if value is not None:
        check_unit(indicator.unit, value, _("The baseline of {code}").format(code=indicator.code))
    before = {"baseline": indicator.baseline, "baseline_period": indicator.baseline_period}
    indicator.baseline = value
    indicator.baseline_period = parse_period(period).key if period else None
    audit.record(
        session,
        actor.username,
        "baseline",
        "perf_indicator",
        f"{mission.acronym}/{indicator.code}",
        before=before,
        after={"baseline": value, "baseline_period": indicator.baseline_period},
    )


def value_history(session: Session, indicator: Indicator, period: str, disaggregation: str = "") -> list[ValueVersion]:
    """The current value and every earlier version of one cell, newest first."""
    out: list[ValueVersion] = []
    current = _current(session, indicator.id, period).get(disaggregation)
    if current is not None:
        out.append(
            ValueVersion(
                value=current.value,
                revision=current.revision,
                source=current.source,
                note=current.note,
                entered_by=current.entered_by,
                entered_at=current.entered_at.isoformat(timespec="seconds"),
                current=True,
                replaced_by=None,
                replaced_at=None,
            )
        )
    query = (
        select(IndicatorValueHistory)
        .where(
            IndicatorValueHistory.indicator_id == indicator.id,
            IndicatorValueHistory.period == period,
            IndicatorValueHistory.disaggregation == disaggregation,
        )
        .order_by(IndicatorValueHistory.id.desc())
    )
    for h in session.scalars(query):
        out.append(
            ValueVersion(
                value=h.value,
                revision=h.revision,
                source=h.source,
                note=h.note,
                entered_by=h.entered_by,
                entered_at=h.entered_at.isoformat(timespec="seconds"),
                current=False,
                replaced_by=h.replaced_by,
                replaced_at=h.replaced_at.isoformat(timespec="seconds"),
            )
        )
    return out
