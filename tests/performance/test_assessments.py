"""Assessments: overrides need a reason, draft -> submitted -> approved, approval locks, reopening is audited."""

from __future__ import annotations

import pytest
from perf_actors import ADMIN, ADMIN_B, ANALYST, OFFICER, OTHER_OFFICER
from sqlalchemy import select

from peaceops.errors import PermissionDenied, ValidationFailed
from peaceops.performance import assessments as wf
from peaceops.performance.frameworks import current_framework, find_mission
from peaceops.performance.grid import grid
from peaceops.performance.periods import parse_period
from peaceops.performance.values import PeriodLocked, save_value, set_target
from peaceops.store.audit import AuditEntry

Q = "2024-Q1"


@pytest.fixture
def assessed(unmiss):
    """UNMISS with two quarterly values and a target, so objective O2 has a computed rating."""
    with unmiss.session() as s:
        f = current_framework(s, find_mission(s, "UNMISS"))
        set_target(s, f, "POC_ALERT_RESPONSE", Q, 90, ADMIN)
        save_value(s, f, "POC_ALERTS", Q, 40, OFFICER)
        save_value(s, f, "POC_ALERTS_ANSWERED", Q, 15, OFFICER)  # 37.5% against a 90% target: off track
    return unmiss


def rating_of(view, code):
    return next(o for o in view.objectives if o.code == code)


def test_ratings_are_computed_before_and_after_the_assessment_starts(assessed):
    with assessed.session() as s:
        view = wf.assessment_view(s, "UNMISS", Q)
        assert view.status == "none"
        o2 = rating_of(view, "O2")
        assert (o2.computed, o2.rating) == ("off_track", "off_track")
        assert {t.code for t in o2.tags} == {"A4P+.P2", "A4P+.P7", "A4P.3", "A4P+.T1"}
        assert rating_of(view, "O1").rating == "no_data"
        wf.open_assessment(s, "UNMISS", Q, OFFICER)
        view = wf.assessment_view(s, "UNMISS", Q)
        assert view.status == "draft" and rating_of(view, "O2").rating == "off_track"
        # while a draft, ratings follow the values
        f = current_framework(s, find_mission(s, "UNMISS"))
        save_value(s, f, "POC_ALERTS_ANSWERED", Q, 38, OFFICER)
        assert rating_of(wf.assessment_view(s, "UNMISS", Q), "O2").rating == "on_track"


def test_an_override_needs_a_written_reason(assessed):
    with assessed.session() as s:
        wf.open_assessment(s, "UNMISS", Q, OFFICER)
        with pytest.raises(ValidationFailed, match="needs a written reason of at least 10 characters"):
            wf.override_rating(s, "UNMISS", Q, "O2", "at_risk", "  ok ", OFFICER)
        with pytest.raises(ValidationFailed, match="'great' is not one of"):
            wf.override_rating(s, "UNMISS", Q, "O2", "great", "a long enough reason", OFFICER)
        reason = "Alerts from Jonglei were answered by UNPOL, whose log is not in the count."
        wf.override_rating(s, "UNMISS", Q, "O2", "at_risk", reason, OFFICER)
        o2 = rating_of(wf.assessment_view(s, "UNMISS", Q), "O2")
        assert (o2.computed, o2.rating, o2.overridden, o2.override_reason, o2.overridden_by) == (
            "off_track", "at_risk", True, reason, "officer-unmiss",
        )  # fmt: skip
        wf.override_rating(s, "UNMISS", Q, "O2", "", "", OFFICER)
        o2 = rating_of(wf.assessment_view(s, "UNMISS", Q), "O2")
        assert (o2.rating, o2.overridden) == ("off_track", False)
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "perf_rating")).all()
        assert [e.after["rating"] for e in entries] == ["at_risk", "off_track"]


def test_approval_locks_the_period_and_reopening_is_an_audited_admin_act(assessed):
    with assessed.session() as s:
        f = current_framework(s, find_mission(s, "UNMISS"))
        wf.open_assessment(s, "UNMISS", Q, OFFICER)
        with pytest.raises(ValidationFailed, match="Write the narrative before submitting"):
            wf.submit(s, "UNMISS", Q, OFFICER)
        wf.set_narrative(s, "UNMISS", Q, "Alert response fell as the rainy season cut roads.", OFFICER)
        with pytest.raises(ValidationFailed, match="Only a submitted assessment can be approved"):
            wf.approve(s, "UNMISS", Q, ADMIN)
        wf.submit(s, "UNMISS", Q, ADMIN)
        with pytest.raises(ValidationFailed, match="the narrative can change only in a draft"):
            wf.set_narrative(s, "UNMISS", Q, "changed", OFFICER)
        with pytest.raises(PermissionDenied, match="Only an administrator can approve"):
            wf.approve(s, "UNMISS", Q, OFFICER)
        with pytest.raises(PermissionDenied, match="who submitted an assessment cannot also approve"):
            wf.approve(s, "UNMISS", Q, ADMIN)
        wf.approve(s, "UNMISS", Q, ADMIN_B)
        view = wf.assessment_view(s, "UNMISS", Q)
        assert (view.status, view.locked, view.approved_by) == ("approved", True, "admin-b")

        # values and targets inside the period are locked, as are the months of the quarter
        with pytest.raises(PeriodLocked, match="2024-Q1 is locked: the UNMISS assessment for 2024-Q1 was approved"):
            save_value(s, f, "POC_ALERTS", Q, 41, OFFICER)
        with pytest.raises(PeriodLocked):
            set_target(s, f, "POC_ALERT_RESPONSE", Q, 70, OFFICER)
        with pytest.raises(PeriodLocked):
            set_target(s, f, "FAT_MALICIOUS_RATE", "2024-02", 0.1, ADMIN)
        assert grid(s, f, parse_period(Q)).locked is True
        assert not any(r.editable for r in grid(s, f, parse_period(Q)).rows)
        save_value(s, f, "POC_ALERTS", "2024-Q2", 41, OFFICER)  # the next quarter is open
        # the approved ratings are frozen even if the rule would now say otherwise
        assert rating_of(view, "O2").rating == "off_track"
        with pytest.raises(ValidationFailed, match="ratings can be overridden only in a draft"):
            wf.override_rating(s, "UNMISS", Q, "O2", "on_track", "because we say so, at length", OFFICER)

        with pytest.raises(PermissionDenied, match="Only an administrator can reopen"):
            wf.reopen(s, "UNMISS", Q, "Corrected alert log received from Bor.", ANALYST)
        with pytest.raises(ValidationFailed, match="needs a written reason"):
            wf.reopen(s, "UNMISS", Q, "oops", ADMIN)
        wf.reopen(s, "UNMISS", Q, "Corrected alert log received from Bor.", ADMIN)
        assert wf.assessment_view(s, "UNMISS", Q).status == "draft"
        assert save_value(s, f, "POC_ALERTS", Q, 41, OFFICER).status == "saved"

        trail = [(e.action, e.from_status, e.to_status, e.actor) for e in wf.assessment_view(s, "UNMISS", Q).events]
        assert trail == [
            ("create", None, "draft", "officer-unmiss"),
            ("submit", "draft", "submitted", "admin-a"),
            ("approve", "submitted", "approved", "admin-b"),
            ("reopen", "approved", "draft", "admin-a"),
        ]
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "perf_assessment").order_by(AuditEntry.id)
        ).all()
        by_action = {e.action: e for e in audit}
        assert by_action["approve"].actor == "admin-b" and by_action["approve"].entity_id == "UNMISS/2024-Q1"
        assert by_action["reopen"].after == {"status": "draft", "note": "Corrected alert log received from Bor."}
        assert by_action["reopen"].before == {"status": "approved"}


def test_a_submitted_assessment_can_be_returned_with_a_reason(assessed):
    with assessed.session() as s:
        wf.open_assessment(s, "UNMISS", Q, OFFICER)
        wf.set_narrative(s, "UNMISS", Q, "First draft.", OFFICER)
        wf.submit(s, "UNMISS", Q, OFFICER)
        with pytest.raises(ValidationFailed, match="Say why"):
            wf.return_to_draft(s, "UNMISS", Q, "no", ADMIN)
        wf.return_to_draft(s, "UNMISS", Q, "The narrative does not explain O2.", ADMIN)
        view = wf.assessment_view(s, "UNMISS", Q)
        assert view.status == "draft" and view.events[-1].note == "The narrative does not explain O2."


def test_officers_of_other_missions_cannot_assess(assessed):
    with assessed.session() as s:
        with pytest.raises(PermissionDenied, match="mission officer for MINUSCA"):
            wf.open_assessment(s, "UNMISS", Q, OTHER_OFFICER)
        wf.open_assessment(s, "UNMISS", Q, OFFICER)
        with pytest.raises(PermissionDenied):
            wf.set_narrative(s, "UNMISS", Q, "not mine", OTHER_OFFICER)
