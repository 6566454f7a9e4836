"""What the threat-area tests share besides fixtures: two missions in Middle Africa, the readers the access
policy tells apart, and small incidents and alerts written through the domains' own functions (a module with
its own name: ``conftest`` is ambiguous when several test folders are collected together)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from peaceops.access.policy import Actor
from peaceops.conflict.models import ConflictAlert, ForecastRun
from peaceops.incidents.access import sensitive_compartment
from peaceops.incidents.reports import IncidentInput, file_incident
from peaceops.incidents.taxonomy import ensure_taxonomy
from peaceops.missions.models import Mission

MISSION_A = "MINUSCA"  # Central African Republic (M49 017, Middle Africa)
MISSION_B = "MONUSCO"  # Democratic Republic of the Congo (also 017)
CAF_GW, COD_GW = 482, 490
SENSITIVE_A = sensitive_compartment(MISSION_A)

ANALYST = Actor("analyst", "analyst")
VIEWER = Actor("viewer", "viewer")
OFFICER_A = Actor("officer-a", "mission_officer", mission=MISSION_A)  # mission A, no compartment
HOLDER = Actor("holder", "mission_officer", mission=MISSION_A, compartments=frozenset({SENSITIVE_A}))
OFFICER_B = Actor("officer-b", "mission_officer", mission=MISSION_B)
# name -> (role, mission, compartments): the accounts of the web tests
ACCOUNTS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "analyst": ("analyst", None, ()),
    "viewer": ("viewer", None, ()),
    "officer-a": ("mission_officer", MISSION_A, ()),
    "holder": ("mission_officer", MISSION_A, (SENSITIVE_A,)),
    "officer-b": ("mission_officer", MISSION_B, ()),
}
PASSWORD = "threat areas password, long enough"
EVIDENCE = {"risk": 0.6, "risk_before": 0.4, "expected_next_3": 30.0, "observed": [], "forecast": [],
            "neighbours": [], "events": []}  # fmt: skip


def add_missions(session: Session) -> None:
    session.add(Mission(acronym=MISSION_A, name="MINUSCA", start_date=date(2014, 4, 10), host_iso3="CAF",
                        active=True, hq_longitude=18.56, hq_latitude=4.36))  # fmt: skip
    session.add(Mission(acronym=MISSION_B, name="MONUSCO", start_date=date(2010, 7, 1), host_iso3="COD",
                        active=True, hq_longitude=15.3, hq_latitude=-4.3))  # fmt: skip
    session.flush()
    for mission in session.query(Mission):
        ensure_taxonomy(session, mission)


def report(
    ref: str, category: str = "armed_clash", threat_areas: list[str] | str | None = None, **more: Any
) -> IncidentInput:
    """A valid report of mission A (MINUSCA), at Bangui."""
    values: dict[str, Any] = dict(
        occurred_at=datetime(2024, 5, 1, 9, 0), category=category, source_type="patrol", reliability="B",
        credibility=2, mission=MISSION_A, longitude=18.5582, latitude=4.3612, external_ref=ref,
        extra={"survivors": "1"} if category == "sexual_violence" else {}, threat_areas=threat_areas,
    )  # fmt: skip
    return IncidentInput(**(values | more))


def file(session: Session, who: Actor, data: IncidentInput) -> int:
    return int(file_incident(session, who, data).id)


def alert(session: Session, country_gw: int = CAF_GW, kind: str = "escalation", status: str = "new") -> int:
    """A stored alert on a country (with the forecast run it needs): alerts come from monitoring runs."""
    run = ForecastRun(level="cm", cutoff=date(2024, 4, 1), horizon=3, model_version="test", data_version="t",
                      config_hash=f"h{country_gw}{kind}", config={}, units=1, seconds=0.0, actor="test")  # fmt: skip
    session.add(run)
    session.flush()
    row = ConflictAlert(kind=kind, level="cm", unit_id=country_gw, country_gw=country_gw, run_id=run.id,
                        cutoff=date(2024, 4, 1), risk=0.6, risk_before=0.4, evidence=EVIDENCE, summary="Test alert.",
                        status=status, note="", updated_by="test")  # fmt: skip
    session.add(row)
    session.flush()
    return int(row.id)


def count(counts: list[dict[str, Any]], code: str) -> int:
    """One area's count in a counts list (framework.threat_areas.counts_out)."""
    return next(int(c["count"]) for c in counts if c["code"] == code)
