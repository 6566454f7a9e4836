"""The one Jinja environment: templates from the given folders, then the reports' own, with the shared filters.

The web app builds its page templates on it (``web/templating.py``); briefs and reports rendered from the
command line use it directly, so a page and its printed brief format numbers, dates and highlights alike.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from peaceops.agreements import highlight
from peaceops.reports.filters import FILTERS, mission_url

TEMPLATES = Path(__file__).with_name("templates")


def make_environment(*folders: Path) -> Environment:
    """An autoescaping environment over ``folders`` (first match wins) and the reports' templates."""
    env = Environment(loader=FileSystemLoader([*folders, TEMPLATES]), autoescape=select_autoescape(["html"]))
    env.filters.update(FILTERS)
    env.filters["marked"] = highlight.html
    env.globals["mission_url"] = mission_url
    return env
