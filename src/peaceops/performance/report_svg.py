"""Charts for the printed report as inline SVG strings: WeasyPrint cannot run Vega-Lite, so Python draws them.

Colours follow the rating badges of the pages (Okabe-Ito-safe greens, ambers, reds, greys); every chart
carries a ``<title>`` so the PDF and the HTML page stay readable without the picture.
"""

from __future__ import annotations

from html import escape
from typing import Any

RATING_COLOURS: dict[str | None, str] = {
    "on_track": "#2e8b57",
    "at_risk": "#e0a100",
    "off_track": "#c0392b",
    "no_data": "#b8c0c8",
    "no_target": "#dde2e7",
    None: "#ffffff",
}
LINE = "#0072B2"
TARGET = "#D55E00"


def _num(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")


def rating_bar(counts: dict[str, int], labels: dict[str, str], width: int = 520, height: int = 34) -> str:
    """One stacked horizontal bar: how many objectives are on track, at risk, off track, without data."""
    total = sum(counts.values()) or 1
    x = 0.0
    parts = []
    for key in ("on_track", "at_risk", "off_track", "no_data"):
        n = counts.get(key, 0)
        if not n:
            continue
        w = width * n / total
        parts.append(
            f'<rect class="seg seg-{key}" x="{x:.1f}" y="0" width="{w:.1f}" height="{height - 14}" '
            f'fill="{RATING_COLOURS[key]}"><title>{escape(labels[key])}: {n}</title></rect>'
        )
        if w > 40:
            colour = "#1b1f23" if key in ("no_data", "at_risk") else "#ffffff"
            parts.append(
                f'<text x="{x + 6:.1f}" y="{(height - 14) / 2 + 4:.1f}" font-size="11" fill="{colour}">'
                f"{escape(labels[key])} {n}</text>"
            )
        x += w
    summary = ", ".join(f"{labels[k]} {counts.get(k, 0)}" for k in ("on_track", "at_risk", "off_track", "no_data"))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-rating-bar" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>Objectives by rating: {escape(summary)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def progress_bars(rows: list[dict[str, Any]], width: int = 520, bar: int = 16) -> str:
    """Each rated indicator's progress towards its target (0 to 100 %, clipped), coloured by its status."""
    rated = [r for r in rows if r.get("progress") is not None]
    label_w, gap = 170, 6
    height = max(1, len(rated)) * (bar + gap) + 18
    plot = width - label_w - 40
    parts = [
        f'<line x1="{label_w + plot * t:.1f}" y1="0" x2="{label_w + plot * t:.1f}" y2="{height - 16}" '
        f'stroke="#c9d1d9" stroke-dasharray="{"none" if t in (0, 1) else "3 3"}"/>'
        f'<text x="{label_w + plot * t:.1f}" y="{height - 4}" font-size="9" text-anchor="middle" fill="#4a5560">'
        f"{int(t * 100)} %</text>"
        for t in (0, 0.5, 0.9, 1)
    ]
    for n, r in enumerate(rated):
        y = n * (bar + gap)
        p = max(0.0, min(1.0, float(r["progress"])))
        status = str(r["status"])
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar - 4}" font-size="10" text-anchor="end" fill="#1b1f23">'
            f"{escape(str(r['code']))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{max(plot * p, 1.5):.1f}" height="{bar}" '
            f'fill="{RATING_COLOURS.get(status, "#999")}"><title>{escape(str(r["code"]))}: '
            f"{float(r['progress']) * 100:.0f} % of the way</title></rect>"
            f'<text x="{label_w + max(plot * p, 1.5) + 4:.1f}" y="{y + bar - 4}" font-size="10" fill="#1b1f23">'
            f"{float(r['progress']) * 100:.0f} %</text>"
        )
    if not rated:
        parts.append(
            f'<text x="{label_w}" y="12" font-size="11" fill="#4a5560">'
            "No indicator has both a value and a target.</text>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-progress" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>Progress of each rated indicator towards its target'
        f"</title>" + "".join(parts) + "</svg>"
    )


def sparkline(points: list[tuple[str, float]], target: float | None, width: int = 150, height: int = 34) -> str:
    """A small line of an indicator's values over the periods before the report's end, with its target dashed."""
    if not points:
        return ""
    ys = [v for _, v in points] + ([target] if target is not None else [])
    low, high = min(ys), max(ys)
    span = (high - low) or 1.0
    pad = 3

    def sx(n: int) -> float:
        return pad + (width - 2 * pad) * (n / max(1, len(points) - 1))

    def sy(v: float) -> float:
        return height - pad - (height - 2 * pad) * (v - low) / span

    path = " ".join(f"{'M' if n == 0 else 'L'}{sx(n):.1f},{sy(v):.1f}" for n, (_, v) in enumerate(points))
    parts = [f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="1.5"/>']
    last_x, last_y = sx(len(points) - 1), sy(points[-1][1])
    parts.append(f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.2" fill="{LINE}"/>')
    if target is not None:
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{sy(target):.1f}" y2="{sy(target):.1f}" '
            f'stroke="{TARGET}" stroke-width="1" stroke-dasharray="4 2"/>'
        )
    title = f"{points[0][0]} to {points[-1][0]}: from {_num(points[0][1])} to {_num(points[-1][1])}"
    if target is not None:
        title += f"; target {_num(target)}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title>' + "".join(parts) + "</svg>"
    )


def priority_strip(cells: list[dict[str, Any]], labels: dict[str, str], width: int = 520) -> str:
    """The mission's heatmap row: one square per A4P+ priority, coloured by the scorecard rating."""
    n = max(1, len(cells))
    size = min(60.0, (width - (n - 1) * 6) / n)
    parts = []
    for k, c in enumerate(cells):
        x = k * (size + 6)
        rating = c.get("rating")
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{size:.1f}" height="{size * 0.6:.1f}" rx="4" '
            f'fill="{RATING_COLOURS.get(rating, "#fff")}" stroke="#8a959f" stroke-width="0.5">'
            f"<title>{escape(str(c['code']))}: {escape(labels.get(str(rating), 'not in the framework'))}</title></rect>"
            f'<text x="{x + size / 2:.1f}" y="{size * 0.6 + 12:.1f}" font-size="10" text-anchor="middle" '
            f'fill="#1b1f23">{escape(str(c["code"]).replace("A4P+.", ""))}</text>'
        )
    height = size * 0.6 + 16
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-priorities" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" role="img"><title>Scorecard rating per A4P+ priority</title>'
        + "".join(parts)
        + "</svg>"
    )


def priority_trend(
    months: list[str], codes: list[str], ratings: dict[tuple[str, str], str], labels: dict[str, str], width: int = 520
) -> str:
    """The mission's scorecard month by month: one row per A4P+ priority, one column per month, coloured by
    rating (white: the priority is not in the framework that month)."""
    label_w, row_h, gap = 34, 14, 2
    cell_w = (width - label_w) / max(1, len(months))
    parts = []
    for r, code in enumerate(codes):
        y = r * (row_h + gap)
        parts.append(
            f'<text x="0" y="{y + row_h - 3}" font-size="9" fill="#1b1f23">{escape(code.replace("A4P+.", ""))}</text>'
        )
        for c, key in enumerate(months):
            rating = ratings.get((key, code))
            parts.append(
                f'<rect x="{label_w + c * cell_w:.1f}" y="{y}" width="{max(cell_w - 1, 1):.1f}" height="{row_h}" '
                f'fill="{RATING_COLOURS.get(rating, "#fff")}" stroke="#c9d1d9" stroke-width="0.3">'
                f"<title>{escape(code)} {escape(key)}: {escape(labels.get(str(rating), 'not in the framework'))}"
                "</title></rect>"
            )
    bottom = len(codes) * (row_h + gap)
    for c, key in enumerate(months):
        if c == 0 or c == len(months) - 1 or key.endswith("-01"):
            anchor = "start" if c == 0 else "end" if c == len(months) - 1 else "middle"
            x = label_w + c * cell_w + (cell_w if anchor == "end" else 0)
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 10}" font-size="8" text-anchor="{anchor}" fill="#4a5560">'
                f"{escape(key)}</text>"
            )
    height = bottom + 14
    counts = {k: sum(1 for v in ratings.values() if v == k) for k in ("on_track", "at_risk", "off_track", "no_data")}
    summary = ", ".join(f"{labels[k]} {n}" for k, n in counts.items())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-priority-trend" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>Scorecard rating per A4P+ priority, {escape(months[0])} to '
        f"{escape(months[-1])} (cells: {escape(summary)})</title>" + "".join(parts) + "</svg>"
    )
