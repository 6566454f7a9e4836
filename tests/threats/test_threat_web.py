"""Threat areas on the pages and the JSON API: the filter and the counts on each list, the tick boxes of the
forms that tag, the mission and regional views, in English and French, and nothing counted that the reader
may not open."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from support.databases import make_database
from support.web import csrf_from, signed_in_client
from threat_support import (
    ACCOUNTS,
    ANALYST,
    CAF_GW,
    HOLDER,
    MISSION_A,
    PASSWORD,
    add_missions,
    alert,
    count,
    file,
    report,
)

from peaceops.access import compartments
from peaceops.access.users import add_user
from peaceops.comms import items
from peaceops.comms.models import CommsItem
from peaceops.conflict.alerts import tag_alert
from peaceops.incidents.models import Incident
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


class Clients:
    """One client per account, signed in through the login form on first use."""

    def __init__(self, app: Any) -> None:
        self.app, self.made = app, {}

    def get(self, name: str) -> TestClient:
        if name not in self.made:
            self.made[name] = signed_in_client(self.app, name, PASSWORD, header_from="/")
        return self.made[name]

    def close(self) -> None:
        for client in self.made.values():
            client.close()


class World:
    def __init__(self, db: Database, ids: dict[str, int], client: Callable[[str], TestClient]) -> None:
        self.db, self.ids, self.client = db, ids, client


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Per backend: the two missions, the accounts, a restricted report and an open one (both tagged organised
    crime), a tagged process, alert and monitored item, and a client per account."""
    tmp = tmp_path_factory.mktemp(f"threats-{request.param}")
    for db in make_database(request.param, tmp):
        with db.write() as s:
            add_missions(s)
            for name, (role, mission, grants) in ACCOUNTS.items():
                add_user(s, name, PASSWORD, role, mission=mission)
                for compartment in grants:
                    compartments.grant(s, name, compartment, actor="test")
            ids = {
                "restricted": file(s, HOLDER, report("W-1", "sexual_violence", threat_areas=["organised_crime"])),
                "open": file(s, HOLDER, report("W-2", threat_areas=["organised_crime", "terrorism"])),
                "process": int(
                    create_process(
                        s,
                        ANALYST,
                        ProcessDoc(
                            name="Bangui talks",
                            conflict="CAR conflict",
                            phase="negotiation",
                            country="Central African Republic",
                            threat_areas=["organised_crime"],
                        ),
                    ).id
                ),  # fmt: skip
                "alert": alert(s, CAF_GW),
            }
            tag_alert(s, ids["alert"], ["terrorism"], ANALYST)
            items.import_text(
                s, "analyst", "text,source,external_id,mission,country_iso3,threat_areas\n"
                "Arms crossing at night,monitor,w1,MINUSCA,CAF,organised_crime\n", "csv", author_key=b"k" * 32,
                who=ANALYST,
            )  # fmt: skip
            ids["item"] = int(s.query(CommsItem.id).scalar())
        app = create_app(Settings(var_dir=tmp / "var", data_dir=tmp, secret_key="w" * 40), db=db)
        clients = Clients(app)
        yield World(db, ids, clients.get)
        clients.close()


def _chip(html: str, code: str) -> int:
    """The count a page's threat-area chip shows for ``code``."""
    found = re.search(rf'data-area="{code}">[^<]*<span class="count">(\d+)</span>', html)
    assert found, f"no chip for {code}"
    return int(found.group(1))


# reader -> organised-crime incidents they may open (the restricted report only for its holder)
OPENS = {"holder": 2, "analyst": 1, "officer-a": 1, "officer-b": 0}


@pytest.mark.parametrize("name", list(OPENS))
def test_the_incident_page_and_api_count_and_filter_only_reports_the_reader_may_open(world: World, name: str):
    client = world.client(name)
    page = client.get("/incidents", params={"threat_area": "organised_crime"})
    assert page.status_code == 200
    assert _chip(page.text, "organised_crime") == OPENS[name]
    assert (f'href="/incidents/{world.ids["restricted"]}"' in page.text) == (name == "holder")
    body = client.get("/api/incidents", params={"threat_area": "organised_crime"}).json()
    assert len(body["incidents"]) == OPENS[name] == count(body["threat_areas"], "organised_crime")
    assert all("organised_crime" in r["threat_areas"] for r in body["incidents"])
    csv = client.get("/api/incidents.csv", params={"threat_area": "terrorism"}).text
    assert "threat_areas" in csv.splitlines()[0]
    assert ("organised_crime;terrorism" in csv) == (OPENS[name] > 0)


def test_a_viewer_gets_no_incident_count_and_a_bad_area_is_refused(world: World):
    assert world.client("viewer").get("/api/incidents", params={"threat_area": "cyber"}).status_code == 403
    refused = world.client("analyst").get("/api/incidents", params={"threat_area": "piracy"})
    assert refused.status_code == 422 and "'piracy' is not a threat area" in refused.json()["detail"]


def test_the_report_form_tags_with_its_tick_boxes(world: World):
    client = world.client("officer-a")
    form = client.get("/incidents/new")
    assert 'name="threat_areas" value="cyber"' in form.text
    posted = client.post(
        "/incidents",
        data={"csrf_token": csrf_from(form.text), "mission": MISSION_A, "date": "2024-05-03", "time": "10:00",
              "longitude": "18.56", "latitude": "4.36", "category": "armed_clash", "source_type": "patrol",
              "reliability": "B", "credibility": "2", "threat_areas": ["cyber", "hybrid_threats"]},
        follow_redirects=False,
    )  # fmt: skip
    assert posted.status_code == 303, posted.text
    incident_id = int(posted.headers["location"].split("/")[2].split("?")[0])
    assert client.get(f"/api/incidents/{incident_id}").json()["threat_areas"] == ["hybrid_threats", "cyber"]
    edit = client.get(f"/incidents/{incident_id}/edit").text
    assert re.search(r'value="cyber" checked', edit) and not re.search(r'value="terrorism" checked', edit)
    with world.db.write() as s:  # leave the shared world as it was
        s.delete(s.get(Incident, incident_id))


def test_the_process_list_filters_and_counts_and_the_form_tags(world: World):
    client = world.client("analyst")
    page = client.get("/processes", params={"threat_area": "organised_crime"})
    assert "Bangui talks" in page.text and _chip(page.text, "organised_crime") == 1
    assert "Bangui talks" not in client.get("/processes", params={"threat_area": "cyber"}).text
    api = client.get("/api/processes", params={"threat_area": "organised_crime"}).json()
    assert [p["threat_areas"] for p in api["processes"]] == [["organised_crime"]]
    assert count(api["threat_areas"], "organised_crime") == 1
    edit = client.get(f"/processes/{world.ids['process']}/edit").text
    fields = {"name": "Bangui talks", "conflict": "CAR conflict", "phase": "negotiation",
              "country": "Central African Republic",
              "threat_areas": ["organised_crime", "climate_security"]}  # fmt: skip
    saved = client.post(
        f"/processes/{world.ids['process']}", data={"csrf_token": csrf_from(edit), **fields}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    detail = client.get(f"/api/processes/{world.ids['process']}").json()
    assert detail["threat_areas"] == ["organised_crime", "climate_security"]
    fields["threat_areas"] = ["organised_crime"]
    client.post(f"/processes/{world.ids['process']}", data={"csrf_token": csrf_from(edit), **fields})


def test_an_alert_is_tagged_on_its_page_by_those_who_triage_it(world: World):
    url = f"/conflict/alerts/{world.ids['alert']}"
    page = world.client("officer-a").get(url).text
    assert 'id="threat-form"' in page
    assert 'id="threat-form"' not in world.client("officer-b").get(url).text
    posted = world.client("officer-a").post(
        url + "/threat-areas",
        data={"csrf_token": csrf_from(page), "threat_areas": ["terrorism", "climate_security"]},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    refused = world.client("officer-b").put(f"/api/conflict/alerts/{world.ids['alert']}/threat-areas",
                                            json={"threat_areas": []})  # fmt: skip
    assert refused.status_code == 403
    listed = world.client("viewer").get("/api/conflict/alerts", params={"threat_area": "climate_security"}).json()
    assert [a["id"] for a in listed["alerts"]] == [world.ids["alert"]]
    assert count(listed["threat_areas"], "terrorism") == 1
    back = world.client("analyst").put(
        f"/api/conflict/alerts/{world.ids['alert']}/threat-areas", json={"threat_areas": ["terrorism"]}
    )
    assert back.json()["threat_areas"] == ["terrorism"]


def test_comms_pages_filter_and_count_items_and_narratives_within_the_readers_scope(world: World):
    for name, expected in (("analyst", 1), ("officer-a", 1), ("officer-b", 0), ("viewer", 0)):
        queue = world.client(name).get("/comms/queue", params={"status": "new", "threat_area": "organised_crime"})
        assert queue.status_code == 200 and _chip(queue.text, "organised_crime") == expected
        assert ("Arms crossing at night" in queue.text) == bool(expected)
        api = world.client(name).get("/api/comms/queue", params={"status": "new", "threat_area": "organised_crime"})
        assert api.json()["total"] == expected == count(api.json()["threat_areas"], "organised_crime")
    assert world.client("analyst").get("/comms", params={"threat_area": "cyber"}).status_code == 200
    item = world.client("officer-a").get(f"/comms/items/{world.ids['item']}").text
    assert 'id="threat-form"' in item
    tagged = world.client("officer-a").put(
        f"/api/comms/items/{world.ids['item']}/threat-areas", json={"threat_areas": ["organised_crime", "cyber"]}
    )
    assert tagged.json()["threat_areas"] == ["organised_crime", "cyber"]
    refused = world.client("officer-b").put(
        f"/api/comms/items/{world.ids['item']}/threat-areas", json={"threat_areas": []}
    )
    assert refused.status_code == 403


def test_the_training_page_filters_courses_by_their_area(world: World):
    from peaceops.platform import import_file

    import_file(world.db, "training-courses", EXAMPLES / "training-courses.example.csv", "test")
    page = world.client("viewer").get("/training", params={"threat_area": "cyber"})
    assert "EX-CYBER-1" in page.text and "EX-POC-1" not in page.text and _chip(page.text, "cyber") == 1
    api = world.client("viewer").get("/api/training/courses", params={"threat_area": "cyber"}).json()
    assert [c["code"] for c in api] == ["EX-CYBER-1"]


def _cell(html: str, area: str, kind: str) -> str:
    row = re.search(rf'<tr data-area="{area}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, area
    cell = re.search(rf'data-kind="{kind}">([^<]*)<', row.group(1))
    assert cell, kind
    return cell.group(1).strip()


@pytest.mark.parametrize("name", [*OPENS, "viewer"])
def test_the_mission_and_regional_views_count_by_area_what_the_reader_may_see(world: World, name: str):
    client = world.client(name)
    incidents = {**OPENS, "officer-b": None, "viewer": None}[name]
    shown = "–" if incidents is None else str(incidents)
    mission = client.get(f"/missions/{MISSION_A}", params={"threat_area": "organised_crime"})
    assert mission.status_code == 200
    assert _cell(mission.text, "organised_crime", "incidents") == shown
    assert '<tr data-area="organised_crime" class="current">' in mission.text  # the area asked for
    assert _cell(mission.text, "organised_crime", "processes") == "1"
    assert _cell(mission.text, "terrorism", "alerts") == "1"
    assert (f'href="/incidents/{world.ids["restricted"]}"' in mission.text) == (name == "holder")
    body: dict[str, Any] = client.get(f"/api/missions/{MISSION_A}/threat-areas").json()
    assert next(r for r in body["rows"] if r["code"] == "organised_crime")["incidents"] == incidents
    region = client.get("/regions/017", params={"threat_area": "organised_crime"})
    assert region.status_code == 200 and 'id="region-narrowed"' in region.text
    in_region = {**OPENS, "viewer": None}[name]  # officer B counts their own mission's reports: none
    assert _cell(region.text, "organised_crime", "incidents") == ("–" if in_region is None else str(in_region))
    room = client.get("/api/regions/017", params={"threat_area": "cyber"}).json()
    assert room["threat_area"] == "cyber" and room["processes"] == []


def test_the_views_speak_french(world: World):
    client = world.client("analyst")
    client.cookies.set("peaceops_locale", "fr")
    page = client.get(f"/missions/{MISSION_A}", headers={"Accept-Language": "fr"})
    assert "Criminalité organisée transnationale" in page.text
    assert "Domaines de menace" in page.text
