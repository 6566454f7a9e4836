"""Scorecards: the SQL roll-up against one computed here from the stored rows, the API contract, drill-down."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from perf_actors import ADMIN
from sqlalchemy import select

from peaceops.errors import ValidationFailed
from peaceops.framework.models import FrameworkElement
from peaceops.missions.models import Mission
from peaceops.performance.frameworks import create_framework, current_framework, find_mission
from peaceops.performance.models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    ObjectiveTag,
    ResultsFramework,
)
from peaceops.performance.periods import parse_period, period_of
from peaceops.performance.rating import indicator_status
from peaceops.performance.scorecard import drilldown, scorecard, scorecard_month, summary
from peaceops.performance.shapes import ScorecardRow
from peaceops.store import Database

MONTH = "2024-02"


def dumped(rows: list[ScorecardRow]) -> list[dict]:
    """Scorecard rows as the JSON contract has them, to compare with the rows recomputed here."""
    return [r.model_dump() for r in rows]


def expected_rows(s, month_key: str, kind: str = "priority") -> list[dict]:
    """The roll-up recomputed in Python from the stored rows, without the module's SQL (decision 007, 010)."""
    month = parse_period(month_key)
    points_of = {"on_track": 1.0, "at_risk": 0.5, "off_track": 0.0}
    cells: dict[tuple[str, str], list[tuple[bool, str]]] = defaultdict(list)
    elements = {e.id: e for e in s.scalars(select(FrameworkElement).where(FrameworkElement.kind == kind))}
    for mission in s.scalars(select(Mission)):
        valid = [
            f
            for f in s.scalars(select(ResultsFramework).where(ResultsFramework.mission_id == mission.id))
            if f.valid_from <= month.end and (f.valid_to is None or f.valid_to >= month.start)
        ]
        if not valid:
            continue
        framework = max(valid, key=lambda f: f.version)
        for i in s.scalars(select(Indicator).where(Indicator.framework_id == framework.id)):
            own = period_of(i.frequency, month.start)
            value = s.scalar(
                select(IndicatorValue.value).where(
                    IndicatorValue.indicator_id == i.id,
                    IndicatorValue.period == own.key,
                    IndicatorValue.disaggregation == "",
                )
            )
            targets = [
                t
                for t in s.scalars(
                    select(IndicatorTarget).where(
                        IndicatorTarget.indicator_id == i.id, IndicatorTarget.disaggregation == ""
                    )
                )
                if parse_period(t.period).contains(own)
            ]
            target = min(targets, key=lambda t: t.period_end - t.period_start).value if targets else None
            status, _ = indicator_status(value, target, i.baseline, i.direction)
            tags = s.scalars(select(ObjectiveTag.element_id).where(ObjectiveTag.result_id == i.objective_id))
            for element_id in tags:
                if element_id in elements:
                    cells[(mission.acronym, elements[element_id].code)].append((value is not None, status))
    rows = []
    for (mission, code), items in sorted(cells.items()):
        targeted = [st for _, st in items if st != "no_target"]
        rated = [st for st in targeted if st in points_of]
        if not rated:
            rating = "no_data"
        else:
            score = sum(points_of[st] for st in rated) / len(rated)
            rating = "on_track" if score >= 0.75 else "at_risk" if score >= 0.4 else "off_track"
            if rating == "on_track" and 2 * len(rated) < len(targeted):
                rating = "at_risk"
        rows.append(
            {"mission": mission, "priority": code, "rating": rating, "indicators": len(items),
             "with_data": sum(has for has, _ in items)}
        )  # fmt: skip
    return rows


@pytest.fixture
def two_missions(unmiss: Database, entered_cd_template: Path) -> Database:
    """UNMISS and MINUSCA with values and targets that put cells in every rating."""
    with unmiss.session() as s:
        create_framework(s, find_mission(s, "MINUSCA"), ADMIN, template=entered_cd_template)
        unmiss_f = current_framework(s, find_mission(s, "UNMISS"))
        minusca_f = current_framework(s, find_mission(s, "MINUSCA"))
        # UNMISS O2 (P2, P7, T1): 30 of 40 alerts answered against 90 %: 83 % of the way -> at risk.
        set_target_(s, unmiss_f, "POC_ALERT_RESPONSE", "2024", 90)
        save(s, unmiss_f, {"POC_ALERTS": 40, "POC_ALERTS_ANSWERED": 30, "POC_PATROLS_DAY": 100})
        set_target_(s, unmiss_f, "POC_PATROLS", "2024-Q1", 150)  # 100 patrols against 150 with no night ones
        # UNMISS O6 (P6, T2): every complaint addressed -> on track.
        set_target_(s, unmiss_f, "COMMS_RESPONSE_RATE", "2024-Q1", 80)
        save(s, unmiss_f, {"COMMS_INCIDENTS": 10, "COMMS_ADDRESSED": 10})
        # MINUSCA O6 with a target and no values -> no data; O5 (P5) CD training off track.
        set_target_(s, minusca_f, "COMMS_RESPONSE_RATE", "2024", 80)
        set_target_(s, minusca_f, "CD_TRAINED", "2024-Q1", 90)
        save(s, minusca_f, {"CD_TRAINED": 20})
        # A value in another quarter must not count for February.
        save_value_(s, unmiss_f, "COMMS_INCIDENTS", "2024-Q2", 3)
    return unmiss


def save(s, framework, values: dict[str, float], period: str = "2024-Q1") -> None:
    for code, value in values.items():
        save_value_(s, framework, code, period, value)


def save_value_(s, framework, code, period, value):
    from peaceops.performance.values import save_value

    save_value(s, framework, code, period, value, ADMIN)


def set_target_(s, framework, code, period, value):
    from peaceops.performance.values import set_target

    set_target(s, framework, code, period, value, ADMIN)


def test_scorecard_matches_a_rollup_computed_from_the_stored_rows(two_missions):
    with two_missions.session() as s:
        card = scorecard(s, parse_period(MONTH))
        assert set(card.model_dump()) == {"period", "rows"} and card.period == MONTH
        assert all(set(r) == {"mission", "priority", "rating", "indicators", "with_data"} for r in dumped(card.rows))
        expected = expected_rows(s, MONTH)
        assert dumped(card.rows) == expected
        ratings = {(r.mission, r.priority): r.rating for r in card.rows}
        # The cells the fixture aimed at, so the comparison above is not between two empty tables.
        assert ratings[("UNMISS", "A4P+.P6")] == "on_track"
        assert ratings[("UNMISS", "A4P+.P2")] == "at_risk"  # alert response at risk; patrols lack night ones
        assert ratings[("MINUSCA", "A4P+.P6")] == "no_data"
        assert ratings[("MINUSCA", "A4P+.P5")] == "off_track"
        assert {r.mission for r in card.rows} == {"UNMISS", "MINUSCA"}
        unmiss_p6 = next(r for r in card.rows if (r.mission, r.priority) == ("UNMISS", "A4P+.P6"))
        assert (unmiss_p6.indicators, unmiss_p6.with_data) == (3, 3)  # incidents, addressed, the formula
        # April is in Q2: only the one Q2 value counts there.
        april = {(r.mission, r.priority): r for r in scorecard(s, parse_period("2024-04")).rows}
        assert april[("UNMISS", "A4P+.P6")].with_data == 1 and april[("UNMISS", "A4P+.P6")].rating == "no_data"
        assert dumped(scorecard(s, parse_period("2024-04")).rows) == expected_rows(s, "2024-04")


def test_rollups_trend_and_drilldown(two_missions):
    with two_missions.session() as s:
        page = summary(s, parse_period(MONTH), trend_months=3)
        p6 = next(r for r in page.priority_rollup if r.code == "A4P+.P6")
        assert (p6.missions, p6.on_track, p6.no_data) == (2, 1, 1)
        assert {t.code for t in page.theme_rollup} == {"A4P+.T1", "A4P+.T2"}
        assert {t.period for t in page.trend} == {"2023-12", "2024-01", "2024-02"}
        assert page.rows == scorecard(s, parse_period(MONTH)).rows
        cell = drilldown(s, "unmiss", "A4P+.P2", parse_period(MONTH))
        assert cell.rating == "at_risk" and cell.mission == "UNMISS"
        by_code = {i.code: i for i in cell.indicators}
        assert by_code["POC_ALERT_RESPONSE"].value == 75 and by_code["POC_ALERT_RESPONSE"].target == 90
        assert by_code["POC_ALERT_RESPONSE"].status == "at_risk"
        assert by_code["POC_PATROLS"].status == "no_data" and by_code["POC_PATROLS"].value_period == "2024-Q1"
        assert by_code["POC_PATROLS_DAY"].value == 100 and by_code["POC_PATROLS_DAY"].status == "no_target"
        assert by_code["HOST_ONE_SIDED_DEATHS"].value_period == MONTH  # a monthly indicator reads the month
        row = next(r for r in page.rows if (r.mission, r.priority) == ("UNMISS", "A4P+.P2"))
        assert len(cell.indicators) == row.indicators
        assert sum(i.value is not None for i in cell.indicators) == row.with_data
        assert [t.rating for t in cell.trend][-2:] == ["at_risk", "at_risk"]  # January is in Q1 too


def test_a_scorecard_is_for_a_month():
    assert scorecard_month("2024-03").key == "2024-03"
    with pytest.raises(ValidationFailed, match="for a month"):
        scorecard_month("2024-Q1")


def test_real_derived_values_roll_up_like_the_stored_rows(perf_loaded):
    db, _ = perf_loaded
    with db.session() as s:
        for month in ("2013-06", "2016-12"):
            card = scorecard(s, parse_period(month))
            assert dumped(card.rows) == expected_rows(s, month)
            assert sum(r.with_data for r in card.rows) > 0, month


def test_a_renewal_in_the_month_hands_the_cell_to_the_new_version(two_missions):
    from datetime import date

    from peaceops.performance.frameworks import renew_framework

    with two_missions.session() as s:
        renew_framework(s, find_mission(s, "UNMISS"), ADMIN, mandate="S/RES/2729 (2024)", valid_from=date(2024, 2, 15))
        february = scorecard(s, parse_period(MONTH)).rows
        january = scorecard(s, parse_period("2024-01")).rows
        assert dumped(february) == expected_rows(s, MONTH) and dumped(january) == expected_rows(s, "2024-01")
        p6 = {m: next(r for r in rows if r.mission == "UNMISS" and r.priority == "A4P+.P6")
              for m, rows in (("jan", january), ("feb", february))}  # fmt: skip
        assert p6["jan"].with_data == 3  # version 1 with its Q1 values
        assert p6["feb"].with_data == 0 and p6["feb"].rating == "no_data"  # version 2 holds no values yet
