"""Partner accounts, built on the Blue Paper's own words (seed 004).

¶41: "Develop a helpdesk for mediators: The Mediation Support Unit of the UN Department of Political Affairs
should be further developed to serve as a helpdesk [...]. Access to this service should be available to UN
envoys and representatives and mediators affiliated with its partners, including regional organizations and
nongovernmental institutions."

A regional organisation's mediation unit (two accounts of the African Union's unit) files and follows its own
requests; another regional organisation's unit (ECOWAS) does not learn of them; neither reaches anything else.
Every other route refusing a partner is the route matrix's job (tests/access/test_route_matrix.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from roster_support import LAND_REQUEST, build_roster
from sqlalchemy import select
from support.requirements import DATA_DIR
from support.web import csrf_from, signed_in_client

from peaceops.access.policy import Actor
from peaceops.access.users import add_user
from peaceops.errors import ValidationFailed
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process
from peaceops.roster.models import HelpRequest
from peaceops.settings import Settings
from peaceops.web import create_app

PASSWORD = "partner accounts password"
AU = "African Union Mediation Support Unit"
ECOWAS = "ECOWAS Mediation Facilitation Division"


@pytest.fixture
def clients(db, tmp_path) -> Iterator[dict[str, Any]]:
    build_roster(db)
    with db.session() as s:
        for name, org in (("au-desk", AU), ("au-envoy", AU), ("ecowas-desk", ECOWAS)):
            add_user(s, name, PASSWORD, "partner", organisation=org)
        add_user(s, "helpdesk", PASSWORD, "analyst")
        process = create_process(s, Actor("seed", "analyst"), ProcessDoc(name="Inter-Malian dialogue", conflict="Mali",
                                                           phase="negotiation"))  # fmt: skip
    app = create_app(Settings(var_dir=tmp_path / "var", data_dir=DATA_DIR, secret_key="q" * 40), db=db)
    made: dict[str, TestClient] = {
        n: signed_in_client(app, n, PASSWORD, header_from="/helpdesk") for n in ("au-desk", "au-envoy", "ecowas-desk")
    }
    made["helpdesk"] = signed_in_client(app, "helpdesk", PASSWORD, header_from="/helpdesk")
    yield {"process_id": process.id, **made}
    for client in made.values():
        client.close()


def test_a_partner_account_needs_its_organisation_and_only_partners_have_one(db):
    with db.session() as s, pytest.raises(ValidationFailed, match="needs its organisation"):
        add_user(s, "nameless", PASSWORD, "partner")
    with db.session() as s, pytest.raises(ValidationFailed, match="Only partner accounts belong to an organisation"):
        add_user(s, "analyst-x", PASSWORD, "analyst", organisation=AU)


def test_a_partner_files_and_follows_its_organisations_requests_and_nothing_else(db, clients):
    au, colleague, ecowas, staff = clients["au-desk"], clients["au-envoy"], clients["ecowas-desk"], clients["helpdesk"]

    # the partner's home is its requests; its navigation holds the helpdesk only
    home = au.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/helpdesk"
    page = au.get("/helpdesk").text
    assert 'id="partner-lead"' in page and AU in page
    assert 'href="/processes"' not in page and 'href="/roster"' not in page and 'href="/conflict"' not in page

    # it files through the form, like any mediator in the field
    form = {**LAND_REQUEST, "languages": "fr, en", "csrf_token": csrf_from(au.get("/helpdesk/new").text)}
    filed = au.post("/helpdesk", data=form, follow_redirects=False)
    assert filed.status_code == 303
    request_id = int(filed.headers["location"].split("/")[2].split("?")[0])
    with db.session() as s:
        stored = s.get(HelpRequest, request_id)
        assert (stored.partner, stored.requested_by) == (AU, "au-desk")
    un_request = staff.post("/api/helpdesk", json={**LAND_REQUEST, "title": "UN's own request"}).json()["id"]

    # the unit's other account follows it too; the counts cover the unit's requests alone
    queue = colleague.get("/api/helpdesk").json()
    assert [r["id"] for r in queue["requests"]] == [request_id] and queue["counts"]["open"] == 1
    detail = colleague.get(f"/api/helpdesk/{request_id}").json()
    assert detail["matches"] is None, "the roster's ranking is the UN's own: a partner learns the expert chosen"
    assert "Aminata" not in colleague.get(f"/helpdesk/{request_id}").text

    # another organisation's unit does not learn the request exists
    assert ecowas.get("/api/helpdesk").json()["requests"] == []
    for path in (f"/api/helpdesk/{request_id}", f"/helpdesk/{request_id}", f"/api/helpdesk/{un_request}"):
        assert ecowas.get(path).status_code == 404, path
    assert ecowas.post(f"/api/helpdesk/{request_id}/move", json={"to": "cancelled"}).status_code == 404
    assert "UN's own request" not in au.get("/api/helpdesk.csv").text

    # the helpdesk sees who filed it, links the process the expert will serve; the partner is not told
    assert staff.get(f"/api/helpdesk/{request_id}").json()["partner"] == AU
    linked = staff.put(f"/api/helpdesk/{request_id}/process", json={"process_id": clients["process_id"]})
    assert linked.status_code == 200 and linked.json()["process_id"] == clients["process_id"]
    assert au.get(f"/api/helpdesk/{request_id}").json()["process_id"] is None
    refused = au.post("/api/helpdesk", json={**LAND_REQUEST, "process_id": clients["process_id"]})
    assert refused.status_code == 403 and "the helpdesk does" in refused.json()["detail"]
    assert au.put(f"/api/helpdesk/{request_id}/process", json={"process_id": None}).status_code == 403

    # nothing else: the registry, the roster, the overview, another's account pages
    for path in (
        "/processes",
        "/api/processes",
        "/roster",
        "/api/roster",
        "/api/home",
        "/conflict",
        "/api/subscriptions",
    ):
        response = au.get(path)
        assert response.status_code == 403, path
        assert AU in response.text and "nothing else" in response.text
    assert 'href="/helpdesk"' in au.get("/processes").text and 'href="/missions"' not in au.get("/processes").text
    account = au.get("/api/account").json()
    assert (account["role"], account["organisation"], account["mission"]) == ("partner", AU, None)
    assert au.get("/api/me").json()["role"] == "partner"
    assert "Notifications" not in au.get("/account").text, "partners follow nothing by notification"

    # the one who filed it may cancel it
    cancelled = au.post(f"/api/helpdesk/{request_id}/move", json={"to": "cancelled", "note": "Solved locally."})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    with db.session() as s:
        assert s.scalar(select(HelpRequest.status).where(HelpRequest.id == un_request)) == "open"
    french = au.get("/helpdesk", headers={"Accept-Language": "fr"}).text
    assert "Seules les demandes de votre organisation sont affichées." in french
