"""Server-rendered pages on the loaded database: content, embedded chart specs, htmx fragments."""

from __future__ import annotations

import re

import pytest
from webclient import chart_specs

from peaceops.store.provenance import import_runs


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "UN peace operations at a glance"),
        ("/framework", "Advanced by"),
        ("/missions", "MINUSCA"),
        ("/missions/UNMISS", "United Nations Mission in the Republic of South Sudan"),
        ("/imports", "IPI_TCC_gender_by_mission"),
        ("/admin/users", "Add a user"),
        ("/admin/audit", "import"),
    ],
)
def test_each_page_renders(reader, path, expected):
    response = reader.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert expected in response.text


def test_home_embeds_a_map_of_the_local_world_atlas_with_every_deployed_mission(reader):
    home = reader.get("/api/home").json()
    specs = chart_specs(reader.get("/").text)
    assert list(specs) == ["map"]
    countries, missions = specs["map"]["layer"]
    assert specs["map"]["projection"]["type"] == "equalEarth"
    assert countries["data"]["url"] == "/static/geo/countries-110m.json"
    assert [p["acronym"] for p in missions["data"]["values"]] == [p["acronym"] for p in home["map"]]
    assert missions["encoding"]["href"]["field"] == "url"
    assert missions["data"]["values"][0]["url"] == "/missions/" + home["map"][0]["acronym"]


def test_mission_page_embeds_four_charts_and_states_where_the_gender_data_stops(reader):
    page = reader.get("/missions/UNMISS").text
    specs = chart_specs(page)
    assert set(specs) == {"strength", "women", "contributors", "fatalities"}
    detail = reader.get("/api/missions/UNMISS").json()
    assert specs["strength"]["data"]["values"] == detail["strength_series"]
    women_layers = specs["women"]["layer"]
    assert women_layers[0]["data"]["values"] == detail["women_share_series"]
    assert {t["year"] for t in women_layers[1]["data"]["values"]} == {t["year"] for t in detail["parity_targets"]}
    assert "The gender data here stops in February 2014" in page
    assert "peaceops import contributions FILE" in page


def test_mission_page_says_which_data_is_missing_instead_of_hiding_it(reader):
    page = reader.get("/missions/MINUSCA").text
    assert set(chart_specs(page)) == {"strength", "fatalities"}
    assert "No contributions by gender for MINUSCA" in page
    assert "The contributions table has no rows for MINUSCA" in page


def test_unknown_mission_page_is_a_404_page(reader):
    response = reader.get("/missions/MINUSXX")
    assert response.status_code == 404
    assert "<title>Not found" in response.text and "MINUSXX" in response.text


def test_missions_filter_returns_an_htmx_fragment(reader):
    full = reader.get("/missions?status=active").text
    fragment = reader.get("/missions?status=active", headers={"HX-Request": "true", "HX-Target": "missions-table"})
    assert "<html" in full and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<div id="missions-table">')
    active = reader.get("/api/missions?status=active").json()["missions"]
    rows = re.findall(r'<th scope="row"><a href="/missions/[^"]+">([^<]+)</a>', fragment.text)
    assert rows == [m["acronym"] for m in active]
    assert 'hx-get="/missions?status=all"' in fragment.text


def test_import_run_page_pages_through_rejections(reader, loaded_db):
    with loaded_db.session() as s:
        run = next(r for r in import_runs(s) if r["rejected"] > 100)
    first = reader.get(f"/imports/{run['id']}").text
    second = reader.get(f"/imports/{run['id']}?page=2").text
    assert "Page 1 of" in first and "Page 2 of" in second
    all_lines = [r["line"] for r in reader.get(f"/api/imports/{run['id']}").json()["rejections"]]
    shown = [int(x) for x in re.findall(r'<tr><td class="num">(\d+)</td>', second)]
    assert shown == all_lines[50:100]
    assert reader.get(f"/imports/{run['id']}?page=0").status_code == 422


def test_pages_load_nothing_from_another_host(reader):
    for path in ("/", "/missions/UNMISS", "/login"):
        response = reader.get(path)
        urls = re.findall(r'(?:src|href)="([^"]*)"', response.text)
        assert urls and all(u.startswith(("/", "#")) for u in urls), path
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "http" not in policy
