"""Compartments open confidential records to named people only; grants and revocations are audited."""

import pytest
from sqlalchemy import select

from peaceops.access import compartments
from peaceops.access.users import add_user
from peaceops.errors import NotFound, PermissionDenied, ValidationFailed
from peaceops.store.audit import AuditEntry


def test_grant_and_revoke_are_idempotent_and_audited(db):
    with db.session() as s:
        user = add_user(s, "amina", "correct horse battery", "admin")
        user_id = user.id
        assert compartments.grant(s, "amina", "Process:7", actor="boss") is True
        assert compartments.grant(s, "amina", "process:7", actor="boss") is False
    with db.session() as s:
        assert compartments.granted(s, user_id) == {"process:7"}
        assert compartments.holders(s, "process:7") == ["amina"]
        assert compartments.revoke(s, "amina", "process:7", actor="boss") is True
        assert compartments.revoke(s, "amina", "process:7", actor="boss") is False
    with db.session() as s:
        assert compartments.granted(s, user_id) == frozenset()
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "compartment").order_by(AuditEntry.id))
        assert [(e.action, e.entity_id, e.actor) for e in entries] == [
            ("grant", "process:7", "boss"),
            ("revoke", "process:7", "boss"),
        ]


def test_a_role_alone_does_not_open_a_compartment():
    with pytest.raises(PermissionDenied, match="compartment process:7"):
        compartments.require(frozenset({"process:8"}), "process:7", "This debrief")
    compartments.require(frozenset({"process:7"}), "process:7", "This debrief")
    compartments.require(frozenset({compartments.ALL}), "process:7", "This debrief")


def test_bad_names_and_unknown_users_are_refused(db):
    with db.session() as s, pytest.raises(ValidationFailed, match="not a usable name"):
        compartments.grant(s, "nobody", "has space", actor="boss")
    with db.session() as s, pytest.raises(NotFound, match="no user named"):
        compartments.grant(s, "nobody", "process:1", actor="boss")
