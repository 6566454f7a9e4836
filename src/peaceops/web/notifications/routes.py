"""Following things: ``/api/subscriptions`` (the signed-in user's own only) and the forms behind the Follow
button and the account page's Notifications section (decision 040)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import RedirectResponse, Response

from peaceops.errors import PeaceopsError
from peaceops.i18n import _
from peaceops.notifications import follow, list_own, set_email, unfollow
from peaceops.notifications.shapes import SubscriptionCreated, SubscriptionList
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.security import flash, safe_next
from peaceops.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter()


class SubscriptionIn(BaseModel):
    """What to follow and how to be told."""

    model_config = ConfigDict(extra="forbid")

    target_kind: str = Field(max_length=24, description="alert_rule, region, process or helpdesk_request.")
    target_key: str = Field(max_length=40, description="kind:level (alert rule), M49 code or name (region), or id.")
    email: bool = Field(True, description="Send e-mail to the address on the account page.")
    webhook_url: str | None = Field(None, max_length=500, description="An http(s) address to POST JSON to.")
    mode: str = Field("immediate", max_length=12, description="immediate or digest (one message a day).")


@api.get("/subscriptions", response_model=SubscriptionList, summary="What you follow")
def subscriptions_api(session: SessionDep, user: CurrentUser) -> SubscriptionList:
    return list_own(session, user)


@api.post(
    "/subscriptions",
    response_model=SubscriptionCreated,
    status_code=201,
    summary="Follow an alert rule, a region, a process or a helpdesk request (a webhook's secret is shown once)",
)
def follow_api(session: SessionDep, user: CurrentUser, body: SubscriptionIn) -> SubscriptionCreated:
    return follow(session, user, body.target_kind, body.target_key, email=body.email,
                  webhook_url=body.webhook_url, mode=body.mode)  # fmt: skip


@api.delete("/subscriptions/{subscription_id}", status_code=204, summary="Stop following (your own only)")
def unfollow_api(session: SessionDep, user: CurrentUser, subscription_id: int) -> Response:
    unfollow(session, user, subscription_id)
    return Response(status_code=204)


def _back(target: str) -> str:
    """Only a path on this site (never another host) to go back to."""
    back = safe_next(target)
    return back if back != "/" else "/account"


@pages.post("/subscriptions/follow")
def follow_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    target_kind: Annotated[str, Form(max_length=24)],
    target_key: Annotated[str, Form(max_length=40)],
    mode: Annotated[str, Form(max_length=12)] = "immediate",
    webhook_url: Annotated[str, Form(max_length=500)] = "",
    back: Annotated[str, Form(max_length=300)] = "/account",
) -> Response:
    try:
        created = follow(session, user, target_kind, target_key, webhook_url=webhook_url or None, mode=mode)
    except PeaceopsError as exc:
        flash(request, _("Not followed: {reason}").format(reason=exc))
        return RedirectResponse(_back(back), status_code=303)
    if created.webhook_secret:
        return render(request, "notifications_secret.html", {"created": created.model_dump(), "back": _back(back)})
    flash(request, _("You follow {what}. Changes reach you as your account page says.").format(what=created.label))
    return RedirectResponse(_back(back), status_code=303)


@pages.post("/subscriptions/{subscription_id}/remove")
def unfollow_form(request: Request, session: SessionDep, user: CurrentUser, subscription_id: int) -> Response:
    unfollow(session, user, subscription_id)
    flash(request, _("You no longer follow it."))
    return RedirectResponse("/account#notifications", status_code=303)


@pages.post("/account/email")
def email_form(
    request: Request, session: SessionDep, user: CurrentUser, email: Annotated[str, Form(max_length=254)] = ""
) -> Response:
    try:
        saved = set_email(session, user, email)
    except PeaceopsError as exc:
        flash(request, str(exc))
        return RedirectResponse("/account#notifications", status_code=303)
    flash(request, _("Notification e-mail goes to {address}.").format(address=saved) if saved
          else _("No e-mail address: notifications go to webhooks only."))  # fmt: skip
    return RedirectResponse("/account#notifications", status_code=303)
