"""The audit log: who did what, to which record, when and from where; append-only and hash-chained.

Each entry carries the SHA-256 of the entry before it (``prev_hash``) and its own (``hash``, over its
content and ``prev_hash``), so ``verify`` finds the first entry that was changed, removed or slipped in
(decision 022). Triggers refuse UPDATE and DELETE on the table; the chain is the evidence for whoever can
drop a trigger. An entry never holds restricted content: the domains log ids and the names of changed
fields for confidential records (``field_names``).

Entries written in a write session (``Database.write``) join that transaction, so a change and its entry
commit together; on PostgreSQL appenders take turns on an advisory lock, on SQLite the write lock already
serialises them. Entries written in a read session (the audit of a read) are queued and appended by
``Database.session`` in a short write transaction of their own when the read ends, so readers never
fight over the chain's tail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from peaceops.store.base import Base, utcnow

# Where the current request or command comes from ("203.0.113.7", "cli"); set by each surface.
CLIENT: ContextVar[str | None] = ContextVar("peaceops_audit_client", default=None)
# Session.info keys: which kind of session this is, the entries a read queued, the chain's tail.
READ_SESSION = "peaceops_read"
PENDING = "peaceops_audit_pending"
RECORDED = "peaceops_audit_recorded"  # entries recorded in a session so far (a cache never keeps a read that audits)
TAIL = "peaceops_audit_tail"
# pg_advisory_xact_lock key for appending to the chain ("audit" in ASCII).
PG_LOCK = 0x6175646974
GENESIS = ""


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


@contextmanager
def client(address: str | None) -> Iterator[None]:
    """Entries recorded inside the block say they came from ``address``."""
    token = CLIENT.set(address)
    try:
        yield
    finally:
        CLIENT.reset(token)


def field_names(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The names of the fields that differ between two snapshots: what a confidential record's entry keeps."""
    before, after = before or {}, after or {}
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: object = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry (in this transaction for a write, queued until the read ends for a read)."""
    entry = AuditEntry(
        at=utcnow(),
        actor=str(actor)[:80],
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id)[:80],
        before=_jsonable(before),
        after=_jsonable(after),
        client=(CLIENT.get() or None),
    )
    session.info[RECORDED] = session.info.get(RECORDED, 0) + 1
    if session.info.get(READ_SESSION):
        session.info.setdefault(PENDING, []).append(entry)
    else:
        append(session, entry)
    return entry


def append(session: Session, entry: AuditEntry) -> None:
    """Chain ``entry`` to the tail of the log and add it to ``session`` (a write transaction)."""
    session.connection()  # begin the transaction, so it can be told apart from the next one
    transaction = session.get_transaction()
    tail = session.info.get(TAIL)
    if tail is None or tail[0] is not transaction:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})
        last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
        tail = (transaction, last or GENESIS)
    entry.prev_hash = tail[1]
    entry.hash = digest(entry)
    session.add(entry)  # a flush inserts a mapper's new rows in the order they were added: ids follow the chain
    session.info[TAIL] = (transaction, entry.hash)


def recorded(session: Session) -> int:
    """How many entries ``session`` has recorded: a cache compares it before and after a computation."""
    return int(session.info.get(RECORDED, 0))


def take_pending(session: Session) -> list[AuditEntry]:
    """The entries a read session queued (and forget them there)."""
    return session.info.pop(PENDING, [])


def content(entry: AuditEntry) -> dict[str, Any]:
    """What the hash covers: everything an entry says, and the hash of the entry before it."""
    return {
        "prev": entry.prev_hash or GENESIS,
        "at": entry.at.isoformat(timespec="microseconds") if entry.at else None,
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "client": entry.client,
    }


def digest(entry: AuditEntry) -> str:
    canonical = json.dumps(content(entry), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking the chain: how many entries, the head, and the first problem if any."""

    entries: int
    head_id: int | None
    head_hash: str
    problem: str | None = None
    problem_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(session: Session, *, anchor: tuple[int, str] | None = None) -> Verdict:
    """Walk the log in id order and report the first entry whose content no longer matches its hash
    (changed), or whose link to the entry before is broken (one removed or slipped in before it).

    ``anchor`` is a head noted earlier (id, hash), e.g. from a backup manifest: it must still be in the
    chain, which also catches entries cut from the end."""
    previous = GENESIS
    count = 0
    head_id: int | None = None
    anchored = anchor is None
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        count += 1
        if (entry.prev_hash or GENESIS) != previous:
            return Verdict(
                count,
                head_id,
                previous,
                f"Entry {entry.id} does not follow entry {head_id}: an entry between them was removed, "
                "or this one was inserted.",
                entry.id,
            )
        if digest(entry) != entry.hash:
            return Verdict(count, head_id, previous, f"Entry {entry.id} was changed after it was written.", entry.id)
        if anchor is not None and entry.id == anchor[0]:
            if entry.hash != anchor[1]:
                return Verdict(
                    count, head_id, previous, f"Entry {entry.id} is not the entry noted as the anchor.", entry.id
                )
            anchored = True
        previous, head_id = entry.hash or GENESIS, entry.id
    if not anchored:
        assert anchor is not None
        return Verdict(
            count,
            head_id,
            previous,
            f"The anchor entry {anchor[0]} is missing: entries at the end of the log were removed.",
            anchor[0],
        )
    return Verdict(count, head_id, previous)


def newest_id(session: Session) -> int | None:
    """The id of the newest entry: a cache of log pages is fresh while it has not changed (the log is
    append-only, so no older entry can change without ``verify`` reporting it)."""
    return session.scalar(select(func.max(AuditEntry.id)))


def recent(session: Session, limit: int = 100, before: int | None = None) -> list[AuditEntry]:
    """The newest ``limit`` entries, or those just older than entry ``before`` (keyset paging: a page
    stays the same while new entries arrive)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    return list(session.scalars(query))


class AuditEntry(Base):
    __tablename__ = "audit_log"
    # Sign-in back-off counts an account's failures (access/sessions.py).
    __table_args__ = (Index("ix_audit_log_action_entity_id", "action", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(80))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    request_id: Mapped[int | None] = mapped_column(Integer)
    client: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64), unique=True)
