"""The overview figures, checked against the source CSV files read independently with the csv module."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from peaceops.errors import NotFound
from peaceops.geography import in_country
from peaceops.personnel.overview import home_overview, mission_detail, missions_list
from peaceops.personnel.parity import target_curve
from peaceops.platform import DEMO_FILES

UN = ("un_peacekeeping",)


def rows(data_dir: Path, *parts: str) -> list[dict[str, str]]:
    with data_dir.joinpath(*UN, *parts).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def register(data_dir: Path) -> list[dict[str, str]]:
    return rows(data_dir, "missions", "DPPADPOSS-PKO.csv")


@pytest.fixture(scope="module")
def known(register: list[dict[str, str]]) -> set[str]:
    return {r["mission_acronym"].upper() for r in register}


@pytest.fixture(scope="module")
def totals(data_dir: Path, known: set[str]) -> list[dict[str, str]]:
    return [
        r
        for r in rows(data_dir, "personnel", "IPI_mission_monthly_totals_1990-11_to_2017-03.csv")
        if r["Mission"].upper() in known
    ]


@pytest.fixture(scope="module")
def gender(data_dir: Path, known: set[str]) -> list[dict[str, str]]:
    return [
        r
        for r in rows(data_dir, "personnel", "IPI_TCC_gender_by_mission_2009-11_to_2014-02.csv")
        if r["Mission"].upper() in known
    ]


@pytest.fixture(scope="module")
def deaths(data_dir: Path) -> list[dict[str, str]]:
    # Every row is kept: missions outside the register by acronym, and both rows of a repeated casualty id.
    return list(rows(data_dir, "fatalities", "DPPADPOSS-FATALITIES.csv"))


def num(text: str) -> int:
    return 0 if text in ("", "NA") else int(text)


def test_missions_list_holds_every_mission_of_the_register(loaded_db, register):
    with loaded_db.session() as s:
        missions = missions_list(s)
    assert sorted(m["acronym"] for m in missions) == sorted(r["mission_acronym"].upper() for r in register)
    active = {r["mission_acronym"].upper() for r in register if r["mission_isactive"].lower() == "yes"}
    assert {m["acronym"] for m in missions if m["active"]} == active
    first_closed = [m["active"] for m in missions].index(False)
    assert all(m["active"] for m in missions[:first_closed]), "active missions come first"
    for key in (
        "acronym",
        "name",
        "start_date",
        "end_date",
        "active",
        "status",
        "host_iso3",
        "host_country",
        "region",
        "hq_location",
        "longitude",
        "latitude",
        "position_estimated",
        "latest_strength",
    ):
        assert key in missions[0]
    with loaded_db.session() as s:
        assert {m["acronym"] for m in missions_list(s, active_only=True)} == active


@pytest.mark.parametrize("acronym", ["UNMISS", "MINUSCA", "UNTSO"])
def test_latest_strength_is_the_last_row_of_the_monthly_totals_file(loaded_db, totals, acronym):
    last = max((r for r in totals if r["Mission"] == acronym), key=lambda r: r["Date"])
    with loaded_db.session() as s:
        mission = next(m for m in missions_list(s) if m["acronym"] == acronym)
    assert mission["latest_strength"] == {"month": last["Date"][:8] + "01", "total": num(last["Total"])}


def test_strength_series_has_each_month_of_the_file(loaded_db, totals):
    expected = {r["Date"][:7]: num(r["Total"]) for r in totals if r["Mission"] == "UNMISS"}
    with loaded_db.session() as s:
        series = mission_detail(s, "UNMISS")["strength_series"]
    assert {row["month"][:7]: row["total"] for row in series} == expected
    assert all(row["troops"] + row["police"] + row["observers"] == row["total"] for row in series)


def test_missions_without_hq_coordinates_are_placed_in_their_host_country_and_flagged(loaded_db, register):
    without = {r["mission_acronym"].upper() for r in register if not r["mission_longitude"].strip()}
    with loaded_db.session() as s:
        missions = missions_list(s)
    estimated = [m for m in missions if m["position_estimated"]]
    assert estimated, "the register has missions without HQ coordinates but a known host country"
    for m in estimated:
        assert m["acronym"] in without
        assert in_country(m["host_iso3"], m["longitude"], m["latitude"]) is True
    for m in missions:
        if m["acronym"] not in without:
            assert m["position_estimated"] is False and m["longitude"] is not None


def test_every_mission_on_the_home_map_sits_in_its_host_country(loaded_db):
    with loaded_db.session() as s:
        hosts = {m["acronym"]: m["host_iso3"] for m in missions_list(s)}
        points = home_overview(s)["map"]
    assert points
    for p in points:
        assert in_country(hosts[p["acronym"]], p["longitude"], p["latitude"]) is not False, p


def test_home_headline_figures_match_the_source_files(loaded_db, totals, gender, register):
    last_month = max(r["Date"] for r in totals)
    deployed = {r["Mission"]: num(r["Total"]) for r in totals if r["Date"] == last_month}
    last_gender = max(r["Date"] for r in gender)
    in_month = [r for r in gender if r["Date"] == last_gender and num(r["Total Total"]) > 0]
    with loaded_db.session() as s:
        home = home_overview(s)
    assert home["missions_total"] == len(register)
    assert home["missions_active"] == sum(r["mission_isactive"].lower() == "yes" for r in register)
    assert home["strength_month"][:7] == last_month[:7]
    assert home["personnel_deployed"] == sum(deployed.values())
    assert home["missions_deployed"] == len(deployed)
    assert {p["acronym"]: p["total"] for p in home["map"]} == deployed, "every deployed mission is on the map"
    assert home["contributions_month"][:7] == last_gender[:7]
    assert home["contributing_countries"] == len({r["Contributor ISO-3"] for r in in_month})
    women = sum(num(r["Total Female"]) for r in in_month)
    assert home["women"] == women
    assert home["women_share"] == round(women / sum(num(r["Total Total"]) for r in in_month), 4)


def test_home_fatalities_cover_the_last_five_full_years(loaded_db, deaths):
    updated = max(date.fromisoformat(r["last_update"]) for r in deaths)
    to_year = updated.year if (updated.month, updated.day) == (12, 31) else updated.year - 1
    window = [r for r in deaths if to_year - 4 <= int(r["incident_date"][:4]) <= to_year]
    with loaded_db.session() as s:
        fatalities = home_overview(s)["fatalities"]
    assert (fatalities["from_year"], fatalities["to_year"]) == (to_year - 4, to_year)
    assert fatalities["total"] == len(deaths)
    assert fatalities["in_period"] == len(window)
    assert fatalities["malicious_act"] == sum(r["type_of_incident"] == "Malicious Act" for r in window)


def test_home_lists_where_each_dataset_came_from(loaded_db):
    with loaded_db.session() as s:
        datasets = {d["kind"]: d for d in home_overview(s)["datasets"]}
    assert set(datasets) == {kind for kind, _ in DEMO_FILES}
    assert datasets["fatalities"]["source"] == "DPPADPOSS-FATALITIES.csv"
    assert datasets["contributions"]["coverage_to"] is not None


def test_women_per_month_equal_the_sums_in_the_gender_file(loaded_db, gender):
    unmiss = [r for r in gender if r["Mission"] == "UNMISS"]
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for r in unmiss:
        month = r["Date"][:7]
        expected[(month, "military_contingents")] += num(r["Troops Female"])
        expected[(month, "staff_officers_observers")] += num(r["Experts on Mission Female"])
        expected[(month, "formed_police_units")] += num(r["Formed Police Units Female"])
        expected[(month, "individual_police")] += num(r["Individual Police Female"])
    with loaded_db.session() as s:
        series = mission_detail(s, "UNMISS")["women_share_series"]
    got = {(row["month"][:7], row["category"]): row["women"] for row in series}
    assert got == {k: v for k, v in expected.items() if k in got}
    last = max(r["Date"] for r in unmiss)[:7]
    women_in_last = sum(num(r["Total Female"]) for r in unmiss if r["Date"][:7] == last)
    assert sum(row["women"] for row in series if row["month"][:7] == last) == women_in_last
    assert all(0 <= row["share"] <= 1 and row["total"] > 0 for row in series)


def test_top_contributors_are_the_largest_in_the_missions_latest_month(loaded_db, gender):
    unmiss = [r for r in gender if r["Mission"] == "UNMISS"]
    last = max(r["Date"] for r in unmiss)
    ranked = sorted((r for r in unmiss if r["Date"] == last), key=lambda r: -num(r["Total Total"]))[:10]
    with loaded_db.session() as s:
        detail = mission_detail(s, "UNMISS")
    top = detail["top_contributors"]
    assert detail["contributors_month"][:7] == last[:7]
    assert [c["total"] for c in top] == [num(r["Total Total"]) for r in ranked]
    assert top[0]["iso3"] == ranked[0]["Contributor ISO-3"]
    assert top[0]["women"] == num(ranked[0]["Total Female"])
    assert top[0]["country"] and top[0]["country"] != top[0]["iso3"]


def test_fatalities_by_year_and_type_match_the_fatalities_file(loaded_db, deaths):
    minusma = [r for r in deaths if r["mission_acronym"] == "MINUSMA"]
    expected = Counter((int(r["incident_date"][:4]), r["type_of_incident"]) for r in minusma)
    with loaded_db.session() as s:
        detail = mission_detail(s, "MINUSMA")
    assert {(r["year"], r["incident_type"]): r["count"] for r in detail["fatalities_by_year"]} == expected
    assert detail["fatalities_total"] == len(minusma)
    by_type = Counter(r["casualty_personnel_type"].strip() for r in minusma)
    assert {r["personnel_type"]: r["count"] for r in detail["fatalities_by_personnel_type"]} == by_type


def test_parity_targets_are_the_stored_target_curve(loaded_db):
    with loaded_db.session() as s:
        targets = mission_detail(s, "UNMISS")["parity_targets"]
        curve = target_curve(s)
    assert [(t["category"], t["year"], t["share"]) for t in targets] == [
        (c, p["year"], p["share"]) for c, points in curve.items() for p in points
    ]
    assert all(t["label"] for t in targets)


def test_mission_acronyms_are_case_insensitive(loaded_db):
    with loaded_db.session() as s:
        assert mission_detail(s, " unmiss ")["acronym"] == "UNMISS"


def test_unknown_mission_raises_not_found_with_a_helpful_sentence(loaded_db):
    with loaded_db.session() as s, pytest.raises(NotFound) as caught:
        mission_detail(s, "MINUSXX")
    assert "MINUSXX" in str(caught.value) and "peaceops import missions" in str(caught.value)


def test_mission_without_data_has_empty_series(loaded_db, register, totals, gender, deaths):
    mentioned = {r["Mission"] for r in totals} | {r["Mission"] for r in gender}
    mentioned |= {r["mission_acronym"] for r in deaths}
    bare = sorted({r["mission_acronym"].upper() for r in register} - mentioned)
    assert bare, "the register lists missions that no other file mentions"
    with loaded_db.session() as s:
        detail = mission_detail(s, bare[0])
    assert detail["latest_strength"] is None
    for key in (
        "strength_series",
        "women_share_series",
        "top_contributors",
        "fatalities_by_year",
        "fatalities_by_personnel_type",
    ):
        assert detail[key] == [], key
    assert detail["parity_targets"], "targets apply to every mission"
