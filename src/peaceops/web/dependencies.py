"""Request-scoped dependencies as ``Annotated`` aliases: ``SessionDep``, ``CurrentUser``, ``AdminUser``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from peaceops.access import compartments
from peaceops.access.models import User
from peaceops.access.policy import LOCAL_ADMIN, Actor
from peaceops.errors import PermissionDenied
from peaceops.missions.models import Mission
from peaceops.store import Database
from peaceops.web.security import USER_KEY, LoginRequired


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back when it raises."""
    db: Database = request.app.state.db
    with db.session() as session:
        yield session


# scope="function" commits before the response is sent, so a redirect after a write reads the write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def current_user(request: Request, session: SessionDep) -> Actor:
    """The signed-in user, loaded afresh on every request so a deactivated account stops at once."""
    if request.app.state.local_admin:
        principal = LOCAL_ADMIN
    else:
        user_id = request.session.get(USER_KEY)
        user = session.get(User, user_id) if isinstance(user_id, int) else None
        if user is None or not user.active:
            request.session.clear()
            raise LoginRequired("Please sign in to continue.")
        mission = session.get(Mission, user.mission_id) if user.mission_id else None
        principal = Actor(
            username=user.username,
            role=user.role,
            id=user.id,
            mission=mission.acronym if mission else None,
            compartments=compartments.granted(session, user.id),
        )
    request.state.user = principal
    return principal


CurrentUser = Annotated[Actor, Depends(current_user)]


def admin_user(user: CurrentUser) -> Actor:
    """The current user if an administrator; everyone else gets a 403 with the reason."""
    if not user.is_admin:
        raise PermissionDenied(
            f"Only administrators can open this page; you are signed in as {user.username} ({user.role})."
        )
    return user


AdminUser = Annotated[Actor, Depends(admin_user)]
