"""transitions: a transition plan per mission with benchmarks, the tasks handed over to the UN country team or
the host government, drawdown steps of personnel and bases, and whether protection holds as the mission
leaves, computed from evidence (decision 045)."""

from peaceops.transitions.listing import (
    base_list,
    benchmark_list,
    drawdown_list,
    plan_list,
    task_list,
    transition_list,
)
from peaceops.transitions.protection import protection

__all__ = ["base_list", "benchmark_list", "drawdown_list", "plan_list", "protection", "task_list", "transition_list"]
