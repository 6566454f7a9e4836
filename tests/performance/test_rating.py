"""The rating rule of decision record 007: indicator progress, indicator status, objective rating."""

from __future__ import annotations

import pytest
from perf_actors import ADMIN

from peaceops.performance.assessments import compute_evidence
from peaceops.performance.frameworks import current_framework, find_mission, indicator_by_code
from peaceops.performance.periods import parse_period
from peaceops.performance.rating import Evidence, aggregate, indicator_status, objective_rating, progress
from peaceops.performance.values import save_value, set_baseline, set_target


@pytest.mark.parametrize(
    ("value", "target", "baseline", "direction", "expected"),
    [
        (80, 80, 50, "higher", 1.0),  # reached
        (95, 80, 50, "higher", 1.0),  # beyond: capped at reached
        (65, 80, 50, "higher", 0.5),  # half way from the baseline
        (40, 80, 50, "higher", -1 / 3),  # went backwards
        (7, 5, 10, "lower", 0.6),  # lower is better: 10 -> 7 of 10 -> 5
        (4, 5, 10, "lower", 1.0),
        (60, 80, None, "higher", 0.75),  # no baseline: value / target
        (8, 6, None, "lower", 0.75),  # no baseline, lower is better: target / value
        (3, 0, None, "lower", 0.0),  # a zero target missed entirely
        (5, 80, 80, "higher", 5 / 80),  # baseline equal to the target is not usable
    ],
)
def test_progress(value, target, baseline, direction, expected):
    assert progress(value, target, baseline, direction) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "target", "status"),
    [(90, 100, "on_track"), (89.9, 100, "at_risk"), (50, 100, "at_risk"), (49.9, 100, "off_track"),
     (None, 100, "no_data"), (70, None, "no_target")],
)  # fmt: skip
def test_indicator_status_thresholds(value, target, status):
    assert indicator_status(value, target, None, "higher")[0] == status


def ev(status: str) -> Evidence:
    return Evidence(
        code="X", name="x", unit="count", direction="higher", baseline=None, target=None, target_period=None,
        value=None, periods=[], progress=None, status=status,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("statuses", "rating"),
    [
        (["on_track", "on_track"], "on_track"),
        (["on_track", "at_risk"], "on_track"),  # score 0.75
        (["on_track", "on_track", "off_track"], "at_risk"),  # 0.67
        (["at_risk", "off_track"], "off_track"),  # 0.25
        (["at_risk", "at_risk", "off_track"], "off_track"),  # 0.33
        (["no_data", "no_data"], "no_data"),
        (["no_target"], "no_data"),
        ([], "no_data"),
        (["on_track", "no_target", "no_target"], "on_track"),  # unrated context does not count
        (["on_track", "no_data", "no_data"], "at_risk"),  # too little evidence for "on track"
        (["off_track", "no_data", "no_data"], "off_track"),
    ],
)
def test_objective_rating(statuses, rating):
    assert objective_rating([ev(s) for s in statuses]) == rating


def test_aggregation_over_an_assessment_period():
    rows = [("2024-01", 2.0, 1.0, 500.0), ("2024-02", 0.0, 0.0, 500.0), ("2024-03", 1.0, 1.0, 1000.0)]
    assert aggregate("sum", rows) == 3.0
    assert aggregate("mean", rows) == 1.0
    assert aggregate("last", rows) == 1.0
    assert aggregate("ratio", rows, 1000) == pytest.approx(1000 * 2 / 2000)
    assert aggregate("last", []) is None


def test_evidence_from_stored_values_and_targets(unmiss):
    """Quarterly values against a yearly target: the target whose period contains the quarter applies."""
    with unmiss.session() as s:
        f = current_framework(s, find_mission(s, "UNMISS"))
        set_target(s, f, "POC_ALERT_RESPONSE", "2024", 80, ADMIN)
        set_target(s, f, "SAF_CASEVAC_60", "2024-Q1", 90, ADMIN)
        set_target(s, f, "SAF_CASEVAC_60", "2024", 70, ADMIN)  # the finer quarterly target wins
        set_baseline(s, f, "SAF_CASEVAC_60", 50, "2023", ADMIN)
        save_value(s, f, "POC_ALERTS", "2024-Q1", 40, ADMIN)
        save_value(s, f, "POC_ALERTS_ANSWERED", "2024-Q1", 34, ADMIN)  # 85% of 80% target -> on track
        save_value(s, f, "SAF_CASEVAC_60", "2024-Q1", 70, ADMIN)  # (70-50)/(90-50) = 0.5 -> at risk
        evidence = compute_evidence(s, f, parse_period("2024-Q1"))
        by_code = {e.code: e for items in evidence.values() for e in items}
        assert by_code["POC_ALERT_RESPONSE"].status == "on_track"
        assert by_code["POC_ALERT_RESPONSE"].target_period == "2024"
        casevac = by_code["SAF_CASEVAC_60"]
        assert (casevac.target, casevac.target_period, casevac.progress, casevac.status) == (
            90,
            "2024-Q1",
            0.5,
            "at_risk",
        )
        o2 = indicator_by_code(s, f, "POC_ALERT_RESPONSE").objective_id
        assert objective_rating(evidence[o2]) == "on_track"  # the one targeted indicator is on track
        set_target(s, f, "POC_PATROLS", "2024", 300, ADMIN)
        set_target(s, f, "POC_PATROLS_NIGHT", "2024", 100, ADMIN)
        evidence = compute_evidence(s, f, parse_period("2024-Q1"))
        assert [e.status for e in evidence[o2] if e.status != "no_target"] == ["on_track", "no_data", "no_data"]
        assert objective_rating(evidence[o2]) == "at_risk"  # 1 of 3 targeted indicators reported
