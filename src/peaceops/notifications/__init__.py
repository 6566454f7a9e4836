"""Notifications: people follow alert rules, regions, peace processes and helpdesk requests and are told of
changes by e-mail and webhook, at once or in a daily digest (decision 040). The domains write changes to the
store's outbox (``store.outbox.emit``) in their own transactions; this package fans them out and sends them,
asking the access policy at send time whether each recipient may still read the target."""

from peaceops.notifications.sender import fan_out, send_pending
from peaceops.notifications.subscriptions import follow, list_own, set_email, unfollow

__all__ = ["fan_out", "follow", "list_own", "send_pending", "set_email", "unfollow"]
