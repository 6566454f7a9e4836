"""The site's navigation: groups of pages, in the order the header shows them; the one list a page is added to.

The templates are grouped in folders the same way (``templates/<group>/``).
"""

from __future__ import annotations

from peaceops.access.policy import Actor, is_admin

Link = tuple[str, str]  # (href, label)

GROUPS: tuple[tuple[str, tuple[Link, ...]], ...] = (
    ("Overview", (("/", "Overview"),)),
    ("Monitoring", (("/conflict", "Conflict"), ("/incidents", "Incidents"), ("/comms", "Communications"))),
    ("Missions", (("/missions", "Missions"), ("/performance", "Performance"), ("/framework", "A4P framework"))),
    (
        "Accountability",
        (
            ("/safety", "Safety"),
            ("/conduct", "Conduct"),
            ("/environment", "Environment"),
            ("/countries", "Countries"),
            ("/pledges", "Pledges"),
            ("/partnerships", "Partnerships"),
        ),
    ),
    (
        "Mediation",
        (
            ("/agreements", "Agreements"),
            ("/commitments", "Implementation"),
            ("/processes", "Processes"),
            ("/helpdesk", "Helpdesk"),
            ("/roster", "Roster"),
        ),
    ),
    ("Data", (("/imports", "Imports"),)),
)
ADMIN_LINKS: tuple[Link, ...] = (("/admin/users", "Users"), ("/admin/audit", "Audit log"))
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
    """The groups ``user`` sees (administration links for administrators only); none before sign-in."""
    if user is None:
        return []
    groups = [(label, list(links)) for label, links in GROUPS]
    if is_admin(user):
        groups[-1][1].extend(ADMIN_LINKS)
    return groups
