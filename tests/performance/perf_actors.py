"""The people the performance tests act as (no database rows: the domain only needs name, role, mission)."""

from peaceops.access.policy import Actor

ADMIN = Actor("admin-a", "admin")
ADMIN_B = Actor("admin-b", "admin")
ANALYST = Actor("analyst", "analyst")
OFFICER = Actor("officer-unmiss", "mission_officer", "UNMISS")
OTHER_OFFICER = Actor("officer-minusca", "mission_officer", "MINUSCA")
VIEWER = Actor("viewer", "viewer")
