"""Layout that a test can see: the navigation group a page falls under, and readable chart axes."""

from __future__ import annotations

import re

import pytest

from peaceops.performance.shapes import IndicatorDefinition, TargetPoint, ValuePoint
from peaceops.web.charts import period_axis
from peaceops.web.navigation import GROUPS as NAVIGATION
from peaceops.web.navigation import current_link
from peaceops.web.performance.charts import indicator_chart

GROUPS = [(label, list(links)) for label, links in NAVIGATION]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ("Overview", "/")),
        ("/debriefs", ("Mediation", "/processes")),
        ("/debriefs/12/edit", ("Mediation", "/processes")),
        ("/processes/3/debriefs", ("Mediation", "/processes")),
        ("/conduct/allegations", ("Accountability", "/conduct")),
        ("/comms/lexicon", ("Monitoring", "/comms")),
        ("/processesx", (None, None)),
        ("/account", (None, None)),
    ],
)
def test_each_page_falls_under_one_group_and_link(path, expected):
    assert current_link(path, GROUPS) == expected


def test_the_debriefs_search_marks_mediation_and_processes_current(signed_in):
    html = signed_in("analyst").get("/debriefs").text
    assert re.search(r'<a href="/agreements" class="current-group">Mediation</a>', html)
    assert re.search(r'<a href="/processes" aria-current="page">Processes</a>', html)


def _indicator(unit: str) -> IndicatorDefinition:
    return IndicatorDefinition(
        code="X", name="Incidents", definition="", unit=unit, direction="lower", baseline=None,
        baseline_period=None, frequency="month", disaggregations=[], data_source="", kind="entered",
        numerator=None, denominator=None, factor=1, derivation=None, aggregation="sum", not_above=None, values=2,
    )  # fmt: skip


def _value(start: str, value: float) -> ValuePoint:
    return ValuePoint(
        period=start[:7], period_start=start, disaggregation="", value=value, numerator=None, denominator=None,
        source="", entered_by="a", entered_at="2024-01-01", revision=1,
    )  # fmt: skip


def test_a_count_indicator_has_whole_number_ticks_and_a_percent_indicator_does_not():
    values = [_value("2024-01-01", 1), _value("2024-02-01", 2)]
    counted = indicator_chart(_indicator("count"), values, [])["layer"][0]["encoding"]["y"]["axis"]
    assert counted["format"].endswith("d") and counted["tickMinStep"] == 1
    shared = indicator_chart(_indicator("percent"), values, [])["layer"][0]["encoding"]["y"]["axis"]
    assert "tickMinStep" not in shared and "format" not in shared


def test_month_ticks_carry_the_year_and_long_spans_show_years():
    target = TargetPoint(period="2024", period_start="2024-01-01", period_end="2024-12-31", disaggregation="",
                         value=3, source="")  # fmt: skip
    x = indicator_chart(_indicator("count"), [_value("2024-01-01", 1)], [target])["layer"][0]["encoding"]["x"]
    assert x["axis"]["format"] == "%b %Y" and x["axis"]["labelOverlap"] == "greedy"
    assert x["axis"]["tickCount"]["interval"] == "month" and x["axis"]["tickCount"]["step"] >= 2
    assert period_axis("2014-01-01", "2021-12-01")["format"] == "%Y"
