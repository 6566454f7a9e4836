"""HTML to PDF, the one path every report and brief takes (WeasyPrint: needs Pango from the system)."""

from __future__ import annotations

from peaceops.errors import ConfigurationError


def to_pdf(html: str) -> bytes:
    """The document as PDF; a clear error, not a crash, where WeasyPrint or its libraries are missing."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise ConfigurationError(
            "PDF export needs WeasyPrint and its Pango libraries (pip install weasyprint; on Debian "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0); the HTML version has the same content."
        ) from exc
    return bytes(HTML(string=html).write_pdf())
