"""Storage: the SQLAlchemy engine and sessions, the declarative base, import provenance."""

from peaceops.store.base import Base
from peaceops.store.database import Database, upgrade

__all__ = ["Base", "Database", "upgrade"]
