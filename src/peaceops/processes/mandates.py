"""Envoys' mandates as places: a mandate area names a UN M49 sub-region, a country, or something else (a
conflict, "Great Lakes region"), and two mandates of one body overlap when their places meet — the same
place, or a country inside a sub-region (Blue Paper ¶18, ¶33, ¶47: sub-regional mandates beside national
ones). The coordination check ``overlapping-mandates`` and the system-wide review page both read this.

A mandate area is read as a place only when the whole text names one: an M49 code or sub-region name
(``geography.regions``), an ISO 3166 alpha-3 code or a country name in any common spelling. Anything else
stays a name, compared with other names case- and space-insensitively, as decision 012 did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from peaceops.geography import regions
from peaceops.geography.codes import country_name, is_known_iso3, iso3_from_name, un_region
from peaceops.i18n import _
from peaceops.processes.models import MEDIATOR_KIND_LABELS, PeaceProcess, ProcessMediator
from peaceops.processes.shapes import EnvoyMandate, MandateOverlap, MandateReview, MandateScope, OrganisationMandates

SUBREGION, COUNTRY, NAMED = "subregion", "country", "named"
SAME, WITHIN, COVERS = "same", "within", "covers"  # how the other mandate's place relates to this one's


@dataclass(frozen=True)
class Place:
    """Where a mandate applies: an M49 sub-region (its code), a country (ISO3) or a bare name (casefolded)."""

    kind: str
    code: str
    name: str  # the sub-region's English name, the country's short name, or the text as written

    @property
    def subregion(self) -> str | None:
        """The M49 code of the sub-region this place is (or lies in); None for a bare name."""
        if self.kind == SUBREGION:
            return self.code
        if self.kind == COUNTRY:
            return regions.subregion_code(un_region(self.code) or "")
        return None


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@cache
def place_of(area: str) -> Place:
    """The place a mandate area names (see the module's docstring)."""
    text = " ".join(area.split())
    code = regions.subregion_code(text)
    if code is not None:
        return Place(SUBREGION, code, regions.SUBREGIONS[code])
    if len(text) == 3 and text.isalpha() and is_known_iso3(text.upper()):
        iso3: str | None = text.upper()
    else:
        iso3 = iso3_from_name(text) if text else None
    if iso3 is not None and is_known_iso3(iso3):
        return Place(COUNTRY, iso3, country_name(iso3) or iso3)
    return Place(NAMED, _key(text), text)


def relation(mine: Place, other: Place) -> str | None:
    """How ``other`` relates to ``mine``: the same place, within it, covering it, or None (they do not meet)."""
    if mine.kind == other.kind:
        return SAME if mine.code == other.code else None
    if mine.kind == SUBREGION and other.kind == COUNTRY:
        return WITHIN if other.subregion == mine.code else None
    if mine.kind == COUNTRY and other.kind == SUBREGION:
        return COVERS if mine.subregion == other.code else None
    return None


def span(a: ProcessMediator, b: ProcessMediator) -> tuple[date, date | None] | None:
    """The days two mandates share (None: they never run at the same time)."""
    start = max(a.started_on, b.started_on)
    ends = [d for d in (a.ended_on, b.ended_on) if d is not None]
    end = min(ends) if ends else None
    if end is not None and end < start:
        return None
    return start, end


def overlap(a: ProcessMediator, b: ProcessMediator, today: date) -> tuple[str, date, date | None] | None:
    """Whether two envoys' mandates overlap now or later: same mandating body, meeting places, shared days
    not all in the past. Returns how b's place relates to a's and the shared days."""
    if a.id == b.id or a.core_team or b.core_team or _key(a.organisation) != _key(b.organisation):
        return None
    how = relation(place_of(a.mandate_area), place_of(b.mandate_area))
    if how is None:
        return None
    days = span(a, b)
    if days is None or (days[1] is not None and days[1] < today):
        return None
    return how, days[0], days[1]


def current_envoys(session: Session, today: date) -> list[ProcessMediator]:
    """Mediators (not core team) whose mandate has not ended before ``today``: in office or still to start."""
    query = select(ProcessMediator).where(
        ProcessMediator.core_team.is_(False),
        or_(ProcessMediator.ended_on.is_(None), ProcessMediator.ended_on >= today),
    )
    return list(session.scalars(query.order_by(ProcessMediator.id)))


def scope_out(place: Place) -> MandateScope:
    """A place as pages and the API show it (the sub-region's name in the current language)."""
    if place.kind == SUBREGION:
        label = _("{name} (UN sub-region {code})").format(name=_(place.name), code=place.code)
        return MandateScope(kind=SUBREGION, code=place.code, label=label, subregion=place.code)
    if place.kind == COUNTRY:
        return MandateScope(kind=COUNTRY, code=place.code, label=place.name, subregion=place.subregion)
    return MandateScope(kind=NAMED, code=None, label=place.name, subregion=None)


def review(session: Session, *, today: date | None = None) -> MandateReview:
    """The system-wide review of envoys' mandates the Blue Paper asks for (¶18, ¶33): every envoy in office or
    appointed, with the place their mandate covers, their dates, and the envoys of the same body whose
    mandates overlap theirs; by mandating organisation."""
    day = today or date.today()
    envoys = current_envoys(session, day)
    names = dict(session.execute(select(PeaceProcess.id, PeaceProcess.name)).all())
    rows: list[EnvoyMandate] = []
    pairs: set[frozenset[int]] = set()
    for a in envoys:
        found = []
        for b in envoys:
            hit = overlap(a, b, day)
            if hit is None:
                continue
            pairs.add(frozenset((a.id, b.id)))
            found.append(
                MandateOverlap(
                    mediator_id=b.id,
                    name=b.name,
                    title=b.title,
                    process_id=b.process_id,
                    process=names.get(b.process_id, str(b.process_id)),
                    mandate_area=b.mandate_area,
                    relation=hit[0],
                    starts_on=hit[1].isoformat(),
                    ends_on=hit[2].isoformat() if hit[2] else None,
                )
            )
        rows.append(
            EnvoyMandate(
                mediator_id=a.id,
                name=a.name,
                title=a.title,
                organisation=a.organisation,
                kind=a.kind,
                kind_label=_(MEDIATOR_KIND_LABELS[a.kind]) if a.kind in MEDIATOR_KIND_LABELS else a.kind,
                process_id=a.process_id,
                process=names.get(a.process_id, str(a.process_id)),
                mandate_area=a.mandate_area,
                scope=scope_out(place_of(a.mandate_area)),
                started_on=a.started_on.isoformat(),
                ended_on=a.ended_on.isoformat() if a.ended_on else None,
                active=a.active_on(day),
                lead=a.lead,
                overlaps=found,
            )
        )
    order = {SUBREGION: 0, COUNTRY: 1, NAMED: 2}
    rows.sort(key=lambda r: (_key(r.organisation), order[r.scope.kind], r.scope.label.casefold(), r.name.casefold()))
    by_body: dict[str, list[EnvoyMandate]] = {}
    for row in rows:
        by_body.setdefault(_key(row.organisation), []).append(row)
    organisations = [
        OrganisationMandates(
            organisation=group[0].organisation,
            envoys=len(group),
            overlapping=sum(1 for r in group if r.overlaps),
            mandates=group,
        )
        for group in by_body.values()
    ]
    return MandateReview(
        today=day.isoformat(),
        envoys=len(rows),
        overlaps=len(pairs),
        organisations=organisations,
    )
