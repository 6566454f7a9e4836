"""The language of each request, set before any route runs: the signed-in user's preference (kept in the
session cookie at sign-in and when changed), else the ``peaceops_lang`` cookie, else the browser's
Accept-Language, else English (decision 035)."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from peaceops import i18n

COOKIE = "peaceops_lang"
SESSION_LOCALE = "locale"  # the signed-in user's preference, copied into the session (no query per request)
COOKIE_MAX_AGE = 365 * 24 * 3600


def request_locale(scope: Scope) -> str:
    """The language a request is answered in, by the order above."""
    session = scope.get("session")
    preferred = session.get(SESSION_LOCALE) if isinstance(session, dict) else None
    if preferred in i18n.LANGUAGES:
        return str(preferred)
    connection = HTTPConnection(scope)
    cookie = connection.cookies.get(COOKIE)
    if cookie in i18n.LANGUAGES:
        return str(cookie)
    return i18n.negotiate(connection.headers.get("accept-language"))


class LocaleMiddleware:
    """Sets the current language for the whole request (inside the session middleware, which it reads)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        code = request_locale(scope)
        scope.setdefault("state", {})["locale"] = code
        with i18n.use_locale(code):
            await self.app(scope, receive, send)
