"""Regional situation rooms: one UN M49 sub-region's forecasts, alerts, processes, missions, agreements,
incidents and communications, as the reader may see them, on real GED events and the real missions register."""

from __future__ import annotations

from datetime import date

import pytest
from webclient import csrf_from

from peaceops.access.policy import SYSTEM
from peaceops.conflict.alerts import AlertRules, detect
from peaceops.conflict.forecast import ForecastConfig
from peaceops.conflict.monitoring import forecast_run
from peaceops.geography.regions import SUBREGIONS, countries_in, subregion_code
from peaceops.platform import import_file
from peaceops.processes.inputs import MediatorDoc, ProcessDoc
from peaceops.processes.registry import create_process

pytestmark = pytest.mark.data
LOOSE = AlertRules(early_entry=0.0, escalation=0.0, spillover=0.0, rise=-1.0)


def test_sub_regions_are_found_by_code_or_name_and_hold_their_countries():
    assert subregion_code("17") == subregion_code("middle africa") == "017"
    assert subregion_code("Atlantis") is None
    middle = {c["iso3"] for c in countries_in("017")}
    assert {"CAF", "COD", "TCD", "CMR"} <= middle and "SSD" not in middle  # South Sudan is Eastern Africa
    assert "SSD" in {c["iso3"] for c in countries_in("014")}
    everywhere = [c["iso3"] for code in SUBREGIONS for c in countries_in(code)]
    assert len(everywhere) == len(set(everywhere)), "each country in one sub-region"


@pytest.fixture
def region(db_with_users, settings):
    path = settings.data_path("ucdp", "ged", "ged_central_african_republic.csv.gz")
    import_file(db_with_users, "ucdp-ged", path, "test", var_dir=settings.var_dir)
    with db_with_users.session() as s:
        run, panel, _ = forecast_run(
            s, settings.var_dir, "cm", cutoff=date(2019, 12, 1), horizon=3, actor="t",
            config=ForecastConfig(n_estimators=20, max_train_months=60),
        )  # fmt: skip
        detect(s, run, panel, settings.var_dir, "t", LOOSE)
        envoy = MediatorDoc(
            name="A. Envoy", organisation="African Union", kind="regional", title="High Representative",
            started_on=date(2019, 1, 1),
        )  # fmt: skip
        create_process(
            s, SYSTEM, ProcessDoc(name="Khartoum talks", conflict="CAR", country="Central African Republic",
                                  phase="implementation", mediators=[envoy]),
        )  # fmt: skip
        create_process(
            s, SYSTEM, ProcessDoc(name="Far away", conflict="Elsewhere", country="Nepal", phase="prevention")
        )
    return db_with_users


def test_the_room_of_middle_africa_gathers_each_domain_for_the_region(region, signed_in):
    client = signed_in("viewer")
    answer = client.get("/api/regions/017")
    assert answer.status_code == 200, answer.text
    room = answer.json()
    assert room["name"] == "Middle Africa" and "CAF" in {c["iso3"] for c in room["countries"]}
    assert [u["name"] for u in room["forecast"]["countries"]] == ["Central African Republic"]
    assert room["forecast"]["cm_run"]["cutoff"] == "2019-12"
    alerts = room["alerts"]["spillover"] + room["alerts"]["other"]
    assert alerts and all(a["country_gw"] == 482 for a in alerts)
    assert [p["name"] for p in room["processes"]] == ["Khartoum talks"], "a process about Nepal is not here"
    assert room["implementation"] == [], "no commitment is tracked in this database"
    assert room["processes"][0]["envoys"] == [
        {"name": "A. Envoy", "title": "High Representative", "organisation": "African Union"}
    ]
    assert "MINUSCA" in [m["acronym"] for m in room["missions"]] and "UNMISS" not in str(room["missions"])
    assert client.get("/api/regions/middle%20africa").json()["code"] == "017"
    page = client.get("/regions/017")
    assert page.status_code == 200 and "Khartoum talks" in page.text and "A. Envoy" in page.text
    assert "Middle Africa" in client.get("/regions").text
    eastern = client.get("/api/regions/014").json()
    assert eastern["processes"] == [] and eastern["forecast"]["countries"] == []
    assert "UNMISS" in [m["acronym"] for m in eastern["missions"]]
    pdf = client.get("/regions/017.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_unknown_region_is_a_plain_404(region, signed_in):
    client = signed_in("viewer")
    missing = client.get("/api/regions/999")
    assert missing.status_code == 404 and "three-digit code such as 017" in missing.json()["detail"]
    assert client.get("/regions/Atlantis").status_code == 404


def test_the_room_speaks_french(region, signed_in):
    client = signed_in("viewer")
    page = client.get("/regions")
    client.post("/language", data={"language": "fr", "next": "/regions", "csrf_token": csrf_from(page.text)})
    french = client.get("/regions/017").text
    assert "Afrique centrale" in french and "Processus de paix et envoyés" in french
