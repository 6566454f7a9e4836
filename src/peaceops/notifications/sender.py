"""Deliver the outbox: fan each change out to the subscriptions that follow it, then send what is due.

A run (``peaceops notify send``, and the end of ``peaceops monitor``): (1) in one write transaction, every
change not yet fanned out becomes one delivery per matching subscription and channel (a unique key keeps
it to one); (2) the access policy is asked again, per recipient, whether they may still read the target:
a delivery they may not is *withheld*, never sent; (3) immediate deliveries go one message per change,
digests one message per user, channel and day once the day is over; (4) each message, once the server has
taken it, is marked sent in its own short transaction, and only a pending delivery can be marked, so a rerun
sends nothing new. A failure leaves the delivery pending with the reason and a later next attempt
(back-off doubling from five minutes to a day).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from peaceops.access.models import User
from peaceops.i18n import DEFAULT, use_locale
from peaceops.notifications import messages, targets
from peaceops.notifications.models import Delivery, Subscription
from peaceops.notifications.shapes import SendReport
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.base import utcnow
from peaceops.store.outbox import NotificationEvent

__all__ = ["fan_out", "send_pending"]

FIRST_RETRY = timedelta(minutes=5)
LAST_RETRY = timedelta(days=1)
WEBHOOK_TIMEOUT = 10.0


@dataclass
class _Batch:
    """One message to send: its deliveries, channel, address and the changes it tells."""

    channel: str
    address: str
    secret: str | None
    day: date | None
    locale: str | None = None  # the recipient's language (``app_user.locale``): an e-mail is written in it
    delivery_ids: list[int] = field(default_factory=list)
    items: list[messages.Item] = field(default_factory=list)


def fan_out(session: Session) -> int:
    """Turn every change not yet fanned out into deliveries for the subscriptions that follow it then."""
    events = list(session.scalars(select(NotificationEvent).where(NotificationEvent.fanned_out.is_(False))))
    if not events:
        return 0
    subs = list(session.scalars(select(Subscription)))
    made = 0
    for event in events:
        for sub in subs:
            if sub.created_at > event.created_at or not targets.matches(sub.target_kind, sub.target_key, event):
                continue
            channels = (["email"] if sub.email else []) + (["webhook"] if sub.webhook_url else [])
            for channel in channels:
                day = event.created_at.date() if sub.mode == "digest" else None
                delivery = Delivery(subscription_id=sub.id, event_id=event.id, channel=channel, digest_day=day)
                delivery.status, delivery.attempts, delivery.last_error = "pending", 0, ""
                delivery.next_attempt_at = event.created_at
                session.add(delivery)
                made += 1
        event.fanned_out = True
    return made


def _batches(session: Session, settings: Settings, now: datetime) -> tuple[list[_Batch], list[int]]:
    """The messages due now, and the deliveries to withhold (the recipient may not read the target)."""
    rows = session.execute(
        select(Delivery, Subscription, User, NotificationEvent)
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .join(User, User.id == Subscription.user_id)
        .join(NotificationEvent, NotificationEvent.id == Delivery.event_id)
        .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
        .order_by(Delivery.id)
    ).all()
    base = settings.base_url.rstrip("/")
    batches: dict[tuple[object, ...], _Batch] = {}
    withheld: list[int] = []
    allowed: dict[tuple[int, int], bool] = {}
    for delivery, sub, user, event in rows:
        if delivery.digest_day is not None and delivery.digest_day >= now.date():
            continue  # the day is not over yet
        ok = allowed.setdefault((user.id, event.id), targets.may_receive(session, user, event))
        if not ok:
            withheld.append(delivery.id)
            continue
        email = delivery.channel == "email"
        address = (user.email or "") if email else (sub.webhook_url or "")
        key: tuple[object, ...] = (
            (delivery.id,) if delivery.digest_day is None
            else (user.id, delivery.channel, address if email else sub.id, delivery.digest_day)
        )  # fmt: skip
        batch = batches.setdefault(
            key,
            _Batch(delivery.channel, address, None if email else sub.webhook_secret, delivery.digest_day, user.locale),
        )
        batch.delivery_ids.append(delivery.id)
        with use_locale(user.locale if email else DEFAULT):  # an e-mail in its reader's language, a webhook in English
            title = targets.event_title(event)
        item = messages.Item(event.target_kind, event.target_id, event.event, title,
                             base + targets.event_page(event), event.created_at)  # fmt: skip
        if item not in batch.items:
            batch.items.append(item)
    return list(batches.values()), withheld


def _send_email(settings: Settings, batch: _Batch) -> None:
    if not batch.address:
        raise _SendFailed("no e-mail address: set one in the Notifications section of your account page")
    if not settings.smtp_host:
        raise _SendFailed("no SMTP server: set PEACEOPS_SMTP_HOST (and PEACEOPS_SMTP_PORT)")
    with use_locale(batch.locale):  # in the recipient's language; English when they chose none
        msg = messages.email_message(settings.smtp_from, batch.address, batch.items, base_url=settings.base_url,
                                     day=batch.day)  # fmt: skip
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise _SendFailed(
            f"the SMTP server {settings.smtp_host}:{settings.smtp_port} did not take the message ({exc}); "
            "check PEACEOPS_SMTP_HOST and PEACEOPS_SMTP_PORT, it will be retried"
        ) from exc


def _send_webhook(batch: _Batch) -> None:
    body = messages.webhook_body(batch.items, day=batch.day)
    headers = {"Content-Type": "application/json", messages.SIGNATURE_HEADER: messages.sign(batch.secret or "", body)}
    try:
        response = httpx.post(batch.address, content=body, headers=headers, timeout=WEBHOOK_TIMEOUT)
    except httpx.HTTPError as exc:
        raise _SendFailed(f"the webhook {batch.address} did not answer ({exc}); it will be retried") from exc
    if response.status_code >= 300:
        raise _SendFailed(f"the webhook {batch.address} answered {response.status_code}; it will be retried")


class _SendFailed(Exception):
    """A message could not be sent now; the reason is kept on its deliveries."""


def _mark_sent(db: Database, ids: list[int], now: datetime) -> int:
    with db.write() as session:
        result = session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.status == "pending")
            .values(status="sent", sent_at=now, last_error="")
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _mark_failed(db: Database, ids: list[int], reason: str, now: datetime) -> None:
    with db.write() as session:
        for delivery in session.scalars(select(Delivery).where(Delivery.id.in_(ids), Delivery.status == "pending")):
            delivery.attempts += 1
            wait = min(FIRST_RETRY * 2 ** (delivery.attempts - 1), LAST_RETRY)
            delivery.next_attempt_at, delivery.last_error = now + wait, reason[:1000]


def send_pending(db: Database, settings: Settings, *, now: datetime | None = None) -> SendReport:
    """Fan out new changes and send every message due; safe to run again at any time (nothing is sent twice)."""
    now = now or utcnow()
    with db.write() as session:
        fanned = fan_out(session)
    with db.session() as session:
        batches, withheld = _batches(session, settings, now)
    if withheld:
        with db.write() as session:
            session.execute(
                update(Delivery)
                .where(Delivery.id.in_(withheld), Delivery.status == "pending")
                .values(status="withheld", last_error="the recipient may no longer read this")
            )
    sent = failed = 0
    problems: set[str] = set()
    for batch in batches:
        try:
            if batch.channel == "email":
                _send_email(settings, batch)
            else:
                _send_webhook(batch)
        except _SendFailed as exc:
            failed += 1
            problems.add(str(exc))
            _mark_failed(db, batch.delivery_ids, str(exc), now)
            continue
        _mark_sent(db, batch.delivery_ids, now)
        sent += 1
    return SendReport(fanned_out=fanned, sent=sent, withheld=len(withheld), failed=failed, problems=sorted(problems))
