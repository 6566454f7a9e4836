"""Uniformed Gender Parity Strategy 2018-2028 targets, kept as editable rows and read back as a curve."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.personnel.categories import PARITY_CATEGORIES
from peaceops.personnel.models import ParityTarget

SOURCE = "Uniformed Gender Parity Strategy 2018-2028 (confirmed values)"
# Confirmed milestones (share of women). Only these are seeded; years between them are interpolated
# when read, and marked as such, so an edit to a milestone moves the whole line.
SEED = {
    "military_contingents": {2021: 0.08, 2028: 0.15},
    "staff_officers_observers": {2021: 0.18, 2028: 0.25},
    "formed_police_units": {2022: 0.12, 2028: 0.20},
    "individual_police": {2028: 0.30},
}


def seed_targets(session: Session) -> int:
    """Insert the confirmed milestones that are missing; never overwrite a value someone edited."""
    have = {(t.category, t.year) for t in session.scalars(select(ParityTarget))}
    added = 0
    for category, points in SEED.items():
        for year, share in points.items():
            if (category, year) not in have:
                session.add(ParityTarget(category=category, year=year, share=share, source=SOURCE))
                added += 1
    return added


def target_curve(session: Session) -> dict[str, list[dict[str, object]]]:
    """Per category, one point per year from the first to the last milestone (interpolated between)."""
    milestones: dict[str, dict[int, float]] = {c: {} for c in PARITY_CATEGORIES}
    for t in session.scalars(select(ParityTarget).order_by(ParityTarget.year)):
        milestones.setdefault(t.category, {})[t.year] = t.share
    curves: dict[str, list[dict[str, object]]] = {}
    for category, points in milestones.items():
        years = sorted(points)
        curve: list[dict[str, object]] = []
        for a, b in zip(years, years[1:], strict=False):
            for year in range(a, b):
                share = points[a] + (points[b] - points[a]) * (year - a) / (b - a)
                curve.append({"year": year, "share": round(share, 4), "milestone": year == a})
        if years:
            curve.append({"year": years[-1], "share": points[years[-1]], "milestone": True})
        curves[category] = curve
    return curves


def target_for(session: Session, category: str, year: int) -> float | None:
    """The target share for a category in a year, or None before its first milestone."""
    for point in target_curve(session).get(category, []):
        if point["year"] == year:
            return float(point["share"])  # type: ignore[arg-type]
    return None
