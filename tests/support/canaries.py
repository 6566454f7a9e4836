"""Confidential canary records for the access matrix (tests/access/test_route_matrix.py).

Each protected resource kind is seeded through the domain functions, with a greppable marker in every
free-text field: ``CANARY<KIND><FIELD>``. A marker anywhere in an answer (page, JSON, CSV, GeoJSON, XLSX,
PDF text, headers) says which kind of record leaked. Every text field also holds the word ``PROBE``, the
word the matrix searches for, so a search or a snippet that reaches a record shows its marker without the
marker ever being sent in a request.

Kinds, and who the seeded design lets read them (the matrix asks ``peaceops.access`` for the same answer):

- ``DEBRIEF``: a mediation debrief, in its process's compartment: the compartment holder only.
- ``RESTRICTED``: a sexual-violence incident report of mission A (compartment ``incidents:sensitive:<a>``):
  the holder only (analysts and administrators read every mission, but not the compartment).
- ``CONDUCT``: an allegation of sexual exploitation and abuse in mission A: analysts, administrators and
  mission A's officers.
- ``OTHERMISSION``: mission A's open records (an open incident report, a serious incident against
  peacekeepers): analysts, administrators and mission A's officers, never mission B's.

Users: a viewer, an analyst, a mission officer of mission B, an administrator without any grant, a partner
account (a regional organisation's mediation unit: its own helpdesk requests and nothing else), and the holder:
a mission officer of mission A holding the debrief's and the sensitive incidents' compartments.

Threat areas (decision 046): the restricted report and the open one are both tagged ``THREAT_AREA``, so a
count of that area (incident list, mission and regional views) must say how many of the two the reader may
open; the matrix probes every ``?threat_area=`` with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import select

from peaceops.access import compartments
from peaceops.access.models import User
from peaceops.access.policy import Actor
from peaceops.access.users import hash_password
from peaceops.conduct.models import Allegation
from peaceops.incidents import verification
from peaceops.incidents.access import sensitive_compartment
from peaceops.incidents.reports import IncidentInput, edit_incident, file_incident
from peaceops.incidents.taxonomy import ensure_taxonomy
from peaceops.missions.models import Mission
from peaceops.performance.frameworks import create_framework
from peaceops.platform import import_file
from peaceops.processes import debriefs
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process
from peaceops.safety.serious_incidents import SeriousIncidentInput, record_incident
from peaceops.store import Database

PASSWORD = "matrix password, long enough"
MISSION_A = "MINUSCA"  # the records' mission
MISSION_B = "MONUSCO"  # the outsider officer's mission
PROBE = "quincetallow"  # in every canary text field; what the matrix searches and filters for
THREAT_AREA = "organised_crime"  # the canary reports' shared threat area (the open one is also terrorism)
KINDS = ("DEBRIEF", "RESTRICTED", "CONDUCT", "OTHERMISSION")
MARKER = re.compile(r"CANARY(" + "|".join(KINDS) + r")[A-Z0-9]*", re.IGNORECASE)
# name -> (role, mission)
USERS: dict[str, tuple[str, str | None]] = {
    "viewer": ("viewer", None),
    "analyst": ("analyst", None),
    "officer-b": ("mission_officer", MISSION_B),
    "admin": ("admin", None),
    "partner": ("partner", None),
    "holder": ("mission_officer", MISSION_A),
}
PARTNER_ORGANISATION = "Matrix regional mediation unit"  # the partner account's organisation
WHEN = datetime(2024, 5, 1, 9, 0)


def text(kind: str, part: str) -> str:
    """A field's canary text: the marker, then the search word."""
    assert kind in KINDS
    return f"CANARY{kind}{part} {PROBE}"


@dataclass
class Seeded:
    """The ids of the canary records and of the accounts."""

    process_id: int
    debrief_id: int
    restricted_id: int
    open_id: int
    safety_id: int
    allegation_id: int
    conduct_run_id: int
    users: dict[str, int] = field(default_factory=dict)  # account name -> user id
    restricted_actor: str = text("RESTRICTED", "ACTOR")  # the restricted report's actor, for the actor filter
    indicator_code: str | None = None
    result_code: str | None = None
    commitment_id: int | None = None


def _officer_a(name: str, grants: frozenset[str]) -> Actor:
    return Actor(name, "mission_officer", mission=MISSION_A, compartments=grants)


def _report(kind: str, category: str, extra: dict[str, Any], longitude: float) -> IncidentInput:
    areas = [THREAT_AREA] if kind == "RESTRICTED" else [THREAT_AREA, "terrorism"]
    return IncidentInput(
        threat_areas=areas,
        occurred_at=WHEN,
        category=category,
        source_type="patrol",
        reliability="B",
        credibility=2,
        mission=MISSION_A,
        longitude=longitude,
        latitude=4.3612,
        place=text(kind, "PLACE"),
        actors=[text(kind, "ACTOR")],
        casualties={"civilians_injured": 1},
        extra=extra,
        description=text(kind, "DESCRIPTION") + " Statement taken at the clinic.",
        external_ref=f"CANARY{kind}REF",
    )


def _published(session: Any, reporter: Actor, verifier: Actor, incident_id: int, kind: str) -> None:
    """Submitted, verified by another officer and published, with a note at each step."""
    verification.transition(session, reporter, incident_id, "submit", text(kind, "SUBMITNOTE"))
    verification.transition(session, verifier, incident_id, "verify", text(kind, "VERIFYNOTE"))
    verification.transition(session, verifier, incident_id, "publish", text(kind, "PUBLISHNOTE"))


def _allegations_workbook(path: Path) -> Path:
    """The UN table of allegations' layout (sheet "Export") with one allegation in mission A whose case
    fields are canaries. The investigating entity and the final actions are aggregate dimensions open to
    every role (``conduct.analysis``), so they hold ordinary values."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Export"
    row = {
        "Date": "3/2024",
        "Mission": MISSION_A,
        "Personnel Type": f"Military ({text('CONDUCT', 'PERSONNEL')}),2",
        "Nationality": "Bangladesh",
        "Allegation": f"SA ({text('CONDUCT', 'TYPE')})",
        "Investigation (days)": "UN OIOS (Pending)",
        "Result": f"Pending ({text('CONDUCT', 'RESULT')}) (1)",
        "Date of incident": "February / 2024",
        "Victim": "Adult (1)",
        "Paternity claim": "No",
        "Paternity established": "N/A",
        "NIO appointed": "Yes",
        "Interim Action": f"UN {text('CONDUCT', 'INTERIM')} (1)",
        "Final Action": "",
        "Referral for criminal accountability": "Pending",
    }
    sheet.append(list(row))
    sheet.append(list(row.values()))
    book.save(path)
    return path


def seed(db: Database, data_dir: Path, folder: Path) -> Seeded:
    """Fill ``db`` (migrated and prepared, nothing else) with the missions register, the users and the canaries."""
    import_file(db, "missions", data_dir / "un_peacekeeping" / "missions" / "DPPADPOSS-PKO.csv", "test")
    conduct = import_file(db, "allegations", _allegations_workbook(folder / "allegations.xlsx"), "test")
    password_hash = hash_password(PASSWORD)  # argon2 is slow on purpose: once for every account
    analyst = Actor("seed-analyst", "analyst")
    with db.session() as s:
        missions = {m.acronym: m for m in s.scalars(select(Mission).where(Mission.acronym.in_([MISSION_A, MISSION_B])))}
        users = {}
        for name, (role, mission) in USERS.items():
            mission_id = missions[mission].id if mission else None
            organisation = PARTNER_ORGANISATION if role == "partner" else None
            user = User(username=name, password_hash=password_hash, role=role, mission_id=mission_id,
                        organisation=organisation)  # fmt: skip
            s.add(user)
            s.flush()
            users[name] = user.id
        for mission in missions.values():  # as after each mission's first visit to its incident pages
            ensure_taxonomy(s, mission)

        process = create_process(
            s,
            analyst,
            ProcessDoc(name="Matrix peace process", conflict="Matrix conflict", phase="negotiation"),
            today=date(2024, 1, 1),
        )
        debrief_compartment = debriefs.compartment_of(process.id)
        restricted_compartment = sensitive_compartment(MISSION_A)
        for compartment in (debrief_compartment, restricted_compartment):
            compartments.grant(s, "holder", compartment, actor="seed-admin")
        grants = frozenset({debrief_compartment, restricted_compartment})
        holder = _officer_a("holder", grants)
        second = _officer_a("seed-verifier", grants)  # four eyes: another officer verifies

        debrief = debriefs.create_debrief(
            s,
            holder,
            process.id,
            debriefs.DebriefDoc(
                author=text("DEBRIEF", "AUTHOR"),
                period_start=date(2023, 1, 1),
                period_end=date(2024, 3, 31),
                what_worked=text("DEBRIEF", "WORKED"),
                tacit_understandings=text("DEBRIEF", "TACIT"),
                open_issues=text("DEBRIEF", "OPEN"),
                contacts=text("DEBRIEF", "CONTACTS"),
            ),
        )

        restricted = file_incident(
            s, holder, _report("RESTRICTED", "sexual_violence", {"survivors": "2"}, longitude=18.5582)
        )
        assert restricted.compartment == restricted_compartment
        _published(s, holder, second, restricted.id, "RESTRICTED")
        edit_incident(
            s,
            holder,
            restricted.id,
            _report("RESTRICTED", "sexual_violence", {"survivors": "3"}, longitude=18.5582),
            reason=text("RESTRICTED", "EDITREASON"),
        )

        opened = file_incident(s, holder, _report("OTHERMISSION", "armed_clash", {}, longitude=18.6))
        assert opened.compartment is None
        _published(s, holder, second, opened.id, "OTHERMISSION")

        safety = record_incident(
            s,
            holder,
            SeriousIncidentInput(
                mission=MISSION_A,
                occurred_on=date(2024, 4, 2),
                location=text("OTHERMISSION", "LOCATION"),
                incident_type="Ambush",
                description=text("OTHERMISSION", "SAFETY"),
                fatalities=1,
                injured=2,
                reference="CANARYOTHERMISSIONSAFETYREF",
            ),
        )

        framework = create_framework(s, missions[MISSION_A], Actor("seed-admin", "admin"))
        allegation_id = s.scalar(select(Allegation.id).where(Allegation.mission_acronym == MISSION_A))
        assert allegation_id is not None
        seeded = Seeded(
            process_id=process.id,
            debrief_id=debrief.id,
            restricted_id=restricted.id,
            open_id=opened.id,
            safety_id=safety.id,
            allegation_id=allegation_id,
            conduct_run_id=conduct.run_id,
            users=users,
        )
        _performance_codes(s, framework.id, seeded)
        seeded.commitment_id = _commitment(s, process.id, debrief.id, restricted.id)
    return seeded


def _commitment(session: Any, process_id: int, debrief_id: int, restricted_id: int) -> int:
    """An open commitment linked to the debrief and the restricted report: its page may name them only to
    those who may read them."""
    from peaceops.agreements.models import Agreement
    from peaceops.commitments.models import Commitment, CommitmentLink

    agreement = Agreement(source="pax", pax_id=999_001, title="Matrix agreement", country="Central African Republic")
    session.add(agreement)
    session.flush()
    commitment = Commitment(
        agreement_id=agreement.id, ref="Matrix-1", text="Ceasefire monitoring", process_id=process_id, created_by="seed"
    )
    session.add(commitment)
    session.flush()
    session.add_all(
        [
            CommitmentLink(commitment_id=commitment.id, kind="debrief", target_id=debrief_id),
            CommitmentLink(commitment_id=commitment.id, kind="incident", target_id=restricted_id),
        ]
    )
    session.flush()
    return int(commitment.id)


def _performance_codes(session: Any, framework_id: int, seeded: Seeded) -> None:
    from peaceops.performance.models import Indicator, Result

    seeded.indicator_code = session.scalar(
        select(Indicator.code).where(Indicator.framework_id == framework_id).order_by(Indicator.id).limit(1)
    )
    seeded.result_code = session.scalar(
        select(Result.code).where(Result.framework_id == framework_id).order_by(Result.id).limit(1)
    )
