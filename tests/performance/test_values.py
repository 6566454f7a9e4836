"""Entering values: blocking rules with clear messages, outlier warnings, history, roles and mission scope."""

from __future__ import annotations

import pytest
from perf_actors import ADMIN, ANALYST, OFFICER, OTHER_OFFICER, VIEWER
from sqlalchemy import select

from peaceops.errors import PeaceopsError, PermissionDenied
from peaceops.performance.frameworks import create_framework, current_framework, find_mission, indicator_by_code
from peaceops.performance.models import IndicatorValue, IndicatorValueHistory
from peaceops.performance.validation import ValueRejected, outlier_warning, parse_number
from peaceops.performance.values import save_value, set_target, value_history
from peaceops.store.audit import AuditEntry


@pytest.fixture
def framework(unmiss):
    with unmiss.session() as s:
        yield s, current_framework(s, find_mission(s, "UNMISS"))


BAD_VALUES = [
    ("SAF_CASEVAC_60", "2024-Q1", "120", "a share from 0 to 100; 120 is above 100"),
    ("SAF_CASEVAC_60", "2024-Q1", "-5", "below zero"),
    ("POL_GOOD_OFFICES", "2024-Q1", "2.5", "not a whole number"),
    ("POL_GOOD_OFFICES", "2024-Q1", "twelve", "'twelve' is not a number"),
    ("POL_GOOD_OFFICES", "2024-03", "12", "reported per quarter; 2024-03 is a month"),
    ("POL_GOOD_OFFICES", "2024-13", "12", "is not a reporting period"),
    ("POL_GOOD_OFFICES", "2010-Q1", "12", "outside framework version 1"),
    ("POL_WOMEN_SHARE", "2024-Q1", "40", "formula indicator"),
    ("FAT_MALICIOUS_RATE", "2024-03", "0.1", "derived indicator"),
    ("NOT_A_CODE", "2024-Q1", "1", "not in this framework"),
]


def test_bad_values_are_blocked_with_a_clear_message(framework):
    s, f = framework
    for code, period, value, message in BAD_VALUES:
        with pytest.raises(PeaceopsError, match=message):
            save_value(s, f, code, period, value, ADMIN)
    assert s.scalar(select(IndicatorValue.id)) is None


def test_women_cannot_exceed_the_total(framework):
    s, f = framework
    save_value(s, f, "CD_TRAINED", "2024-Q1", 100, ADMIN)
    save_value(s, f, "CD_TRAINED", "2024-Q1", 30, ADMIN, disaggregation="sex:female")
    with pytest.raises(
        ValueRejected, match=r"CD_TRAINED \[sex:female\] is 130, more than the total of CD_TRAINED \(100\)"
    ):
        save_value(s, f, "CD_TRAINED", "2024-Q1", 130, ADMIN, disaggregation="sex:female")
    with pytest.raises(ValueRejected, match="with the other sex figures \\(30\\) that is more than the total"):
        save_value(s, f, "CD_TRAINED", "2024-Q1", 75, ADMIN, disaggregation="sex:male")
    with pytest.raises(ValueRejected, match="The total of CD_TRAINED cannot be 20: sex:female is already 30"):
        save_value(s, f, "CD_TRAINED", "2024-Q1", 20, ADMIN)
    with pytest.raises(ValueRejected, match="not disaggregated by 'region'"):
        save_value(s, f, "CD_TRAINED", "2024-Q1", 5, ADMIN, disaggregation="region:Juba")
    with pytest.raises(ValueRejected, match="'nonbinary' is not a sex here"):
        save_value(s, f, "CD_TRAINED", "2024-Q1", 5, ADMIN, disaggregation="sex:nonbinary")
    save_value(s, f, "CD_TRAINED", "2024-Q1", 70, ADMIN, disaggregation="sex:male")  # 30 + 70 = 100 is fine
    save_value(s, f, "CD_TRAINED", "2024-Q1", 60, ADMIN, disaggregation="category:military_contingents")


def test_a_part_cannot_exceed_its_whole_across_indicators(framework):
    s, f = framework
    save_value(s, f, "POL_DELEGATES", "2024-Q1", 24, ADMIN)
    with pytest.raises(ValueRejected, match="POL_DELEGATES_WOMEN is 30, more than POL_DELEGATES \\(24\\)"):
        save_value(s, f, "POL_DELEGATES_WOMEN", "2024-Q1", 30, ADMIN)
    save_value(s, f, "POL_DELEGATES_WOMEN", "2024-Q1", 6, ADMIN)
    with pytest.raises(ValueRejected, match="POL_DELEGATES_WOMEN is already 6 .* must not exceed POL_DELEGATES"):
        save_value(s, f, "POL_DELEGATES", "2024-Q1", 5, ADMIN)


def test_targets_are_unit_checked_and_not_finer_than_the_indicator(framework):
    s, f = framework
    with pytest.raises(ValueRejected, match="The target of SAF_CASEVAC_60 is a share from 0 to 100"):
        set_target(s, f, "SAF_CASEVAC_60", "2024", 140, ADMIN)
    with pytest.raises(ValueRejected, match="a target per month is finer"):
        set_target(s, f, "SAF_CASEVAC_60", "2024-02", 40, ADMIN)
    assert set_target(s, f, "SAF_CASEVAC_60", "2024", "60", ADMIN).value == 60.0


def test_an_outlier_is_saved_with_a_warning(framework):
    s, f = framework
    for quarter, value in zip(("2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"), (30, 34, 31, 29), strict=True):
        assert save_value(s, f, "POL_GOOD_OFFICES", quarter, value, ADMIN).warning is None
    assert save_value(s, f, "POL_GOOD_OFFICES", "2024-Q1", 33, ADMIN).warning is None
    outcome = save_value(s, f, "POL_GOOD_OFFICES", "2024-Q2", 300, ADMIN)
    assert outcome.status == "saved"
    assert outcome.warning and "300 is unusual" in outcome.warning and "range 29-34" in outcome.warning
    stored = s.scalar(select(IndicatorValue).where(IndicatorValue.period == "2024-Q2"))
    assert stored.value == 300 and stored.warning == outcome.warning


def test_outlier_rule_edges():
    assert outlier_warning([1, 2, 3], 100) is None  # too little history to judge
    assert outlier_warning([10, 10, 10, 10], 10) is None
    assert outlier_warning([10, 10, 10, 10], 14) is None  # within half the usual value
    assert "every earlier value was the same" in outlier_warning([10, 10, 10, 10], 30)
    assert outlier_warning([0, 0, 0, 0], 1) is not None


def test_a_new_value_keeps_the_old_one_as_history(framework):
    s, f = framework
    save_value(s, f, "POC_ALERTS", "2024-Q1", 40, ADMIN, source="web form")
    save_value(s, f, "POC_ALERTS", "2024-Q1", 44, OFFICER, source="api", note="late reports from Bor")
    unchanged = save_value(s, f, "POC_ALERTS", "2024-Q1", "44", OFFICER)
    assert unchanged.status == "unchanged"
    history = value_history(s, indicator_by_code(s, f, "POC_ALERTS"), "2024-Q1")
    assert [(h.value, h.revision, h.entered_by, h.source, h.current) for h in history] == [
        (44.0, 2, "officer-unmiss", "api", True),
        (40.0, 1, "admin-a", "web form", False),
    ]
    assert history[1].replaced_by == "officer-unmiss"
    assert history[0].note == "late reports from Bor"
    cleared = save_value(s, f, "POC_ALERTS", "2024-Q1", "", OFFICER)
    assert cleared.status == "cleared"
    history = value_history(s, indicator_by_code(s, f, "POC_ALERTS"), "2024-Q1")
    assert [h.value for h in history] == [44.0, 40.0] and not any(h.current for h in history)
    actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == "perf_value"))]
    assert actions == ["create", "update", "clear"]
    assert s.scalar(select(IndicatorValueHistory.id).where(IndicatorValueHistory.value == 40.0)) is not None


def test_mission_officers_work_only_on_their_own_mission(missions_db):
    with missions_db.session() as s:
        unmiss = create_framework(s, find_mission(s, "UNMISS"), OFFICER)
        with pytest.raises(PermissionDenied, match="mission officer for MINUSCA; you cannot change UNMISS"):
            save_value(s, unmiss, "POC_ALERTS", "2024-Q1", 3, OTHER_OFFICER)
        with pytest.raises(PermissionDenied, match="viewer"):
            save_value(s, unmiss, "POC_ALERTS", "2024-Q1", 3, VIEWER)
        with pytest.raises(PermissionDenied):
            create_framework(s, find_mission(s, "MINUSCA"), OFFICER)
        assert save_value(s, unmiss, "POC_ALERTS", "2024-Q1", 3, ANALYST).status == "saved"


@pytest.mark.parametrize(("text", "value"), [("1,234", 1234.0), (" 12.5 ", 12.5), ("45%", 45.0), ("", None)])
def test_typed_numbers(text, value):
    assert parse_number(text) == value
