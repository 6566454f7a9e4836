"""A selection of agreements as a printable, self-contained HTML brief (styles inline, no scripts), so the same
HTML prints from a browser, converts to PDF (``reports.pdf``), and can be mailed as one file."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from peaceops.agreements.export import CITATION, brief_items
from peaceops.agreements.shapes import Comparison
from peaceops.i18n import _
from peaceops.reports.environment import make_environment


def render_brief(
    session: Session,
    ids: list[int],
    *,
    title: str | None = None,
    comparison: Comparison | None = None,
) -> str:
    """The brief: each agreement's facts, summary and headline categories, with the sources' citation, in the
    current language (the title by default too)."""
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    template = make_environment().get_template("agreements_brief.html")
    return template.render(
        title=title or _("Peace agreements brief"),
        items=brief_items(session, ids),
        comparison=comparison,
        generated=generated,
        citation=CITATION,
    )
