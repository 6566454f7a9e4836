"""Results frameworks: the template, A4P tags, versions at mandate renewals, periods, and the roll-up query."""

from __future__ import annotations

from datetime import date

import pytest
from perf_actors import ADMIN
from sqlalchemy import and_, func, select

from peaceops.errors import NotFound, ValidationFailed
from peaceops.framework.models import FrameworkElement
from peaceops.missions.models import Mission
from peaceops.performance.frameworks import (
    create_framework,
    current_framework,
    find_mission,
    framework_at,
    framework_tree,
    load_template,
    renew_framework,
)
from peaceops.performance.models import Indicator, IndicatorValue, ObjectiveTag, Result, ResultsFramework
from peaceops.performance.periods import latest_complete, parse_period, periods_between
from peaceops.performance.values import save_value


@pytest.mark.parametrize(
    ("key", "kind", "start", "end"),
    [
        ("2024-03", "month", date(2024, 3, 1), date(2024, 3, 31)),
        ("2024-02-29", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2024-Q4", "quarter", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024q1", "quarter", date(2024, 1, 1), date(2024, 3, 31)),
        ("2023", "year", date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_periods(key, kind, start, end):
    p = parse_period(key)
    assert (p.kind, p.start, p.end) == (kind, start, end)


def test_period_arithmetic():
    assert parse_period("2024-Q1").contains(parse_period("2024-03"))
    assert not parse_period("2024-Q1").contains(parse_period("2024-04"))
    assert parse_period("2024-Q1").previous().key == "2023-Q4" and parse_period("2024-12").next().key == "2025-01"
    assert [p.key for p in periods_between("quarter", date(2023, 11, 5), date(2024, 4, 1))] == [
        "2023-Q4", "2024-Q1", "2024-Q2",
    ]  # fmt: skip
    assert latest_complete("quarter", date(2024, 5, 17)).key == "2024-Q1"
    with pytest.raises(ValidationFailed, match="write a month as 2024-03"):
        parse_period("March 2024")


def test_the_default_template_tags_every_objective_with_existing_framework_codes(missions_db):
    spec = load_template("a4p-default")
    with missions_db.session() as s:
        known = set(s.scalars(select(FrameworkElement.code)))
        for r in spec["results"]:
            if r["level"] == "objective":
                assert r["tags"] and set(r["tags"]) <= known, r["code"]
                assert r["mandate_task"]
        framework = create_framework(s, find_mission(s, "UNMISS"), ADMIN)
        tree = framework_tree(s, framework)
        priorities = {t.code for o in tree.objectives for t in o.tags if t.kind == "priority"}
        assert priorities == {f"A4P+.P{n}" for n in range(1, 8)}  # the template covers all seven priorities
        kinds = {i.kind for o in tree.objectives for i in _all_indicators(o)}
        assert kinds == {"entered", "formula", "derived"}
        with pytest.raises(ValidationFailed, match="already has a results framework"):
            create_framework(s, find_mission(s, "UNMISS"), ADMIN)


def _all_indicators(node):
    yield from node.indicators
    for child in node.children:
        yield from _all_indicators(child)


def test_indicators_carry_the_objective_they_roll_up_to(unmiss):
    with unmiss.session() as s:
        framework = current_framework(s, find_mission(s, "UNMISS"))
        codes = {r.id: r.code for r in s.scalars(select(Result).where(Result.framework_id == framework.id))}
        objective_of = {i.code: codes[i.objective_id] for i in framework.indicators}
        assert objective_of["POC_ALERTS"] == "O2" and objective_of["GEN_WOMEN_IPO"] == "O4"
        assert objective_of["SEA_ALLEGATIONS_RATE"] == "O5"


def test_a_mandate_renewal_starts_a_new_version(unmiss):
    with unmiss.session() as s:
        mission = find_mission(s, "UNMISS")
        v1 = current_framework(s, mission)
        save_value(s, v1, "POC_ALERTS", "2023-Q4", 12, ADMIN)
        with pytest.raises(ValidationFailed, match="Name the mandate"):
            renew_framework(s, mission, ADMIN, mandate=" ", valid_from=date(2024, 5, 1))
        with pytest.raises(ValidationFailed, match="must start after the current one"):
            renew_framework(s, mission, ADMIN, mandate="S/RES/1996 (2011)", valid_from=date(2011, 7, 1))
        v2 = renew_framework(s, mission, ADMIN, mandate="S/RES/2729 (2024)", valid_from=date(2024, 5, 1))
        assert (v1.valid_to, v2.version, v2.valid_to) == (date(2024, 4, 30), 2, None)
        assert len(v2.indicators) == len(v1.indicators) and {r.code for r in v2.results} == {r.code for r in v1.results}
        assert framework_at(s, mission, date(2023, 10, 1), date(2023, 12, 31)).version == 1
        assert framework_at(s, mission, date(2024, 7, 1), date(2024, 9, 30)).version == 2
        with pytest.raises(ValidationFailed, match="outside framework version 2"):
            save_value(s, v2, "POC_ALERTS", "2023-Q4", 13, ADMIN)
        old = framework_tree(s, v1)
        assert old.valid_to == "2024-04-30" and [v.version for v in old.versions] == [1, 2]
        alerts = next(i for o in old.objectives for i in _all_indicators(o) if i.code == "POC_ALERTS")
        assert alerts.values == 1  # version 1 keeps its values
        tags = lambda f: sorted(  # noqa: E731
            s.execute(
                select(Result.code, FrameworkElement.code)
                .join(ObjectiveTag, ObjectiveTag.result_id == Result.id)
                .join(FrameworkElement, FrameworkElement.id == ObjectiveTag.element_id)
                .where(Result.framework_id == f.id)
            ).all()
        )
        assert tags(v1) == tags(v2)


def test_missing_framework_is_a_clear_error(missions_db):
    with missions_db.session() as s:
        with pytest.raises(NotFound, match="MINUSCA has no results framework yet"):
            current_framework(s, find_mission(s, "MINUSCA"))
        with pytest.raises(NotFound, match="not in the missions register"):
            find_mission(s, "UNKNOWN")


def test_a_priority_roll_up_is_one_group_by(perf_loaded):
    """The shape a scorecard needs: mission x A4P+ priority, indicators and how many have data, in one query."""
    db, _ = perf_loaded
    p = parse_period("2013-06")
    value = and_(
        IndicatorValue.indicator_id == Indicator.id,
        IndicatorValue.disaggregation == "",
        IndicatorValue.period_start >= p.start,
        IndicatorValue.period_end <= p.end,
    )
    query = (
        select(
            Mission.acronym,
            FrameworkElement.code,
            func.count(func.distinct(Indicator.id)),
            func.count(func.distinct(IndicatorValue.indicator_id)),
        )
        .join(ResultsFramework, ResultsFramework.mission_id == Mission.id)
        .join(Indicator, Indicator.framework_id == ResultsFramework.id)
        .join(ObjectiveTag, ObjectiveTag.result_id == Indicator.objective_id)
        .join(FrameworkElement, FrameworkElement.id == ObjectiveTag.element_id)
        .outerjoin(IndicatorValue, value)
        .where(FrameworkElement.kind == "priority")
        .group_by(Mission.acronym, FrameworkElement.code)
    )
    with db.session() as s:
        rows = {(m, code): (n, with_data) for m, code, n, with_data in s.execute(query)}
    assert {m for m, _ in rows} == {"MINURSO", "MINUSCA", "MINUSMA", "MONUSCO", "UNDOF", "UNFICYP", "UNIFIL",
                                    "UNISFA", "UNMIK", "UNMISS", "UNMOGIP", "UNTSO"}  # fmt: skip
    # UNMISS in June 2013: of O3's three indicators (P4) only the malicious-fatality rate has data (no incident
    # report is published, no evacuation recorded); O4 (P3) the three women's shares it has data for
    assert rows[("UNMISS", "A4P+.P4")] == (3, 1)
    assert rows[("UNMISS", "A4P+.P3")] == (3 + 4, 1 + 3)  # O3 is tagged P3 as well
    assert rows[("MINUSCA", "A4P+.P3")][1] == 0  # MINUSCA started in 2014
