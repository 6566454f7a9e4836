"""Seeding the registry from PA-X: each PA-X peace process (the ``PP`` identifier on its agreements) becomes a
registry entry with its agreements linked and a phase history read from their stages, until people add its
parties, mediators and friends.

Idempotent: an entry is found again by its PA-X process id (``pax_process_id``), or adopted by its name when
someone recorded it by hand first; a second run only links agreements imported since, and leaves everything
people changed as it is.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import system_actor
from peaceops.agreements.catalogue import pax_processes
from peaceops.agreements.shapes import PaxProcess
from peaceops.geography import regions
from peaceops.geography.codes import country_name, un_region
from peaceops.processes.inputs import PhaseDoc, ProcessDoc
from peaceops.processes.models import PeaceProcess
from peaceops.processes.registry import create_process, load, to_doc, update_process
from peaceops.processes.shapes import ProcessSeedReport
from peaceops.store import audit

# The phase an agreement's PA-X stage shows the process in. Renewals (Ren) and the rest keep the phase the
# process was in: renewing a ceasefire does not move a process on.
STAGE_PHASES = {
    "Pre": "pre-negotiation",
    "Cea": "negotiation",
    "SubPar": "negotiation",
    "SubComp": "implementation",
    "Imp": "implementation",
}
FIRST_PHASE = "negotiation"  # when a process's first agreement is a renewal or of another stage
MAX_PLACE = 120  # the registry's country and region columns


def phases_of(process: PaxProcess) -> list[PhaseDoc]:
    """The phase history read from the agreements' stages, in date order, one entry per change."""
    out: list[PhaseDoc] = []
    for agreement in process.agreements:
        if agreement.signed_on is None:
            continue
        phase = STAGE_PHASES.get(agreement.stage or "") or (out[-1].phase if out else FIRST_PHASE)
        if out and out[-1].phase == phase:
            continue
        note = f"PA-X {agreement.pax_id} ({agreement.stage or '?'})"
        out.append(PhaseDoc(phase=phase, started_on=date.fromisoformat(agreement.signed_on), note=note))
    return out or [PhaseDoc(phase=FIRST_PHASE, started_on=date.today(), note="PA-X")]


def place_of(process: PaxProcess) -> tuple[str | None, str | None]:
    """(country, region): the one country its agreements concern, else PA-X's text; the UN M49 sub-region all
    its countries lie in (so the regional rooms find it), else PA-X's region."""
    country = country_name(process.countries[0]) if len(process.countries) == 1 else process.country
    subs = {un_region(iso3) for iso3 in process.countries}
    region = subs.pop() if len(subs) == 1 else None
    if region is None or regions.subregion_code(region) is None:
        region = process.region
    return (
        country if country and len(country) <= MAX_PLACE else None,
        region if region and len(region) <= MAX_PLACE else None,
    )


def _by_name(session: Session, name: str) -> PeaceProcess | None:
    return session.scalar(select(PeaceProcess).where(func.lower(PeaceProcess.name) == name.lower()))


def seed_from_pax(session: Session, actor: str, countries: list[str] | None = None) -> ProcessSeedReport:
    """One registry entry per PA-X process of the agreements memory (those concerning ``countries``, ISO3, when
    given); every entry written through the registry, so each creation and change is audited."""
    who = system_actor(actor)
    wanted = {c.upper() for c in countries} if countries else None
    found = [p for p in pax_processes(session) if wanted is None or wanted & set(p.countries)]
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    for process in found:
        pax_ids = [a.pax_id for a in process.agreements]
        entry = session.scalar(select(PeaceProcess).where(PeaceProcess.pax_process_id == process.pax_process_id))
        if entry is None:
            named = _by_name(session, process.name)
            if named is not None and named.pax_process_id is None:
                entry = named
                entry.pax_process_id = process.pax_process_id
        if entry is not None:
            linked = to_doc(session, load(session, entry.id))["agreements"]
            missing = [i for i in pax_ids if i not in linked]
            if missing:
                update_process(session, who, entry.id, ProcessDoc(agreements=[*linked, *missing]))
            counts["updated" if missing else "unchanged"] += 1
            continue
        name = process.name
        if _by_name(session, name) is not None:  # a namesake seeded from another PA-X process
            name = f"{name} (PA-X {process.pax_process_id})"
        country, region = place_of(process)
        doc = ProcessDoc(
            name=name, conflict=process.name, country=country, region=region, phases=phases_of(process),
            agreements=pax_ids,
        )  # fmt: skip
        created = create_process(session, who, doc)
        created.pax_process_id = process.pax_process_id
        counts["inserted"] += 1
    session.flush()
    report = ProcessSeedReport(pax_processes=len(found), **counts)
    if counts["inserted"] or counts["updated"]:
        audit.record(session, actor, "seed", "peace_process", None, after=report.model_dump())
    return report
