"""Serious incidents against peacekeepers: the accountability workflow, its audit trail and the A4P+ share,
on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from accountability_support import load
from sqlalchemy import select

from peaceops.errors import NotFound, PermissionDenied, ValidationFailed
from peaceops.safety import (
    SeriousIncidentInput,
    accountability_summary,
    change_status,
    incident_detail,
    list_incidents,
    record_incident,
)
from peaceops.store.audit import AuditEntry


@dataclass(frozen=True)
class Person:
    username: str
    role: str
    mission: str | None = None


ANALYST = Person("ana", "analyst")
OFFICER = Person("oscar", "mission_officer", "MINUSMA")
VIEWER = Person("vera", "viewer")


def attack(mission: str = "MINUSMA", **changes) -> SeriousIncidentInput:
    fields = {
        "mission": mission,
        "occurred_on": date(2023, 3, 2),
        "location": "Convoy route north of Gao",
        "incident_type": "Improvised explosive device or mine",
        "fatalities": 2,
        "injured": 4,
    }
    return SeriousIncidentInput(**{**fields, **changes})


@pytest.fixture
def missions_db(db, data_dir):
    return load(db, data_dir, "missions")


def test_a_case_moves_through_the_stages_and_every_step_is_audited_with_its_actor(missions_db):
    db = missions_db
    with db.session() as s:
        incident_id = record_incident(s, OFFICER, attack()).id
    with db.session() as s:
        change_status(s, OFFICER, incident_id, "case_opened", date(2023, 4, 1), "Prosecutor in Gao opened a case")
        change_status(s, ANALYST, incident_id, "arrested", date(2023, 9, 12))
    with db.session() as s:
        detail = incident_detail(s, ANALYST, incident_id)
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "safety_incident").order_by(AuditEntry.id)
        ).all()
    assert [h.to_status for h in detail.history] == ["reported", "case_opened", "arrested"]
    assert [h.actor for h in detail.history] == ["oscar", "oscar", "ana"]
    assert detail.status == "arrested" and detail.furthest_stage == "arrested" and detail.judicial_follow_up
    assert [(a.action, a.actor) for a in audit] == [("create", "oscar"), ("status", "oscar"), ("status", "ana")]
    assert audit[2].before["status"] == "case_opened" and audit[2].after["status"] == "arrested"
    assert audit[2].after["status_since"] == "2023-09-12"


def test_moving_back_needs_a_note_and_closing_needs_an_opened_case(missions_db):
    db = missions_db
    with db.session() as s:
        incident_id = record_incident(s, ANALYST, attack()).id
        with pytest.raises(ValidationFailed, match="Only a case that was opened can be closed"):
            change_status(s, ANALYST, incident_id, "closed", date(2023, 5, 1))
    with db.session() as s:
        change_status(s, ANALYST, incident_id, "tried", date(2023, 5, 1))
        with pytest.raises(ValidationFailed, match="say why in the note"):
            change_status(s, ANALYST, incident_id, "arrested", date(2023, 5, 2))
        with pytest.raises(ValidationFailed, match="already at tried"):
            change_status(s, ANALYST, incident_id, "tried", date(2023, 5, 2))
        with pytest.raises(ValidationFailed, match="before the incident happened"):
            change_status(s, ANALYST, incident_id, "convicted", date(2023, 1, 1))
        with pytest.raises(ValidationFailed, match="in the future"):
            change_status(s, ANALYST, incident_id, "convicted", date.today() + timedelta(days=1))
    with db.session() as s:
        change_status(s, ANALYST, incident_id, "closed", date(2023, 6, 1), "Acquitted for lack of evidence")
    with db.session() as s:
        detail = incident_detail(s, ANALYST, incident_id)
    assert (detail.status, detail.furthest_stage) == ("closed", "tried"), "a closed case keeps its stage"


def test_share_with_judicial_follow_up_counts_cases_opened(missions_db):
    db = missions_db
    with db.session() as s:
        ids = [record_incident(s, ANALYST, attack(location=f"Place {i}")).id for i in range(4)]
        record_incident(s, ANALYST, attack("UNMISS", location="Bor"))
    with db.session() as s:
        change_status(s, ANALYST, ids[0], "convicted", date(2024, 1, 10))
        change_status(s, ANALYST, ids[1], "case_opened", date(2023, 4, 1))
        change_status(s, ANALYST, ids[2], "suspects_identified", date(2023, 4, 1))
        change_status(s, ANALYST, ids[2], "closed", date(2023, 8, 1), "Suspects released")
    with db.session() as s:
        minusma = accountability_summary(s, mission="MINUSMA")
        everywhere = accountability_summary(s)
        in_2022 = accountability_summary(s, year=2022)
    assert (minusma.total, minusma.judicial_follow_up, minusma.judicial_follow_up_share) == (4, 3, 0.75)
    reached = {row.stage: row.reached for row in minusma.stages}
    assert reached == {
        "reported": 4,
        "case_opened": 3,
        "suspects_identified": 2,
        "arrested": 1,
        "tried": 1,
        "convicted": 1,
    }
    assert (everywhere.total, everywhere.judicial_follow_up_share) == (5, 0.6)
    assert everywhere.fatalities == 10 and in_2022.total == 0 and in_2022.judicial_follow_up_share is None


def test_mission_officers_work_on_their_mission_only_and_viewers_see_no_records(missions_db):
    db = missions_db
    with db.session() as s:
        theirs = record_incident(s, OFFICER, attack()).id
        other = record_incident(s, ANALYST, attack("UNMISS", location="Bor")).id
        with pytest.raises(PermissionDenied, match="outside your scope"):
            record_incident(s, OFFICER, attack("UNMISS"))
    with db.session() as s:
        assert [i.id for i in list_incidents(s, OFFICER)] == [theirs]
        assert {i.id for i in list_incidents(s, ANALYST)} == {theirs, other}
        with pytest.raises(PermissionDenied, match="outside your scope"):
            incident_detail(s, OFFICER, other)
        with pytest.raises(PermissionDenied, match="outside your scope"):
            change_status(s, OFFICER, other, "case_opened", date(2023, 4, 1))
        with pytest.raises(PermissionDenied, match="aggregate figures only"):
            list_incidents(s, VIEWER)
        with pytest.raises(PermissionDenied, match="aggregate figures only"):
            record_incident(s, VIEWER, attack())
        assert accountability_summary(s).total == 2, "the aggregate is open to everyone"
        with pytest.raises(NotFound):
            incident_detail(s, ANALYST, 999_999)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"occurred_on": date.today() + timedelta(days=2)}, "in the future"),
        ({"location": "  "}, "place of the incident"),
        ({"incident_type": "Riot"}, "is not one of"),
        ({"fatalities": -1}, "0 or more"),
        ({"mission": "MINUSXX"}, "not in the missions register"),
    ],
)
def test_an_incident_with_a_bad_field_is_refused_with_the_reason(missions_db, changes, message):
    with missions_db.session() as s, pytest.raises((ValidationFailed, NotFound), match=message):
        record_incident(s, ANALYST, attack(**changes))
