"""The language switcher on every page (the sign-in page too): ``POST /language`` remembers the choice in a
cookie and, for a signed-in user, as the account's preference, then goes back to the page it came from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from peaceops import i18n
from peaceops.access.models import User
from peaceops.access.policy import Actor
from peaceops.errors import ValidationFailed
from peaceops.i18n import _
from peaceops.store import Database
from peaceops.web.dependencies import signed_in_user
from peaceops.web.language.middleware import COOKIE, COOKIE_MAX_AGE, SESSION_LOCALE
from peaceops.web.security import SESSION_KEY, LoginRequired, safe_next

pages = APIRouter(include_in_schema=False)
api = APIRouter()


def _signed_in(request: Request) -> Actor | None:
    """Who is signed in, or None (a visitor on the sign-in page, or a session that has ended)."""
    if SESSION_KEY not in request.session and not request.app.state.local_admin:
        return None
    try:
        return signed_in_user(request)
    except LoginRequired:
        return None


@pages.post("/language")
def choose_language(
    request: Request,
    language: Annotated[str, Form(max_length=16)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Answer in ``language`` from now on, then show the page ``next`` (a page of this site) again."""
    if language not in i18n.LANGUAGES:
        names = ", ".join(f"{name} ({code})" for code, name in i18n.LANGUAGES.items())
        raise ValidationFailed(
            _("There is no language “{language}” here. Choose one of: {names}.").format(
                language=language[:16], names=names
            )
        )
    if safe_next(next) != next:
        raise ValidationFailed(
            _("The page to go back to must be a page of this site, such as /missions. Go back and choose again.")
        )
    actor = _signed_in(request)
    if actor is not None and actor.id is not None:
        db: Database = request.app.state.db
        with db.write() as session:
            user = session.get(User, actor.id)
            if user is not None:
                user.locale = language
        request.session[SESSION_LOCALE] = language
    response = RedirectResponse(next, status_code=303)
    response.set_cookie(COOKIE, language, max_age=COOKIE_MAX_AGE, samesite="lax", httponly=True)
    return response
