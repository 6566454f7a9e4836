"""Editing a framework's tree in place: checked like a template, audited, and refused where it would
falsify an approved assessment or recorded values."""

from __future__ import annotations

import pytest
from perf_actors import ADMIN, ADMIN_B, OTHER_OFFICER, VIEWER
from sqlalchemy import select

from peaceops.errors import NotFound, PermissionDenied, ValidationFailed
from peaceops.performance import assessments as wf
from peaceops.performance import editing
from peaceops.performance.frameworks import current_framework, find_mission, framework_tree, renew_framework
from peaceops.performance.models import IndicatorValue
from peaceops.performance.values import save_value
from peaceops.store.audit import AuditEntry

Q = "2024-Q1"


def unmiss_framework(s):
    return current_framework(s, find_mission(s, "UNMISS"))


def node(tree, code):
    stack = list(tree.objectives)
    while stack:
        n = stack.pop()
        if n.code == code:
            return n
        stack += n.children
    raise KeyError(code)


def test_results_and_indicators_are_added_moved_and_removed_with_an_audit(unmiss):
    with unmiss.session() as s:
        f = unmiss_framework(s)
        editing.add_result(
            s, f, ADMIN, {"code": "o2.3", "level": "outcome", "parent": "O2", "title": "Early warning works"}
        )
        editing.add_result(
            s, f, ADMIN, {"code": "O2.3.1", "level": "output", "parent": "O2.3", "title": "Alert network"}
        )
        editing.add_indicator(
            s, f, ADMIN,
            {"code": "ew_networks", "result": "O2.3.1", "name": "Community alert networks", "unit": "count"},
        )  # fmt: skip
    with unmiss.session() as s:
        tree = framework_tree(s, unmiss_framework(s))
        added = node(tree, "O2.3")
        assert [c.code for c in added.children] == ["O2.3.1"]
        assert [i.code for i in added.children[0].indicators] == ["EW_NETWORKS"]
        assert added.children[0].indicators[0].frequency == "quarter"
        # move the output (with its indicator) under another outcome of another objective
        editing.update_result(s, unmiss_framework(s), ADMIN, "O2.3.1", {"parent": "O1.1"})
    with unmiss.session() as s:
        f = unmiss_framework(s)
        tree = framework_tree(s, f)
        assert "O2.3.1" in [c.code for c in node(tree, "O1.1").children]
        indicator = next(i for i in f.indicators if i.code == "EW_NETWORKS")
        assert indicator.objective_id == next(r.id for r in f.results if r.code == "O1")
        with pytest.raises(ValidationFailed, match="O2.3.1 still holds EW_NETWORKS"):
            editing.remove_result(s, f, ADMIN, "O2.3.1")
        editing.remove_indicator(s, f, ADMIN, "EW_NETWORKS")
        editing.remove_result(s, f, ADMIN, "O2.3.1")
        editing.remove_result(s, f, ADMIN, "O2.3")
    with unmiss.session() as s:
        tree = framework_tree(s, unmiss_framework(s))
        with pytest.raises(KeyError):
            node(tree, "O2.3")
        actions = [
            (e.action, (e.after["item"] or e.before["item"])["code"])
            for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == "perf_framework").order_by(AuditEntry.id))
            if e.action != "create"
        ]
        assert actions == [
            ("add_result", "O2.3"), ("add_result", "O2.3.1"), ("add_indicator", "EW_NETWORKS"),
            ("edit_result", "O2.3.1"), ("remove_indicator", "EW_NETWORKS"), ("remove_result", "O2.3.1"),
            ("remove_result", "O2.3"),
        ]  # fmt: skip


def test_edits_are_checked_like_a_template(unmiss):
    with unmiss.session() as s:
        f = unmiss_framework(s)
        with pytest.raises(ValidationFailed, match="needs a parent objective"):
            editing.add_result(s, f, ADMIN, {"code": "O9.1", "level": "outcome", "parent": "O1.1", "title": "x"})
        with pytest.raises(ValidationFailed, match="does not define"):
            editing.update_result(s, f, ADMIN, "O1", {"tags": ["A4P+.P99"]})
        with pytest.raises(ValidationFailed, match="Only objectives carry A4P tags"):
            editing.update_result(s, f, ADMIN, "O1.1", {"tags": ["A4P+.P1"]})
        with pytest.raises(ValidationFailed, match="already used"):
            editing.add_result(s, f, ADMIN, {"code": "O1", "level": "objective", "title": "again"})
        with pytest.raises(ValidationFailed, match="not valid"):
            editing.add_indicator(s, f, ADMIN, {"code": "1bad", "result": "O1", "name": "x", "unit": "count"})
        with pytest.raises(ValidationFailed, match="unit 'litres' is not one of"):
            editing.add_indicator(s, f, ADMIN, {"code": "WATER", "result": "O1", "name": "x", "unit": "litres"})
        with pytest.raises(ValidationFailed, match="Derivation 'magic' is not one peaceops computes"):
            editing.add_indicator(
                s,
                f,
                ADMIN,
                {
                    "code": "MAGIC",
                    "result": "O1",
                    "name": "x",
                    "unit": "count",
                    "kind": "derived",
                    "derivation": "magic",
                },
            )
        # a formula may not name itself through another formula (cycle), nor an unknown code
        editing.add_indicator(
            s, f, ADMIN,
            {"code": "A_RATIO", "result": "O1.1", "name": "a", "unit": "number", "kind": "formula",
             "numerator": "POL_DELEGATES"},
        )  # fmt: skip
        editing.update_indicator(s, f, ADMIN, "POL_WOMEN_SHARE", {"numerator": "A_RATIO"})
        with pytest.raises(ValidationFailed, match="Formulas refer to each other in a cycle"):
            editing.update_indicator(s, f, ADMIN, "A_RATIO", {"numerator": "POL_WOMEN_SHARE"})
        with pytest.raises(ValidationFailed, match="must not exceed POL_DELEGATES, which is not defined"):
            editing.remove_indicator(s, f, ADMIN, "POL_DELEGATES")  # POL_DELEGATES_WOMEN is checked against it
        with pytest.raises(NotFound, match="no indicator 'NOPE'"):
            editing.update_indicator(s, f, ADMIN, "NOPE", {"name": "x"})


def test_who_may_edit_and_which_version(unmiss):
    with unmiss.session() as s:
        f = unmiss_framework(s)
        for actor in (VIEWER, OTHER_OFFICER):
            with pytest.raises(PermissionDenied):
                editing.update_result(s, f, actor, "O1", {"title": "Mine now"})
        old = f
        renew_framework(
            s,
            find_mission(s, "UNMISS"),
            ADMIN,
            mandate="S/RES/2729 (2024)",
            valid_from=old.valid_from.replace(year=2030),
        )
        with pytest.raises(ValidationFailed, match="kept as history; edit the current version"):
            editing.update_result(s, old, ADMIN, "O1", {"title": "Rewriting history"})


def test_recorded_values_fix_the_measure_and_approval_fixes_the_structure(unmiss):
    with unmiss.session() as s:
        f = unmiss_framework(s)
        save_value(s, f, "POL_GOOD_OFFICES", Q, 12, ADMIN)
        with pytest.raises(ValidationFailed, match="POL_GOOD_OFFICES has 1 recorded values; its unit cannot change"):
            editing.update_indicator(s, f, ADMIN, "POL_GOOD_OFFICES", {"unit": "percent"})
        with pytest.raises(ValidationFailed, match="removing it would delete them"):
            editing.remove_indicator(s, f, ADMIN, "POL_GOOD_OFFICES")
        wf.open_assessment(s, "UNMISS", Q, ADMIN)
        wf.set_narrative(s, "UNMISS", Q, "Engagements continued despite the fighting in Upper Nile.", ADMIN)
        wf.submit(s, "UNMISS", Q, ADMIN)
        wf.approve(s, "UNMISS", Q, ADMIN_B)
    with unmiss.session() as s:
        f = unmiss_framework(s)
        with pytest.raises(
            ValidationFailed,
            match=r"changes the direction of POL_GOOD_OFFICES, but the UNMISS assessment of 2024-Q1 was approved",
        ):
            editing.update_indicator(s, f, ADMIN, "POL_GOOD_OFFICES", {"direction": "lower"})
        with pytest.raises(ValidationFailed, match="adds O7"):
            editing.add_result(s, f, ADMIN, {"code": "O7", "level": "objective", "title": "New", "tags": ["A4P+.P1"]})
        # wording can still be corrected, and the value stays attached
        editing.update_indicator(s, f, ADMIN, "POL_GOOD_OFFICES", {"name": "Good-offices meetings with the parties"})
        editing.update_result(s, f, ADMIN, "O1", {"title": "The peace process advances under one strategy"})
    with unmiss.session() as s:
        f = unmiss_framework(s)
        indicator = next(i for i in f.indicators if i.code == "POL_GOOD_OFFICES")
        assert indicator.name == "Good-offices meetings with the parties"
        assert s.scalar(select(IndicatorValue.value).where(IndicatorValue.indicator_id == indicator.id)) == 12
        assert node(framework_tree(s, f), "O1").title == "The peace process advances under one strategy"
