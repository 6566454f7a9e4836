"""Each coordination check fires on a process built to trip it and stays quiet on a clean twin; processes
imported from TOML are checked the same way, and the import keeps good entries, rejects bad ones with their
reason and never duplicates on a second run.

All cases live in one database per backend (with the real PA-X subset, so implementation cases can link
real agreements); each case has its own conflict and mandate area, so the cross-process overlap check
only meets the envoys a case means it to meet.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from peaceops.errors import PermissionDenied
from peaceops.platform import import_file
from peaceops.processes.coordination import CHECKS, REASONS
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.models import PeaceProcess
from peaceops.processes.registry import create_process, process_detail, update_process
from peaceops.store.audit import AuditEntry

PROCESSES_TOML = """
[[process]]
name = "Afghan peace process, 1992-1993"
conflict = "Afghanistan: Government"
country = "Afghanistan"
region = "Asia"
tracks = ["I"]
ucdp_conflicts = [333]
agreements = [482, 409]

[[process.phases]]
phase = "negotiation"
started_on = 1992-01-01

[[process.phases]]
phase = "implementation"
started_on = 1993-03-07

[[process.mediators]]
name = "Envoy A"
organisation = "United Nations"
kind = "un"
title = "Personal Representative"
started_on = 1992-01-01

[[process.parties]]
name = "Government"
armed_groups = ["Armed forces"]

[[process]]
name = "Unknown agreement"
conflict = "Somewhere"
phase = "implementation"
agreements = [999999]

[[process]]
name = "Bad mediator"
conflict = "Somewhere else"
phase = "negotiation"
mediators = [{ name = "X", organisation = "Y", kind = "alliance", started_on = 2020-01-01 }]
"""

TODAY = date(2026, 6, 1)
REGION = "Great Lakes region"


class Viewer:
    username = "viewer-test"
    role = "viewer"
    mission = None


class Editor:
    username = "checks-test"
    role = "analyst"
    mission = None


def mediator(name: str, org: str, start: str, end: str | None = None, **extra: Any) -> dict[str, Any]:
    kind = {"United Nations": "un", "African Union": "regional", "IGAD": "regional"}.get(org, "state")
    return {"name": name, "organisation": org, "kind": kind, "started_on": start, "ended_on": end, **extra}


def friends(core: int, supporting: int = 0) -> list[dict[str, str]]:
    return [{"name": f"Core {i}", "circle": "core"} for i in range(core)] + [
        {"name": f"Supporting {i}", "circle": "supporting"} for i in range(supporting)
    ]


# (case, phase, phase_since, mediators, friends, PA-X agreements, expected checks)
CASES: list[tuple[str, str, str, list[dict[str, Any]], list[dict[str, str]], list[int], list[str]]] = [
    ("clean negotiation", "negotiation", "2024-01-01",
     [mediator("Lead A", "United Nations", "2023-01-01", lead=True), mediator("B", "African Union", "2023-06-01"),
      mediator("Aide", "United Nations", "2023-01-01", core_team=True)],
     friends(6, 5), [], []),
    ("no lead among active mediators", "negotiation", "2024-01-01",
     [mediator("C", "United Nations", "2023-01-01"), mediator("D", "IGAD", "2023-02-01")], [], [],
     ["no-agreed-lead"]),
    ("two leads claimed", "pre-negotiation", "2024-01-01",
     [mediator("E", "United Nations", "2023-01-01", lead=True), mediator("F", "Norway", "2023-02-01", lead=True)],
     [], [], ["no-agreed-lead"]),
    ("only one mediator still active", "negotiation", "2024-01-01",
     [mediator("G", "United Nations", "2020-01-01", "2022-12-31"), mediator("H", "IGAD", "2023-01-01"),
      mediator("Aide H", "IGAD", "2023-01-01", core_team=True)], [], [], []),
    ("seven core friends while negotiating", "negotiation", "2024-01-01",
     [mediator("I", "United Nations", "2023-01-01")], friends(7), [], ["large-group-of-friends"]),
    ("seven core friends in implementation", "implementation", "2024-01-01",
     [mediator("J", "United Nations", "2023-01-01")], friends(7), [482], []),
    ("two UN envoys on one conflict", "negotiation", "2024-01-01",
     [mediator("K", "United Nations", "2023-01-01", lead=True), mediator("L", "United Nations", "2024-03-01")],
     [], [], ["overlapping-mandates"]),
    ("UN envoys one after the other", "negotiation", "2024-01-01",
     [mediator("M", "United Nations", "2020-01-01", "2023-12-31"), mediator("N", "United Nations", "2024-01-01")],
     [], [], []),
    ("implementation with nobody carried over", "implementation", "2024-01-01",
     [mediator("O", "United Nations", "2021-01-01", "2023-10-31"), mediator("P", "United Nations", "2024-02-01")],
     [], [409], ["no-continuity-into-implementation"]),
    ("implementation with no agreement", "implementation", "2024-01-01",
     [mediator("Q", "United Nations", "2021-01-01")], [], [], ["implementation-without-agreement"]),
    ("clean implementation", "implementation", "2024-01-01",
     [mediator("R", "United Nations", "2021-01-01", lead=True), mediator("Aide R", "United Nations", "2021-01-01",
                                                                       "2025-01-01", core_team=True)],
     friends(9, 4), [482, 409], []),
    # envoys of one body on one region, in two processes: the overlap shows on both
    ("Process one", "negotiation", "2024-01-01",
     [mediator("Envoy X", "United Nations", "2024-01-01", mandate_area=REGION, title="Special Envoy")], [], [],
     ["overlapping-mandates"]),
    ("Process two", "negotiation", "2024-01-01",
     [mediator("Envoy Y", "United Nations", "2025-01-01", mandate_area=REGION, title="SRSG")], [], [],
     ["overlapping-mandates"]),
    # one party in two processes still negotiating (and in a third one already implementing): forum shopping
    ("Talks in the capital", "negotiation", "2024-01-01", [mediator("S", "United Nations", "2023-01-01")], [], [],
     ["forum-shopping"]),
    ("Talks abroad", "pre-negotiation", "2024-01-01", [mediator("T", "Norway", "2023-01-01")], [], [],
     ["forum-shopping"]),
    ("Settled talks", "implementation", "2024-01-01", [mediator("U", "IGAD", "2021-01-01")], [], [482], []),
]  # fmt: skip
# Parties by case (the others have none): the same front, written with other spacing and case in the second
PARTIES = {
    "Talks in the capital": [{"name": "Liberation Front"}],
    "Talks abroad": [{"name": "liberation  front"}],
    "Settled talks": [{"name": "Liberation Front"}],
}


def test_each_check_fires_on_its_case_stays_quiet_on_the_clean_ones_and_follows_every_change(subset_db, tmp_path):
    """Every case recorded in one database, read as the API shows it (today fixed)."""
    ids = {}
    with subset_db.session() as s:
        for n, (case, phase, since, mediators, group, agreements, _) in enumerate(CASES):
            doc = ProcessDoc(
                name=case, conflict=f"Conflict {n}", phase=phase, phase_since=date.fromisoformat(since),
                mediators=mediators, friends=group, agreements=agreements, parties=PARTIES.get(case, []),
            )  # fmt: skip
            ids[case] = create_process(s, Editor(), doc).id
    with subset_db.session() as s:
        cases = {case: process_detail(s, pid, today=TODAY) for case, pid in ids.items()}
    tripped = set()
    for case, *_, expected in CASES:
        warnings = cases[case].warnings
        assert [w.check for w in warnings] == expected, case
        for w in warnings:
            assert w.reason == REASONS[w.check] and "Blue Paper" in w.reason
            tripped.add(w.check)
    assert tripped == set(CHECKS), "every check has a case that trips it"
    # the messages name this process's specifics
    (lead,) = cases["no lead among active mediators"].warnings
    assert "C (United Nations)" in lead.message and "D (IGAD)" in lead.message
    (group,) = cases["seven core friends while negotiating"].warnings
    assert "7 members" in group.message and "negotiation phase" in group.message
    (overlap,) = cases["two UN envoys on one conflict"].warnings
    assert "K" in overlap.message and "L" in overlap.message and "from 2024-03-01" in overlap.message
    (gap,) = cases["implementation with nobody carried over"].warnings
    assert "2024-01-01" in gap.message and "O left on 2023-10-31" in gap.message
    linked = cases["clean implementation"].agreements
    assert sorted(a.pax_id for a in linked) == [409, 482]
    (across,) = cases["Process one"].warnings
    assert "Envoy X (Special Envoy) and Envoy Y (SRSG) in the process Process two" in across.message
    assert f"mandates on {REGION}, overlapping from 2025-01-01 with no end date" in across.message
    (shopping,) = cases["Talks in the capital"].warnings
    assert shopping.message.startswith("Liberation Front also takes part in Talks abroad, in a peacemaking phase")

    # only analysts and administrators write, and a document that contradicts itself is refused
    with subset_db.session() as s, pytest.raises(PermissionDenied, match="can read peace processes but not change"):
        create_process(s, Viewer(), ProcessDoc(name="Viewer's", conflict="Z", phase="prevention"))
    with pytest.raises(ValidationError, match="the party 'a' is listed twice"):
        ProcessDoc(parties=[{"name": "A"}, {"name": "a"}])
    with pytest.raises(ValidationError, match="must be listed in date order"):
        ProcessDoc(phases=[{"phase": "negotiation", "started_on": "2020-01-01"},
                           {"phase": "prevention", "started_on": "2019-01-01"}])  # fmt: skip

    # nothing is stored: ending Envoy X's mandate before Envoy Y's began clears both processes at once
    with subset_db.session() as s:
        ended = mediator("Envoy X", "United Nations", "2024-01-01", "2024-12-31", mandate_area=REGION)
        update_process(s, Editor(), ids["Process one"], ProcessDoc(mediators=[ended]))
    with subset_db.session() as s:
        assert process_detail(s, ids["Process one"], today=TODAY).warnings == []
        assert process_detail(s, ids["Process two"], today=TODAY).warnings == []

    # import from TOML (one database with the cases above, so the test stays short): good entries in, bad ones
    # out with their entry number and reason, nothing duplicated by a second run
    path = tmp_path / "processes.toml"
    path.write_text(PROCESSES_TOML, encoding="utf-8")
    first = import_file(subset_db, "peace-processes", path, "importer")
    assert (first.rows_read, first.inserted, first.rejected) == (3, 1, 2)
    reasons = {r.line: r.reason for r in first.rejections}
    assert "Unknown agreement" in reasons[2] and "PA-X 999999 is not in the agreements memory" in reasons[2]
    assert "Bad mediator" in reasons[3] and "Choose the kind of entry 1 in mediators from: 'un'" in reasons[3]
    again = import_file(subset_db, "peace-processes", path, "importer")
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 1, 2)
    name = "Afghan peace process, 1992-1993"
    with subset_db.session() as s:
        assert s.scalar(select(func.count()).where(PeaceProcess.name == name)) == 1
        by_importer = select(AuditEntry.action).where(
            AuditEntry.entity == "peace_process", AuditEntry.actor == "importer"
        )
        assert sorted(s.scalars(by_importer)) == ["create", "import", "import"]
        imported = process_detail(s, s.scalar(select(PeaceProcess.id).where(PeaceProcess.name == name)), today=TODAY)
    assert [p.phase for p in imported.phases] == ["negotiation", "implementation"]
    assert sorted(a.pax_id for a in imported.agreements) == [409, 482]
    assert imported.parties[0].armed_groups == ["Armed forces"] and imported.ucdp_conflicts == [333]
    assert imported.warnings == []  # one mediator, carried into implementation, agreements on record
