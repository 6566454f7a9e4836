"""The web surface: server-rendered pages, each with a JSON twin under /api/ (see ``create_app``)."""

from peaceops.web.app import create_app

__all__ = ["create_app"]
