"""Budget lines per mission and period (approved, committed, spent, in US dollars) and the cost per output
where the mission's results framework allows it.

A cost per output is computed for a line that names an indicator when that indicator, in the framework
version valid during the period, counts outputs (unit ``count``, summed over periods): its values (totals,
not disaggregations) for the reporting periods inside the budget period are added up, and the line's spent
amount is divided by them. A line whose indicator is a share or a rate, is missing, or has no value in the
period gets no figure, and the note says why: nothing is guessed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.errors import NotFound
from peaceops.i18n import _, format_number
from peaceops.missions.models import Mission
from peaceops.performance.frameworks import framework_at
from peaceops.performance.overview import indicator_detail
from peaceops.performance.periods import parse_period, periods_between
from peaceops.resources.models import ResourceBudget
from peaceops.resources.shapes import BudgetOut


def _share(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def cost_per_output(session: Session, mission: Mission, line: ResourceBudget) -> tuple[float | None, float | None, str]:
    """(outputs, cost per output, note) of one budget line."""
    code = line.indicator_code
    if not code:
        return None, None, ""
    try:
        framework = framework_at(session, mission, line.period_start, line.period_end)
    except NotFound:
        why = _("No cost per output: no results framework of {mission} covers {period}.")
        return None, None, why.format(mission=mission.acronym, period=line.period)
    try:
        detail = indicator_detail(session, framework, code)
    except NotFound:
        why = _("No cost per output: {code} is not in the results framework valid in {period}.")
        return None, None, why.format(code=code, period=line.period)
    definition = detail.indicator
    if definition.unit != "count" or definition.aggregation != "sum":
        why = _(
            "No cost per output: {code} is measured in {unit} ({aggregation}); only an indicator counting outputs "
            "(unit count, summed) gives one."
        )
        return None, None, why.format(code=code, unit=definition.unit, aggregation=definition.aggregation)
    inside = [
        v for v in detail.values
        if v.disaggregation == "" and line.period_start <= parse_period(v.period).start
        and parse_period(v.period).end <= line.period_end
    ]  # fmt: skip
    if not inside:
        return (
            None,
            None,
            _("No cost per output: {code} has no value inside {period}.").format(code=code, period=line.period),
        )
    outputs = sum(v.value for v in inside)
    if outputs <= 0:
        return (
            outputs,
            None,
            _("No cost per output: {code} counts no output inside {period}.").format(code=code, period=line.period),
        )
    expected = len(periods_between(definition.frequency, line.period_start, line.period_end))
    note = _(
        "{spent} US dollars spent over {outputs} ({code}: {name}), from {n} of {m} reporting periods."
    ).format(
        spent=format_number(line.spent, 0), outputs=format_number(outputs), code=code, name=definition.name,
        n=len(inside), m=expected,
    )  # fmt: skip
    return outputs, round(line.spent / outputs, 2), note


def budget_rows(session: Session, mission: Mission) -> list[BudgetOut]:
    """The mission's budget lines, newest period first, with their execution and cost per output."""
    lines = session.scalars(
        select(ResourceBudget)
        .where(ResourceBudget.mission_id == mission.id)
        .order_by(ResourceBudget.period_start.desc(), ResourceBudget.category)
    )
    out = []
    for b in lines:
        outputs, cost, note = cost_per_output(session, mission, b)
        out.append(
            BudgetOut(
                mission=mission.acronym, period=b.period, period_start=b.period_start, period_end=b.period_end,
                category=b.category, approved=b.approved, committed=b.committed, spent=b.spent,
                committed_percent=_share(b.committed, b.approved), spent_percent=_share(b.spent, b.approved),
                indicator_code=b.indicator_code, outputs=outputs, cost_per_output=cost, cost_note=note,
            )
        )  # fmt: skip
    return out
