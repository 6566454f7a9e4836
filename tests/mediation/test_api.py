"""The agreements API contract (used by independent evaluation through `peaceops get`), pages, comparison, exports."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from peaceops.agreements.models import Agreement

CONTRACT = {"pax_id", "title", "date", "score", "snippet"}


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_search_api_keeps_its_contract(subset_api, mode):
    response = subset_api.get("/api/agreements/search", params={"q": "ceasefire", "mode": mode, "limit": 4})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["results"]
    results = body["results"]
    assert 0 < len(results) <= 4
    for r in results:
        assert CONTRACT <= set(r)
        assert r["pax_id"] is None or isinstance(r["pax_id"], int)
        assert isinstance(r["title"], str) and isinstance(r["score"], float) and r["snippet"]
        assert r["date"] is None or len(r["date"]) == 10
        assert "\x02" not in r["snippet"] and "<mark>" not in r["snippet"]
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def test_search_api_on_all_agreements(api):
    results = api.get("/api/agreements/search?q=%22cessation+of+hostilities%22&mode=keyword&limit=10").json()["results"]
    assert len(results) == 10 and all("cessation of hostilities" in r["snippet"].lower() for r in results[:5])


def test_search_api_refuses_a_bad_mode_or_limit(subset_api):
    bad_mode = subset_api.get("/api/agreements/search?q=x&mode=fuzzy")
    assert bad_mode.status_code == 422 and bad_mode.json()["error"] == "ValidationFailed"
    assert subset_api.get("/api/agreements/search?q=x&limit=0").status_code == 422
    assert subset_api.get("/api/agreements/search?q=x&date_to=yesterday").json()["detail"].startswith("date_to")


def test_filters_reach_the_api(subset_api):
    results = subset_api.get(
        "/api/agreements/search", params={"q": "agreement", "mode": "keyword", "category": "Ce", "limit": 50}
    ).json()["results"]
    assert results
    for r in results:
        detail = subset_api.get(f"/api/agreements/{r['agreement_id']}").json()
        codes = {c["code"] for family in detail["categories"] for c in family["codes"]}
        assert "Ce" in codes


def test_comparison_shows_coding_and_passages(subset_api, subset_db):
    with subset_db.session() as s:
        ids = {p: s.scalar(select(Agreement.id).where(Agreement.pax_id == p)) for p in (978, 516, 409)}
    body = subset_api.get("/api/agreements/compare", params={"ids": list(ids.values()), "category": "Ce"}).json()
    assert body["category"]["label"] == "Ceasefire"
    rows = {r["pax_id"]: r for r in body["agreements"]}
    assert [r["pax_id"] for r in body["agreements"]] == [978, 516, 409]
    assert rows[978]["pax_value"] == 3 and rows[978]["coded"] is True
    assert rows[516]["coded"] is False
    # The Islamabad Accord's nine provision texts on record never say ceasefire; its summary does.
    assert rows[409]["passages_from"] == "summary" and "<mark>ceasefire</mark>" in rows[409]["passages"][0]["html"]
    assert any("<mark>" in p["html"] for p in rows[978]["passages"])
    page = subset_api.get("/agreements/compare", params={"ids": list(ids.values()), "category": "Ce"})
    assert page.status_code == 200 and "Ceasefire" in page.text and "<mark>" in page.text


def test_comparison_refuses_an_unknown_category_or_too_many(subset_api):
    assert subset_api.get("/api/agreements/compare?ids=1&category=Nope").status_code == 404
    many = "&".join(f"ids={i}" for i in range(1, 11))
    assert subset_api.get(f"/api/agreements/compare?{many}&category=Ce").status_code == 422


def test_pages_render(subset_api, subset_db):
    with subset_db.session() as s:
        islamabad = s.scalar(select(Agreement.id).where(Agreement.pax_id == 409))
    search = subset_api.get("/agreements", params={"q": "refugees", "mode": "keyword"})
    assert search.status_code == 200 and "<mark>" in search.text and 'href="/agreements"' in search.text
    fragment = subset_api.get(
        "/agreements?q=refugees", headers={"HX-Request": "true", "HX-Target": "agreement-results"}
    )
    assert fragment.text.lstrip().startswith('<div id="agreement-results">')
    page = subset_api.get(f"/agreements/{islamabad}")
    assert page.status_code == 200 and "Afghan Peace Accord" in page.text and 'id="provision-19"' in page.text
    assert subset_api.get("/agreements/999999").status_code == 404


def test_exports_csv_and_brief(subset_api, subset_db):
    with subset_db.session() as s:
        ids = [s.scalar(select(Agreement.id).where(Agreement.pax_id == p)) for p in (319, 482)]
    response = subset_api.get("/agreements/export.csv", params={"ids": ids})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["pax_id"] for r in rows] == ["319", "482"]
    assert "Ce" in rows[0]["categories"].split(";") and rows[1]["ucdp_paid"] == "1565"
    brief = subset_api.get("/agreements/brief", params={"ids": ids, "category": "Ce"})
    assert brief.status_code == 200 and "Ceasefire Agreement (Lusaka Agreement)" in brief.text
    assert "PA-X Peace Agreements Database" in brief.text and "<script" not in brief.text
    by_search = subset_api.get("/agreements/export.csv?q=ceasefire&mode=keyword&limit=3")
    assert len(list(csv.DictReader(io.StringIO(by_search.text)))) == 3


def test_facets_list_the_filters(subset_api):
    body = subset_api.get("/api/agreements/facets").json()
    assert "Africa (excl MENA)" in body["regions"] and {"code": "Cea", "label": "Ceasefire/related"} in body["stages"]
    assert any(c["code"] == "Ce" and c["agreements"] > 0 for c in body["categories"])
    assert body["totals"]["agreements"] == 23
