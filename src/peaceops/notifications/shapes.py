"""The typed answers of the notifications package (decision 019)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class SubscriptionOut(BaseModel):
    """One thing the signed-in user follows, and how they are told."""

    model_config = ConfigDict(frozen=True)

    id: int
    target_kind: str = Field(description="alert_rule, region, process or helpdesk_request.")
    target_key: str = Field(description="kind:level for an alert rule, the M49 code of a region, else the id.")
    label: str = Field(description="What is followed, in words.")
    link: str = Field(description="The followed page's path.")
    email: bool
    webhook_url: str | None
    mode: str = Field(description="immediate (one message per change) or digest (one a day).")
    created_at: datetime
    pending: int = Field(0, description="Messages not yet sent.")
    last_error: str = Field("", description="Why the last attempt to send failed, if it did.")


class SubscriptionCreated(SubscriptionOut):
    """A new subscription; ``webhook_secret`` is shown this once (it signs every webhook call)."""

    webhook_secret: str | None = None


class SubscriptionList(BaseModel):
    model_config = ConfigDict(frozen=True)

    email: str | None = Field(description="Where e-mail goes (the account page sets it).")
    subscriptions: list[SubscriptionOut]


class SendReport(BaseModel):
    """What one run of the sender did."""

    model_config = ConfigDict(frozen=True)

    fanned_out: int = Field(description="Changes matched to subscriptions in this run.")
    sent: int = Field(description="Messages sent (one per immediate change; one per digest).")
    withheld: int = Field(description="Changes not sent: the recipient may no longer read the target.")
    failed: int = Field(description="Messages that could not be sent; retried later.")
    problems: list[str] = Field(default_factory=list, description="Why sending failed, one line per cause.")
