"""An optional second factor at sign-in: TOTP codes (RFC 6238) from an authenticator app, and one-time
recovery codes for when the phone is lost (decision 024).

Enrolment stores a fresh secret that is not yet on (``begin``); one valid code switches it on
(``confirm``), so a mistyped or badly scanned secret never locks anyone out, and ten recovery codes are
handed out once and kept as SHA-256 only. A code is accepted within one 30-second step either side of
the server's clock (phones drift) and only for a later step than the last one accepted, so a code seen
over a shoulder or in a log cannot be used again. Whether someone *must* have a second factor is the
policy's question (``policy.must_use_second_factor``); ``required`` asks it for a stored user.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from peaceops.access import compartments, sessions
from peaceops.access._totp import (
    is_recovery_code,
    matching_step,
    new_recovery_code,
    new_secret,
    provisioning_uri,
    recovery_hash,
)
from peaceops.access.models import RecoveryCode, SecondFactor, User
from peaceops.access.policy import Actor, must_use_second_factor
from peaceops.errors import NotFound, PermissionDenied, ValidationFailed
from peaceops.i18n import N_
from peaceops.store import audit
from peaceops.store.base import utcnow

__all__ = [
    "Check",
    "Enrolment",
    "Status",
    "begin",
    "check",
    "clock",
    "confirm",
    "enabled",
    "is_recovery_code",
    "matching_step",
    "new_recovery_codes",
    "pending",
    "required",
    "required_user_ids",
    "reset",
    "reset_by_name",
    "status",
    "turn_off",
]

RECOVERY_CODES = 10
TOTP = "totp"
RECOVERY = "recovery"
WRONG_CODE = N_(  # translated where shown (web/auth/second_step.py, web/account/routes.py)
    "That code is not right, or it was already used. Enter the code your authenticator app shows now "
    "(or one of your recovery codes)."
)
NO_SECOND_FACTOR = N_("There is no second factor on this account. Set one up first from your account page.")


def clock() -> float:
    """The time codes are checked against (seconds since the epoch); tests replace it with a fixed one."""
    return time.time()


@dataclass(frozen=True)
class Enrolment:
    """A secret waiting to be confirmed, and the otpauth:// URI an authenticator app scans."""

    secret: str
    uri: str


@dataclass(frozen=True)
class Status:
    """What the account page shows: on or not, since when, recovery codes left, enrolment begun."""

    enabled: bool
    since: datetime | None
    recovery_codes_left: int
    pending: bool


@dataclass(frozen=True)
class Check:
    """The outcome of checking a code: the kind tried (``totp`` or ``recovery``), and why it failed."""

    factor: str
    accepted: bool
    reason: str | None = None


def _replace_recovery_codes(session: Session, user_id: int) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user_id, code_hash=recovery_hash(code)) for code in codes)
    return codes


def _rowcount(result: object) -> int:
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0


def _row(session: Session, user_id: int) -> SecondFactor | None:
    return session.get(SecondFactor, user_id)


def enabled(session: Session, user_id: int) -> bool:
    """Whether this user signs in with a second factor (enrolled and confirmed)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(SecondFactor)
            .where(SecondFactor.user_id == user_id, SecondFactor.confirmed_at.is_not(None))
        )
        == 1
    )


def required_user_ids(session: Session, required_for: Collection[str]) -> frozenset[int]:
    """Every user who may sign in only with a second factor (for the administrators' list)."""
    if not required_for:
        return frozenset()
    grants = compartments.grants_by_user(session)
    return frozenset(
        user_id
        for user_id, username, role in session.execute(select(User.id, User.username, User.role))
        if must_use_second_factor(
            Actor(username=username, role=role, id=user_id, compartments=frozenset(grants.get(username, ()))),
            required_for,
        )
    )


def required(session: Session, user: User, required_for: Collection[str]) -> bool:
    """Whether ``user`` may sign in only with a second factor (the policy, given the setting)."""
    if not required_for:
        return False
    actor = Actor(
        username=user.username, role=user.role, id=user.id, compartments=compartments.granted(session, user.id)
    )
    return must_use_second_factor(actor, required_for)


def status(session: Session, user_id: int) -> Status:
    row = _row(session, user_id)
    left = session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    on = row is not None and row.confirmed_at is not None
    return Status(
        enabled=on,
        since=row.confirmed_at if row is not None else None,
        recovery_codes_left=int(left or 0) if on else 0,
        pending=row is not None and row.confirmed_at is None,
    )


def begin(session: Session, user: User) -> Enrolment:
    """Start (or start again) enrolment with a fresh secret; nothing changes at sign-in until ``confirm``."""
    row = _row(session, user.id)
    if row is not None and row.confirmed_at is not None:
        raise ValidationFailed(
            N_(
                "Your second factor is already on. To move it to a new phone, turn it off first (or ask an "
                "administrator to reset it), then set it up again."
            )
        )
    secret = new_secret()
    if row is None:
        session.add(SecondFactor(user_id=user.id, secret=secret, last_step=0))
    else:
        row.secret, row.created_at = secret, utcnow()
    return Enrolment(secret=secret, uri=provisioning_uri(secret, user.username))


def pending(session: Session, user: User) -> Enrolment | None:
    """The enrolment begun and not yet confirmed, if any (to show its QR code again)."""
    row = _row(session, user.id)
    if row is None or row.confirmed_at is not None:
        return None
    return Enrolment(secret=row.secret, uri=provisioning_uri(row.secret, user.username))


def confirm(session: Session, user: User, code: str, *, actor: str) -> list[str]:
    """Switch the second factor on after one valid code; returns the recovery codes (shown once only)."""
    row = _row(session, user.id)
    if row is None or row.confirmed_at is not None:
        raise ValidationFailed(N_("There is no set-up waiting to be confirmed. Start the set-up again."))
    step = matching_step(row.secret, code, clock())
    if step is None:
        raise ValidationFailed(
            N_(
                "That code does not match. Check that the app shows peaceops with your user name, that the "
                "phone's clock is right, and enter the six digits it shows now."
            )
        )
    row.confirmed_at, row.last_step = utcnow(), step
    codes = _replace_recovery_codes(session, user.id)
    audit.record(session, actor, "totp_enabled", "user", user.id, after={"username": user.username})
    return codes


def check(session: Session, user_id: int, code: str) -> Check:
    """Check a sign-in code and use it up: a TOTP code for a step after the last one accepted, or an
    unused recovery code. The claim is one conditional UPDATE, so two requests with one code cannot both
    win."""
    row = _row(session, user_id)
    if row is None or row.confirmed_at is None:
        return Check(TOTP, False, "no second factor")
    if is_recovery_code(code):
        result = session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user_id,
                RecoveryCode.code_hash == recovery_hash(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
        )
        return Check(RECOVERY, True) if _rowcount(result) == 1 else Check(RECOVERY, False, "wrong or used")
    step = matching_step(row.secret, code, clock())
    if step is None:
        return Check(TOTP, False, "wrong")
    result = session.execute(
        update(SecondFactor)
        .where(SecondFactor.user_id == user_id, SecondFactor.last_step < step)
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    )
    session.expire(row)
    return Check(TOTP, True) if _rowcount(result) == 1 else Check(TOTP, False, "reused")


def _require_code(session: Session, user: User, code: str, client: str | None) -> None:
    """A signed-in user proves they still hold the second factor. Wrong codes are audited and count toward
    the sign-in back-off, as at sign-in (so a borrowed session cannot guess one): the caller must still
    commit when this raises, as a route that renders the error does."""
    sessions.check_allowed(session, user.username, user.id, client)
    result = check(session, user.id, code)
    if not result.accepted:
        after = {"username": user.username, "second_factor": result.factor, "reason": result.reason}
        audit.record(session, user.username, "totp_failed", "user", user.username, after=after)
        raise ValidationFailed(WRONG_CODE)


def new_recovery_codes(session: Session, user: User, code: str, *, actor: str, client: str | None) -> list[str]:
    """Replace the recovery codes (after a valid code), for someone who used or lost theirs."""
    if not enabled(session, user.id):
        raise ValidationFailed(NO_SECOND_FACTOR)
    _require_code(session, user, code, client)
    codes = _replace_recovery_codes(session, user.id)
    audit.record(session, actor, "recovery_codes_replaced", "user", user.id, after={"username": user.username})
    return codes


def _remove(session: Session, user_id: int) -> bool:
    gone = _rowcount(session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id)))
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    return gone > 0


def turn_off(
    session: Session, user: User, code: str, *, actor: str, required_for: Collection[str], client: str | None
) -> None:
    """Turn one's own second factor off (after a valid code), unless the policy requires it."""
    if required(session, user, required_for):
        raise PermissionDenied(
            N_(
                "Your account must sign in with a second factor, so it cannot be turned off. To move it to a "
                "new phone, ask an administrator to reset it and set it up again at your next sign-in."
            )
        )
    if not enabled(session, user.id):
        raise ValidationFailed(NO_SECOND_FACTOR)
    _require_code(session, user, code, client)
    _remove(session, user.id)
    audit.record(session, actor, "totp_disabled", "user", user.id, after={"username": user.username})


def reset(session: Session, user_id: int, *, actor: str) -> tuple[str, bool]:
    """An administrator removes a user's second factor (a lost phone) and ends their sessions; audited.

    The user then signs in with the password alone, or, where the second factor is mandatory, sets a new
    one up right after it. Returns the user name and whether there was a second factor to remove.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user {user_id}.")
    removed = _remove(session, user.id)
    audit.record(session, actor, "totp_reset", "user", user.id, after={"username": user.username, "removed": removed})
    sessions.end_all(session, user.id, actor=actor)
    return user.username, removed


def reset_by_name(session: Session, username: str, *, actor: str) -> bool:
    """``reset`` for the command line, which names the user."""
    user_id = session.scalar(select(User.id).where(User.username == username.strip()))
    if user_id is None:
        raise NotFound(f"There is no user named {username!r}. List the accounts at /admin/users.")
    return reset(session, user_id, actor=actor)[1]
