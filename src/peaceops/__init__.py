"""peaceops: data-driven peace operations."""

__version__ = "0.1.0"
