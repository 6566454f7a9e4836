import pytest
from sqlalchemy import select

from peaceops.access.models import User
from peaceops.access.users import add_user, authenticate, ensure_demo_admin
from peaceops.errors import NotFound, ValidationFailed
from peaceops.store.audit import AuditEntry


def test_added_user_logs_in_with_an_argon2_hash_and_is_audited(db):
    with db.session() as s:
        add_user(s, "amina", "correct horse battery", "analyst", actor="tester")
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == "amina"))
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash
        assert authenticate(s, "amina", "correct horse battery").id == user.id
        assert authenticate(s, "amina", "wrong password!!") is None
        assert authenticate(s, "nobody", "correct horse battery") is None
        entry = s.scalar(select(AuditEntry).where(AuditEntry.entity == "user"))
        assert (entry.actor, entry.action, entry.after["role"]) == ("tester", "create", "analyst")
        assert "password" not in str(entry.after)


@pytest.mark.parametrize(
    ("name", "password", "role", "mission", "error"),
    [
        ("bob", "short", "viewer", None, ValidationFailed),
        ("bob", "long enough pw", "general", None, ValidationFailed),
        ("bob smith", "long enough pw", "viewer", None, ValidationFailed),
        ("bob", "long enough pw", "mission_officer", None, ValidationFailed),
        ("bob", "long enough pw", "mission_officer", "UNXYZ", NotFound),
        ("bob", "long enough pw", "viewer", "UNXYZ", ValidationFailed),
    ],
)
def test_add_user_refuses_bad_input(db, name, password, role, mission, error):
    with db.session() as s, pytest.raises(error):
        add_user(s, name, password, role, mission=mission)


def test_inactive_users_cannot_log_in_and_names_are_unique(db):
    with db.session() as s:
        add_user(s, "kofi", "long enough pw", "viewer")
    with db.session() as s, pytest.raises(ValidationFailed, match="already exists"):
        add_user(s, "kofi", "another long pw", "viewer")
    with db.session() as s:
        s.scalar(select(User).where(User.username == "kofi")).active = False
    with db.session() as s:
        assert authenticate(s, "kofi", "long enough pw") is None


def test_demo_admin_is_created_once_with_a_generated_password(db):
    with db.session() as s:
        name, password = ensure_demo_admin(s)
    with db.session() as s:
        assert ensure_demo_admin(s) is None
        assert authenticate(s, name, password).role == "admin"
    other = None
    with db.session() as s:
        s.delete(s.scalar(select(User).where(User.username == name)))
    with db.session() as s:
        other = ensure_demo_admin(s)
    assert other[1] != password
