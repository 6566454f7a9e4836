"""Sign-in sessions kept on the server, and the back-off after failed sign-ins (OWASP ASVS level 2).

The browser's cookie carries a random token; the server keeps only its SHA-256 with the user, when it
began, when it was last used and when it ended. So logging out ends the session for whoever holds a copy
of the cookie, an administrator can end all of a user's sessions, and a session ends after
``idle`` without use or ``absolute`` after sign-in, whichever comes first.

Failed sign-ins are read back from the audit log (``login_failed`` entries carry the name tried and the
client address; ``totp_failed``, a wrong second-factor code given while signed in, counts too): five
failures for one account within the window, or thirty from one address, refuse further attempts, the
right password included, until the window has passed since the last failure.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from peaceops.access.models import LoginSession, User
from peaceops.errors import PeaceopsError
from peaceops.i18n import ngettext
from peaceops.store import audit
from peaceops.store.audit import AuditEntry
from peaceops.store.base import utcnow

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 30
WINDOW = timedelta(minutes=15)
TOUCH_EVERY = timedelta(minutes=1)  # how stale "last used" may get before it is written again
FAILURES = ("login_failed", "totp_failed")  # audit actions that count toward the back-off


class TooManyAttempts(PeaceopsError):
    """Sign-in refused for a while after repeated failures (429)."""

    status_code = 429


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, user_id: int, client: str | None) -> str:
    """A new session for ``user_id`` (the user's last sign-in is now); returns the token for the cookie
    (the server keeps its hash only)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(LoginSession(token_hash=_hash(token), user_id=user_id, started_at=now, last_seen_at=now, client=client))
    session.execute(update(User).where(User.id == user_id).values(last_login_at=now))
    return token


def find(session: Session, token: object, *, idle: timedelta, absolute: timedelta) -> LoginSession | None:
    """The live session this token opens, or None (unknown, ended, idle too long or too old)."""
    if not isinstance(token, str) or not token:
        return None
    # The account comes in the same query (it is then in the session's identity map, so a caller's
    # ``session.get(User, row.user_id)`` costs no second round trip).
    found = session.execute(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_hash == _hash(token))
    ).first()
    row = found[0] if found is not None else None
    now = utcnow()
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > idle or now - row.started_at > absolute:
        return None
    return row


def needs_touch(row: LoginSession) -> bool:
    return utcnow() - row.last_seen_at > TOUCH_EVERY


def touch(session: Session, session_id: int) -> None:
    session.execute(update(LoginSession).where(LoginSession.id == session_id).values(last_seen_at=utcnow()))


def end(session: Session, token: object) -> None:
    """End the session of this token (logout)."""
    if isinstance(token, str) and token:
        session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == _hash(token), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all(session: Session, user_id: int, *, actor: str) -> int:
    """End every live session of a user (an administrator's "sign out everywhere"); audited."""
    result = session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    ended = int(getattr(result, "rowcount", 0) or 0)
    audit.record(session, actor, "end_sessions", "user", user_id, after={"ended": ended})
    return ended


def live_count(session: Session, user_id: int, *, idle: timedelta, absolute: timedelta) -> int:
    now = utcnow()
    return int(
        session.scalar(
            select(func.count())
            .select_from(LoginSession)
            .where(
                LoginSession.user_id == user_id,
                LoginSession.ended_at.is_(None),
                LoginSession.last_seen_at >= now - idle,
                LoginSession.started_at >= now - absolute,
            )
        )
        or 0
    )


def _failures(session: Session, since: datetime, **where: str) -> tuple[int, datetime | None]:
    query = select(func.count(), func.max(AuditEntry.at)).where(AuditEntry.action.in_(FAILURES), AuditEntry.at >= since)
    if "name" in where:
        query = query.where(AuditEntry.entity_id == where["name"])
    if "client" in where:
        query = query.where(AuditEntry.client == where["client"])
    count, last = session.execute(query).one()
    return int(count or 0), last


def _last_login(session: Session, user_id: int) -> datetime | None:
    return session.scalar(
        select(func.max(AuditEntry.at)).where(AuditEntry.action == "login", AuditEntry.entity_id == str(user_id))
    )


def check_allowed(session: Session, name: str, user_id: int | None, client: str | None) -> None:
    """Refuse a sign-in attempt while the account or the address is backed off (TooManyAttempts)."""
    now = utcnow()
    since = now - WINDOW
    last_login = _last_login(session, user_id) if user_id is not None else None
    count, last = _failures(session, max(since, last_login) if last_login else since, name=name)
    if count >= ACCOUNT_LIMIT and last is not None:
        wait = max(1, int((last + WINDOW - now).total_seconds() // 60) + 1)
        raise TooManyAttempts(
            ngettext(
                "Too many failed sign-ins for this account. Wait {wait} minute and try again, "
                "or ask an administrator to check the account.",
                "Too many failed sign-ins for this account. Wait {wait} minutes and try again, "
                "or ask an administrator to check the account.",
                wait,
            ).format(wait=wait)
        )
    if client:
        count, last = _failures(session, since, client=client)
        if count >= ADDRESS_LIMIT and last is not None:
            wait = max(1, int((last + WINDOW - now).total_seconds() // 60) + 1)
            raise TooManyAttempts(
                ngettext(
                    "Too many failed sign-ins from this address. Wait {wait} minute and try again.",
                    "Too many failed sign-ins from this address. Wait {wait} minutes and try again.",
                    wait,
                ).format(wait=wait)
            )
