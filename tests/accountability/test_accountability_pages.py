"""The Safety, Conduct and country pages on the loaded database: their figures are their JSON twins' figures,
their charts embed the same rows, their CSV exports hold the same numbers."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

import peaceops.conduct as conduct
import peaceops.countries as countries
import peaceops.environment as environment
import peaceops.partnerships as partnerships
import peaceops.safety as safety

SPEC = re.compile(r'<script type="application/json" id="spec-([\w-]+)">(.*?)</script>', re.S)


def specs(html: str) -> dict[str, dict]:
    return {name: json.loads(body) for name, body in SPEC.findall(html)}


def test_the_package_states_its_public_names():
    assert "allegations_per_1000" in conduct.__all__


@pytest.mark.parametrize("package", [conduct, countries, environment, partnerships, safety])
def test_each_package_states_its_public_names(package):
    assert sorted(package.__all__) == package.__all__
    assert all(callable(getattr(package, name)) for name in package.__all__)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/safety", "Safety and security of peacekeepers"),
        ("/safety?mission=MINUSMA&year=2016", "MINUSMA by year"),
        ("/safety?mission=&year=", "Missions compared"),
        ("/conduct", "Conduct and discipline"),
        ("/conduct?mission=UNAMA", "not a peacekeeping operation in the register"),
        ("/conduct/allegations?country=ZAF", "South Africa"),
        ("/countries", "Contributing countries"),
        ("/countries/npl", "Nepal"),
        ("/safety/incidents/new", "Record a serious incident"),
    ],
)
def test_each_page_renders(reader, path, expected):
    response = reader.get(path)
    assert response.status_code == 200, response.text[:300]
    assert expected in response.text
    assert 'href="/safety"' in response.text and 'href="/conduct"' in response.text, "nav links"


def test_safety_page_shows_its_twins_figures(reader):
    page = reader.get("/safety").text
    twin = reader.get("/api/safety").json()
    charts = specs(page)
    assert set(charts) == {"fatalities", "malicious", "rates", "comparison", "types"}
    assert charts["fatalities"]["data"]["values"] == twin["by_year"]
    top = twin["comparison"][0]
    assert f'<span class="stat-value" id="stat-top-rate">{top["mission"]}</span>' in page
    assert f'<span class="stat-value" id="stat-fatalities">{twin["total"]:,}</span>' in page
    assert [v["mission"] for v in charts["comparison"]["data"]["values"]] == [
        r["mission"] for r in twin["comparison"][:20]
    ]


def test_conduct_page_shows_its_twins_figures(reader):
    page = reader.get("/conduct").text
    twin = reader.get("/api/conduct").json()
    charts = specs(page)
    assert set(charts) == {"years", "outcomes", "timeliness", "missions", "countries"}
    assert charts["years"]["data"]["values"] == twin["by_year"]
    assert f'<span class="stat-value" id="stat-allegations">{twin["total"]}</span>' in page
    per_year = {r["year"]: 0 for r in twin["by_year"]}
    for r in twin["by_year"]:
        per_year[r["year"]] += r["count"]
    summary = reader.get("/api/conduct/summary?by=year").json()
    assert per_year == {r["year"]: r["count"] for r in summary["rows"]}
    assert "/conduct/allegations" in page, "an administrator gets the link to the records"
    filtered = reader.get("/api/conduct?year=2016").json()
    assert filtered["total"] == per_year[2016] and filtered["by_year"] == twin["by_year"]


def test_country_profile_combines_personnel_fatalities_and_allegations(reader, sheet_rows, fatality_rows):
    profile = reader.get("/api/countries/ZAF").json()
    assert profile["country"] == "South Africa"
    assert profile["allegations"]["total"] == sum("South Africa" in c["Nationality"].split("\n\n") for c in sheet_rows)
    assert profile["fatalities"]["total"] == sum(r["isocode3"] == "ZAF" for r in fatality_rows)
    assert profile["personnel_series"] and profile["women_share_series"]
    page = reader.get("/countries/ZAF").text
    assert set(specs(page)) == {"personnel", "women", "fatalities", "allegations"}
    assert f'id="stat-allegations">{profile["allegations"]["total"]}<' in page
    listed = {c["iso3"]: c for c in reader.get("/api/countries").json()["countries"]}
    assert listed["ZAF"]["allegations"] == profile["allegations"]["total"]
    assert listed["ZAF"]["fatalities"] == profile["fatalities"]["total"]


def test_a_country_without_data_and_an_unknown_code(reader):
    iceland = reader.get("/countries/ISL")
    assert iceland.status_code == 200
    missing = reader.get("/countries/XYZ")
    assert missing.status_code == 404 and "XYZ" in missing.text
    assert reader.get("/api/countries/XYZ").json()["error"] == "NotFound"


def test_csv_exports_hold_the_json_figures(reader):
    summary = reader.get("/api/conduct/summary?by=mission").json()
    exported = list(csv.DictReader(io.StringIO(reader.get("/api/conduct/summary.csv?by=mission").text)))
    assert [(r["mission"], int(r["count"])) for r in exported] == [(r["mission"], r["count"]) for r in summary["rows"]]
    rates = reader.get("/api/safety").json()["rates"]
    exported = list(csv.DictReader(io.StringIO(reader.get("/api/safety/rates.csv").text)))
    assert len(exported) == len(rates) and float(exported[0]["per_1000"]) == rates[0]["per_1000"]
    fatalities = list(csv.DictReader(io.StringIO(reader.get("/api/fatalities/summary.csv?by=mission").text)))
    assert sum(int(r["count"]) for r in fatalities) == reader.get("/api/fatalities/summary").json()["total"]
    response = reader.get("/api/countries/ZAF/personnel.csv")
    assert response.headers["content-disposition"] == 'attachment; filename="personnel-ZAF.csv"'


def test_filters_reject_nonsense_with_a_clear_message(reader):
    assert reader.get("/api/conduct?year=1800").status_code == 422
    assert reader.get("/api/conduct?mission=MINUSXX").status_code == 404
    assert reader.get("/api/safety?mission=MINUSXX").status_code == 404
    assert reader.get("/safety?year=abc").status_code == 422


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    from peaceops.web.csv_export import csv_response

    response = csv_response(
        [{"description": '=HYPERLINK("http://x")', "count": -3, "place": "-Bor"}],
        ("description", "count", "place"),
        "x.csv",
    )
    rows = list(csv.DictReader(io.StringIO(response.body.decode())))
    assert rows == [{"description": '\'=HYPERLINK("http://x")', "count": "-3", "place": "'-Bor"}]


@pytest.mark.parametrize("path", ["/conduct", "/conduct/allegations"])
def test_every_conduct_table_scrolls_inside_its_card(reader, path):
    """A wide table scrolls sideways in its own box rather than losing its last columns at the card's edge."""
    page = reader.get(path).text
    tables = re.findall(r"<table\b", page)
    boxed = re.findall(r'<div class="table-scroll[^"]*">\s*<table\b', page)
    assert tables and len(boxed) == len(tables)
    assert ">Children</th>" in page or path != "/conduct"


def test_conduct_charts_count_in_whole_allegations(reader):
    page = reader.get("/conduct").text
    specs = dict(re.findall(r'<script type="application/json" id="spec-([\w-]+)">(.*?)</script>', page, re.S))
    years = json.loads(specs["years"])["encoding"]["y"]["axis"]
    missions = json.loads(specs["missions"])["encoding"]["x"]["axis"]
    for axis in (years, missions):
        assert axis["format"].endswith("d") and axis["tickMinStep"] == 1
