"""Forum shopping, built on the Blue Paper's own situation (seed 004).

¶8: "the field of peacemakers has become increasingly crowded, now comprising mediators as diverse as the
intergovernmental Association of Southeast Asian Nations (ASEAN) and the nongovernmental Centre for
Humanitarian Dialogue. In recent years, the increasing activity of regional actors has also started to limit
the space for UN peacemaking, as in Kenya and Myanmar."
¶9: "When coordination among peacemakers is missing, the conflict parties can play mediators against one
another and reluctant factions may conceal their belligerent intentions by going 'forum shopping,' buying time
to rearm."
¶31: "All institutions providing mediation in a conflict at a given time should be in agreement on who is
leading the mediation process. The leadership displayed by Kofi Annan in the multiparty mediation process in
Kenya translated into great success in the peacemaking initiative there."
"""

from __future__ import annotations

from datetime import date
from typing import Any

from peaceops.access.policy import Actor
from peaceops.processes.forum import forum_shopping
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process, process_detail

TODAY = date(2026, 6, 1)
ANALYST = Actor("forum-analyst", "analyst")


def mediator(name: str, org: str, kind: str, start: str = "2025-01-01", **extra: Any) -> dict[str, Any]:
    return {"name": name, "organisation": org, "kind": kind, "started_on": start, **extra}


def parties(*names: str) -> list[dict[str, str]]:
    return [{"name": n} for n in names]


def _record(db) -> dict[str, int]:
    """¶8's crowded field in Myanmar: the UN's good offices, an ASEAN envoy and the Centre for Humanitarian
    Dialogue's quiet talks, each with the military and some of the same opponents; ¶31's Kenya, where the AU
    panel and the UN mediated under one agreed lead; and a settlement already in implementation."""
    processes = {
        "Myanmar: UN good offices": ("negotiation", [
            mediator("UN Special Envoy", "United Nations", "un", title="Special Envoy on Myanmar"),
        ], parties("Tatmadaw", "National Unity Government")),
        "Myanmar: ASEAN five-point consensus": ("negotiation", [
            mediator("ASEAN Special Envoy", "ASEAN", "regional"),
        ], parties("Tatmadaw", "National Unity Government")),
        "Myanmar: safe talks": ("pre-negotiation", [
            mediator("HD Centre team", "Centre for Humanitarian Dialogue", "ngo"),
        ], parties("TATMADAW ")),
        "Rakhine ceasefire talks": ("negotiation", [
            mediator("Chinese Special Envoy", "China", "state"),
            mediator("Norwegian facilitator", "Norway", "state"),
        ], parties("Arakan Army")),
        "Kenya: National Dialogue and Reconciliation": ("negotiation", [
            mediator("Kofi Annan", "African Union", "regional", title="Chair, Panel of Eminent African Personalities",
                     lead=True),
            mediator("UN political adviser", "United Nations", "un"),
        ], parties("Orange Democratic Movement", "Party of National Unity")),
        "Orange Democratic Movement reconciliation follow-up": ("implementation", [
            mediator("Follow-up envoy", "African Union", "regional", start="2020-01-01"),
        ], parties("Orange Democratic Movement")),
    }  # fmt: skip
    ids = {}
    with db.session() as s:
        for name, (phase, mediators, who) in processes.items():
            doc = ProcessDoc(name=name, conflict=name, phase=phase, phase_since=date(2024, 1, 1),
                             mediators=mediators, parties=who)  # fmt: skip
            ids[name] = create_process(s, ANALYST, doc, today=TODAY).id
    return ids


def test_parties_in_parallel_processes_or_facing_uncoordinated_mediators_are_listed_with_their_processes(db):
    ids = _record(db)
    with db.session() as s:
        found = forum_shopping(s, today=TODAY)
    assert "§8-11 and §31" in found.reason and "forum shopping" in found.reason
    listed = {p.party: p for p in found.parties}
    assert list(listed) == ["Tatmadaw", "National Unity Government", "Arakan Army"], "most processes first"

    military = listed["Tatmadaw"]  # written two ways: case and spacing aside, one party, named as most write it
    assert military.reasons == ["parallel-processes", "uncoordinated-mediators"]
    assert [p.name for p in military.processes] == [
        "Myanmar: ASEAN five-point consensus", "Myanmar: safe talks", "Myanmar: UN good offices",
    ]  # fmt: skip
    assert military.organisations == ["ASEAN", "Centre for Humanitarian Dialogue", "United Nations"]
    assert military.message == (
        "Tatmadaw takes part in 3 processes in a peacemaking phase at once (Myanmar: ASEAN five-point consensus, "
        "Myanmar: safe talks and Myanmar: UN good offices), mediated by ASEAN, Centre for Humanitarian Dialogue "
        "and United Nations with no single agreed lead."
    )
    safe_talks = military.processes[1]
    assert (safe_talks.phase, safe_talks.mediators) == ("pre-negotiation", ["HD Centre team (Centre for Humanitarian "
                                                                             "Dialogue)"])  # fmt: skip

    assert [p.name for p in listed["National Unity Government"].processes] == [
        "Myanmar: ASEAN five-point consensus", "Myanmar: UN good offices",
    ]  # fmt: skip
    rakhine = listed["Arakan Army"]  # one process, two states mediating, nobody leading
    assert rakhine.reasons == ["uncoordinated-mediators"]
    assert rakhine.message == (
        "Arakan Army faces mediators of China and Norway in Rakhine ceasefire talks with no single agreed lead."
    )
    # ¶31's Kenya: two bodies under one agreed lead, and the other process is in implementation
    assert "Orange Democratic Movement" not in listed and "Party of National Unity" not in listed

    # each process's coordination checks name the parallel processes of its own parties
    with db.session() as s:
        un = process_detail(s, ids["Myanmar: UN good offices"], today=TODAY).warnings
        kenya = process_detail(s, ids["Kenya: National Dialogue and Reconciliation"], today=TODAY).warnings
    assert [w.check for w in un] == ["forum-shopping", "forum-shopping"]
    assert un[0].message == (
        "Tatmadaw also takes part in Myanmar: ASEAN five-point consensus and Myanmar: safe talks, in a peacemaking "
        "phase at the same time: it can choose among mediators."
    )
    assert un[1].message.startswith("National Unity Government also takes part in Myanmar: ASEAN five-point")
    assert kenya == []

    # before the talks began (phases dated 2024-01-01), nothing was parallel
    with db.session() as s:
        assert forum_shopping(s, today=date(2023, 12, 31)).parties == []


def test_the_forum_shopping_page_and_its_json_twin(db, make_client):
    _record(db)
    client = make_client(db, local_admin=True)
    api = client.get("/api/processes/forum-shopping", params={"on": TODAY.isoformat()})
    assert api.status_code == 200
    assert [p["party"] for p in api.json()["parties"]] == ["Tatmadaw", "National Unity Government", "Arakan Army"]
    page = client.get("/processes/forum-shopping", params={"on": TODAY.isoformat()})
    assert page.status_code == 200
    assert page.text.count('class="warning" data-party=') == 3 and "mediators without an agreed lead" in page.text
    assert client.get("/processes/forum-shopping", params={"on": "2023-12-31"}).text.count('id="forum-clear"') == 1
    french = client.get(
        "/processes/forum-shopping", params={"on": TODAY.isoformat()}, headers={"Accept-Language": "fr"}
    )
    assert "Tatmadaw participe à 3 processus" in french.text
