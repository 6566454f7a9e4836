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

__all__ = ["SIGNATURE_HEADER", "Item", "change_text", "email_message", "sign", "webhook_body"]

SIGNATURE_HEADER = "X-Peaceops-Signature"

CHANGES = {
    ("alert", "raised"): "A new alert was raised.",
    ("alert", "refreshed"): "The alert was refreshed by a newer forecast.",
    ("process", "phase"): "The process changed phase.",
    ("process", "mediator"): "The process's mediators changed.",
    ("process", "coordination"): "The process has a new coordination warning.",
    ("process", "debrief"): "The process changed.",
}


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
    """The kind of change in words; a status move names the new status, anything else is "changed"."""
    if (target_kind, event) in CHANGES:
        return CHANGES[(target_kind, event)]
    if event.startswith("status:"):
        what = "alert" if target_kind == "alert" else "request"
        return f"The {what} is now {event.removeprefix('status:')}."
    return "The process changed." if target_kind == "process" else "It changed."


def _lines(item: Item) -> list[str]:
    return [item.title, change_text(item.target_kind, item.event), item.link, ""]


def email_message(sender: str, to: str, items: list[Item], *, base_url: str, day: date | None = None) -> EmailMessage:
    """A plain-text e-mail: one change, or (``day``) the day's digest of several."""
    msg = EmailMessage()
    msg["From"], msg["To"] = sender, to
    if day is None:
        only = items[0]
        msg["Subject"] = f"[peaceops] {only.title}: {change_text(only.target_kind, only.event)}"
        body = _lines(only)
    else:
        msg["Subject"] = f"[peaceops] Digest for {day.isoformat()}: {len(items)} change(s)"
        body = [f"What changed on {day.isoformat()} in what you follow:", ""]
        for item in items:
            body += _lines(item)
    body += [f"You receive this because you follow it. Change or stop: {base_url.rstrip('/')}/account"]
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
    """The JSON a webhook receives: one change, or (``day``) ``{"digest": day, "items": [...]}``."""
    payload = (
        _item_json(items[0]) if day is None else {"digest": day.isoformat(), "items": [_item_json(i) for i in items]}
    )
    return json.dumps(payload, sort_keys=True).encode()


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the HMAC-SHA256 of the body with the secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
