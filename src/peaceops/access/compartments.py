"""Compartments: confidential records (debriefs, sensitive incidents) readable only by named users.

A compartment is a short name such as ``process:7`` or ``incidents:sexual-violence``. Roles do not open
it: an administrator grants it to a person, the grant is audited, and a record in the compartment is
refused to everyone else by page, API, export and search alike. Administrators read a compartment only
once granted it too, so every reader is on record. The local administrator of ``peaceops serve
--local-admin`` (one person, their own database) holds every compartment.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from peaceops.access.models import CompartmentGrant, User
from peaceops.errors import NotFound, PermissionDenied, ValidationFailed
from peaceops.i18n import _
from peaceops.store import audit

ALL = "*"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,79}$")


def check_name(compartment: str) -> str:
    name = compartment.strip().lower()
    if not _NAME.match(name):
        raise ValidationFailed(
            f"Compartment {compartment!r} is not a usable name: lower-case letters, digits and . _ : - "
            "(at most 80), e.g. 'process:7'."
        )
    return name


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"There is no user named {username!r}.")
    return user


def grant(session: Session, username: str, compartment: str, *, actor: str) -> bool:
    """Give ``username`` the compartment; False when they already had it (nothing written)."""
    name = check_name(compartment)
    user = _user(session, username)
    existing = session.scalar(
        select(CompartmentGrant.id).where(CompartmentGrant.user_id == user.id, CompartmentGrant.compartment == name)
    )
    if existing is not None:
        return False
    session.add(CompartmentGrant(user_id=user.id, compartment=name, granted_by=actor))
    audit.record(session, actor, "grant", "compartment", name, after={"user": user.username})
    return True


def revoke(session: Session, username: str, compartment: str, *, actor: str) -> bool:
    """Take the compartment back; False when the user did not have it."""
    name = check_name(compartment)
    user = _user(session, username)
    result = session.execute(
        delete(CompartmentGrant).where(CompartmentGrant.user_id == user.id, CompartmentGrant.compartment == name)
    )
    gone = result.rowcount if isinstance(result, CursorResult) else 0
    if gone:
        audit.record(session, actor, "revoke", "compartment", name, before={"user": user.username})
    return bool(gone)


def granted(session: Session, user_id: int | None) -> frozenset[str]:
    """The compartments a user holds (none for an unknown user)."""
    if user_id is None:
        return frozenset()
    rows = session.scalars(select(CompartmentGrant.compartment).where(CompartmentGrant.user_id == user_id))
    return frozenset(rows)


def holders(session: Session, compartment: str) -> list[str]:
    """Who may read a compartment, for the record's page ("who can see this")."""
    rows = session.scalars(
        select(User.username)
        .join(CompartmentGrant, CompartmentGrant.user_id == User.id)
        .where(CompartmentGrant.compartment == check_name(compartment))
        .order_by(User.username)
    )
    return list(rows)


def grants_by_user(session: Session) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    query = (
        select(User.username, CompartmentGrant.compartment)
        .join(CompartmentGrant)
        .order_by(CompartmentGrant.compartment)
    )
    for username, name in session.execute(query):
        out.setdefault(username, []).append(name)
    return out


def holds(compartments: frozenset[str], compartment: str) -> bool:
    return ALL in compartments or compartment in compartments


def require(compartments: frozenset[str], compartment: str, what: str) -> None:
    """Refuse a confidential record to someone without its compartment, saying how to get access."""
    if not holds(compartments, compartment):
        message = _(
            "{what} is confidential (compartment {compartment}); an administrator must grant you that compartment "
            "before you can read it."
        )
        raise PermissionDenied(message.format(what=what, compartment=compartment))
