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
        (("/agreements", "Agreements"), ("/processes", "Processes"), ("/helpdesk", "Helpdesk"), ("/roster", "Roster")),
    ),
    ("Data", (("/imports", "Imports"),)),
)
ADMIN_LINKS: tuple[Link, ...] = (("/admin/users", "Users"), ("/admin/audit", "Audit log"))


def navigation(user: Actor | None) -> list[tuple[str, list[Link]]]:
    """The groups ``user`` sees (administration links for administrators only); none before sign-in."""
    if user is None:
        return []
    groups = [(label, list(links)) for label, links in GROUPS]
    if is_admin(user):
        groups[-1][1].extend(ADMIN_LINKS)
    return groups
