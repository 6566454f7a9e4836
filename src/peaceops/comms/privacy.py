"""Author handles are stored as keyed hashes; only holders of the ``comms:authors`` compartment see them.

The hash is HMAC-SHA256 of ``platform:handle`` (lower-cased, leading @ dropped) with a key derived from
the installation's secret (``Settings.session_secret``, generated once into var/ when unset). Without
the key nobody can test a guessed handle against the stored hashes; with it the same author always gets
the same hash, so analysts can still see that many items came from one account.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.comms.models import CommsAuthor

AUTHORS_COMPARTMENT = "comms:authors"


def author_key(secret: str) -> bytes:
    """A key for author hashes only, derived from the app secret (never the secret itself)."""
    return hashlib.sha256(b"peaceops-comms-author\x00" + secret.encode()).digest()


def canonical_handle(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def hash_author(key: bytes, platform: str, handle: str) -> str:
    message = f"{platform.strip().lower()}:{canonical_handle(handle)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def can_see_authors(compartments: frozenset[str]) -> bool:
    return AUTHORS_COMPARTMENT in compartments or "*" in compartments


def remember_author(session: Session, author_hash: str, handle: str, platform: str) -> None:
    """Keep the handle behind the compartment (once per hash)."""
    if session.scalar(select(CommsAuthor.id).where(CommsAuthor.author_hash == author_hash)) is None:
        session.add(CommsAuthor(author_hash=author_hash, handle=handle.strip(), platform=platform))
        session.flush()


def shown_author(session: Session, author_hash: str | None, compartments: frozenset[str]) -> str | None:
    """What a reader sees for an item's author: the handle if they hold the compartment, else the hash."""
    if author_hash is None:
        return None
    if can_see_authors(compartments):
        handle = session.scalar(select(CommsAuthor.handle).where(CommsAuthor.author_hash == author_hash))
        if handle:
            return handle
    return f"hash:{author_hash[:16]}"
