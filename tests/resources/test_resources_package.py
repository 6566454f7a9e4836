"""The resources package's public names, pinned."""

from __future__ import annotations

from peaceops import resources


def test_public_names():
    assert sorted(resources.__all__) == [
        "budget_list", "delivery_list", "milestone_list", "mission_summary", "missions_with_resources",
        "order_list", "requirement_list", "risk",
    ]  # fmt: skip
    assert all(hasattr(resources, name) for name in resources.__all__)
