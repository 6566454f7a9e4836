"""The roster's gaps: expertise areas, languages and regions with too few experts available soon.

Only technical experts count: NGO mediators and envoy candidates are kept on their own rosters for
partnership and selection (Blue Paper ¶30, ¶38), not matched to requests. An expert counts as available
when one of their windows overlaps the coming ``horizon_days`` (90 by default) from ``today``; a row is a
gap when fewer than ``threshold`` (2) such experts cover it. Every
expertise area of the controlled list, the six UN languages plus every language on the roster or asked
for, and every region on the roster or asked for are reported, so a zero shows as a gap, not a blank.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peaceops.roster import terms
from peaceops.roster.models import Expert, HelpRequest
from peaceops.roster.shapes import GapReport, GapRow

__all__ = ["DEFAULT_HORIZON", "DEFAULT_THRESHOLD", "gap_report"]

DEFAULT_HORIZON = 90
DEFAULT_THRESHOLD = 2


def _available(expert: Expert, start: date, end: date) -> bool:
    return any(w.starts_on <= end and start <= w.ends_on for w in expert.windows)


def _row(kind: str, code: str, label: str, on_roster: int, available: int, threshold: int) -> GapRow:
    return GapRow(kind=kind, code=code, label=label, on_roster=on_roster, available=available,
                  gap=available < threshold)  # fmt: skip


def gap_report(
    session: Session,
    today: date | None = None,
    horizon_days: int = DEFAULT_HORIZON,
    threshold: int = DEFAULT_THRESHOLD,
) -> GapReport:
    """Expertise areas, languages and regions with their experts on the roster and available in the horizon."""
    today = today or date.today()
    end = today + timedelta(days=horizon_days)
    technical = select(Expert).options(selectinload(Expert.windows)).where(Expert.kind == terms.TECHNICAL)
    experts = list(session.scalars(technical))
    available = [e for e in experts if _available(e, today, end)]
    asked = list(session.execute(select(HelpRequest.languages, HelpRequest.region)))

    areas = [
        _row("expertise", code, label, sum(code in e.expertise for e in experts),
             sum(code in e.expertise for e in available), threshold)
        for code, label in terms.EXPERTISE_AREAS.items()
    ]  # fmt: skip

    def speaks(e: Expert, code: str) -> bool:
        return any(x["code"] == code for x in e.languages)

    codes = set(terms.UN_LANGUAGES) | {x["code"] for e in experts for x in e.languages}
    codes |= {c for langs, _ in asked for c in langs}
    languages = [
        _row("language", c, terms.language_name(c), sum(speaks(e, c) for e in experts),
             sum(speaks(e, c) for e in available), threshold)
        for c in sorted(codes, key=terms.language_name)
    ]  # fmt: skip

    def knows(e: Expert, sub: str) -> bool:
        return any(terms.place_region(p) == sub for p in e.regions)

    subs = {terms.place_region(p) for e in experts for p in e.regions} | {terms.place_region(r) for _, r in asked}
    regions = [
        _row("region", s, s, sum(knows(e, s) for e in experts), sum(knows(e, s) for e in available), threshold)
        for s in sorted(subs)
    ]
    rows = areas + languages + regions
    return GapReport(
        today=today,
        until=end,
        horizon_days=horizon_days,
        threshold=threshold,
        experts=len(experts),
        available=len(available),
        expertise=areas,
        languages=languages,
        regions=regions,
        gaps=[r for r in rows if r.gap],
    )
