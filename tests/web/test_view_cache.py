"""The cache of the heaviest pages (decision 026): shared only between people who may read the same
records, dropped by any change of data, never keeping a read that must be audited, computed once when
many ask at once; and the pages it serves show a change at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from support.web import any_csrf_from, signed_in

from peaceops.access.policy import Actor
from peaceops.access.users import add_user
from peaceops.missions.models import Mission
from peaceops.settings import Settings
from peaceops.store import Database, audit
from peaceops.web import create_app
from peaceops.web.view_cache import ViewCache

ANALYST_A = Actor(username="amina", role="analyst")
ANALYST_B = Actor(username="bruno", role="analyst")
OFFICER = Actor(username="chloe", role="mission_officer", mission="MINUSCA")
PASSWORD = "view cache password, long enough"
HOLDER = Actor(username="dawit", role="analyst", compartments=frozenset({"sgbv"}))


class Counting:
    """A computation that says how often it ran, and what for."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, label: str) -> Callable[[], str]:
        def compute() -> str:
            self.calls.append(label)
            return f"{label}#{len(self.calls)}"

        return compute


def test_shared_by_equal_readers_only_and_dropped_by_a_change(db: Database) -> None:
    cache, count = ViewCache(), Counting()
    with db.session() as session:
        first = cache.get(session, "page", ANALYST_A, ("x",), count("a"))
        assert cache.get(session, "page", ANALYST_B, ("x",), count("b")) == first  # same rights, other name
        assert cache.get(session, "page", OFFICER, ("x",), count("officer")) != first
        assert cache.get(session, "page", HOLDER, ("x",), count("holder")) != first
        assert cache.get(session, "page", ANALYST_A, ("y",), count("other question")) != first
        assert cache.get(session, "other page", ANALYST_A, ("x",), count("other page")) != first
    assert count.calls == ["a", "officer", "holder", "other question", "other page"]
    with db.write() as session:
        session.add(Mission(acronym="CACHETEST", name="A change of data"))
    with db.session() as session:
        assert cache.get(session, "page", ANALYST_B, ("x",), count("after")) == "after#6"
        assert cache.get(session, "page", ANALYST_A, ("x",), count("again")) == "after#6"


def test_a_read_that_audits_is_computed_every_time(db: Database) -> None:
    cache, runs = ViewCache(), []

    def audited() -> int:
        runs.append(1)
        audit.record(session, HOLDER.username, "read", "incident", 7, after={"compartment": "sgbv"})
        return len(runs)

    with db.session(defer_audit=True) as session:  # as the web reads
        assert [cache.get(session, "restricted list", HOLDER, (), audited) for _ in range(3)] == [1, 2, 3]
        assert len(audit.take_pending(session)) == 3  # one audit entry per read, none swallowed by the cache


def test_expired_entries_are_computed_again() -> None:
    cache, count = ViewCache(ttl=0.0), Counting()

    class NoSession:  # the generation is read through the session: a fixed one is enough here
        def execute(self, *_: object) -> NoSession:
            return self

        def scalar(self) -> int:
            return 1

        info: dict[str, int] = {}  # noqa: RUF012

    session = NoSession()
    cache.get(session, "page", ANALYST_A, (), count("one"))  # type: ignore[arg-type]
    cache.get(session, "page", ANALYST_A, (), count("two"))  # type: ignore[arg-type]
    assert count.calls == ["one", "two"]


def test_many_asking_at_once_compute_once(db: Database) -> None:
    cache, started, release, runs = ViewCache(), threading.Event(), threading.Event(), []

    def slow() -> str:
        runs.append(1)
        started.set()
        release.wait(10)
        return "done"

    def ask(_: int) -> str:
        with db.session() as session:
            return cache.get(session, "slow page", ANALYST_A, (), slow)

    with ThreadPoolExecutor(8) as pool:
        answers = [pool.submit(ask, i) for i in range(8)]
        started.wait(10)
        release.set()
        assert [a.result(timeout=30) for a in answers] == ["done"] * 8
    assert runs == [1]


def test_the_safety_page_shows_a_new_incident_at_once(settings: Settings, db: Database) -> None:
    with db.write() as session:
        session.add(Mission(acronym="MINUCACHE", name="Cache test mission", active=True))
        add_user(session, "admin", PASSWORD, "admin")
    with TestClient(create_app(settings, db=db)) as web:
        admin = signed_in(web, "admin", PASSWORD)
        before = admin.get("/safety")
        assert before.status_code == 200 and "Cache river crossing" not in before.text
        assert admin.get("/safety").text == before.text  # served from the cache: the same page
        admin.headers["X-CSRF-Token"] = any_csrf_from(before.text)
        incident = {"mission": "MINUCACHE", "occurred_on": "2026-11-30", "location": "Cache river crossing"}
        made = admin.post("/api/safety/incidents", json=incident | {"incident_type": "Ambush", "fatalities": 1})
        assert made.status_code == 201, made.text
        assert "Cache river crossing" in admin.get("/safety").text
