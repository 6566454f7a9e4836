"""A cache of what the heaviest pages compute, per server process (decision 026).

An overview page (communications, safety, the conflict dashboard) reads and aggregates tens of thousands
of rows for every view, though its answer changes only when data does. Each entry is keyed by

* the page and what was asked of it (its query parameters),
* what the asker may read (``access.policy.visibility``: never the asker's name, so analysts share entries,
  and never less than the policy reads, so no one is served what another was allowed to see),
* the data generation (``store.generation``): a commit that changes data, in any process, makes every
  entry stale at once,
* the language in force (``i18n.current``): what a page computes may hold translated labels (chart titles),

and lives ``TTL`` seconds at most (pages that say "days ago" or "overdue" move with the clock). A
computation that recorded an audit entry (a read of restricted records) is never kept: every such read is
audited. Concurrent requests for the same missing entry compute it once; the others wait for it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.requests import Request

from peaceops import i18n
from peaceops.access.policy import Actor, visibility
from peaceops.store import audit, generation

T = TypeVar("T")
TTL = 120.0  # seconds
MAX_ENTRIES = 256


class ViewCache:
    """Computed page contexts, least recently used dropped first. Values are shared: never change one."""

    def __init__(self, ttl: float = TTL, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, session: Session, page: str, who: Actor, asked: Hashable, compute: Callable[[], T]) -> T:
        """The value of ``compute()`` for ``page`` asked ``asked`` by someone who may read what ``who`` may."""
        key = (page, asked, visibility(who), generation.current(session), i18n.current())
        found = self._fresh(key)
        if found is not None:
            return found[1]  # type: ignore[no-any-return]
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # one computes, the others wait for its answer
            found = self._fresh(key)
            if found is not None:
                return found[1]  # type: ignore[no-any-return]
            audited = audit.recorded(session)
            try:
                value = compute()
                with self._lock:
                    if audit.recorded(session) == audited:
                        self._entries[key] = (time.monotonic() + self.ttl, value)
                        while len(self._entries) > self.max_entries:
                            self._entries.popitem(last=False)
            finally:  # stored before its lock goes: a request arriving meanwhile finds the entry
                with self._lock:
                    self._computing.pop(key, None)
            return value

    def _fresh(self, key: Hashable) -> tuple[float, Any] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def serialized(specs: dict[str, Any]) -> dict[str, Markup]:
    """Chart specifications as the JSON the page embeds, made once for a cached page instead of at every
    view (the conflict dashboard's maps are most of its 0.8 MB); ``_chart.html`` embeds either form."""
    return {name: Markup(htmlsafe_json_dumps(spec)) for name, spec in specs.items()}


def cached(request: Request, session: Session, page: str, who: Actor, asked: Hashable, compute: Callable[[], T]) -> T:
    """``ViewCache.get`` on the app's cache."""
    cache: ViewCache = request.app.state.view_cache
    return cache.get(session, page, who, asked, compute)
