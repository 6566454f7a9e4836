"""The notifications outbox: one row per change someone may follow, written in the change's own transaction.

Like the audit log, the outbox sits in the store so that every domain can append to it without knowing who
follows what (decision 040): a domain calls ``emit`` where it makes the change, and the change and its row
commit or roll back together. The ``notifications`` package, above the domains, fans the rows out to the
subscriptions that match and delivers them. A row never holds restricted content: a title that the target's
page already shows, the kind of change, a few attributes to match subscriptions on, and the compartment a
reader must hold when the change concerns confidential records (the event's existence is itself
confidential then).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from peaceops.store.base import Base, utcnow

__all__ = ["TARGET_KINDS", "NotificationEvent", "emit"]

# What a change can be about; a subscription follows one of these (or a region or alert rule, matched on attrs).
TARGET_KINDS = ("alert", "process", "helpdesk_request")


class NotificationEvent(Base):
    """One change to one target (an alert, a process, a helpdesk request), waiting to be fanned out."""

    __tablename__ = "notification_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(24), index=True)
    target_id: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    compartment: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    fanned_out: Mapped[bool] = mapped_column(default=False, index=True)


def emit(
    session: Session,
    target_kind: str,
    target_id: int,
    event: str,
    title: str,
    *,
    attrs: dict[str, Any] | None = None,
    compartment: str | None = None,
) -> NotificationEvent:
    """Record that ``target`` changed (``event``), in the caller's transaction; never pass confidential text."""
    if target_kind not in TARGET_KINDS:
        raise ValueError(f"unknown notification target {target_kind!r}")
    row = NotificationEvent(
        target_kind=target_kind,
        target_id=target_id,
        event=event,
        title=title[:300],
        attrs=attrs or {},
        compartment=compartment,
        created_at=utcnow(),
        fanned_out=False,
    )
    session.add(row)
    return row
