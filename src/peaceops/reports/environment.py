"""The one Jinja environment: templates from the given folders, then the reports' own, with the shared filters.

The web app builds its page templates on it (``web/templating.py``); briefs and reports rendered from the
command line use it directly, so a page and its printed brief format numbers, dates and highlights alike.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from peaceops import i18n
from peaceops.agreements import highlight
from peaceops.framework.threat_areas import threat_area_choices, threat_area_label
from peaceops.reports.filters import FILTERS, mission_url

TEMPLATES = Path(__file__).with_name("templates")


def make_environment(*folders: Path) -> Environment:
    """An autoescaping environment over ``folders`` (first match wins) and the reports' templates.

    Templates translate with the current language (``{% trans %}`` blocks and ``_()``, new-style gettext:
    named placeholders, escaped), with whitespace in ``{% trans %}`` blocks trimmed as the extraction
    (``babel.cfg``) trims it.
    """
    env = Environment(
        loader=FileSystemLoader([*folders, TEMPLATES]),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(FILTERS)
    env.filters.update(
        format_date=i18n.format_date,
        format_datetime=i18n.format_datetime,
        format_number=i18n.format_number,
        format_percent=i18n.format_percent,
    )
    env.globals["current_locale"] = i18n.current
    env.globals["text_direction"] = i18n.direction
    env.globals["chart_locale"] = i18n.vega_locale  # months, days and separators of the charts (static/app.js)
    env.filters["marked"] = highlight.html
    env.globals["mission_url"] = mission_url
    env.globals["threat_area_choices"] = threat_area_choices
    env.globals["url_with"] = url_with
    env.filters["threat_area"] = threat_area_label
    return env


def url_with(url: str, **changes: object) -> str:
    """``url`` (a path and query, as a page's ``here``) with the query parameters ``changes`` names set, or
    dropped where the value is empty: the links of a filter's counts keep the page's other filters."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in changes]
    query += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
    return urlunsplit(("", "", parts.path, urlencode(query), ""))
