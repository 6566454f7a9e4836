"""The transitions package's public names, pinned; the import kinds it registers."""

from __future__ import annotations

from transitions_support import KINDS

from peaceops import transitions
from peaceops.platform import REGISTRY


def test_public_names():
    assert sorted(transitions.__all__) == [
        "base_list", "benchmark_list", "drawdown_list", "plan_list", "protection", "task_list", "transition_list",
    ]  # fmt: skip
    assert all(hasattr(transitions, name) for name in transitions.__all__)


def test_the_five_kinds_are_registered_uploadable_and_mission_scoped():
    assert all(REGISTRY[kind].uploadable and REGISTRY[kind].mission_scoped for kind in KINDS)
