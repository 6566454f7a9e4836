"""Idempotent bulk upsert by natural key, portable across SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from peaceops.store.base import Base

Progress = Callable[[int], None]
# Called with the number of rows about to be written; returns the callback that advances a progress bar.
ProgressStart = Callable[[int], Progress] | None
CHUNK = 2000


@dataclass
class SyncResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    changes: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)


def sync_rows(
    session: Session,
    model: type[Base],
    key: Sequence[str],
    rows: Iterable[dict[str, Any]],
    *,
    replace_within: Sequence[str] | None = None,
    progress: Progress | None = None,
    keep_changes: int = 50,
) -> SyncResult:
    """Insert new rows, update changed ones, leave equal ones alone.

    With ``replace_within`` (a prefix of ``key``), existing rows that share that prefix with some incoming
    row but are absent from the incoming rows are deleted: a newer monthly file that no longer lists a
    category for a country-month replaces the old figure instead of leaving it behind.
    """
    table = cast(Table, model.__table__)
    incoming = list(rows)
    fields = [c for c in incoming[0] if c not in key] if incoming else []
    key_cols = [table.c[k] for k in key]
    existing: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    for stored in session.execute(select(table.c.id, *key_cols, *[table.c[f] for f in fields])):
        values = stored._mapping
        existing[tuple(values[k] for k in key)] = (values["id"], {f: values[f] for f in fields})

    result = SyncResult()
    to_insert: list[dict[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for row in incoming:
        k = tuple(row[c] for c in key)
        seen.add(k)
        found = existing.get(k)
        if found is None:
            to_insert.append(row)
            continue
        row_id, old = found
        new = {f: row[f] for f in fields}
        if _same(old, new):
            result.unchanged += 1
            continue
        to_update.append({"_id": row_id, **new})
        if len(result.changes) < keep_changes:
            result.changes.append(
                ({**dict(zip(key, k, strict=True)), **old}, {**dict(zip(key, k, strict=True)), **new})
            )

    for start in range(0, len(to_insert), CHUNK):
        chunk = to_insert[start : start + CHUNK]
        session.execute(insert(table), chunk)
        result.inserted += len(chunk)
        if progress:
            progress(len(chunk))
    if to_update:
        stmt = update(table).where(table.c.id == bindparam("_id")).values({f: bindparam(f) for f in fields})
        session.connection().execute(stmt, to_update)
        result.updated = len(to_update)
        if progress:
            progress(len(to_update))
    if progress:
        progress(result.unchanged)

    if replace_within:
        n = len(replace_within)
        scopes = {k[:n] for k in seen}
        stale = [row_id for k, (row_id, _) in existing.items() if k[:n] in scopes and k not in seen]
        for start in range(0, len(stale), CHUNK):
            session.execute(delete(table).where(table.c.id.in_(stale[start : start + CHUNK])))
        result.removed = len(stale)
    return result


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    for name, value in new.items():
        before = old[name]
        if isinstance(value, float) and isinstance(before, float):
            if abs(value - before) > 1e-9:
                return False
        elif before != value:
            return False
    return True
