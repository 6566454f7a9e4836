"""Debriefs are need-to-know: only holders of the process's compartment read them, by page, API or search;
every read and write is audited without the debrief's text; process create and edit are audited too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from support.requirements import DATA_DIR
from support.web import signed_in_client

from peaceops.access import compartments
from peaceops.access.models import User
from peaceops.access.users import hash_password
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.audit import AuditEntry
from peaceops.web import create_app

PASSWORD = "process tests password"
SECRET = "quietly accepted the airport corridor"
DEBRIEF = {
    "author": "Departing chief of staff",
    "period_start": "2023-01-01",
    "period_end": "2024-06-30",
    "what_worked": "Shuttle talks between the capitals.",
    "tacit_understandings": f"Both delegations {SECRET} without putting it in writing.",
    "open_issues": "Cantonment sites in the south.",
    "contacts": "Chief negotiators of both delegations.",
}


def _client(app: FastAPI, username: str) -> TestClient:
    return signed_in_client(app, username, PASSWORD, header_from="/")  # the sign-out form's token


def _audit(db: Database, entity: str) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)))


@pytest.fixture(scope="module")
def password_hash() -> str:
    """Hashed once for the module: argon2 is slow on purpose, and the accounts are not what is tested here."""
    return hash_password(PASSWORD)


@pytest.fixture
def clients(db: Database, tmp_path, password_hash) -> Iterator[dict[str, TestClient]]:
    """An analyst who will hold the compartment, an analyst who will not, and an administrator (not granted)."""
    with db.session() as s:
        for name, role in (("holder", "analyst"), ("outsider", "analyst"), ("boss", "admin")):
            s.add(User(username=name, password_hash=password_hash, role=role))
    settings = Settings(var_dir=tmp_path / "var", data_dir=DATA_DIR, secret_key="p" * 40)
    app = create_app(settings, db=db)  # one app, three browsers (each client keeps its own session cookie)
    made = {name: _client(app, name) for name in ("holder", "outsider", "boss")}
    yield made
    for client in made.values():
        client.close()


def test_only_holders_read_debriefs_and_every_read_and_write_is_audited(db, clients):
    holder, outsider, boss = clients["holder"], clients["outsider"], clients["boss"]

    # an analyst records a process by form, then edits it: both audited with the process before and after
    form = {"name": "Test process", "conflict": "Test conflict", "phase": "negotiation", "phase_since": "2024-01-01",
            "tracks": ["I", "II"], "country": "Sudan", "ucdp_conflicts": "11345"}  # fmt: skip
    created = holder.post("/processes", data=form, follow_redirects=False)
    assert created.status_code == 303
    process_id = int(created.headers["location"].split("/")[2].split("?")[0])
    edited = holder.post(f"/processes/{process_id}", data={**form, "phase": "implementation"}, follow_redirects=False)
    assert edited.status_code == 303
    other = holder.post("/api/processes", json={"name": "Other process", "conflict": "Other", "phase": "prevention"})
    assert other.status_code == 201
    trail = _audit(db, "peace_process")
    assert [(e.action, e.actor, e.entity_id) for e in trail] == [
        ("create", "holder", str(process_id)),
        ("update", "holder", str(process_id)),
        ("create", "holder", str(other.json()["id"])),
    ]
    assert trail[1].before["phases"][-1]["phase"] == "negotiation"
    assert trail[1].after["phases"][-1]["phase"] == "implementation"
    assert trail[0].after["tracks"] == ["I", "II"] and trail[0].after["ucdp_conflicts"] == [11345]

    # mediators, a party and a friend by the page's small forms: each audited; the API's warnings follow at once
    mediators = f"/processes/{process_id}/mediators"
    for name, org, kind in (("Envoy One", "United Nations", "un"), ("Envoy Two", "African Union", "regional")):
        appointed = holder.post(mediators, data={"name": name, "organisation": org, "kind": kind,
                                                 "started_on": "2023-05-01"}, follow_redirects=False)  # fmt: skip
        assert appointed.status_code == 303
    backwards = holder.post(mediators, data={"name": "X", "organisation": "Y", "kind": "state",
                                             "started_on": "2023-05-01", "ended_on": "2020-01-01"})  # fmt: skip
    assert backwards.status_code == 422 and "ends (2020-01-01) before it starts" in backwards.text
    party = {"name": "Government", "armed_groups": "Army, Militia"}
    assert holder.post(f"/processes/{process_id}/parties", data=party, follow_redirects=False).status_code == 303
    friend = {"name": "Norway", "circle": "core"}
    assert holder.post(f"/processes/{process_id}/friends", data=friend, follow_redirects=False).status_code == 303
    shown = holder.get(f"/api/processes/{process_id}").json()
    assert [w["check"] for w in shown["warnings"]] == ["no-agreed-lead", "implementation-without-agreement"]
    assert all(set(w) == {"check", "message", "reason"} and "Blue Paper" in w["reason"] for w in shown["warnings"])
    assert shown["parties"] == [
        {"id": shown["parties"][0]["id"], "name": "Government", "armed_groups": ["Army", "Militia"]}
    ]
    lead = shown["mediators"][0]
    made_lead = holder.post(f"{mediators}/{lead['id']}", data={**{k: lead[k] for k in ("name", "organisation", "kind")},
                            "started_on": lead["started_on"], "lead": "1"}, follow_redirects=False)  # fmt: skip
    assert made_lead.status_code == 303
    shown = holder.get(f"/api/processes/{process_id}").json()
    assert [w["check"] for w in shown["warnings"]] == ["implementation-without-agreement"]
    removed = holder.post(f"/processes/{process_id}/friends/{shown['friends'][0]['id']}/delete", follow_redirects=False)
    assert removed.status_code == 303 and holder.get(f"/api/processes/{process_id}").json()["friends"] == []
    assert len([e for e in _audit(db, "peace_process") if e.action == "update"]) == 1 + 4 + 1 + 1

    # nobody writes a debrief before holding the compartment, whatever the role
    for client in (holder, boss):
        refused = client.post(f"/api/processes/{process_id}/debriefs", json=DEBRIEF)
        assert refused.status_code == 403 and f"process:{process_id}" in refused.json()["detail"]
    with db.session() as s:
        compartments.grant(s, "holder", f"process:{process_id}", actor="boss")
        compartments.grant(s, "holder", f"process:{other.json()['id']}", actor="boss")
    filed = holder.post(f"/api/processes/{process_id}/debriefs", json=DEBRIEF)
    assert filed.status_code == 201, filed.text
    debrief_id = filed.json()["id"]
    also = holder.post(f"/api/processes/{other.json()['id']}/debriefs", json={**DEBRIEF, "author": "Other author"})
    assert also.status_code == 201
    # a third debrief, in a process the holder was never granted
    hidden = holder.post(
        "/api/processes", json={"name": "Hidden process", "conflict": "Hidden", "phase": "negotiation"}
    )
    hidden_id = hidden.json()["id"]
    with db.session() as s:
        compartments.grant(s, "boss", f"process:{hidden_id}", actor="boss")
    assert boss.post(f"/api/processes/{hidden_id}/debriefs", json=DEBRIEF).status_code == 201

    # the process page names the compartment and who holds it, for everyone
    page = outsider.get(f"/processes/{process_id}").text
    assert f"process:{process_id}" in page and "holder" in page and 'id="no-compartment"' in page
    assert SECRET not in page

    # the outsider (and the administrator, not granted this one) is refused by page, API, list and search
    for client in (outsider, boss):
        for path in (f"/debriefs/{debrief_id}", f"/api/debriefs/{debrief_id}", f"/processes/{process_id}/debriefs",
                     f"/api/processes/{process_id}/debriefs", f"/debriefs/{debrief_id}/edit"):  # fmt: skip
            response = client.get(path)
            assert response.status_code == 403, path
            assert SECRET not in response.text
    found = outsider.get("/api/debriefs/search", params={"q": "airport corridor"}).json()
    assert found["total"] == 0 and found["results"] == [] and found["searchable_processes"] == []
    assert SECRET not in outsider.get("/debriefs", params={"q": "airport"}).text
    boss_found = boss.get("/api/debriefs/search", params={"q": "airport"}).json()
    assert [r["process_id"] for r in boss_found["results"]] == [hidden_id] and boss_found["total"] == 1
    refused = outsider.put(f"/api/debriefs/{debrief_id}", json={**DEBRIEF, "open_issues": "rewritten"})
    assert refused.status_code == 403

    # the holder reads by page and API and finds by search, but never the debrief outside the compartments
    assert SECRET in holder.get(f"/debriefs/{debrief_id}").text
    assert holder.get(f"/api/debriefs/{debrief_id}").json()["tacit_understandings"] == DEBRIEF["tacit_understandings"]
    hits = holder.get("/api/debriefs/search", params={"q": '"airport corridor" delegations'}).json()
    assert hits["total"] == 2 and {r["process_id"] for r in hits["results"]} == {process_id, other.json()["id"]}
    assert all(SECRET in r["snippet"]["text"] for r in hits["results"])
    assert holder.get("/api/debriefs/search", params={"q": "airport", "process": hidden_id}).json()["total"] == 0
    assert holder.get("/api/debriefs/search", params={"q": "airport nowhere-else"}).json()["total"] == 0
    assert SECRET in holder.get("/debriefs", params={"q": "airport"}).text

    # the holder edits by form; the update is audited with the fields changed, never the text
    edit = {**DEBRIEF, "open_issues": "Cantonment sites in the south; the census."}
    saved = holder.post(f"/debriefs/{debrief_id}", data=edit, follow_redirects=False)
    assert saved.status_code == 303
    trail = _audit(db, "debrief")
    mine = [(e.action, e.actor) for e in trail if e.entity_id == str(debrief_id)]
    assert mine[0] == ("create", "holder") and ("update", "holder") in mine
    assert mine.count(("read", "holder")) >= 4  # page, API, two searches, edit form...
    assert not any(actor in ("outsider", "boss") for _, actor in mine)
    (update,) = [e for e in trail if e.action == "update"]
    assert update.after["changed"] == ["open_issues"]
    assert not any(SECRET in str(e.after) + str(e.before) for e in _audit(db, "debrief"))
