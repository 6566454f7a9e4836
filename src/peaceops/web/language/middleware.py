"""The language of each request, set before any route runs: the signed-in user's preference (kept in the
session cookie at sign-in and when changed), else the ``peaceops_lang`` cookie, else the browser's
Accept-Language, else English (decision 035)."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Receive, Scope, Send

from peaceops import i18n

COOKIE = "peaceops_lang"
SESSION_LOCALE = "locale"  # the signed-in user's preference, copied into the session (no query per request)
COOKIE_MAX_AGE = 365 * 24 * 3600


def _cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header names no language
                return None
            morsel = jar.get(COOKIE)
            return morsel.value if morsel is not None else None
    return None


def _accept_language(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            return str(value.decode("latin-1"))
    return ""


def request_locale(scope: Scope) -> str:
    """The language a request is answered in, by the order above."""
    session = scope.get("session")
    preferred = session.get(SESSION_LOCALE) if isinstance(session, dict) else None
    if preferred in i18n.LANGUAGES:
        return str(preferred)
    cookie = _cookie(scope)
    if cookie in i18n.LANGUAGES:
        return str(cookie)
    return i18n.negotiate(_accept_language(scope))


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
