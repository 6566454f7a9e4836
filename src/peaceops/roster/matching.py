"""Ranking the roster's experts for a helpdesk request, with the reasons for every point.

The score is out of 100 and adds four parts, each with a sentence saying why:

- **Expertise, 40 points.** The requested area: 40; only a related area (``roster_terms.RELATED_AREAS``,
  e.g. natural resources for a land request): 20. Experts with neither are not candidates at all.
- **Availability, 25 points.** The share of the requested days (both ends included) that fall in the
  expert's availability windows, times 25.
- **Languages, 20 points.** For each requested language, the expert's proficiency weight
  (native/fluent 1, working 0.75, basic 0.4, none 0), averaged over the requested languages, times 20.
  A request that names no language gives every candidate the 20 points.
- **Region, 15 points.** The expert lists the requested country, or the requested sub-region itself: 15;
  the sub-region that holds the requested country: 10; another country of the same sub-region: 6.

Two conditions exclude a candidate instead of lowering the score, and excluded experts are returned with
the reason rather than dropped: a clearance below the request's requirement, and no available day at all
in the requested dates (or being already matched or deployed on another request over those dates).
Ties are broken by name. The weights follow the order of what a mediator in the field cannot do without:
the subject first, then being there when needed, then being understood, then knowing the place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from peaceops.i18n import _, format_number
from peaceops.roster import terms
from peaceops.roster.models import Expert
from peaceops.roster.shapes import ExpertMatches, RankedExpert

__all__ = ["WEIGHTS", "Candidate", "Need", "covered_days", "rank"]

WEIGHTS = {"expertise": 40.0, "availability": 25.0, "languages": 20.0, "region": 15.0}
RELATED_SHARE = 0.5
REGION_SHARES = {"exact": 1.0, "subregion": 10 / 15, "neighbour": 6 / 15}


@dataclass(frozen=True)
class Need:
    """What a request asks for, as matching reads it."""

    expertise: str
    languages: tuple[str, ...]
    region: str
    needed_from: date
    needed_to: date
    clearance: str = "none"


@dataclass
class Candidate:
    expert_id: int
    name: str
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def as_shape(self) -> RankedExpert:
        """The candidate as the helpdesk shows them: score and parts to one decimal."""
        return RankedExpert(
            expert_id=self.expert_id,
            name=self.name,
            score=round(self.score, 1),
            parts={k: round(v, 1) for k, v in self.parts.items()},
            reasons=self.reasons,
            excluded=self.excluded,
        )


def covered_days(windows: list[tuple[date, date]], start: date, end: date) -> int:
    """Days of [start, end] inside the union of the windows (overlapping windows count once)."""
    days = 0
    cursor = start
    for first, last in sorted(windows):
        lo, hi = max(first, cursor), min(last, end)
        if lo <= hi:
            days += (hi - lo).days + 1
            cursor = date.fromordinal(hi.toordinal() + 1)
    return days


def _num(value: float, digits: int = 0) -> str:
    """Points as the current language writes them (``12.5``, ``12,5`` in French)."""
    return format_number(value, digits)


def _expertise(expert: Expert, need: Need, c: Candidate) -> bool:
    label = terms.area_label(need.expertise)
    if need.expertise in expert.expertise:
        c.parts["expertise"] = WEIGHTS["expertise"]
        c.reasons.append(_("Expertise: {area} (+{points}).").format(area=label, points=_num(WEIGHTS["expertise"])))
        return True
    close = [a for a in expert.expertise if terms.related(a, need.expertise)]
    if close:
        points = WEIGHTS["expertise"] * RELATED_SHARE
        c.parts["expertise"] = points
        names = ", ".join(terms.area_label(a) for a in close)
        message = _("Related expertise: {names}, close to {area} (+{points} of {top}).")
        c.reasons.append(message.format(names=names, area=label, points=_num(points), top=_num(WEIGHTS["expertise"])))
        return True
    return False


def _availability(expert: Expert, need: Need, c: Candidate, busy: list[tuple[int, date, date]]) -> None:
    total = (need.needed_to - need.needed_from).days + 1
    windows = [(w.starts_on, w.ends_on) for w in expert.windows]
    days = covered_days(windows, need.needed_from, need.needed_to)
    for request_id, first, last in busy:
        if first <= need.needed_to and need.needed_from <= last:
            message = _("Already committed to request {id} ({first} to {last}).")
            c.excluded.append(message.format(id=request_id, first=first.isoformat(), last=last.isoformat()))
    if days == 0:
        message = _("Not available on any day from {first} to {last}.")
        c.excluded.append(message.format(first=need.needed_from.isoformat(), last=need.needed_to.isoformat()))
        c.parts["availability"] = 0.0
        return
    points = WEIGHTS["availability"] * days / total
    c.parts["availability"] = points
    message = _("Available {days} of the {total} days requested (+{points} of {top}).")
    c.reasons.append(message.format(days=days, total=total, points=_num(points, 1), top=_num(WEIGHTS["availability"])))


def _languages(expert: Expert, need: Need, c: Candidate) -> None:
    top = WEIGHTS["languages"]
    if not need.languages:
        c.parts["languages"] = top
        c.reasons.append(_("No language asked for (+{points}).").format(points=_num(top)))
        return
    spoken = {x["code"]: x["level"] for x in expert.languages}
    shares, notes = [], []
    for code in need.languages:
        level = spoken.get(code)
        shares.append(terms.PROFICIENCY.get(level, 0.0) if level else 0.0)
        name = terms.language_name(code)
        notes.append(
            _("{language} {level}").format(language=name, level=_(level))
            if level
            else _("no {language}").format(language=name)
        )
    points = top * sum(shares) / len(shares)
    c.parts["languages"] = points
    message = _("Languages: {notes} (+{points} of {top}).")
    c.reasons.append(message.format(notes=", ".join(notes), points=_num(points, 1), top=_num(top)))


def _region(expert: Expert, need: Need, c: Candidate) -> None:
    top = WEIGHTS["region"]
    wanted = need.region
    wanted_sub = terms.place_region(wanted)
    places = set(expert.regions)
    label = terms.place_label(wanted)
    if wanted in places:
        share, why = REGION_SHARES["exact"], _("has worked on {place}").format(place=label)
    elif wanted_sub in places:
        share = REGION_SHARES["subregion"]
        why = _("has worked in {region}, which holds {place}").format(region=_(wanted_sub), place=label)
    else:
        near = sorted(p for p in places if terms.place_region(p) == wanted_sub)
        if near:
            share = REGION_SHARES["neighbour"]
            places_near = ", ".join(terms.place_label(p) for p in near)
            why = _("has worked on {places}, in the same sub-region ({region})").format(
                places=places_near, region=_(wanted_sub)
            )
        else:
            share, why = 0.0, _("no experience in {place} or {region}").format(place=label, region=_(wanted_sub))
    c.parts["region"] = top * share
    c.reasons.append(_("Region: {why} (+{points} of {top}).").format(why=why, points=_num(top * share), top=_num(top)))


def _clearance(expert: Expert, need: Need, c: Candidate) -> None:
    have, want = terms.clearance_label(expert.clearance), terms.clearance_label(need.clearance)
    if terms.clearance_rank(expert.clearance) < terms.clearance_rank(need.clearance):
        c.excluded.append(_("Clearance {have} is below the required {want}.").format(have=have, want=want))
    elif need.clearance != "none":
        c.reasons.append(_("Clearance {have} meets the required {want}.").format(have=have, want=want))


def rank(
    experts: list[Expert], need: Need, busy: dict[int, list[tuple[int, date, date]]] | None = None
) -> ExpertMatches:
    """Candidates best first, the excluded with their reasons, and how many experts lack the expertise."""
    ranked: list[Candidate] = []
    excluded: list[Candidate] = []
    unrelated = 0
    for expert in experts:
        c = Candidate(expert_id=expert.id, name=expert.name)
        if not _expertise(expert, need, c):
            unrelated += 1
            continue
        _clearance(expert, need, c)
        _availability(expert, need, c, (busy or {}).get(expert.id, []))
        _languages(expert, need, c)
        _region(expert, need, c)
        c.score = sum(c.parts.values())
        (excluded if c.excluded else ranked).append(c)
    ranked.sort(key=lambda c: (-round(c.score, 6), c.name, c.expert_id))
    excluded.sort(key=lambda c: (c.name, c.expert_id))
    return ExpertMatches(
        weights=WEIGHTS,
        ranked=[c.as_shape() for c in ranked],
        excluded=[c.as_shape() for c in excluded],
        without_expertise=unrelated,
    )
