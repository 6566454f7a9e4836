"""Debriefs due, built on the Blue Paper's own situation (seed 004).

¶35: "Solicit debriefings from all senior peacemaking mission staff: DPA should request an end-of-assignment
report, and conduct an end-of-assignment interview, with all senior members of a UN mediator's team leaving a
mission. As things stand, such reports and interviews by senior peacemaking mission staff are not done
systematically."
¶5 and ¶31 name the mediation: "The mediation initiative involving Kofi Annan, the African Union, and the United
Nations after the postelection violence in Kenya in late 2007 and early 2008".

The fixture is that team leaving the Kenyan mediation in 2008: some file a debrief, some do not, one files for
another period, and an expert on constitution-writing (¶21) whom the helpdesk deployed leaves without one.
Whether a debrief exists is itself need-to-know (decision 012), so only holders of the process's compartment
see the list, and experts' deployments only those who also read helpdesk requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from support.requirements import DATA_DIR
from support.web import signed_in_client

from peaceops.access import compartments
from peaceops.access.models import User
from peaceops.access.policy import Actor
from peaceops.access.users import hash_password
from peaceops.assignments.due import debriefs_due
from peaceops.processes import debriefs
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process
from peaceops.roster import helpdesk
from peaceops.roster.experts import clean_expert, save_expert
from peaceops.settings import Settings
from peaceops.store.audit import AuditEntry
from peaceops.web import create_app

PASSWORD = "debriefs due password"
ANALYST = Actor("seed-analyst", "analyst")
TODAY = date(2026, 6, 1)


def member(name: str, title: str, start: str, end: str | None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "organisation": "United Nations", "kind": "un", "title": title, "started_on": start,
            "ended_on": end, "core_team": True, **extra}  # fmt: skip


def _seed(db) -> dict[str, int]:
    with db.session() as s:
        kenya = create_process(
            s,
            ANALYST,
            ProcessDoc(
                name="Kenya: National Dialogue and Reconciliation",
                conflict="Kenya: post-election violence",
                phase="negotiation",
                phase_since=date(2008, 1, 22),
                mediators=[
                    {"name": "Kofi Annan", "organisation": "African Union", "kind": "regional", "lead": True,
                     "title": "Chair, Panel of Eminent African Personalities", "started_on": "2008-01-22",
                     "ended_on": "2008-07-31"},
                    member("Nana Mensah", "Chief of staff", "2008-01-22", "2008-04-30"),
                    member("Ruth Kamau", "Legal adviser", "2008-02-01", "2008-03-31"),
                    member("Lena Berg", "Media adviser", "2008-01-22", "2008-03-15"),
                    member("Omar Haji", "Political officer", "2008-01-22", None),
                    member("Paul Otieno", "Security adviser", "2008-01-22", "2099-12-31"),
                ],
            ),
        )  # fmt: skip
        holder = Actor("seed-holder", "analyst", compartments=frozenset({kenya.compartment}))
        for author, start, end in (
            ("Kofi Annan", "2008-01-22", "2008-07-31"),  # the lead mediator reported
            ("ruth  KAMAU", "2008-02-01", "2008-03-31"),  # her report, her name written another way
            ("Lena Berg", "2009-01-01", "2009-06-30"),  # a report on a later assignment: not this one
        ):
            doc = debriefs.DebriefDoc(author=author, period_start=date.fromisoformat(start),
                                      period_end=date.fromisoformat(end), what_worked="Shuttle diplomacy.")  # fmt: skip
            debriefs.create_debrief(s, holder, kenya.id, doc)
        expert, _ = save_expert(s, ANALYST, clean_expert({
            "name": "Tomas Ruiz", "email": "tomas@example.org", "expertise": "constitution_making",
            "availability": "2008-01-01..2008-12-31", "clearance": "confidential",
        }))  # fmt: skip
        request = helpdesk.file_request(s, ANALYST, helpdesk.clean_request({
            "title": "Constitutional review options", "expertise": "constitution_making", "region": "KEN",
            "needed_from": "2008-03-01", "needed_to": "2008-03-20", "process_id": str(kenya.id),
        }))  # fmt: skip
        for step in ("matched", "deployed", "closed"):
            helpdesk.move_request(s, ANALYST, request.id, step, expert_id=expert.id if step == "matched" else None)
        other = create_process(s, ANALYST, ProcessDoc(name="Another process", conflict="Elsewhere", phase="negotiation",
                               mediators=[member("Someone Else", "Envoy", "2008-01-01", "2008-02-01")]))  # fmt: skip
    return {"kenya": kenya.id, "other": other.id, "request": request.id}


def test_an_assignment_that_ends_without_a_debrief_is_due_for_those_who_may_know(db):
    ids = _seed(db)
    kenya = f"process:{ids['kenya']}"
    holder = Actor("holder", "analyst", compartments=frozenset({kenya}))
    with db.session() as s:
        found = debriefs_due(s, holder, today=TODAY)
    assert found.holds_any and found.processes == [ids["kenya"]] and found.experts_included
    assert "§35" in found.reason
    assert [(d.name, d.kind, d.ended_on) for d in found.due] == [
        ("Lena Berg", "core_team", "2008-03-15"),  # her debrief covers 2009, not this assignment
        ("Tomas Ruiz", "expert", "2008-03-20"),  # deployed by the helpdesk, no debrief
        ("Nana Mensah", "core_team", "2008-04-30"),
    ], "longest overdue first; Annan and Kamau reported, Haji and Otieno have not left"
    expert = found.due[1]
    assert (expert.role, expert.request_id, expert.organisation) == ("Constitutional review options", ids["request"],
                                                                      None)  # fmt: skip
    assert found.due[2].days_since_end == (TODAY - date(2008, 4, 30)).days
    # nobody in the other process is due for this holder: it is outside the compartments held
    assert {d.process_id for d in found.due} == {ids["kenya"]}

    # a viewer holding the compartment knows of the debriefs, but helpdesk deployments are not theirs to read
    viewer = Actor("viewer", "viewer", compartments=frozenset({kenya}))
    outsider = Actor("outsider", "analyst")
    with db.session() as s:
        seen = debriefs_due(s, viewer, today=TODAY)
        nothing = debriefs_due(s, outsider, today=TODAY)
        everything = debriefs_due(s, Actor("local", "admin", compartments=frozenset({"*"})), today=TODAY)
    assert [d.name for d in seen.due] == ["Lena Berg", "Nana Mensah"] and not seen.experts_included
    assert (nothing.holds_any, nothing.processes, nothing.due) == (False, [], [])
    assert everything.processes is None and [d.name for d in everything.due] == [
        "Someone Else", "Lena Berg", "Tomas Ruiz", "Nana Mensah",
    ]  # fmt: skip

    # filing the missing debriefs clears them
    with db.session() as s:
        doc = debriefs.DebriefDoc(author="Nana Mensah", period_start=date(2008, 4, 1), period_end=date(2008, 4, 30),
                                  open_issues="Land commission.")  # fmt: skip
        debriefs.create_debrief(s, holder, ids["kenya"], doc)
        assert [d.name for d in debriefs_due(s, holder, today=TODAY).due] == ["Lena Berg", "Tomas Ruiz"]


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def clients(db, tmp_path, password_hash) -> Iterator[dict[str, Any]]:
    """The holder of Kenya's compartment (an analyst), an analyst without it, a viewer holding it."""
    ids = _seed(db)
    with db.session() as s:
        for name, role in (("holder", "analyst"), ("outsider", "analyst"), ("reader", "viewer")):
            s.add(User(username=name, password_hash=password_hash, role=role))
    with db.session() as s:
        for name in ("holder", "reader"):
            compartments.grant(s, name, f"process:{ids['kenya']}", actor="admin")
    app = create_app(Settings(var_dir=tmp_path / "var", data_dir=DATA_DIR, secret_key="d" * 40), db=db)
    made: dict[str, TestClient] = {n: signed_in_client(app, n, PASSWORD) for n in ("holder", "outsider", "reader")}
    yield {"ids": ids, **made}
    for client in made.values():
        client.close()


def test_the_due_list_and_the_process_page_show_it_to_holders_only_and_never_a_debrief_text(db, clients):
    ids, holder, outsider, reader = clients["ids"], clients["holder"], clients["outsider"], clients["reader"]
    due = holder.get("/api/processes/debriefs-due").json()
    assert [d["name"] for d in due["due"]] == ["Lena Berg", "Tomas Ruiz", "Nana Mensah"]
    assert "Shuttle diplomacy" not in str(due), "no debrief text, ever"
    page = holder.get("/processes/debriefs-due")
    assert page.status_code == 200 and page.text.count("<tr data-kind=") == 3
    assert f'href="/processes/{ids["kenya"]}/debriefs/new"' in page.text
    process_page = holder.get(f"/processes/{ids['kenya']}").text
    assert 'id="debriefs-due"' in process_page
    assert "Nana Mensah (United Nations) left on" in process_page and "has filed no debrief" in process_page
    assert "Tomas Ruiz (expert deployed for “Constitutional review options”)" in process_page

    # the outsider is told nothing: no list, no "due" sentence, no count (the team's names are public)
    refused = outsider.get("/api/processes/debriefs-due").json()
    assert (refused["holds_any"], refused["due"]) == (False, [])
    assert 'id="due-no-compartments"' in outsider.get("/processes/debriefs-due").text
    outside_page = outsider.get(f"/processes/{ids['kenya']}").text
    assert "debriefs-due" not in outside_page and "has filed no debrief" not in outside_page
    assert outsider.get("/api/processes/debriefs-due", params={"process": ids["kenya"]}).json()["due"] == []

    # the viewer holding the compartment: the team, not the helpdesk's deployment
    assert [d["name"] for d in reader.get("/api/processes/debriefs-due").json()["due"]] == ["Lena Berg", "Nana Mensah"]
    assert "Tomas Ruiz" not in reader.get(f"/processes/{ids['kenya']}").text

    # each listing that shows something is audited, naming processes and a count, never a person or a text
    with db.session() as s:
        entries = list(
            s.scalars(select(AuditEntry).where(AuditEntry.entity == "debrief", AuditEntry.entity_id == "due"))
        )
    assert {e.actor for e in entries} == {"holder", "reader"}, "the outsider was shown nothing"
    assert all(set(e.after) == {"processes", "due"} for e in entries)
    assert not any("Mensah" in str(e.after) or "Shuttle" in str(e.after) for e in entries)
    french = holder.get("/processes/debriefs-due", headers={"Accept-Language": "fr"}).text
    assert "Comptes rendus attendus" in french
