"""Formula indicators: a whitelisted expression grammar, clear errors, and values recomputed as inputs change."""

from __future__ import annotations

import pytest
from perf_actors import ADMIN
from sqlalchemy import select

from peaceops.performance.formula import (
    FormulaError,
    dependents,
    evaluate,
    formula_order,
    parse_expression,
    parse_formula,
)
from peaceops.performance.frameworks import create_framework, current_framework, find_mission, indicator_by_code
from peaceops.performance.models import IndicatorValue
from peaceops.performance.values import save_value


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("A_1 + B_2", {"A_1": 2, "B_2": 3}, 5.0),
        ("(A_1 - B_2) * 2", {"A_1": 10, "B_2": 4}, 12.0),
        ("A_1 / (B_2 + 2) * 100", {"A_1": 3, "B_2": 4}, 50.0),
        ("-A_1 + 1.5", {"A_1": 1}, 0.5),
        ("A_1 - B_2 - C_3", {"A_1": 10, "B_2": 3, "C_3": 2}, 5.0),  # left-associative
    ],
)
def test_expressions_evaluate_with_normal_precedence(text, values, expected):
    assert evaluate(parse_expression(text), values) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("__import__('os').system('true')", "not allowed"),
        ("A_1 ** 2", "not allowed"),
        ("A_1.real", "not allowed"),
        ("abs(A_1)", "not allowed"),
        ("A_1 if B_2 else C_3", "not allowed"),
        ("A_1 < B_2", "not allowed"),
        ("'text'", "not allowed"),
        ("True + A_1", "not allowed"),
        ("lowercase + A_1", "not an indicator code"),
        ("A_1 +", "cannot be read"),
        ("", "empty"),
    ],
)
def test_anything_outside_the_grammar_is_refused_with_a_reason(text, fragment):
    with pytest.raises(FormulaError, match=fragment):
        parse_expression(text)


def test_division_by_zero_names_the_divisor():
    with pytest.raises(FormulaError, match=r"Division by zero.*POC_ALERTS - POC_DUPES.* is 0"):
        evaluate(
            parse_expression("POC_DONE / (POC_ALERTS - POC_DUPES)"), {"POC_DONE": 1, "POC_ALERTS": 4, "POC_DUPES": 4}
        )
    formula = parse_formula("POC_DONE", "POC_ALERTS", 100)
    with pytest.raises(FormulaError, match="denominator 'POC_ALERTS' is 0"):
        formula.compute({"POC_DONE": 0, "POC_ALERTS": 0})
    assert formula.compute({"POC_DONE": 3, "POC_ALERTS": 4}) == (75.0, 3.0, 4.0)


def test_a_missing_input_is_named():
    with pytest.raises(FormulaError, match="needs a value for B_2"):
        evaluate(parse_expression("A_1 + B_2"), {"A_1": 1, "B_2": None})


def test_unknown_codes_are_named():
    formulas = {"SHARE": parse_formula("WOMEN / TOTL")}
    with pytest.raises(FormulaError, match="SHARE names TOTL, which is not an indicator"):
        formula_order(formulas, {"SHARE", "WOMEN", "TOTAL"})


def test_cycles_are_reported_with_their_path():
    formulas = {
        "AA": parse_formula("BB + 1"),
        "BB": parse_formula("CC * 2"),
        "CC": parse_formula("AA - XX"),
    }
    with pytest.raises(FormulaError, match="cycle: AA -> BB -> CC -> AA"):
        formula_order(formulas, {"AA", "BB", "CC", "XX"})
    with pytest.raises(FormulaError, match="cycle: SELF -> SELF"):
        formula_order({"SELF": parse_formula("SELF + 1")}, {"SELF"})


def test_dependents_come_after_their_inputs():
    formulas = {
        "TOTAL": parse_formula("DAY + NIGHT"),
        "SHARE_NIGHT": parse_formula("NIGHT", "TOTAL", 100),
        "OTHER": parse_formula("UNRELATED * 2"),
    }
    assert dependents(formulas, {"DAY"}) == ["TOTAL", "SHARE_NIGHT"]
    assert dependents(formulas, {"UNRELATED"}) == ["OTHER"]


def test_a_template_with_a_cycle_or_unknown_code_is_refused_before_anything_is_written(missions_db, tmp_path):
    base = (
        'code = "bad"\ntitle = "Bad"\n[[results]]\ncode = "O1"\nlevel = "objective"\ntitle = "One"\n'
        '[[indicators]]\ncode = "AA"\nresult = "O1"\nname = "A"\nunit = "count"\ndirection = "higher"\n'
        'frequency = "quarter"\nkind = "formula"\nnumerator = "{a}"\n'
        '[[indicators]]\ncode = "BB"\nresult = "O1"\nname = "B"\nunit = "count"\ndirection = "higher"\n'
        'frequency = "quarter"\nkind = "formula"\nnumerator = "AA"\n'
    )
    cyclic, unknown = tmp_path / "cyclic.toml", tmp_path / "unknown.toml"
    cyclic.write_text(base.format(a="BB + 1"))
    unknown.write_text(base.format(a="NOPE_1 + 1"))
    with missions_db.session() as s:
        mission = find_mission(s, "UNMISS")
        with pytest.raises(FormulaError, match="cycle: AA -> BB -> AA"):
            create_framework(s, mission, ADMIN, template=cyclic)
        with pytest.raises(FormulaError, match="AA names NOPE_1"):
            create_framework(s, mission, ADMIN, template=unknown)
        assert s.scalar(select(IndicatorValue.id)) is None


def _stored(s, framework, code, period):
    indicator = indicator_by_code(s, framework, code)
    return s.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.period == period,
            IndicatorValue.disaggregation == "",
        )
    )


def test_formula_values_follow_their_inputs(unmiss):
    with unmiss.session() as s:
        f = current_framework(s, find_mission(s, "UNMISS"))
        save_value(s, f, "POC_ALERTS", "2024-Q1", 40, ADMIN)
        assert _stored(s, f, "POC_ALERT_RESPONSE", "2024-Q1") is None  # the numerator is still missing
        save_value(s, f, "POC_ALERTS_ANSWERED", "2024-Q1", 30, ADMIN)
        share = _stored(s, f, "POC_ALERT_RESPONSE", "2024-Q1")
        assert (share.value, share.numerator, share.denominator) == (75.0, 30.0, 40.0)
        assert share.source == "formula"
        save_value(s, f, "POC_ALERTS", "2024-Q1", 60, ADMIN)
        assert _stored(s, f, "POC_ALERT_RESPONSE", "2024-Q1").value == pytest.approx(50.0)
        save_value(s, f, "POC_PATROLS_DAY", "2024-Q1", 120, ADMIN)
        save_value(s, f, "POC_PATROLS_NIGHT", "2024-Q1", 35, ADMIN)
        assert _stored(s, f, "POC_PATROLS", "2024-Q1").value == 155.0


def test_a_zero_denominator_leaves_no_formula_value_and_says_why(unmiss):
    with unmiss.session() as s:
        f = current_framework(s, find_mission(s, "UNMISS"))
        save_value(s, f, "COMMS_INCIDENTS", "2024-Q2", 4, ADMIN)
        save_value(s, f, "COMMS_ADDRESSED", "2024-Q2", 2, ADMIN)
        assert _stored(s, f, "COMMS_RESPONSE_RATE", "2024-Q2").value == 50.0
        save_value(s, f, "COMMS_ADDRESSED", "2024-Q2", 0, ADMIN)
        outcome = save_value(s, f, "COMMS_INCIDENTS", "2024-Q2", 0, ADMIN)
        assert outcome.status == "saved"
        assert any(
            "COMMS_RESPONSE_RATE not computed for 2024-Q2" in n and "Division by zero" in n for n in outcome.notes
        )
        assert _stored(s, f, "COMMS_RESPONSE_RATE", "2024-Q2") is None
