"""Follow, list and stop following; a person sees and changes only their own subscriptions."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.access.models import User
from peaceops.access.policy import Actor
from peaceops.errors import NotFound, ValidationFailed
from peaceops.notifications import targets
from peaceops.notifications.models import MODES, Delivery, Subscription
from peaceops.notifications.shapes import SubscriptionCreated, SubscriptionList, SubscriptionOut
from peaceops.store import audit

__all__ = ["follow", "list_own", "set_email", "unfollow"]

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$")


def _user(session: Session, who: Actor) -> User:
    user = session.get(User, who.id) if who.id is not None else None
    if user is None:
        user = session.scalar(select(User).where(User.username == who.username))
    if user is None:
        raise ValidationFailed(f"{who.username} has no account here; sign in with an account to follow things.")
    return user


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or not url.isprintable() or " " in url:
        raise ValidationFailed(f"A webhook is an http:// or https:// address; {url!r} is not one.")
    return url


def _out(session: Session, sub: Subscription) -> dict[str, object]:
    pending = session.execute(
        select(func.count(), func.max(Delivery.last_error)).where(
            Delivery.subscription_id == sub.id, Delivery.status == "pending"
        )
    ).one()
    return {
        "id": sub.id,
        "target_kind": sub.target_kind,
        "target_key": sub.target_key,
        "label": targets.label(session, sub.target_kind, sub.target_key),
        "link": targets.page(sub.target_kind, sub.target_key),
        "email": sub.email,
        "webhook_url": sub.webhook_url,
        "mode": sub.mode,
        "created_at": sub.created_at,
        "pending": pending[0] or 0,
        "last_error": pending[1] or "",
    }


def follow(
    session: Session,
    who: Actor,
    target_kind: str,
    target_key: str,
    *,
    email: bool = True,
    webhook_url: str | None = None,
    mode: str = "immediate",
) -> SubscriptionCreated:
    """Follow a target (or change how one already followed is told); a webhook gets a new secret, shown once."""
    user = _user(session, who)
    key = targets.check_target(session, who, target_kind, target_key)
    if mode not in MODES:
        raise ValidationFailed(f"Mode {mode!r} is not one of {', '.join(MODES)}.")
    url = _check_url(webhook_url) if webhook_url and webhook_url.strip() else None
    if not email and url is None:
        raise ValidationFailed("Choose e-mail, a webhook address, or both: a subscription needs a way to tell you.")
    sub = session.scalar(
        select(Subscription).where(
            Subscription.user_id == user.id, Subscription.target_kind == target_kind, Subscription.target_key == key
        )
    )
    if sub is None:
        sub = Subscription(user_id=user.id, target_kind=target_kind, target_key=key)
        session.add(sub)
    secret = secrets.token_urlsafe(32) if url and url != sub.webhook_url else None
    sub.email, sub.mode, sub.webhook_url = email, mode, url
    if secret:
        sub.webhook_secret = secret
    if url is None:
        sub.webhook_secret = None
    session.flush()
    audit.record(session, who.username, "follow", "subscription", sub.id,
                 after={"target_kind": target_kind, "target_key": key, "mode": mode, "email": email,
                        "webhook": url is not None})  # fmt: skip
    return SubscriptionCreated(**_out(session, sub), webhook_secret=secret)  # type: ignore[arg-type]


def list_own(session: Session, who: Actor) -> SubscriptionList:
    """The signed-in user's subscriptions, newest first, and the address their e-mail goes to."""
    user = _user(session, who)
    subs = session.scalars(select(Subscription).where(Subscription.user_id == user.id).order_by(Subscription.id.desc()))
    return SubscriptionList(
        email=user.email,
        subscriptions=[SubscriptionOut(**_out(session, s)) for s in subs],  # type: ignore[arg-type]
    )


def unfollow(session: Session, who: Actor, subscription_id: int) -> None:
    """Stop following; another user's subscription is as unknown as a missing one (404)."""
    user = _user(session, who)
    sub = session.get(Subscription, subscription_id)
    if sub is None or sub.user_id != user.id:
        raise NotFound(f"You have no subscription {subscription_id}; see your account page for yours.")
    audit.record(session, who.username, "unfollow", "subscription", sub.id,
                 before={"target_kind": sub.target_kind, "target_key": sub.target_key})  # fmt: skip
    session.delete(sub)


def set_email(session: Session, who: Actor, address: str) -> str | None:
    """Set (or, empty, remove) the address notification e-mail goes to."""
    user = _user(session, who)
    value = address.strip() or None
    if value is not None and (len(value) > 254 or not value.isprintable() or not EMAIL.match(value)):
        raise ValidationFailed(f"{value!r} is not an e-mail address (name@example.org).")
    if value != user.email:
        audit.record(session, who.username, "update", "app_user.email", user.id,
                     before={"email": user.email}, after={"email": value})  # fmt: skip
        user.email = value
    return value
