"""Side paths of restricted incident reports (issue 15, findings 1-4): the audit log, the actor menus,
the taxonomy's sensitivity flag and merges never let a restricted report's content reach someone
outside its compartment, and never lift a restriction by accident."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peaceops.access.policy import Actor
from peaceops.errors import PermissionDenied, ValidationFailed
from peaceops.incidents.duplicates import merge
from peaceops.incidents.models import Incident
from peaceops.incidents.reports import IncidentInput, edit_incident, file_incident
from peaceops.incidents.taxonomy import save_category
from peaceops.incidents.verification import transition
from peaceops.incidents.views import filter_options
from peaceops.missions.models import Mission
from peaceops.store.audit import AuditEntry

COMPARTMENT = "incidents:sensitive:minusca"
HOLDER = Actor("reporter", "mission_officer", mission="MINUSCA", compartments=frozenset({COMPARTMENT}))
REPORTER = Actor("verifier", "mission_officer", mission="MINUSCA")  # same mission, no grant
ANALYST = Actor("analyst", "analyst")
ADMIN = Actor("admin-without-grant", "admin")
SECRET_ACTOR = "Unit 7 of the (restricted) armed group"
SECRET_TEXT = "Survivor statement taken at the clinic (restricted)."


def report(**changes) -> IncidentInput:
    base = dict(
        occurred_at="2024-05-01 09:00",
        category="sexual_violence",
        source_type="patrol",
        reliability="B",
        credibility=2,
        longitude=18.5582,
        latitude=4.3612,
        actors=[SECRET_ACTOR],
        extra={"survivors": "2"},
        description=SECRET_TEXT,
    )
    return IncidentInput(**{**base, **changes})


def minusca(session) -> Mission:
    return session.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))


def test_the_audit_log_keeps_field_names_not_the_content_of_a_restricted_report(incident_db):
    with incident_db.session() as s:
        incident = file_incident(s, HOLDER, report())
        edit_incident(s, HOLDER, incident.id, report(description=SECRET_TEXT + " Second interview."))
        everything = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "incident", AuditEntry.entity_id == str(incident.id))
        ).all()
        assert [e.action for e in everything] == ["create", "read", "update"]  # the edit's read is audited too
        for entry in everything:
            stored = repr(entry.before) + repr(entry.after)
            assert SECRET_TEXT not in stored and SECRET_ACTOR not in stored and "18.5582" not in stored
        entries = [e for e in everything if e.action != "read"]
        assert "description" in entries[0].after["fields"]
        assert entries[1].after["fields"] == ["description"]
        assert entries[1].after["compartment"] == COMPARTMENT


def test_a_workflow_note_on_a_restricted_report_stays_out_of_the_audit_log(incident_db):
    second = Actor("second", "mission_officer", mission="MINUSCA", compartments=frozenset({COMPARTMENT}))
    with incident_db.session() as s:
        incident = file_incident(s, HOLDER, report())
        transition(s, HOLDER, incident.id, "submit", "Submitted after the clinic visit.")
        transition(s, second, incident.id, "reject", SECRET_TEXT)
        entries = s.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.entity == "incident",
                AuditEntry.entity_id == str(incident.id),
                AuditEntry.action.in_(("submit", "reject")),
            )
            .order_by(AuditEntry.id)
        ).all()
        assert [e.after for e in entries] == [
            {"status": "submitted", "compartment": COMPARTMENT, "note_given": True},
            {"status": "rejected", "compartment": COMPARTMENT, "note_given": True},
        ]
        assert SECRET_TEXT in s.get(Incident, incident.id).rejection_reason  # the report itself keeps it


def test_an_open_report_is_still_audited_with_its_snapshot(incident_db):
    with incident_db.session() as s:
        incident = file_incident(s, HOLDER, report(category="armed_clash", extra={}, description="Open clash."))
        entry = s.scalar(
            select(AuditEntry).where(AuditEntry.entity == "incident", AuditEntry.entity_id == str(incident.id))
        )
        assert entry.after["description"] == "Open clash."


def test_actor_menus_name_only_actors_of_reports_the_reader_may_open(incident_db):
    with incident_db.session() as s:
        file_incident(s, HOLDER, report(actors=["Menu-only restricted actor"]))
        file_incident(s, HOLDER, report(category="armed_clash", extra={}, actors=["Open actor"]))
        mission = minusca(s)
        for outsider in (REPORTER, ANALYST, ADMIN):
            actors = filter_options(s, outsider, mission)["actors"]
            assert "Open actor" in actors
            assert "Menu-only restricted actor" not in actors, outsider.username
        assert "Menu-only restricted actor" in filter_options(s, HOLDER, mission)["actors"]


def test_only_a_holder_may_mark_a_sensitive_category_as_not_sensitive(incident_db):
    with incident_db.session() as s:
        mission = minusca(s)
        for outsider in (REPORTER, ANALYST):
            with pytest.raises(PermissionDenied):
                save_category(
                    s,
                    mission,
                    outsider,
                    code="sexual_violence",
                    label="Conflict-related sexual violence",
                    sensitive=False,
                )
        s.rollback()


def test_lowering_the_flag_never_unrestricts_filed_reports_and_raising_it_restricts_them(incident_db):
    with incident_db.session() as s:
        mission = minusca(s)
        save_category(s, mission, HOLDER, code="gbv_threat", label="Threats of gender-based violence", sensitive=True)
        filed = file_incident(s, HOLDER, report(category="gbv_threat", extra={}))
        assert filed.compartment == COMPARTMENT
        save_category(s, mission, HOLDER, code="gbv_threat", label="Threats of gender-based violence", sensitive=False)
        # An ordinary later edit keeps the report restricted.
        edit_incident(s, HOLDER, filed.id, report(category="gbv_threat", extra={}, description="Edited."))
        assert s.get(Incident, filed.id).compartment == COMPARTMENT
        later = file_incident(s, HOLDER, report(category="gbv_threat", extra={}, description="Filed while open."))
        assert later.compartment is None
        # Turning the flag back on restricts the report filed while it was off.
        save_category(s, mission, REPORTER, code="gbv_threat", label="Threats of gender-based violence", sensitive=True)
        s.refresh(later)
        assert later.compartment == COMPARTMENT


def test_a_restricted_duplicate_is_never_merged_into_an_open_report(incident_db):
    with incident_db.session() as s:
        mission = minusca(s)
        save_category(s, mission, HOLDER, code="gbv_rumour", label="Rumours of gender-based violence", sensitive=True)
        restricted = file_incident(s, HOLDER, report(category="gbv_rumour", extra={}))
        save_category(s, mission, HOLDER, code="gbv_rumour", label="Rumours of gender-based violence", sensitive=False)
        open_report = file_incident(s, HOLDER, report(category="gbv_rumour", extra={}, description="Open note."))
        with pytest.raises(ValidationFailed, match="stays restricted"):
            merge(s, HOLDER, open_report.id, restricted.id)
        assert SECRET_TEXT not in s.get(Incident, open_report.id).description
        kept = merge(s, HOLDER, restricted.id, open_report.id)
        assert kept.compartment == COMPARTMENT and "Open note." in kept.description
