"""QR codes drawn on the server as inline SVG (segno): no script, no image request, nothing fetched."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(data: str, *, title: str = "QR code") -> Markup:
    """``data`` as a QR code in an ``<svg>`` element to place in a page (black on white, quiet zone kept)."""
    code = segno.make(data, error="m")
    svg = code.svg_inline(scale=5, dark="#000", light="#fff", title=title, svgclass="qr-code", lineclass=None)
    return Markup(svg)  # segno escapes the title; the data is drawn as a path, never as text
