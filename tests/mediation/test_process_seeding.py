"""The process registry seeded from the PA-X process identifiers (``PP``) on the agreements of the memory: one
entry per PA-X process with its agreements and a phase history read from their stages; idempotent, adopting an
entry recorded by hand under the same name, and linking agreements imported since (decision 042).

Runs on the real PA-X subset of tests/mediation/agreement_subset.py (19 PA-X processes)."""

from __future__ import annotations

from sqlalchemy import func, select

from peaceops.access.policy import Actor
from peaceops.platform import seed_processes
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.models import PeaceProcess
from peaceops.processes.registry import create_process, process_detail, update_process
from peaceops.store.audit import AuditEntry

ANALYST = Actor("seeding-analyst", "analyst")


def _by_pax(session, pax_process_id: int) -> int:
    return session.scalar(select(PeaceProcess.id).where(PeaceProcess.pax_process_id == pax_process_id))


def _audit(session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_the_registry_is_seeded_from_pax_process_ids_once_adopting_and_completing_what_is_there(subset_db):
    db = subset_db
    with db.session() as s:  # someone recorded the Uganda process by hand before the seeding
        create_process(s, ANALYST, ProcessDoc(name="uganda peace process", conflict="LRA", phase="negotiation"))

    first = seed_processes(db, "seed-test")
    assert (first.pax_processes, first.inserted, first.updated, first.unchanged) == (19, 18, 1, 0)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PeaceProcess)) == 19, "adopted, not duplicated"
        afghanistan = process_detail(s, _by_pax(s, 1))
        colombia = process_detail(s, _by_pax(s, 97))
        falklands = process_detail(s, _by_pax(s, 7))
        bougainville = process_detail(s, _by_pax(s, 9))
        uganda = process_detail(s, _by_pax(s, 120))
        audited = _audit(s)
    assert (afghanistan.name, afghanistan.conflict) == ("Afghanistan: 1990s Taliban process",) * 2
    assert [a.pax_id for a in afghanistan.agreements] == [482, 409], "oldest first"
    assert [(p.phase, p.started_on) for p in afghanistan.phases] == [("negotiation", "1992-04-24")]
    assert (afghanistan.country, afghanistan.region) == ("Afghanistan", "Southern Asia"), "the M49 sub-region"
    assert [(p.phase, p.started_on) for p in colombia.phases] == [("implementation", "1990-03-09")], "SubComp"
    assert [p.phase for p in bougainville.phases] == ["pre-negotiation"]
    assert (falklands.country, falklands.region) == ("Argentina/United Kingdom", "Cross-regional")
    assert (uganda.name, uganda.conflict, uganda.pax_process_id) == ("uganda peace process", "LRA", 120)
    assert [a.pax_id for a in uganda.agreements] == [694]

    # a second run changes nothing and writes nothing
    again = seed_processes(db, "seed-test")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 19)
    with db.session() as s:
        assert _audit(s) == audited

    # an agreement the registry does not link yet (imported since, say) is linked on the next run, and what
    # people changed stays as they left it
    with db.session() as s:
        update_process(s, ANALYST, _by_pax(s, 1), ProcessDoc(agreements=[482], description="Kept as written."))
    third = seed_processes(db, "seed-test")
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 18)
    with db.session() as s:
        again_afghanistan = process_detail(s, _by_pax(s, 1))
        seeds = s.scalars(select(AuditEntry).where(AuditEntry.action == "seed")).all()
    assert [a.pax_id for a in again_afghanistan.agreements] == [482, 409]
    assert again_afghanistan.description == "Kept as written."
    assert [e.after["inserted"] for e in seeds] == [18, 0], "one summary per run that wrote something"
