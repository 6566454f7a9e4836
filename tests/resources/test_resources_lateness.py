"""Lateness against due dates and milestones, milestones read from the register and the frameworks, and the
budgets' cost per output where the results framework allows it."""

from __future__ import annotations

from datetime import date

import pytest
from resources_support import DAY, write

from peaceops.access.policy import Actor
from peaceops.missions.lookup import find_mission
from peaceops.performance.frameworks import create_framework, renew_framework
from peaceops.performance.values import save_value
from peaceops.platform import import_file
from peaceops.resources import budget_list, milestone_list, mission_summary, order_list, requirement_list
from peaceops.resources.lateness import judge

ADMIN = Actor(username="admin", role="admin")
D = date.fromisoformat


@pytest.mark.parametrize(
    ("received", "orders", "state", "days_late", "delivered_on"),
    [
        ([(D("2026-11-10"), 10)], [], "delivered", None, D("2026-11-10")),
        ([(D("2026-11-10"), 6), (D("2026-11-25"), 4)], [], "delivered_late", 5, D("2026-11-25")),
        ([(D("2026-11-10"), 6)], [("placed", 10, D("2026-11-18"))], "late", 11, None),
        ([(D("2026-12-05"), 10)], [], "late", 11, None),  # a delivery after the day asked about does not count yet
        ([], [("in_transit", 10, D("2026-11-30"))], "late", 11, None),
    ],
)
def test_states_after_the_due_date(received, orders, state, days_late, delivered_on):
    j = judge(10, D("2026-11-20"), False, received, orders, as_of=DAY)
    assert (j.state, j.days_late, j.delivered_on) == (state, days_late, delivered_on)


@pytest.mark.parametrize(
    ("due", "orders", "state", "days_late"),
    [
        ("2027-01-15", [("placed", 10, D("2027-02-10"))], "at_risk", 26),  # expected after the due date
        ("2026-12-20", [], "at_risk", None),  # nothing on order, 19 days before
        ("2026-12-20", [("cancelled", 10, D("2026-12-10"))], "at_risk", None),  # a cancelled order does not cover
        ("2026-12-20", [("placed", 10, D("2026-12-10"))], "on_track", None),
        ("2027-06-30", [], "on_track", None),  # nothing on order, but months ahead
        ("2027-01-15", [("delivered", 10, D("2027-02-10"))], "on_track", None),  # a closed order's date is not read
    ],
)
def test_states_before_the_due_date(due, orders, state, days_late):
    j = judge(10, D(due), False, [], orders, as_of=DAY)
    assert (j.state, j.days_late) == (state, days_late)


def test_a_cancelled_requirement_is_never_late():
    assert judge(10, D("2026-01-01"), True, [], [], as_of=DAY).state == "cancelled"


def test_the_example_requirements_on_the_first_of_december(examples):
    with examples.session() as s:
        rows = {r.code: r for r in requirement_list(s, ADMIN, "UNMISS", DAY)}
    states = {code: (r.state, r.days_late) for code, r in rows.items()}
    assert states == {
        "EX-REQ-001": ("delivered_late", 9),
        "EX-REQ-002": ("late", 11),
        "EX-REQ-003": ("at_risk", 26),
        "EX-REQ-004": ("at_risk", None),
        "EX-REQ-005": ("on_track", None),
        "EX-REQ-006": ("delivered", None),
        "EX-REQ-007": ("cancelled", None),
    }
    late = rows["EX-REQ-002"]
    assert (late.delivered, late.ordered) == (200_000, 500_000)  # the rejected 50,000 litres do not count
    assert late.reason == "200,000 of 500,000 received; it was due on 20 Nov 2026, 11 days ago."
    first = rows["EX-REQ-001"]
    assert (first.milestone, first.milestone_named, first.milestone_missed) == ("EX-DEPLOY-1", True, False)
    assert first.alert_area == "pgm:141540" and first.alert_area_label.startswith("Cell 141540 (8.25N, 29.75E)")
    # by a milestone: EX-REQ-005 names the mandate renewal but its own needed_by date is the due date
    water = rows["EX-REQ-005"]
    assert (water.due, water.milestone_due, water.threat_area_label) == (
        D("2027-03-31"), D("2027-04-30"), "Climate and environmental security")  # fmt: skip
    # without a milestone of its own, the next one after the due date is shown
    assert (rows["EX-REQ-003"].milestone, rows["EX-REQ-003"].milestone_named) == ("EX-RENEWAL-2027", False)


def test_a_requirement_due_by_its_milestone_misses_it_when_late(examples, tmp_path):
    import_file(examples, "resources-requirements", write(tmp_path, "r.csv",
        "mission,code,item,category,quantity,milestone\nUNMISS,EX-REQ-010,Tents,accommodation,50,EX-DEPLOY-1\n"),
        "test")  # fmt: skip
    with examples.session() as s:
        [row] = [r for r in requirement_list(s, ADMIN, "UNMISS", DAY) if r.code == "EX-REQ-010"]
    assert (row.due, row.state, row.days_late, row.milestone_missed) == (D("2026-11-15"), "late", 16, True)


def test_the_threat_area_filter_and_the_counts(examples):
    with examples.session() as s:
        cyber = requirement_list(s, ADMIN, "UNMISS", DAY, threat_area="cyber")
        summary = mission_summary(s, "UNMISS", DAY)
    assert [r.code for r in cyber] == ["EX-REQ-006"]
    assert summary.states == {"late": 1, "at_risk": 2, "on_track": 1, "delivered": 1, "delivered_late": 1,
                              "cancelled": 1}  # fmt: skip
    assert summary.threat_areas == {"climate_security": 1, "cyber": 1, "terrorism": 1}
    assert (summary.orders, summary.deliveries, summary.budget_lines, summary.milestones) == (5, 5, 4, 3)


def test_orders_are_late_when_expected_after_the_due_date_or_open_past_it(examples):
    with examples.session() as s:
        orders = {o.reference: o for o in order_list(s, ADMIN, "UNMISS", DAY)}
    assert {k: o.late for k, o in orders.items()} == {
        "EX-PO-001": True, "EX-PO-002": True, "EX-PO-003": True, "EX-PO-005": False, "EX-PO-006": False,
    }  # fmt: skip
    assert orders["EX-PO-001"].delivered == 120_000


def test_milestones_from_the_register_and_framework_renewals(examples):
    with examples.write() as s:
        mission = find_mission(s, "UNMISS")
        framework = create_framework(s, mission, ADMIN)
        renew_framework(s, mission, ADMIN, valid_from=D("2026-05-01"), mandate="S/RES/0000 (test)")
        framework_id = framework.id
    assert framework_id
    with examples.session() as s:
        found = {m.code: (m.kind, m.due, m.source) for m in milestone_list(s, ADMIN, "UNMISS")}
    assert found["register:start"] == ("deployment", D("2011-07-09"), "register")
    assert found["framework:v2"] == ("mandate_renewal", D("2026-05-01"), "framework")
    assert found["EX-DRAWDOWN-1"] == ("drawdown", D("2027-06-30"), "imported")
    assert "register:end" not in found


def test_the_cost_per_output_where_the_framework_allows_it(examples):
    with examples.write() as s:
        framework = create_framework(s, find_mission(s, "UNMISS"), ADMIN)
        save_value(s, framework, "POC_PATROLS_DAY", "2026-Q3", 300, ADMIN)
        save_value(s, framework, "POC_PATROLS_DAY", "2026-Q4", 200, ADMIN)
        save_value(s, framework, "POC_PATROLS_DAY", "2026-Q2", 999, ADMIN)  # before the financial year
    with examples.session() as s:
        lines = {(b.period, b.category.split(" (")[0]): b for b in budget_list(s, ADMIN, "UNMISS")}
    patrols = lines[("2026/27", "Ground transportation: patrol vehicles")]
    assert (patrols.outputs, patrols.cost_per_output) == (500, 2300.0)  # 1,150,000 spent over 500 patrols
    assert patrols.cost_note.endswith("from 2 of 4 reporting periods.")
    assert (patrols.committed_percent, patrols.spent_percent) == (80.0, 38.3)
    casevac = lines[("2026/27", "Medical: casualty evacuation")]
    assert casevac.cost_per_output is None
    assert casevac.cost_note.startswith("No cost per output: SAF_CASEVAC_60 is measured in percent")
    facilities = lines[("2026/27", "Facilities and infrastructure")]
    assert (facilities.cost_per_output, facilities.cost_note) == (None, "")


def test_no_cost_per_output_without_a_framework(examples):
    with examples.session() as s:
        [patrols] = [b for b in budget_list(s, ADMIN, "UNMISS") if b.indicator_code == "POC_PATROLS_DAY"]
    assert patrols.cost_per_output is None
    assert patrols.cost_note == "No cost per output: no results framework of UNMISS covers 2026/27."


def test_a_mission_with_nothing_recorded_answers_empty(missions):
    with missions.session() as s:
        assert requirement_list(s, ADMIN, "MINUSCA", DAY) == []
        assert budget_list(s, ADMIN, "MINUSCA") == []
        assert mission_summary(s, "MINUSCA", DAY).requirements == 0
