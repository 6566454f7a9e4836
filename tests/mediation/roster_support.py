"""Helpers the roster and helpdesk tests share: a constructed roster whose ranking is known by hand,
accounts per role, and web clients signed in through the real login form."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from support import web

from peaceops.access.policy import Actor
from peaceops.access.users import add_user
from peaceops.roster.experts import clean_expert, save_expert
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

PASSWORD = "roster password, long enough"
ANALYST = Actor(username="helpdesk-analyst", role="analyst")
OFFICER = Actor(username="field-officer", role="mission_officer", mission="MINUSCA")
VIEWER = Actor(username="reader", role="viewer")

# A request for land expertise in Mali (Western Africa), French and English, January 2027, confidential.
LAND_REQUEST = {
    "title": "Land tenure chapter for the Mali talks",
    "expertise": "land",
    "languages": ["fr", "en"],
    "region": "MLI",
    "urgency": "urgent",
    "needed_from": "2027-01-01",
    "needed_to": "2027-01-30",
    "clearance": "confidential",
    "description": "Draft options for customary land rights.",
    "context": "Inter-Malian dialogue, track I",
}

# Expected order for LAND_REQUEST, worked out by hand from the weights (40/25/20/15):
#   Aminata  land, all 30 days, fr native + en fluent, Mali           = 40+25+20+15   = 100
#   Bruno    land, 15 of 30 days, fr native + en working, Niger (same sub-region) = 40+12.5+17.5+6 = 76
#   Chen     natural resources (related), all days, fr working + en native, Western Africa = 20+25+17.5+10 = 72.5
#   Dara     land, all days, no French or English, no region                     = 40+25+0+0    = 65
# Excluded: Esi (land, clearance none < confidential), Farid (land, available only in March 2027).
# Not a candidate: Greta (elections only).
ROSTER: list[dict[str, Any]] = [
    {"name": "Aminata Diallo", "email": "aminata@example.org", "expertise": "land; power sharing",
     "languages": "fr:native; en:fluent", "regions": "MLI", "availability": "2026-12-01..2027-02-28",
     "clearance": "confidential", "phone": "+223 1234", "affiliation": "Bamako Land Institute"},
    {"name": "Bruno Keita", "email": "bruno@example.org", "expertise": "land",
     "languages": "fr:native; en:working", "regions": "NER", "availability": "2027-01-16..2027-04-30",
     "clearance": "strictly_confidential"},
    {"name": "Chen Wei", "email": "chen@example.org", "expertise": "natural_resources",
     "languages": "fr:working; en:native", "regions": "Western Africa", "availability": "2026-11-01..2027-06-30",
     "clearance": "confidential"},
    {"name": "Dara Oyelaran", "email": "dara@example.org", "expertise": "land", "languages": "ar:fluent",
     "regions": "SDN", "availability": "2027-01-01..2027-01-30", "clearance": "confidential"},
    {"name": "Esi Mensah", "email": "esi@example.org", "expertise": "land", "languages": "fr:native; en:native",
     "regions": "MLI", "availability": "2027-01-01..2027-12-31", "clearance": "none"},
    {"name": "Farid Haddad", "email": "farid@example.org", "expertise": "land", "languages": "fr:fluent; en:fluent",
     "regions": "MLI", "availability": "2027-03-01..2027-03-31", "clearance": "confidential"},
    {"name": "Greta Lund", "email": "greta@example.org", "expertise": "elections", "languages": "en:native",
     "regions": "Northern Europe", "availability": "2026-11-01..2027-12-31", "clearance": "confidential"},
]  # fmt: skip
EXPECTED_ORDER = ["Aminata Diallo", "Bruno Keita", "Chen Wei", "Dara Oyelaran"]
EXPECTED_SCORES = [100.0, 76.0, 72.5, 65.0]


def build_roster(db: Database) -> dict[str, int]:
    """Save the constructed roster; returns name -> expert id."""
    ids = {}
    with db.session() as s:
        for row in ROSTER:
            expert, _ = save_expert(s, ANALYST, clean_expert(row))
            ids[expert.name] = expert.id
    return ids


def make_users(db: Database, roles: tuple[str, ...] = ("viewer", "analyst")) -> None:
    with db.session() as s:
        for role in roles:
            add_user(s, f"hd-{role}", PASSWORD, role)


def signed_in_client(settings: Settings, db: Database, role: str) -> TestClient:
    """``hd-<role>`` signed in, with the helpdesk page's token as the X-CSRF-Token header."""
    return web.signed_in_client(create_app(settings, db=db), f"hd-{role}", PASSWORD, header_from="/helpdesk")


def day(text: str) -> date:
    return date.fromisoformat(text)
