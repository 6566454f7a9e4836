"""Request-scoped dependencies as ``Annotated`` aliases: ``SessionDep``, ``CurrentUser``, ``AdminUser``.

``CurrentUser`` refuses partner accounts (``access.policy.check_full_access``), so every page and API is
closed to them by default; the few routes a partner may use (its helpdesk requests, its own account) ask
for ``AnyUser`` instead and leave what it sees to the domain's functions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated

import anyio
from fastapi import Depends, Query, Request
from fastapi.concurrency import contextmanager_in_threadpool
from sqlalchemy.orm import Session

from peaceops.access import compartments, second_factor, sessions
from peaceops.access.models import User
from peaceops.access.policy import LOCAL_ADMIN, Actor, check_full_access, must_use_second_factor
from peaceops.errors import PermissionDenied
from peaceops.i18n import LANGUAGES, _
from peaceops.missions.models import Mission
from peaceops.store import Database
from peaceops.web.language.middleware import SESSION_LOCALE
from peaceops.web.security import MAX_ID, SESSION_KEY, LoginRequired

# Requests that change something; they get the write path (Database.write, decision 020).
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Numbers read from a query string end up as SQL integers. Bounded here, a hostile one is a 422 that names
# the bound, never a driver error: SQLite binds 64 bits, PostgreSQL's INTEGER 32, and PostgreSQL refuses a
# negative LIMIT or OFFSET (issue 15, finding 10).
QueryNumber = Annotated[int | None, Query(ge=0, le=MAX_ID)]
Page = Annotated[int, Query(ge=1, le=MAX_ID, description="Page number, from 1.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="Rows to skip.")]


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: committed when the route returns, rolled back when it raises.

    GET requests read (``Database.session``). Other methods write (``Database.write``): the request body
    is read first, then the transaction begins in a worker thread, so on SQLite the write lock is waited
    for off the event loop and is never held while a client is still sending.
    """
    db: Database = request.app.state.db
    if request.method not in WRITE_METHODS:
        async with contextmanager_in_threadpool(db.session(defer_audit=True)) as session:
            yield session
        return
    try:
        await request.body()
    except RuntimeError:  # "Stream consumed": already received (a form FastAPI parsed for the route)
        pass
    async with contextmanager_in_threadpool(db.write()) as session:
        # Wait for the write turn in a thread of its own, outside the pool the routes run in: fifty writers
        # waiting there would hold every thread, and the one whose turn it is could not run its route.
        await anyio.to_thread.run_sync(session.connection, limiter=anyio.CapacityLimiter(1))
        request.state.write_session = session  # current_user stamps "last used" in it (never a second write)
        try:
            yield session
        finally:
            request.state.write_session = None


# scope="function" commits before the response is sent, so a redirect after a write reads the write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def signed_in_user(request: Request) -> Actor:
    """The signed-in user, whatever the role, loaded afresh on every request so a deactivated account stops at once.

    Read in a session of its own, outside the request's transaction: a route that only needs to know who
    is asking (the upload form, which imports through its own write) takes no write lock for it. The
    "last used" stamp goes into the request's write session when it already holds one (a route that
    declares its session before its user), else into a short write of its own.
    """
    if request.app.state.local_admin:
        actor = LOCAL_ADMIN
    else:
        db: Database = request.app.state.db
        with db.session() as session:
            actor, touch = _actor_from_session(request, session)
        if touch is not None:  # "last used" is written at most once a minute
            held: Session | None = getattr(request.state, "write_session", None)
            if held is not None:  # the request's own write: a second one would wait for its lock (SQLite)
                sessions.touch(held, touch)
            else:
                with db.write() as writer:
                    sessions.touch(writer, touch)
    request.state.user = actor
    return actor


def _actor_from_session(request: Request, session: Session) -> tuple[Actor, int | None]:
    settings = request.app.state.settings
    row = sessions.find(
        session,
        request.session.get(SESSION_KEY),
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(seconds=settings.session_max_age),
    )
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not user.active:
        had_session = SESSION_KEY in request.session
        request.session.clear()
        raise LoginRequired(
            _("Your session has ended; please sign in again.") if had_session else _("Please sign in to continue.")
        )
    if user.locale in LANGUAGES and request.session.get(SESSION_LOCALE) != user.locale:
        # Chosen on another device since this session began: the pages rendered from here on follow it.
        request.session[SESSION_LOCALE] = request.state.locale = user.locale
    mission = session.get(Mission, user.mission_id) if user.mission_id else None
    actor = Actor(
        username=user.username,
        role=user.role,
        id=user.id,
        mission=mission.acronym if mission else None,
        compartments=compartments.granted(session, user.id),
        organisation=user.organisation,
    )
    required_for = settings.totp_required_for
    if required_for and must_use_second_factor(actor, required_for) and not second_factor.enabled(session, user.id):
        # Made mandatory after this session began (the setting, a compartment granted, a reset): the
        # next sign-in sets the second factor up before anything else.
        request.session.clear()
        raise LoginRequired(_("Your account now needs a second factor. Sign in again to set it up."))
    return actor, (row.id if sessions.needs_touch(row) else None)


# Every role, partner accounts included: only for the routes that admit partners (see the module's docstring).
AnyUser = Annotated[Actor, Depends(signed_in_user)]


def current_user(user: AnyUser) -> Actor:
    """The signed-in user, unless a partner account: everything is closed to partners unless it admits them."""
    check_full_access(user)
    return user


CurrentUser = Annotated[Actor, Depends(current_user)]


def admin_user(user: CurrentUser) -> Actor:
    """The current user if an administrator; everyone else gets a 403 with the reason."""
    if not user.is_admin:
        raise PermissionDenied(
            f"Only administrators can open this page; you are signed in as {user.username} ({user.role})."
        )
    return user


AdminUser = Annotated[Actor, Depends(admin_user)]
