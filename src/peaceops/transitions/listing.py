"""Reading the transition registers for pages, the API and the exports (decision 045).

Plans and drawdown steps are aggregates every signed-in user reads: what a Security Council resolution
publishes (the exit date, personnel ceilings), and counts of benchmarks, tasks and bases by status. The
benchmarks, the tasks handed over (who, by when) and the bases (where) are the mission's planning records:
analysts and administrators read every mission's, mission officers their own mission's, viewers none
(``access.policy.record_scope``).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_mission, record_scope
from peaceops.missions.lookup import find_mission
from peaceops.missions.models import Mission
from peaceops.personnel.series import strength_by_category
from peaceops.transitions.indicators import newest_ratings
from peaceops.transitions.models import (
    DrawdownStep,
    TransitionBase,
    TransitionBenchmark,
    TransitionPlan,
    TransitionTask,
)
from peaceops.transitions.shapes import (
    BaseOut,
    BenchmarkOut,
    Count,
    DrawdownStepOut,
    PlanOut,
    TaskOut,
    TransitionOut,
)
from peaceops.transitions.vocabulary import (
    BASE_STATUSES,
    BENCHMARK_STATUSES,
    CATEGORIES,
    DONE_TASKS,
    PHASES,
    RECIPIENTS,
    TASK_STATUSES,
    label,
)

WHAT = "transition records"


def _plans(session: Session, mission: str | None) -> list[tuple[TransitionPlan, Mission]]:
    query = select(TransitionPlan, Mission).join(Mission, Mission.id == TransitionPlan.mission_id)
    if mission:
        query = query.where(Mission.id == find_mission(session, mission).id)
    return [(p, m) for p, m in session.execute(query.order_by(Mission.acronym)).all()]


def _counts(table: dict[str, object], values: list[str]) -> list[Count]:
    found = Counter(values)
    return [Count(code=c, label=label(table, c), count=found[c]) for c in table if found[c]]


def _of_plan(session: Session, model: Any, column: Any, plan_id: int) -> list[Any]:
    return list(session.scalars(select(column).where(model.plan_id == plan_id)))


def plan_list(session: Session, mission: str | None = None) -> list[PlanOut]:
    """The plans as their file holds them (the export)."""
    return [
        PlanOut(mission=m.acronym, title=p.title, adopted=p.adopted, planned_exit=p.planned_exit,
                resolution=p.resolution, phase=p.phase)
        for p, m in _plans(session, mission)
    ]  # fmt: skip


def transition_list(session: Session, mission: str | None = None, as_of: date | None = None) -> list[TransitionOut]:
    """Each plan with its aggregates; an empty list where no plan is recorded (NotFound for an unknown mission)."""
    day = as_of or date.today()
    out = []
    for plan, m in _plans(session, mission):
        tasks = session.execute(
            select(TransitionTask.status, TransitionTask.recipient, TransitionTask.due).where(
                TransitionTask.plan_id == plan.id
            )
        ).all()
        out.append(
            TransitionOut(
                mission=m.acronym, mission_name=m.name, title=plan.title, adopted=plan.adopted,
                planned_exit=plan.planned_exit, resolution=plan.resolution, phase=plan.phase,
                phase_label=label(PHASES, plan.phase),
                benchmarks=_counts(BENCHMARK_STATUSES,
                                   _of_plan(session, TransitionBenchmark, TransitionBenchmark.status, plan.id)),
                tasks=_counts(TASK_STATUSES, [s for s, _r, _d in tasks]),
                tasks_by_recipient=_counts(RECIPIENTS, [r for _s, r, _d in tasks]),
                tasks_overdue=sum(1 for s, _r, due in tasks if due < day and s not in DONE_TASKS),
                bases=_counts(BASE_STATUSES, _of_plan(session, TransitionBase, TransitionBase.status, plan.id)),
                drawdown=_steps(session, plan, m),
            )
        )  # fmt: skip
    return out


def _steps(session: Session, plan: TransitionPlan, mission: Mission) -> list[DrawdownStepOut]:
    """The plan's drawdown steps beside the IPI monthly totals of the month each step falls in (the figure at
    that month's end: the first month-end on or after the planned date)."""
    steps = list(
        session.scalars(
            select(DrawdownStep)
            .where(DrawdownStep.plan_id == plan.id)
            .order_by(DrawdownStep.planned_date, DrawdownStep.category)
        )
    )
    strength = strength_by_category(session, mission.id) if steps else {}
    out = []
    for s in steps:
        month = s.planned_date.replace(day=1)
        ipi = strength.get(month, {}).get(s.category)
        compared = ipi if ipi is not None else s.actual_strength
        out.append(
            DrawdownStepOut(
                mission=mission.acronym, step=s.step, category=s.category, category_label=label(CATEGORIES, s.category),
                planned_date=s.planned_date, planned_ceiling=s.planned_ceiling, actual_date=s.actual_date,
                actual_strength=s.actual_strength, ipi_month=_month_end(month) if ipi is not None else None,
                ipi_strength=ipi, compared=compared,
                over_ceiling=None if compared is None else compared - s.planned_ceiling,
                met=None if compared is None else compared <= s.planned_ceiling,
            )
        )  # fmt: skip
    return out


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def drawdown_list(session: Session, mission: str | None = None) -> list[DrawdownStepOut]:
    return [step for plan, m in _plans(session, mission) for step in _steps(session, plan, m)]


def strength_series(session: Session, acronym: str) -> list[dict[str, Any]]:
    """The IPI monthly totals of the mission from a year before its first drawdown step (the chart's line), each
    dated at the end of its month, the day the figure describes."""
    mission = find_mission(session, acronym)
    first = session.scalar(
        select(DrawdownStep.planned_date)
        .join(TransitionPlan, TransitionPlan.id == DrawdownStep.plan_id)
        .where(TransitionPlan.mission_id == mission.id)
        .order_by(DrawdownStep.planned_date)
        .limit(1)
    )
    if first is None:
        return []
    since = date(first.year - 1, first.month, 1)
    return [
        {"month": _month_end(day).isoformat(), "category": category, "strength": value}
        for day, row in sorted(strength_by_category(session, mission.id).items())
        if day >= since
        for category, value in row.items()
        if value is not None
    ]


def _scoped(session: Session, who: Actor, mission: str | None, query: Select[Any]) -> Select[Any]:
    """``query`` (joined to Mission) narrowed to what ``who`` may read; PermissionDenied for a viewer, or for
    a mission officer asking about another mission."""
    scope = record_scope(who, WHAT)
    wanted = find_mission(session, mission).acronym if mission else scope
    if scope is not None:
        check_mission(who, wanted, WHAT)
    return query.where(Mission.acronym == wanted) if wanted else query


def _joined(model: Any) -> Select[Any]:
    return (
        select(model, Mission.acronym)
        .join(TransitionPlan, TransitionPlan.id == model.plan_id)
        .join(Mission, Mission.id == TransitionPlan.mission_id)
    )


def benchmark_list(
    session: Session, who: Actor, mission: str | None = None, as_of: date | None = None
) -> list[BenchmarkOut]:
    """The benchmarks ``who`` may read, each with its indicator's rating in the newest assessed quarter."""
    day = as_of or date.today()
    query = _scoped(session, who, mission, _joined(TransitionBenchmark))
    rows = session.execute(query.order_by(Mission.acronym, TransitionBenchmark.due, TransitionBenchmark.code)).all()
    ratings: dict[str, tuple[str | None, dict[str, Any]]] = {}
    out = []
    for b, acronym in rows:
        if b.indicator and acronym not in ratings:
            ratings[acronym] = newest_ratings(session, find_mission(session, acronym))
        period, evidence = ratings.get(acronym, (None, {}))
        found = evidence.get(b.indicator) if b.indicator else None
        out.append(
            BenchmarkOut(
                mission=acronym, code=b.code, title=b.title, due=b.due, status=b.status,
                status_label=label(BENCHMARK_STATUSES, b.status), achieved=b.achieved,
                overdue=b.due < day and b.status not in ("achieved", "missed"), indicator=b.indicator,
                indicator_status=found.status if found else None, indicator_period=period if found else None,
            )
        )  # fmt: skip
    return out


def task_list(session: Session, who: Actor, mission: str | None = None, as_of: date | None = None) -> list[TaskOut]:
    """The tasks handed over that ``who`` may read: to whom, by when, how far."""
    day = as_of or date.today()
    query = _scoped(session, who, mission, _joined(TransitionTask).add_columns(TransitionBenchmark.code))
    query = query.outerjoin(TransitionBenchmark, TransitionBenchmark.id == TransitionTask.benchmark_id)
    rows = session.execute(query.order_by(Mission.acronym, TransitionTask.due, TransitionTask.code)).all()
    return [
        TaskOut(
            mission=acronym, code=t.code, title=t.title, recipient=t.recipient,
            recipient_label=label(RECIPIENTS, t.recipient), entity=t.entity, due=t.due, status=t.status,
            status_label=label(TASK_STATUSES, t.status), handed_over=t.handed_over,
            overdue=t.due < day and t.status not in DONE_TASKS, benchmark=benchmark,
        )
        for t, acronym, benchmark in rows
    ]  # fmt: skip


def base_list(session: Session, who: Actor, mission: str | None = None) -> list[BaseOut]:
    """The bases ``who`` may read: where they are, when they close, who takes them over."""
    query = _scoped(session, who, mission, _joined(TransitionBase))
    rows = session.execute(query.order_by(Mission.acronym, TransitionBase.planned_closure, TransitionBase.name))
    return [
        BaseOut(
            mission=acronym, name=b.name, country_iso3=b.country_iso3, latitude=b.latitude, longitude=b.longitude,
            planned_closure=b.planned_closure, actual_closure=b.actual_closure, status=b.status,
            status_label=label(BASE_STATUSES, b.status), handed_to=b.handed_to, personnel=b.personnel,
        )
        for b, acronym in rows.all()
    ]  # fmt: skip
