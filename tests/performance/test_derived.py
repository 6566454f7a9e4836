"""Derived indicators checked against figures computed here, independently, from the raw shared files."""

from __future__ import annotations

import csv
import gzip
from collections import Counter

import pytest
from perf_actors import ADMIN, ADMIN_B
from sqlalchemy import func, select

from peaceops.conduct.rates import monthly_allegation_rates
from peaceops.missions.models import Mission
from peaceops.performance import assessments as wf
from peaceops.performance.defaults import PARITY_SOURCE
from peaceops.performance.derived import compute_derived, derivation_status
from peaceops.performance.frameworks import current_framework, find_mission, indicator_by_code
from peaceops.performance.models import Indicator, IndicatorTarget, IndicatorValue, ResultsFramework


def rows(path, opener=open):
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def raw(data_dir):
    base = data_dir / "un_peacekeeping"
    return {
        "gender": rows(base / "personnel" / "IPI_TCC_gender_by_mission_2009-11_to_2014-02.csv"),
        "totals": rows(base / "personnel" / "IPI_mission_monthly_totals_1990-11_to_2017-03.csv"),
        "fatalities": rows(base / "fatalities" / "DPPADPOSS-FATALITIES.csv"),
        "ged_car": rows(data_dir / "ucdp" / "ged" / "ged_central_african_republic.csv.gz", gzip.open),
    }


def value(db, mission, code, period, disaggregation=""):
    with db.session() as s:
        framework = current_framework(s, find_mission(s, mission))
        indicator = indicator_by_code(s, framework, code)
        stored = s.scalar(
            select(IndicatorValue).where(
                IndicatorValue.indicator_id == indicator.id,
                IndicatorValue.period == period,
                IndicatorValue.disaggregation == disaggregation,
            )
        )
        return None if stored is None else (stored.value, stored.numerator, stored.denominator)


@pytest.mark.parametrize(
    ("code", "female", "total"),
    [
        ("GEN_WOMEN_TROOPS", ["Troops Female"], ["Troops Total"]),
        ("GEN_WOMEN_STAFF_OBS", ["Experts on Mission Female"], ["Experts on Mission Total"]),
        ("GEN_WOMEN_IPO", ["Individual Police Female"], ["Individual Police Total"]),
    ],
)
def test_womens_share_per_category_matches_the_ipi_file(perf_loaded, raw, code, female, total):
    db, _ = perf_loaded
    month = [r for r in raw["gender"] if r["Mission"] == "UNMISS" and r["Date"] == "2013-06-30"]
    women = sum(int(r[c]) for r in month for c in female)
    everyone = sum(int(r[c]) for r in month for c in total)
    assert everyone > 0
    stored = value(db, "UNMISS", code, "2013-06")
    assert stored == pytest.approx((100 * women / everyone, women, everyone))


def test_womens_share_is_absent_where_a_mission_has_nobody_in_the_category(perf_loaded, raw):
    db, _ = perf_loaded
    month = [r for r in raw["gender"] if r["Mission"] == "UNMISS" and r["Date"] == "2013-06-30"]
    assert sum(int(r["Formed Police Units Total"]) for r in month) == 0
    assert value(db, "UNMISS", "GEN_WOMEN_FPU", "2013-06") is None


def test_women_share_months_cover_exactly_the_months_in_the_data(perf_loaded, raw):
    db, _ = perf_loaded
    expected = {r["Date"][:7] for r in raw["gender"] if r["Mission"] == "UNMISS" and int(r["Troops Total"] or 0) > 0}
    with db.session() as s:
        framework = current_framework(s, find_mission(s, "UNMISS"))
        indicator = indicator_by_code(s, framework, "GEN_WOMEN_TROOPS")
        stored = set(s.scalars(select(IndicatorValue.period).where(IndicatorValue.indicator_id == indicator.id)))
    assert stored == expected and len(stored) >= 30


def test_parity_targets_come_from_the_editable_table(perf_loaded):
    db, _ = perf_loaded
    with db.session() as s:
        framework = current_framework(s, find_mission(s, "UNMISS"))
        indicator = indicator_by_code(s, framework, "GEN_WOMEN_TROOPS")
        stored = s.execute(select(IndicatorTarget.period, IndicatorTarget.value, IndicatorTarget.source).where(
            IndicatorTarget.indicator_id == indicator.id
        )).all()  # fmt: skip
    targets = {period: value for period, value, _ in stored}
    strategy = {period for period, _, source in stored if source == PARITY_SOURCE}
    assert targets["2021"] == pytest.approx(8.0) and targets["2028"] == pytest.approx(15.0)
    assert targets["2024"] == pytest.approx(8 + 7 * 3 / 7)
    assert strategy == {str(y) for y in range(2021, 2029)}  # the Strategy has no confirmed target before 2021
    assert "2013" in targets  # that year's default is the mission's own level (test_default_targets)


@pytest.mark.parametrize("month", ["2014-10", "2016-05"])
def test_malicious_act_fatalities_per_1000_deployed(perf_loaded, raw, month):
    db, _ = perf_loaded
    deaths = sum(
        1
        for r in raw["fatalities"]
        if r["mission_acronym"] == "MINUSMA"
        and r["type_of_incident"] == "Malicious Act"
        and r["incident_date"][:7] == month
    )
    strength = [int(r["Total"]) for r in raw["totals"] if r["Mission"] == "MINUSMA" and r["Date"][:7] == month]
    assert deaths > 0 and len(strength) == 1
    assert value(db, "MINUSMA", "FAT_MALICIOUS_RATE", month) == pytest.approx(
        (1000 * deaths / strength[0], deaths, strength[0])
    )


def test_a_month_without_deaths_is_zero_and_months_follow_the_strength_file(perf_loaded, raw):
    db, _ = perf_loaded
    months = {r["Date"][:7] for r in raw["totals"] if r["Mission"] == "UNMISS"}
    deaths = Counter(
        r["incident_date"][:7]
        for r in raw["fatalities"]
        if r["mission_acronym"] == "UNMISS" and r["type_of_incident"] == "Malicious Act"
    )
    quiet = sorted(m for m in months if deaths[m] == 0)[0]
    assert value(db, "UNMISS", "FAT_MALICIOUS_RATE", quiet)[0] == 0.0
    with db.session() as s:
        framework = current_framework(s, find_mission(s, "UNMISS"))
        indicator = indicator_by_code(s, framework, "FAT_MALICIOUS_RATE")
        count = s.scalar(select(func.count()).where(IndicatorValue.indicator_id == indicator.id))
    assert count == len(months)


@pytest.mark.parametrize(("code", "violence"), [("HOST_ONE_SIDED_DEATHS", "3"), ("HOST_STATE_BASED_DEATHS", "1")])
def test_host_country_deaths_per_month_from_ucdp_ged(perf_loaded, raw, code, violence):
    db, _ = perf_loaded
    expected = sum(
        int(r["best"]) for r in raw["ged_car"] if r["type_of_violence"] == violence and r["date_end"][:7] == "2017-05"
    )
    assert expected > 0
    assert value(db, "MINUSCA", code, "2017-05")[0] == expected
    months = {r["date_end"][:7] for r in raw["ged_car"]}
    with db.session() as s:
        framework = current_framework(s, find_mission(s, "MINUSCA"))
        indicator = indicator_by_code(s, framework, code)
        stored = sorted(s.scalars(select(IndicatorValue.period).where(IndicatorValue.indicator_id == indicator.id)))
    assert stored[0] == "2014-04" and stored[-1] == max(months)  # from the mission's start to the data's end
    assert len(stored) == len(set(stored))


def test_no_conflict_values_without_events_and_sea_allegations_match_the_conduct_rates(perf_loaded):
    db, _ = perf_loaded
    assert value(db, "UNMISS", "HOST_ONE_SIDED_DEATHS", "2013-06") is None  # no South Sudan events loaded
    assert derivation_status("sea_allegations_per_1000") is None
    with db.session() as s:
        rates = [r for r in monthly_allegation_rates(s, "MINUSCA") if r["deployed"]]
    assert rates and sum(r["allegations"] for r in rates) > 0
    for r in rates:
        assert value(db, "MINUSCA", "SEA_ALLEGATIONS_RATE", r["month"][:7]) == (
            pytest.approx(r["per_1000"]),
            r["allegations"],
            r["deployed"],
        )


def test_every_active_mission_has_a_framework_with_derived_values(perf_loaded):
    db, _ = perf_loaded
    with db.session() as s:
        active = set(s.scalars(select(Mission.acronym).where(Mission.active.is_(True))))
        with_values = set(
            s.scalars(
                select(Mission.acronym)
                .join(ResultsFramework, ResultsFramework.mission_id == Mission.id)
                .join(Indicator, Indicator.framework_id == ResultsFramework.id)
                .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
                .where(Indicator.kind == "derived")
                .distinct()
            )
        )
    assert len(active) == 12 and with_values == active


def test_recomputing_changes_nothing_and_never_touches_an_approved_period(perf_loaded):
    db, var_dir = perf_loaded
    with db.session() as s:
        framework = current_framework(s, find_mission(s, "UNFICYP"))
        again = compute_derived(s, framework, var_dir=var_dir)
        assert again.inserted == again.updated == again.removed == 0
        assert again.unchanged > 300
        wf.open_assessment(s, "UNFICYP", "2012-Q3", ADMIN)
        wf.set_narrative(s, "UNFICYP", "2012-Q3", "Quiet quarter.", ADMIN)
        wf.submit(s, "UNFICYP", "2012-Q3", ADMIN)
        wf.approve(s, "UNFICYP", "2012-Q3", ADMIN_B)
        indicator = indicator_by_code(s, framework, "FAT_MALICIOUS_RATE")
        stored = s.scalar(
            select(IndicatorValue).where(
                IndicatorValue.indicator_id == indicator.id, IndicatorValue.period == "2012-08"
            )
        )
        stored.value = 99.0  # pretend the approved figure differs from what the data now says
        s.flush()
        in_quarter = s.scalar(
            select(func.count())
            .select_from(IndicatorValue)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(Indicator.framework_id == framework.id, IndicatorValue.period.in_(["2012-07", "2012-08", "2012-09"]))
        )
        report = compute_derived(s, framework, var_dir=var_dir)
        assert report.locked == in_quarter == 3 * 3  # three months of the 3 indicators UNFICYP has data for
        assert stored.value == 99.0
        wf.reopen(s, "UNFICYP", "2012-Q3", "Test: recompute after reopening.", ADMIN)
        compute_derived(s, framework, var_dir=var_dir)
        s.refresh(stored)
        assert stored.value != 99.0 and stored.revision == 2
