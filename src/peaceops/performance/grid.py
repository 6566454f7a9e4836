"""The data-entry grid of one framework version for one period: one row per indicator and disaggregation.

Only indicators reported at the period's frequency appear (monthly ones in a month's grid, quarterly
ones in a quarter's); formula and derived rows are read-only and show where their value came from.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.i18n import N_, _
from peaceops.missions.models import Mission
from peaceops.performance.defaults import source_text
from peaceops.performance.derived import derivation_status
from peaceops.performance.models import Indicator, IndicatorTarget, IndicatorValue, Result, ResultsFramework
from peaceops.performance.periods import Period
from peaceops.performance.rating import rule_text
from peaceops.performance.shapes import Grid, GridRow
from peaceops.performance.validation import CATEGORY_KEYS, SEX_KEYS, UNIT_LABELS
from peaceops.performance.values import lock_checker
from peaceops.personnel.categories import PARITY_LABELS

DISAGGREGATION_LABELS = {"female": N_("Women"), "male": N_("Men"), **PARITY_LABELS}  # shown with _()
DIMENSION_LABELS = {"sex": N_("Sex"), "category": N_("Category"), "region": N_("Region")}


def disaggregation_keys(indicator: Indicator, regions: list[str]) -> list[str]:
    """'' (the total) first, then every member of each dimension the indicator is disaggregated by."""
    keys = [""]
    for dimension in indicator.disaggregations or []:
        members = {"sex": SEX_KEYS, "category": CATEGORY_KEYS}.get(dimension, tuple(regions))
        keys += [f"{dimension}:{m}" for m in members]
    return keys


def disaggregation_label(key: str) -> str:
    """A row's breakdown in the current language ("Sex: Women", « Sexe : Femmes »); a region is named as it is."""
    if not key:
        return _("Total")
    dimension, _sep, member = key.partition(":")
    return _("{dimension}: {member}").format(
        dimension=_(DIMENSION_LABELS[dimension]) if dimension in DIMENSION_LABELS else dimension.capitalize(),
        member=_(DISAGGREGATION_LABELS[member]) if member in DISAGGREGATION_LABELS else member,
    )


def grid(session: Session, framework: ResultsFramework, period: Period) -> Grid:
    """Rows for the grid and its JSON twin, with the current value, target, previous value and provenance."""
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    results = {r.id: r for r in session.scalars(select(Result).where(Result.framework_id == framework.id))}
    indicators = [i for i in framework.indicators if i.frequency == period.kind]
    other = sorted({i.frequency for i in framework.indicators} - {period.kind})
    ids = [i.id for i in indicators]
    previous = period.previous()

    def values_for(key: str) -> dict[tuple[int, str], IndicatorValue]:
        query = select(IndicatorValue).where(IndicatorValue.indicator_id.in_(ids), IndicatorValue.period == key)
        return {(v.indicator_id, v.disaggregation): v for v in session.scalars(query)}

    current, before = values_for(period.key), values_for(previous.key)
    targets: dict[tuple[int, str], IndicatorTarget] = {}
    for t in session.scalars(
        select(IndicatorTarget).where(
            IndicatorTarget.indicator_id.in_(ids),
            IndicatorTarget.period_start <= period.start,
            IndicatorTarget.period_end >= period.end,
        )
    ):
        cell = (t.indicator_id, t.disaggregation)
        best = targets.get(cell)
        if best is None or (t.period_end - t.period_start) < (best.period_end - best.period_start):
            targets[cell] = t
    locked = lock_checker(session, framework.mission_id)(period)
    in_version = period.end >= framework.valid_from and (
        framework.valid_to is None or period.start <= framework.valid_to
    )
    rows = []
    for i in indicators:
        result = results[i.result_id]
        objective = results[i.objective_id]
        pending = derivation_status(i.derivation) if i.kind == "derived" else None
        for key in disaggregation_keys(i, list(framework.regions or [])):
            v = current.get((i.id, key))
            p = before.get((i.id, key))
            target = targets.get((i.id, key))
            rows.append(
                GridRow(
                    code=i.code,
                    name=i.name,
                    objective=objective.code,
                    result=result.code,
                    unit=i.unit,
                    unit_label=UNIT_LABELS.get(i.unit, i.unit),
                    direction=i.direction,
                    kind=i.kind,
                    disaggregation=key,
                    disaggregation_label=disaggregation_label(key),
                    editable=i.kind == "entered" and not locked and in_version,
                    target_editable=not locked and in_version,
                    baseline=i.baseline if not key else None,
                    target=target.value if target else None,
                    target_period=target.period if target else None,
                    target_source=source_text(target.source) if target else None,
                    target_rule=rule_text(target.rule) if target else None,
                    value=v.value if v else None,
                    numerator=v.numerator if v else None,
                    denominator=v.denominator if v else None,
                    previous=p.value if p else None,
                    source=v.source if v else None,
                    note=v.note if v else None,
                    warning=v.warning if v else None,
                    entered_by=v.entered_by if v else None,
                    entered_at=v.entered_at.isoformat(timespec="seconds") if v else None,
                    revision=v.revision if v else None,
                    pending=pending,
                )
            )
    return Grid(
        mission=mission.acronym,
        version=framework.version,
        period=period.key,
        period_kind=period.kind,
        period_label=period.label,
        previous_period=previous.key,
        next_period=period.next().key,
        locked=locked is not None,
        locked_by=locked.approved_by if locked else None,
        locked_assessment=locked.period if locked else None,
        in_version=in_version,
        other_frequencies=other,
        rows=rows,
    )
