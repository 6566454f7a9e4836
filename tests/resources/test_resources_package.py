"""The resources package's public names, pinned."""

from __future__ import annotations

from peaceops import resources
from peaceops.store import Database


def test_public_names():
    assert sorted(resources.__all__) == [
        "budget_list", "delivery_list", "milestone_list", "mission_summary", "missions_with_resources",
        "order_list", "requirement_list", "risk",
    ]  # fmt: skip
    assert all(hasattr(resources, name) for name in resources.__all__)


def test_requirements_count_in_the_threat_areas_of_the_mission_view(examples: Database) -> None:
    """Issue 19, part 5: requirements are tagged with a threat area; the mission and regional views count
    them beside the other kinds (peaceops.threats), as every signed-in reader sees the resources counts."""
    from peaceops.access.policy import Actor
    from peaceops.threats import threat_summary

    with examples.session() as session:
        summary = threat_summary(session, Actor(username="v", role="viewer"), missions=["UNMISS"], countries=["SSD"])
    by_area = {row["code"]: row["requirements"] for row in summary["rows"]}
    assert "requirements" in summary["kinds"]
    assert by_area["terrorism"] == by_area["climate_security"] == by_area["cyber"] == 1
    assert by_area["organised_crime"] == 0
