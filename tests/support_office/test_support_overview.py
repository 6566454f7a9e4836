"""What the support functions compute from the example files: delivery rates (capped per service), unmet
requests, the share of financing from UN assessed contributions against the ceiling of resolution 2719, and
overdue milestones, on a fixed day so the answers do not move with the clock."""

from __future__ import annotations

from datetime import date

import pytest
from support_office_helpers import write

from peaceops import support
from peaceops.access.policy import Actor
from peaceops.errors import NotFound, PermissionDenied
from peaceops.partnerships import OperationInput, record_operation
from peaceops.platform import import_file
from peaceops.store import Database

DAY = date(2026, 12, 6)
ANALYST = Actor(username="analyst", role="analyst")


def test_nothing_recorded_answers_an_empty_list(db: Database):
    with db.session() as s:
        assert support.supported_operations(s) == []
        assert support.requests(s, ANALYST) == []


def test_the_operations_delivery_rate_caps_each_service_at_the_agreed_level(examples):
    with examples.session() as s:
        (operation,) = support.supported_operations(s, DAY)
        by_service = {v.service: v for v in support.services(s, "ex-aupso", DAY)}
    assert operation.acronym == "EX-AUPSO" and operation.services == 5
    assert by_service["fuel"].latest_rate == pytest.approx(2500000 / 2400000)  # over-delivered in 2026-Q3
    assert by_service["engineering"].latest_period == "2026"
    assert by_service["rations"].cumulative_rate == pytest.approx((1710000 + 1530000 + 1620000) / 5400000)
    expected = (0.9 + 1.0 + 38 / 40 + 5 / 12 + 27 / 30) / 5
    assert operation.delivery_rate == pytest.approx(expected)
    assert operation.services_short == 4


def test_unmet_requests_are_not_met_partly_met_or_open_past_their_date(examples):
    with examples.session() as s:
        (operation,) = support.supported_operations(s, DAY)
        found = {r.reference: r for r in support.requests(s, ANALYST, "EX-AUPSO", DAY)}
        counts = {c.service: c for c in support.request_counts(s, "EX-AUPSO", DAY)}
    assert {k for k, r in found.items() if r.unmet} == {"EX-REQ-002", "EX-REQ-003", "EX-REQ-004"}
    assert found["EX-REQ-004"].late and not found["EX-REQ-005"].late
    assert (operation.requests_open, operation.requests_unmet) == (2, 3)
    assert (counts["fuel"].total, counts["fuel"].met, counts["fuel"].unmet) == (2, 1, 0)
    assert list(found)[:3] == ["EX-REQ-002", "EX-REQ-003", "EX-REQ-004"]  # unmet first


def test_a_budget_period_drawing_more_than_the_ceiling_from_assessed_contributions_is_flagged(examples):
    with examples.session() as s:
        detail = support.operation_support(s, "EX-AUPSO", DAY)
    first, second = detail.financing_periods
    assert (first.period, second.period) == ("2025/26", "2026/27")
    assert (first.committed_usd, first.assessed_share, first.above_ceiling) == (250e6, pytest.approx(0.6), False)
    assert second.assessed_share == pytest.approx(210 / 260) and second.above_ceiling is True
    assert detail.operation.financing_period == second.period and detail.operation.above_ceiling is True


def test_an_open_milestone_past_its_due_date_is_overdue(examples):
    with examples.session() as s:
        found = {m.area: m for m in support.milestones(s, "EX-AUPSO", DAY)}
        (operation,) = support.supported_operations(s, DAY)
    assert found["human_rights"].overdue and found["human_rights"].days_overdue == (DAY - date(2026, 6, 30)).days
    assert not found["reporting"].overdue and not found["budget"].overdue
    assert (operation.milestones, operation.milestones_done, operation.milestones_overdue) == (6, 3, 1)


def test_an_operation_without_support_records_answers_empty_lists_and_an_unknown_one_is_not_found(missions):
    with missions.write() as s:
        record_operation(s, ANALYST, OperationInput("EX-BARE", "Example", "joint", "African Union"))
    with missions.session() as s:
        assert support.supported_operations(s) == []
        bare = support.operation_support(s, "ex-bare")
        assert (bare.services, bare.milestones, bare.operation.delivery_rate) == ([], [], None)
        with pytest.raises(NotFound, match="no partner operation 'NOPE'"):
            support.operation_support(s, "nope")


def test_requests_follow_the_providing_missions_scope(examples, tmp_path):
    import_file(examples, "support-services", write(tmp_path, "s.csv",
                "operation,service,provider\nEX-AUPSO,water,UNMISS\n"), "test")  # fmt: skip
    import_file(examples, "support-requests", write(tmp_path, "r.csv",
                "operation,reference,service,requested_on\nEX-AUPSO,EX-REQ-W1,water,2026-11-02\n"), "test")  # fmt: skip
    with examples.session() as s:
        assert len(support.requests(s, ANALYST)) == 7
        unmiss = support.requests(s, Actor(username="o", role="mission_officer", mission="UNMISS"))
        assert [r.reference for r in unmiss] == ["EX-REQ-W1"]
        assert support.requests(s, Actor(username="o", role="mission_officer", mission="MINUSCA")) == []
        with pytest.raises(PermissionDenied):
            support.requests(s, Actor(username="v", role="viewer"))
