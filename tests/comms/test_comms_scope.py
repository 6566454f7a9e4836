"""Mission scoping of comms items: set at import (checked against the importer's rights), read by scope.

Analysts and administrators read every mission's items; mission officers their own mission's and the
shared pool (items of no mission); viewers the pool only. ``?mission=`` narrows pages and the API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from support.web import csrf_from, signed_in_client

from peaceops.access.users import add_user
from peaceops.comms import lexicon
from peaceops.platform import import_file
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.database import MIGRATIONS, upgrade
from peaceops.web import create_app

PASSWORD = "comms scope password, long enough"
USERS = {
    "ana": ("analyst", None),
    "olga": ("mission_officer", "MINUSCA"),
    "otto": ("mission_officer", "MONUSCO"),
    "vera": ("viewer", None),
}
ROWS = [
    {"text": "Bangui: the snakes of the other side will pay", "source": "monitor", "mission": "MINUSCA"},
    {"text": "Bria market: these snakes must leave the town", "source": "monitor", "mission": "minusca"},
    {"text": "Goma radio: snakes in the camps, drive them out", "source": "monitor", "mission": "MONUSCO"},
    {"text": "Pool: the snakes everywhere are lying to you", "source": "monitor"},
]


@pytest.fixture
def scoped(db: Database, comms_settings: Settings, data_dir: Path) -> Iterator[Callable[[str], TestClient]]:
    """Missions register, four users and a signed-in client per user; the lexicon flags every row."""
    import_file(db, "missions", data_dir / "un_peacekeeping" / "missions" / "DPPADPOSS-PKO.csv", "test")
    with db.session() as s:
        for name, (role, mission) in USERS.items():
            add_user(s, name, PASSWORD, role, mission=mission)
        lexicon.upsert_term(s, "t", lexicon.TermInput("snakes", "en", severity=3))
    app = create_app(comms_settings, db=db)
    clients: dict[str, TestClient] = {}

    def get(name: str) -> TestClient:
        if name not in clients:
            clients[name] = signed_in_client(app, name, PASSWORD, header_from="/")
        return clients[name]

    yield get
    for client in clients.values():
        client.close()


def queue_texts(client: TestClient, mission: str = "") -> set[str]:
    answer = client.get("/api/comms/queue", params={"mission": mission} if mission else {})
    assert answer.status_code == 200, answer.text
    return {i["text"].split(":")[0] for i in answer.json()["items"]}


def ids_by_place(client: TestClient) -> dict[str, int]:
    return {i["text"].split(":")[0]: i["id"] for i in client.get("/api/comms/queue").json()["items"]}


def test_import_sets_the_mission_within_the_importers_rights(scoped):
    ana, olga, vera = scoped("ana"), scoped("olga"), scoped("vera")
    made = ana.post("/api/comms/items", json=[*ROWS, {"text": "x snakes", "source": "m", "mission": "NOPE"}])
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["added"] == 4
    assert body["rejected"] == [{"line": 5, "reason": "mission 'NOPE' is not the acronym of a mission in peaceops"}]
    items = {i["text"].split(":")[0]: i for i in ana.get("/api/comms/queue").json()["items"]}
    assert {k: v["mission"] for k, v in items.items()} == {
        "Bangui": "MINUSCA", "Bria market": "MINUSCA", "Goma radio": "MONUSCO", "Pool": ""}  # fmt: skip
    run = ana.get("/api/imports").json()["runs"][0]  # every batch of items is an import run with its rejections
    assert (run["kind"], run["actor"], run["inserted"], run["rejected"]) == ("comms-items", "ana", 4, 1)

    # a file uploaded on the page: the run carries the file's name and its rejected line
    token = csrf_from(ana.get("/comms").text)
    posts = "text,source,mission\nBossangoa: snakes at the bridge,upload,MINUSCA\nx snakes,upload,NOPE\n"
    page = ana.post("/comms/items/import", data={"csrf_token": token}, files={"file": ("posts.csv", posts.encode())})
    assert page.status_code == 200, page.text
    run = ana.get("/api/imports").json()["runs"][0]
    assert (run["kind"], run["source_name"], run["inserted"], run["rejected"]) == ("comms-items", "posts.csv", 1, 1)
    assert "NOPE" in ana.get(f"/api/imports/{run['id']}").json()["rejections"][0]["reason"]

    # a mission officer imports for their own mission (the default when a row names none), never another's
    rows = [{"text": "Ndele: snakes at the checkpoint", "source": "officer"},
            {"text": "Beni: snakes again", "source": "officer", "mission": "MONUSCO"}]  # fmt: skip
    mine = olga.post("/api/comms/items", json=rows)
    assert mine.status_code == 201 and mine.json()["added"] == 1
    assert mine.json()["rejected"][0]["line"] == 2 and "outside your scope" in mine.json()["rejected"][0]["reason"]
    assert ana.get(f"/api/comms/items/{ids_by_place(ana)['Ndele']}").json()["mission"] == "MINUSCA"
    refused = vera.post("/api/comms/items", json=[{"text": "snakes", "source": "v"}])
    assert refused.status_code == 403
    assert vera.get("/api/comms/queue?status=flagged").json()["total"] == 1  # nothing of hers was added


def test_each_role_reads_its_scope_through_the_api(scoped):
    ana, olga, otto, vera = scoped("ana"), scoped("olga"), scoped("otto"), scoped("vera")
    assert ana.post("/api/comms/items", json=ROWS).status_code == 201
    everything = {"Bangui", "Bria market", "Goma radio", "Pool"}
    assert queue_texts(ana) == everything
    assert queue_texts(ana, "MINUSCA") == queue_texts(ana, "minusca") == {"Bangui", "Bria market"}
    assert queue_texts(olga) == {"Bangui", "Bria market", "Pool"}
    assert queue_texts(olga, "MINUSCA") == {"Bangui", "Bria market"}
    assert queue_texts(otto) == {"Goma radio", "Pool"}
    assert queue_texts(vera) == {"Pool"}

    assert olga.get("/api/comms/queue?mission=MONUSCO").status_code == 403
    assert "You work on MINUSCA" in olga.get("/api/comms/queue?mission=MONUSCO").json()["detail"]
    assert vera.get("/api/comms/queue?mission=MINUSCA").status_code == 403
    assert ana.get("/api/comms/queue?mission=NOPE").status_code == 404

    ids = ids_by_place(ana)
    assert olga.get(f"/api/comms/items/{ids['Goma radio']}").status_code == 403
    assert olga.get(f"/api/comms/items/{ids['Bangui']}").status_code == 200
    assert vera.get(f"/api/comms/items/{ids['Bangui']}").status_code == 403
    assert vera.get(f"/api/comms/items/{ids['Pool']}").status_code == 200
    assert ana.get(f"/api/comms/items/{ids['Goma radio']}").json()["mission"] == "MONUSCO"

    # the overview, its counts and the CSV export apply the same scope
    assert ana.get("/api/comms").json()["timing"]["items"] == 4
    assert olga.get("/api/comms").json()["timing"]["items"] == 3
    assert olga.get("/api/comms?mission=MINUSCA").json()["queue_counts"] == {"flagged": 2}
    assert vera.get("/api/comms").json()["queue_counts"] == {"flagged": 1}
    csv_text = otto.get("/api/comms/queue.csv").text
    assert "Goma radio" in csv_text and "Bangui" not in csv_text


def test_pages_apply_the_same_scope(scoped):
    ana, olga, vera = scoped("ana"), scoped("olga"), scoped("vera")
    assert ana.post("/api/comms/items", json=ROWS).status_code == 201
    ids = ids_by_place(ana)
    page = olga.get("/comms/queue").text
    assert "Bangui" in page and "Pool" in page and "Goma radio" not in page
    filtered = olga.get("/comms/queue?mission=MINUSCA").text
    assert "Bangui" in filtered and "Pool" not in filtered and "of MINUSCA" in filtered
    assert olga.get("/comms/queue?mission=MONUSCO").status_code == 403
    assert olga.get(f"/comms/items/{ids['Goma radio']}").status_code == 403
    item_page = olga.get(f"/comms/items/{ids['Bangui']}")
    assert item_page.status_code == 200 and 'id="item-mission">MINUSCA<' in item_page.text
    assert "Goma radio" in ana.get("/comms/queue").text
    viewer_page = vera.get("/comms/queue").text
    assert "Pool" in viewer_page and "Bangui" not in viewer_page
    assert vera.get("/comms?mission=MINUSCA").status_code == 403
    overview = olga.get("/comms?mission=MINUSCA")
    assert overview.status_code == 200 and 'id="stat-items">2<' in overview.text


def test_migration_0014_goes_down_to_0013_and_up_again(db: Database):
    def columns() -> set[str]:
        return {c["name"] for c in inspect(db.engine).get_columns("comms_item", schema=db.schema)}

    assert "mission_id" in columns()
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0013")
    assert "mission_id" not in columns() and "text_key" in columns()
    upgrade(db)
    assert "mission_id" in columns()
