"""Creating users and checking passwords (argon2id); mission officers are scoped to one mission, partner
accounts to their organisation."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.models import SecondFactor, User
from peaceops.access.policy import PARTNER, ROLES
from peaceops.errors import NotFound, ValidationFailed
from peaceops.missions.models import Mission
from peaceops.store import audit

_hasher = PasswordHasher()
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def add_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    *,
    mission: str | None = None,
    organisation: str | None = None,
    actor: str = "system",
) -> User:
    """Create a user; a mission officer must be given the mission they work in, a partner account the
    organisation whose helpdesk requests it files and follows."""
    username = username.strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise ValidationFailed("A user name must be 1-80 characters without spaces.")
    if role not in ROLES:
        raise ValidationFailed(f"Role {role!r} is not one of {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"The password must be at least {MIN_PASSWORD} characters long.")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise ValidationFailed(f"A user named {username!r} already exists.")
    mission_id = None
    if role == "mission_officer":
        if not mission:
            raise ValidationFailed("A mission officer needs a mission: pass --mission ACRONYM.")
        found = session.scalar(select(Mission).where(Mission.acronym == mission.upper()))
        if found is None:
            raise NotFound(f"Mission {mission!r} is not in the missions register.")
        mission_id = found.id
    elif mission:
        raise ValidationFailed("Only mission officers are scoped to a mission; leave --mission out.")
    organisation = " ".join((organisation or "").split()) or None
    if role == PARTNER and not organisation:
        raise ValidationFailed(
            "A partner account needs its organisation (e.g. 'African Union Mediation Support Unit'): pass "
            "--organisation NAME."
        )
    if role != PARTNER and organisation:
        raise ValidationFailed("Only partner accounts belong to an organisation; leave --organisation out.")
    if organisation and len(organisation) > 200:
        raise ValidationFailed("An organisation's name must be at most 200 characters.")
    user = User(
        username=username, password_hash=hash_password(password), role=role, mission_id=mission_id,
        organisation=organisation,
    )  # fmt: skip
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "user",
        user.id,
        after={"username": username, "role": role, "mission": mission}
        | ({"organisation": organisation} if organisation else {}),
    )
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None; rehashes when argon2 parameters changed.

    The right password is not yet a sign-in (a second factor may follow): ``sessions.start`` stamps
    ``last_login_at``."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        _hasher.hash(password)  # same work either way, so timing does not reveal which names exist
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def ensure_demo_admin(session: Session) -> tuple[str, str] | None:
    """Create the demo administrator once; returns (name, password) only when it was just created."""
    if session.scalar(select(User).where(User.username == "demo-admin")) is not None:
        return None
    password = generate_password()
    add_user(session, "demo-admin", password, "admin", actor="peaceops demo")
    return "demo-admin", password


def list_users(session: Session) -> list[dict[str, object]]:
    """Every account with its role, mission scope, last login and whether it has a second factor on (never
    the password hash or the secret)."""
    missions = dict(session.execute(select(Mission.id, Mission.acronym)).all())
    with_factor = set(session.scalars(select(SecondFactor.user_id).where(SecondFactor.confirmed_at.is_not(None))))
    return [
        {
            "id": user.id,
            "username": user.username,
            "role": user.role,
            "mission": missions.get(user.mission_id) if user.mission_id else None,
            "organisation": user.organisation,
            "active": user.active,
            "created_at": user.created_at.isoformat(timespec="seconds"),
            "last_login_at": user.last_login_at.isoformat(timespec="seconds") if user.last_login_at else None,
            "second_factor": user.id in with_factor,
        }
        for user in session.scalars(select(User).order_by(User.username))
    ]
