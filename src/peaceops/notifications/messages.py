"""What a message says: a title, the kind of change and a link; never a record's content (decision 040).

Plain-text e-mail (stdlib ``email``) and a JSON webhook body signed with HMAC-SHA256 over the exact bytes
sent, with the subscription's secret, in the ``X-Peaceops-Signature`` header (``sha256=<hex>``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from typing import Any

from peaceops.i18n import DEFAULT, N_, _, _n, format_date, use_locale

__all__ = ["SIGNATURE_HEADER", "Item", "change_text", "email_message", "sign", "webhook_body"]

SIGNATURE_HEADER = "X-Peaceops-Signature"

# What each change says, in English here (N_; the webhook's JSON keeps them so) and in the recipient's language in
# an e-mail. A status move has a whole sentence per kind and status, never a sentence built from pieces.
CHANGES = {
    ("alert", "raised"): N_("A new alert was raised."),
    ("alert", "refreshed"): N_("The alert was refreshed by a newer forecast."),
    ("process", "phase"): N_("The process changed phase."),
    ("process", "mediator"): N_("The process's mediators changed."),
    ("process", "coordination"): N_("The process has a new coordination warning."),
    ("process", "debrief"): N_("The process changed."),
    ("alert", "status:new"): N_("The alert is now new."),
    ("alert", "status:acknowledged"): N_("The alert is now acknowledged."),
    ("alert", "status:closed"): N_("The alert is now closed."),
    ("helpdesk_request", "status:open"): N_("The request is now open."),
    ("helpdesk_request", "status:matched"): N_("The request is now matched."),
    ("helpdesk_request", "status:deployed"): N_("The request is now deployed."),
    ("helpdesk_request", "status:closed"): N_("The request is now closed."),
    ("helpdesk_request", "status:cancelled"): N_("The request is now cancelled."),
}
OTHER_STATUS = {"alert": N_("The alert is now {status}."), "other": N_("The request is now {status}.")}
PROCESS_CHANGED = N_("The process changed.")
CHANGED = N_("It changed.")


@dataclass(frozen=True)
class Item:
    """One change as a message tells it."""

    target_kind: str
    target_id: int
    event: str
    title: str
    link: str
    at: datetime


def change_text(target_kind: str, event: str) -> str:
    """The kind of change in words, in the current language; a status move names the new status, anything else
    is "changed"."""
    if (target_kind, event) in CHANGES:
        return _(CHANGES[(target_kind, event)])
    if event.startswith("status:"):
        sentence = OTHER_STATUS["alert" if target_kind == "alert" else "other"]
        return _(sentence).format(status=event.removeprefix("status:"))
    return _(PROCESS_CHANGED) if target_kind == "process" else _(CHANGED)


def _lines(item: Item) -> list[str]:
    return [item.title, change_text(item.target_kind, item.event), item.link, ""]


def email_message(sender: str, to: str, items: list[Item], *, base_url: str, day: date | None = None) -> EmailMessage:
    """A plain-text e-mail in the current language (the sender sets the recipient's): one change, or (``day``)
    the day's digest of several."""
    msg = EmailMessage()
    msg["From"], msg["To"] = sender, to
    if day is None:
        only = items[0]
        msg["Subject"] = _("[peaceops] {title}: {change}").format(
            title=only.title, change=change_text(only.target_kind, only.event)
        )
        body = _lines(only)
    else:
        msg["Subject"] = _n(
            "[peaceops] Digest for {day}: {count} change",
            "[peaceops] Digest for {day}: {count} changes",
            len(items),
        ).format(day=format_date(day), count=len(items))
        body = [_("What changed on {day} in what you follow:").format(day=format_date(day, "long")), ""]
        for item in items:
            body += _lines(item)
    body += [
        _("You receive this because you follow it. Change or stop: {url}").format(url=f"{base_url.rstrip('/')}/account")
    ]
    msg.set_content("\n".join(body) + "\n")
    return msg


def _item_json(item: Item) -> dict[str, Any]:
    return {
        "target": {"kind": item.target_kind, "id": item.target_id},
        "event": item.event,
        "change": change_text(item.target_kind, item.event),
        "title": item.title,
        "link": item.link,
        "at": item.at.isoformat(),
    }


def webhook_body(items: list[Item], *, day: date | None = None) -> bytes:
    """The JSON a webhook receives: one change, or (``day``) ``{"digest": day, "items": [...]}``; in English
    whatever the language in force, as a program reads it."""
    with use_locale(DEFAULT):
        payload = (
            _item_json(items[0])
            if day is None
            else {"digest": day.isoformat(), "items": [_item_json(i) for i in items]}
        )
    return json.dumps(payload, sort_keys=True).encode()


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the HMAC-SHA256 of the body with the secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
