"""The people the performance tests act as (no database rows: the domain only needs name, role, mission)."""

from peaceops.performance.permissions import SystemActor

ADMIN = SystemActor("admin-a", "admin")
ADMIN_B = SystemActor("admin-b", "admin")
ANALYST = SystemActor("analyst", "analyst")
OFFICER = SystemActor("officer-unmiss", "mission_officer", "UNMISS")
OTHER_OFFICER = SystemActor("officer-minusca", "mission_officer", "MINUSCA")
VIEWER = SystemActor("viewer", "viewer")
