"""Conduct figures on the loaded database, checked against numbers computed here straight from the files
(the allegations workbook read with openpyxl, the IPI monthly totals read with the csv module)."""

from __future__ import annotations

import re
import statistics
from collections import Counter

import pytest

from peaceops.conduct import (
    allegation_rates,
    allegations_per_1000,
    conduct_summary,
    investigation_timeliness,
    monthly_allegation_rates,
)
from peaceops.errors import NotFound, ValidationFailed


def year(cells) -> int:
    return int(cells["Date"].split("/")[1])


def category(cells) -> str:
    kinds = {entry.split(" ")[0] for entry in cells["Personnel Type"].split("\n\n") if entry.strip()}
    return kinds.pop() if len(kinds) == 1 else "Several"


def uniformed_rate(sheet_rows, strength_rows, mission: str, in_year: int) -> tuple[int, int, float]:
    """Uniformed allegations reported in the months with a strength total, the personnel-months, the rate."""
    months = {
        int(r["Date"][5:7]): int(r["Total"])
        for r in strength_rows
        if r["Mission"] == mission and r["Date"].startswith(str(in_year)) and r["Total"] not in ("", "NA", "0")
    }
    allegations = sum(
        1
        for c in sheet_rows
        if c["Mission"] == mission
        and year(c) == in_year
        and int(c["Date"].split("/")[0]) in months
        and category(c) in ("Military", "Police")
    )
    personnel_months = sum(months.values())
    return allegations, personnel_months, 12000 * allegations / personnel_months


def test_summary_by_mission_adds_up_to_the_workbook(reader, sheet_rows):
    body = reader.get("/api/conduct/summary?by=mission").json()
    assert body["total"] == len(sheet_rows) == 753
    assert {r["mission"]: r["count"] for r in body["rows"]} == Counter(c["Mission"] for c in sheet_rows)
    assert sum(r["count"] for r in body["rows"]) == body["total"]
    assert body["rows"][0] == {**body["rows"][0], "mission": "MINUSCA", "count": 294}


@pytest.mark.parametrize("by", ["year", "personnel_category", "outcome"])
def test_summaries_by_year_category_and_outcome_match_the_cells(loaded_db, sheet_rows, by):
    def outcome(cells) -> str:
        found = {entry.split(" (")[0] for entry in cells["Result"].split("\n\n")}
        return next(o for o in ("Substantiated", "Pending", "Unsubstantiated", "Incomplete", "N/A") if o in found)

    key = {"year": year, "personnel_category": category, "outcome": outcome}[by]
    with loaded_db.session() as s:
        summary = conduct_summary(s, by)
    assert {r.value(by): r.count for r in summary.rows} == Counter(key(c) for c in sheet_rows)


def test_country_summary_counts_an_allegation_for_each_country_it_names(loaded_db, sheet_rows):
    with loaded_db.session() as s:
        rows = {r.value("country"): r.count for r in conduct_summary(s, "country").rows}
    south_africa = sum("South Africa" in c["Nationality"].split("\n\n") for c in sheet_rows)
    congo = sum("Congo" in c["Nationality"].split("\n\n") for c in sheet_rows)
    no_country = sum(set(c["Nationality"].split("\n\n")) <= {"N/A", "Unknown"} for c in sheet_rows)
    assert (rows["ZAF"], rows["COG"], rows[None]) == (south_africa, congo, no_country)


def test_investigation_days_summary_matches_the_cells(loaded_db, sheet_rows):
    days = [int(m.group(1)) for c in sheet_rows if (m := re.search(r"\((\d+)\)$", c["Investigation (days)"]))]
    with loaded_db.session() as s:
        timeliness = investigation_timeliness(s)
    overall = timeliness.overall
    assert overall.completed == len(days)
    assert overall.median_days == statistics.median(days)
    assert overall.within_90 == round(sum(d <= 90 for d in days) / len(days), 4)
    y2016 = [
        int(m.group(1))
        for c in sheet_rows
        if year(c) == 2016 and (m := re.search(r"\((\d+)\)$", c["Investigation (days)"]))
    ]
    row = next(r for r in timeliness.by_year if r.year == 2016)
    assert (row.completed, row.median_days) == (len(y2016), statistics.median(y2016))


@pytest.mark.parametrize(("mission", "in_year"), [("MINUSCA", 2015), ("MINUSCA", 2016), ("MONUSCO", 2016)])
def test_allegations_per_1000_match_an_independent_computation(loaded_db, sheet_rows, strength_rows, mission, in_year):
    count, personnel_months, expected = uniformed_rate(sheet_rows, strength_rows, mission, in_year)
    assert count > 0 and personnel_months > 0
    with loaded_db.session() as s:
        assert allegations_per_1000(s, mission, in_year) == pytest.approx(expected, abs=1e-4)
        row = allegation_rates(s, mission=mission, year=in_year)[0]
    assert (row.allegations, row.personnel_years) == (count, round(personnel_months / 12, 1))
    low, high = row.per_1000_interval
    assert low < row.per_1000 < high


def test_allegations_per_1000_is_none_without_strength_data_and_refuses_unknown_missions(loaded_db):
    with loaded_db.session() as s:
        assert allegations_per_1000(s, "MINUSCA", 2020) is None, "the monthly totals stop in March 2017"
        assert allegations_per_1000(s, "UNFICYP", 2016) == 0.0, "a year with strength data and no allegation"
        with pytest.raises(NotFound, match="MINUSXX"):
            allegations_per_1000(s, "MINUSXX", 2016)
        with pytest.raises(ValidationFailed, match="Cannot group allegations by 'colour'"):
            conduct_summary(s, "colour")


def test_monthly_rates_for_the_performance_indicator(loaded_db, sheet_rows, strength_rows):
    with loaded_db.session() as s:
        months = monthly_allegation_rates(s, "MINUSCA")
    assert months[0]["month"] == "2015-01-01" and months[-1]["month"] == "2017-03-01"
    march = next(m for m in months if m["month"] == "2016-03-01")
    reported = sum(
        1 for c in sheet_rows if c["Mission"] == "MINUSCA" and c["Date"] == "3/2016" and category(c) != "Civilian"
    )
    deployed = next(
        int(r["Total"]) for r in strength_rows if r["Mission"] == "MINUSCA" and r["Date"].startswith("2016-03")
    )
    assert (march["allegations"], march["deployed"]) == (reported, deployed)
    assert march["per_1000"] == pytest.approx(1000 * reported / deployed, abs=1e-4)
