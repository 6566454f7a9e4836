"""The site's navigation: groups of pages, in the order the header shows them; the one list a page is added to.

The templates are grouped in folders the same way (``templates/<group>/``).
"""

from __future__ import annotations

from babel.support import LazyProxy

from peaceops.access.policy import Actor, is_admin, is_partner
from peaceops.i18n import _l

Link = tuple[str, str]  # (href, label)
Label = LazyProxy | str  # translated when shown: the labels are defined before any request has a language

GROUPS: tuple[tuple[Label, tuple[tuple[str, Label], ...]], ...] = (
    (_l("Overview"), (("/", _l("Overview")),)),
    (
        _l("Monitoring"),
        (
            ("/conflict", _l("Conflict")),
            ("/regions", _l("Regions")),
            ("/incidents", _l("Incidents")),
            ("/comms", _l("Communications")),
        ),
    ),
    (
        _l("Missions"),
        (
            ("/missions", _l("Missions")),
            ("/performance", _l("Performance")),
            ("/training", _l("Training")),
            ("/transitions", _l("Transitions")),
            ("/support", _l("Partner support")),
            ("/resources", _l("Resources")),
            ("/framework", _l("A4P framework")),
        ),
    ),
    (
        _l("Accountability"),
        (
            ("/safety", _l("Safety")),
            ("/conduct", _l("Conduct")),
            ("/environment", _l("Environment")),
            ("/countries", _l("Countries")),
            ("/pledges", _l("Pledges")),
            ("/partnerships", _l("Partnerships")),
        ),
    ),
    (
        _l("Mediation"),
        (
            ("/agreements", _l("Agreements")),
            ("/commitments", _l("Implementation")),
            ("/processes", _l("Processes")),
            ("/helpdesk", _l("Helpdesk")),
            ("/roster", _l("Roster")),
        ),
    ),
    (_l("Data"), (("/imports", _l("Imports")),)),
)
# A partner account reaches its organisation's helpdesk requests only (access.policy.check_full_access).
PARTNER_GROUPS: tuple[tuple[Label, tuple[tuple[str, Label], ...]], ...] = (
    (_l("Helpdesk"), (("/helpdesk", _l("Helpdesk")),)),
)
ADMIN_LINKS: tuple[tuple[str, Label], ...] = (
    ("/admin/users", _l("Users")),
    ("/admin/audit", _l("Audit log")),
    ("/admin/jobs", _l("Jobs")),
)
# Pages with no link of their own, and the link they belong under: the search of debriefs (``/debriefs``,
# ``/debriefs/{id}``) is part of the peace processes, so Mediation and Processes are marked current there.
BELONGS_UNDER: dict[str, str] = {"/debriefs": "/processes"}


def _under(path: str, href: str) -> bool:
    """Whether ``path`` is the page ``href`` or one below it (``/processes/3``, not ``/processesx``)."""
    if href == "/":
        return path == "/"
    return path == href or path.startswith(href.rstrip("/") + "/")


def current_link(path: str, groups: list[tuple[str, list[Link]]]) -> tuple[str | None, str | None]:
    """The group and the link that ``path`` falls under (``(None, None)`` for pages outside the navigation).

    The longest matching link wins, so ``/admin/users`` is under Users, not under a shorter prefix.
    """
    for prefix, href in BELONGS_UNDER.items():
        if _under(path, prefix):
            path = href
            break
    best: tuple[str | None, str | None] = (None, None)
    longest = -1
    for label, links in groups:
        for href, _ in links:
            if _under(path, href) and len(href) > longest:
                best, longest = (label, href), len(href)
    return best


def navigation(user: Actor | None) -> list[tuple[str, list[Link]]]:
    """The groups ``user`` sees (administration links for administrators only), labelled in the current
    language; none before sign-in."""
    if user is None:
        return []
    shown = PARTNER_GROUPS if is_partner(user) else GROUPS
    groups = [(str(label), [(href, str(name)) for href, name in links]) for label, links in shown]
    if is_admin(user):
        groups[-1][1].extend((href, str(name)) for href, name in ADMIN_LINKS)
    return groups
