"""Who follows what (``Subscription``) and each message owed to them (``Delivery``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.store.base import Base, utcnow

# What a person can follow, and the key that names one target of that kind.
SUBSCRIPTION_KINDS = ("alert_rule", "region", "process", "helpdesk_request")
MODES = ("immediate", "digest")
CHANNELS = ("email", "webhook")
# A delivery is pending until sent; withheld when the recipient may no longer read the target (never sent).
STATUSES = ("pending", "sent", "withheld")


class Subscription(Base):
    """A user follows one target (an alert rule ``kind:level``, an M49 region, a process, a helpdesk request)."""

    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("user_id", "target_kind", "target_key", name="uq_subscription_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(24))
    target_key: Mapped[str] = mapped_column(String(40))
    email: Mapped[bool] = mapped_column(default=True)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(80))
    mode: Mapped[str] = mapped_column(String(12), default="immediate")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Delivery(Base):
    """One event owed to one subscription on one channel; sent once, retried with back-off until then."""

    __tablename__ = "notification_delivery"
    __table_args__ = (UniqueConstraint("subscription_id", "event_id", "channel", name="uq_notification_delivery_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("notification_event.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(12))
    digest_day: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
