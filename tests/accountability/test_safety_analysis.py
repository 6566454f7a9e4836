"""Safety figures on the loaded database, checked against numbers computed here from the UN fatalities CSV
and the IPI monthly totals CSV, with scipy's chi-square quantiles for the exact Poisson intervals."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from scipy.stats import chi2

from peaceops.safety import fatalities_per_1000, fatality_rates, malicious_trend, mission_comparison
from peaceops.safety.fatalities import fatalities_by_incident_type

UNIFORMED = ("Military", "Police", "Military Observer")


@pytest.fixture(scope="module")
def deaths(fatality_rows) -> list[dict[str, str]]:
    """The deaths the importer keeps: every row, missions outside the register and repeated ids included."""
    return list(fatality_rows)


@pytest.fixture(scope="module")
def strength(strength_rows, register) -> dict[str, dict[str, int]]:
    """Mission -> {"YYYY-MM": uniformed total}, months with a total above zero."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in strength_rows:
        mission = "UNOCI" if row["Mission"] == "ONUCI" else row["Mission"]
        if mission in register and row["Total"] not in ("", "NA") and int(row["Total"]) > 0:
            out[mission][row["Date"][:7]] = int(row["Total"])
    return out


def expected_rate(deaths, strength, mission: str, year: str | None = None) -> tuple[int, int]:
    """Uniformed deaths in the months with a strength total, and the personnel-months."""
    months = {m: n for m, n in strength[mission].items() if year is None or m.startswith(year)}
    count = sum(
        1
        for d in deaths
        if d["mission_acronym"].upper() == mission
        and d["casualty_personnel_type"].strip() in UNIFORMED
        and d["incident_date"][:7] in months
    )
    return count, sum(months.values())


def test_fatalities_summary_by_mission_equals_the_deaths_the_file_lists(reader, deaths, fatality_rows, register):
    body = reader.get("/api/fatalities/summary?by=mission").json()
    assert body["total"] == len(fatality_rows)
    assert {r["mission"]: r["count"] for r in body["rows"]} == Counter(d["mission_acronym"].upper() for d in deaths)
    outside = {d["mission_acronym"].upper() for d in deaths} - register - {"ONUCI"}
    assert outside and {r["mission"] for r in body["rows"] if not r["in_register"]} == outside
    runs = [r for r in reader.get("/api/imports").json()["runs"] if r["kind"] == "fatalities"]
    assert runs[0]["rows_read"] == len(fatality_rows) and runs[0]["rejected"] == 0, (
        "every row is kept, special political missions and repeated casualty ids included"
    )


def test_summary_by_year_and_incident_type(reader, deaths):
    by_year = reader.get("/api/fatalities/summary?by=year").json()["rows"]
    assert {r["year"]: r["count"] for r in by_year} == Counter(int(d["incident_date"][:4]) for d in deaths)
    assert {r["year"]: r["malicious"] for r in by_year if r["malicious"]} == Counter(
        int(d["incident_date"][:4]) for d in deaths if d["type_of_incident"] == "Malicious Act"
    )
    types = reader.get("/api/fatalities/summary?by=incident_type&year=2015").json()
    in_2015 = [d for d in deaths if d["incident_date"].startswith("2015")]
    assert types["total"] == len(in_2015)
    assert {r["incident_type"]: r["count"] for r in types["rows"]} == Counter(d["type_of_incident"] for d in in_2015)
    assert reader.get("/api/fatalities/summary?by=colour").status_code == 422


@pytest.mark.parametrize(("mission", "year"), [("UNAMID", "2010"), ("MINUSMA", "2016"), ("UNOSOM", "1993")])
def test_fatalities_per_1000_match_an_independent_computation(loaded_db, deaths, strength, mission, year):
    count, personnel_months = expected_rate(deaths, strength, mission, year)
    assert count > 0
    with loaded_db.session() as s:
        assert fatalities_per_1000(s, mission, int(year)) == pytest.approx(12000 * count / personnel_months, abs=1e-4)
        row = fatality_rates(s, mission=mission, year=int(year))[0]
    assert (row.fatalities, row.months_covered) == (count, len([m for m in strength[mission] if m[:4] == year]))


def test_missions_are_compared_by_the_lower_end_of_an_exact_interval(loaded_db, deaths, strength):
    expected = []
    for mission in strength:
        count, personnel_months = expected_rate(deaths, strength, mission)
        scale = 12000 / personnel_months
        low = chi2.ppf(0.025, 2 * count) / 2 * scale if count else 0.0
        high = chi2.ppf(0.975, 2 * count + 2) / 2 * scale
        expected.append((mission, count * scale, low, high))
    expected.sort(key=lambda e: (-e[2], -e[1], e[0]))
    with loaded_db.session() as s:
        rows = mission_comparison(s)
    assert [r.mission for r in rows] == [e[0] for e in expected]
    for row, (_, rate, low, high) in zip(rows[:10], expected[:10], strict=True):
        assert row.per_1000 == pytest.approx(rate, abs=1e-4)
        assert row.per_1000_interval == pytest.approx((low, high), abs=1e-3)
    highest_point = max(expected, key=lambda e: e[1])
    assert rows[0].mission != highest_point[0], "the highest raw rate is a small mission with a wide interval"


def test_malicious_trend_counts_every_year_and_rates_only_with_strength(loaded_db, deaths):
    with loaded_db.session() as s:
        trend = {r.year: r for r in malicious_trend(s)}
        types = fatalities_by_incident_type(s)
    malicious = Counter(int(d["incident_date"][:4]) for d in deaths if d["type_of_incident"] == "Malicious Act")
    assert all(trend[y].malicious == n for y, n in malicious.items())
    assert trend[1993].per_1000 is not None and trend[2020].per_1000 is None, "strength data end in 2017"
    assert {t.incident_type: t.count for t in types} == Counter(d["type_of_incident"] for d in deaths)
    assert sum(t.share for t in types) == pytest.approx(1.0, abs=1e-3)
