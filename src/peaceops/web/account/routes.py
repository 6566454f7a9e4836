"""The signed-in user's own account: who they are, and their second factor (set up, new recovery codes,
turn off). Every change is audited with the user as the actor (access/second_factor.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from peaceops.access import second_factor
from peaceops.access.models import User
from peaceops.access.policy import Actor, is_partner, must_use_second_factor, partner_of
from peaceops.errors import PeaceopsError, ValidationFailed
from peaceops.i18n import _
from peaceops.notifications import list_own
from peaceops.web.audit_trail import client_address
from peaceops.web.auth.second_step import enrolment_context
from peaceops.web.dependencies import AnyUser, SessionDep
from peaceops.web.schemas import AccountOut, SecondFactorOut
from peaceops.web.security import flash
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()
CodeField = Annotated[str, Form(max_length=64)]


def _user(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.id) if actor.id is not None else None
    if user is None:
        raise ValidationFailed(
            _(
                "{username} has no account of its own to protect (peaceops serve --local-admin); a second "
                "factor is for accounts that sign in."
            ).format(username=actor.username)
        )
    return user


def _account(request: Request, session: Session, actor: Actor) -> AccountOut:
    user = _user(session, actor)
    status = second_factor.status(session, user.id)
    required = must_use_second_factor(actor, request.app.state.settings.totp_required_for)
    return AccountOut(
        username=actor.username,
        role=actor.role,
        mission=actor.mission,
        organisation=partner_of(actor),
        compartments=sorted(actor.compartments),
        second_factor=SecondFactorOut(
            enabled=status.enabled,
            since=status.since.isoformat(timespec="seconds") if status.since else None,
            recovery_codes_left=status.recovery_codes_left,
            pending=status.pending,
            required=required,
        ),
    )


def _account_page(
    request: Request, session: Session, actor: Actor, *, error: str | None = None, status_code: int = 200
) -> Response:
    context = {
        "account": _account(request, session, actor).model_dump(),
        "error": error,
        # partner accounts follow nothing by notification (access.policy.check_full_access)
        "notifications": None if is_partner(actor) else list_own(session, actor).model_dump(),
    }
    return render(request, "account.html", context, status_code=status_code)


@pages.get("/account")
def account_page(request: Request, session: SessionDep, user: AnyUser) -> Response:
    return _account_page(request, session, user)


@api.get("/account", response_model=AccountOut, summary="The signed-in user's account and second factor")
def account_api(request: Request, session: SessionDep, user: AnyUser) -> AccountOut:
    return _account(request, session, user)


@pages.post("/account/totp")
def begin_setup(session: SessionDep, user: AnyUser) -> Response:
    """A fresh secret, not yet on; the set-up page shows it until one code confirms it."""
    second_factor.begin(session, _user(session, user))
    return RedirectResponse("/account/totp", status_code=303)


@pages.get("/account/totp")
def setup_page(request: Request, session: SessionDep, user: AnyUser) -> Response:
    enrolment = second_factor.pending(session, _user(session, user))
    if enrolment is None:
        return RedirectResponse("/account", status_code=303)
    return render(request, "account_totp.html", enrolment_context(enrolment))


@pages.post("/account/totp/confirm")
def confirm_setup(request: Request, session: SessionDep, user: AnyUser, code: CodeField) -> Response:
    account = _user(session, user)
    try:
        codes = second_factor.confirm(session, account, code, actor=user.username)
    except ValidationFailed as exc:
        enrolment = second_factor.pending(session, account)
        if enrolment is None:
            return _account_page(request, session, user, error=_(str(exc)), status_code=exc.status_code)
        context = enrolment_context(enrolment) | {"error": _(str(exc))}
        return render(request, "account_totp.html", context, status_code=exc.status_code)
    return render(request, "recovery_codes.html", {"codes": codes, "next": "/account", "new": True})


@pages.post("/account/recovery-codes")
def replace_codes(request: Request, session: SessionDep, user: AnyUser, code: CodeField) -> Response:
    try:
        account, client = _user(session, user), client_address(request.scope)
        codes = second_factor.new_recovery_codes(session, account, code, actor=user.username, client=client)
    except PeaceopsError as exc:
        return _account_page(request, session, user, error=_(str(exc)), status_code=exc.status_code)
    return render(request, "recovery_codes.html", {"codes": codes, "next": "/account", "new": False})


@pages.post("/account/totp/off")
def turn_off(request: Request, session: SessionDep, user: AnyUser, code: CodeField) -> Response:
    required_for = request.app.state.settings.totp_required_for
    try:
        account, client = _user(session, user), client_address(request.scope)
        second_factor.turn_off(session, account, code, actor=user.username, required_for=required_for, client=client)
    except PeaceopsError as exc:
        return _account_page(request, session, user, error=_(str(exc)), status_code=exc.status_code)
    flash(
        request,
        _("Your second factor is off: signing in needs your password only. Your recovery codes no longer work."),
    )
    return RedirectResponse("/account", status_code=303)
