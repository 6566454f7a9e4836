"""One search over the agreements memory: keyword, semantic or hybrid, with filters and snippets.

Hybrid ranking sums the keyword and semantic scores after putting each on one scale (z-scores:
CombSUM over zero-mean, unit-variance scores, Montague & Aslam 2001), which keeps how far ahead a
result is in each ranking, not only its rank as reciprocal rank fusion does. A plain query (no
operators) is ranked by BM25 as "any of these words" in both keyword and hybrid modes. Parameters were
chosen on half of the benchmark queries and checked on the other half (docs/decisions/006-agreement-search.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from peaceops.agreements import highlight
from peaceops.agreements.aspects import Aspect, category_labels, coded, lexicon, split, text_query
from peaceops.agreements.catalogue import memory_totals
from peaceops.agreements.categories import HEADLINE, STAGES, stage_code, stage_label
from peaceops.agreements.fulltext import keyword_search, matching_ids, snippets
from peaceops.agreements.models import Agreement, AgreementCategory, AgreementCode, AgreementCountry, Provision
from peaceops.agreements.query_syntax import KeywordQuery, any_word, parse, ranking_query
from peaceops.agreements.semantic import closest_provisions, semantic_scores, semantic_search
from peaceops.agreements.shapes import (
    AgreementHit,
    AspectReason,
    CategoryName,
    FacetCategory,
    FacetCountry,
    Facets,
    StageName,
)
from peaceops.errors import ValidationFailed
from peaceops.i18n import _

Mode = Literal["keyword", "semantic", "hybrid"]
MODES: tuple[str, ...] = ("keyword", "semantic", "hybrid")
KEYWORD_WEIGHT = 0.8  # share of the keyword z-score in the hybrid score (the semantic one has the rest)
KEYWORD_DEPTH = 1000  # keyword hits scored and normalised together
UNMATCHED = 1.0  # z-score units below the weakest keyword hit, for agreements holding none of the words
CATEGORY_WEIGHT = 2.0  # hybrid: z-score units added for meeting every aspect by its PA-X category
VALUE_WEIGHT = 1.0  # and per step of an ordinal code above 1 (PA-X codes 1-3: mention to detailed provision)
SEMANTIC_SHOWN = 100  # an agreement this close in meaning shows "semantic" among what found it
MAX_LIMIT = 200


@dataclass
class Filters:
    """Narrow a search: every category code given must be coded; the rest must match exactly."""

    categories: list[str] = field(default_factory=list)
    country: str | None = None
    region: str | None = None
    stage: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.categories or self.country or self.region or self.stage or self.date_from or self.date_to)

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.categories,
            "country": self.country,
            "region": self.region,
            "stage": self.stage,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }


def _stage_code(stage: str) -> str:
    code = stage_code(stage)
    if code is None:
        accepted = ", ".join(f"{c} ({_(label)})" for c, label in STAGES.items())
        message = _("Unknown stage {stage!r}; use one of {accepted}.")
        raise ValidationFailed(message.format(stage=stage, accepted=accepted))
    return code


def allowed_ids(filters: Filters) -> Select[Any] | None:
    """A select of the agreement ids the filters let through, or None when there are no filters."""
    if not filters.active:
        return None
    conditions: list[Any] = []
    for code in filters.categories:
        conditions.append(
            exists().where(
                AgreementCode.agreement_id == Agreement.id, AgreementCode.code == code, AgreementCode.value > 0
            )
        )
    if filters.country:
        country = filters.country.strip()
        by_name = AgreementCountry.name.ilike(country)
        match = AgreementCountry.iso3 == country.upper() if len(country) == 3 else by_name
        conditions.append(
            or_(
                exists().where(AgreementCountry.agreement_id == Agreement.id, or_(match, by_name)),
                Agreement.country.ilike(f"%{country}%"),
            )
        )
    if filters.region:
        conditions.append(Agreement.region == filters.region)
    if filters.stage:
        conditions.append(Agreement.stage == _stage_code(filters.stage))
    if filters.date_from:
        conditions.append(Agreement.signed_on >= filters.date_from)
    if filters.date_to:
        conditions.append(Agreement.signed_on <= filters.date_to)
    return select(Agreement.id).where(and_(*conditions))


@dataclass
class AspectMatch:
    """How a result met one aspect of the question: its words held, its categories coded, a passage."""

    aspect: Aspect
    by_text: bool  # holds every word of the aspect (the keyword index's reading, stems and all)
    words: list[str]
    categories: list[tuple[str, str]]  # (code, label)
    passage: str | None = None  # marked
    by_word: dict[str, str] = field(default_factory=dict)  # a marked passage for each word held

    @property
    def met(self) -> bool:
        return self.by_text or bool(self.categories)

    def as_api(self) -> AspectReason:
        return AspectReason(
            aspect=self.aspect.text,
            met=self.met,
            words=self.words,
            categories=[CategoryName(code=c, label=label) for c, label in self.categories],
            passage=highlight.plain(self.passage) if self.passage else None,
            passage_html=str(highlight.html(self.passage)) if self.passage else None,
        )


@dataclass
class Understood:
    """A plain question read as aspects, and which agreements meet each by text and by category."""

    aspects: list[Aspect]
    by_text: list[set[int]]
    by_category: list[dict[int, dict[str, int]]]
    labels: dict[str, str]

    def met(self, agreement_id: int) -> tuple[int, float]:
        """(aspects met, aspects met by category, each plus VALUE_WEIGHT per code step above 1)."""
        text = [agreement_id in t for t in self.by_text]
        values = [max(c[agreement_id].values()) if agreement_id in c else 0 for c in self.by_category]
        met = sum(t or v > 0 for t, v in zip(text, values, strict=True))
        return met, sum((v > 0) + VALUE_WEIGHT * max(v - 1, 0) for v in values)


def understand(session: Session, q: str, allowed: Select[Any] | None) -> Understood | None:
    """The aspects of a plain question and who meets them; None for an exact (operator) query."""
    labels = category_labels(session)
    aspects = split(q, lexicon(labels))
    if not aspects:
        return None
    return Understood(
        aspects,
        [matching_ids(session, text_query(a), allowed) for a in aspects],
        [coded(session, a.codes) for a in aspects],
        labels,
    )


def by_aspects(
    ranked: Sequence[tuple[int, float]], understood: Understood, category_weight: float = 0.0
) -> list[tuple[int, float]]:
    """Agreements meeting more aspects first (every aspect first of all); within that, the score plus
    ``category_weight`` times the share of aspects met by PA-X category. Ties keep their order."""
    n = len(understood.aspects)
    keyed = []
    for position, (agreement_id, score) in enumerate(ranked):
        met, by_category = understood.met(agreement_id)
        keyed.append((-met, -(score + category_weight * by_category / n), position, agreement_id))
    keyed.sort()
    return [(agreement_id, -bonus) for _, bonus, _, agreement_id in keyed]


@dataclass
class SearchResult:
    agreement_id: int
    pax_id: int | None
    ucdp_paid: int | None
    title: str
    date: str | None
    score: float
    snippet: str  # marked with highlight.MARK_START/MARK_END
    provision_number: int | None
    country: str | None
    region: str | None
    stage: str | None
    matched_by: list[str]
    aspects: list[AspectMatch] = field(default_factory=list)

    def as_api(self) -> AgreementHit:
        """The result as pages and the API show it: the snippet as plain text and as escaped HTML."""
        return AgreementHit(
            pax_id=self.pax_id,
            title=self.title,
            date=self.date,
            score=round(self.score, 6),
            snippet=highlight.plain(self.snippet),
            agreement_id=self.agreement_id,
            ucdp_paid=self.ucdp_paid,
            provision_number=self.provision_number,
            snippet_html=str(highlight.html(self.snippet)),
            country=self.country,
            region=self.region,
            stage=self.stage,
            stage_label=stage_label(self.stage),
            matched_by=self.matched_by,
            aspects=[a.as_api() for a in self.aspects],
        )


def zscores(values: Sequence[float]) -> np.ndarray:
    """Values as distances from their mean in standard deviations (all 0 when they are all equal)."""
    array = np.asarray(values, dtype=np.float64)
    if not len(array):
        return array
    spread = float(array.std())
    return (array - array.mean()) / (spread if spread > 0 else 1.0)


def fuse(
    keyword: Sequence[tuple[int, float]],
    semantic: Sequence[tuple[int, float]],
    keyword_weight: float = KEYWORD_WEIGHT,
    unmatched: float = UNMATCHED,
) -> list[tuple[int, float]]:
    """Weighted sum of z-scores, best first (ties by id). Keyword scores are taken on a log scale first
    (BM25 times the coordination factor is a product, and a few long agreements would otherwise stretch
    the scale). Agreements missing from the keyword hits (none of the words) score ``unmatched`` below the
    weakest hit; ``semantic`` should score every candidate."""
    logs = np.log(np.maximum([s for _, s in keyword], 1e-9)) if keyword else []
    kw = dict(zip((i for i, _ in keyword), zscores(logs).tolist(), strict=True))
    sem = dict(zip((i for i, _ in semantic), zscores([s for _, s in semantic]).tolist(), strict=True))
    kw_floor = (min(kw.values()) if kw else 0.0) - unmatched
    sem_floor = min(sem.values()) if sem else 0.0
    scores = {
        i: keyword_weight * kw.get(i, kw_floor) + (1 - keyword_weight) * sem.get(i, sem_floor)
        for i in kw.keys() | sem.keys()
    }
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def ranked_ids(
    session: Session,
    var_dir: Path,
    q: str,
    mode: Mode,
    allowed: Select[Any] | None,
    limit: int,
    understood: Understood | None = None,
) -> tuple[list[tuple[int, float]], dict[int, list[str]]]:
    """(agreement id, score) best first, and which rankings found each agreement. With the question's
    aspects (``understood``), keyword and hybrid rank agreements meeting every aspect first; hybrid also
    counts a PA-X category as meeting an aspect, and so finds agreements whose words differ."""
    # A plain sentence is not a boolean query: it ranks agreements holding any of its words (BM25 rewards
    # those holding more of them, and rarer ones); operators keep their exact meaning.
    query = ranking_query(parse(q))
    found: dict[int, list[str]] = {}
    if mode == "keyword":
        depth = max(KEYWORD_DEPTH, limit) if understood else limit
        hits = [(h.agreement_id, h.score) for h in keyword_search(session, query, allowed=allowed, limit=depth)]
        if understood:
            hits = by_aspects(hits, understood)[:limit]
        return hits, {i: ["keyword"] for i, _ in hits}
    if mode == "semantic":
        hits = [(h.agreement_id, h.score) for h in semantic_search(session, var_dir, q, allowed=allowed, limit=limit)]
        return hits, {i: ["semantic"] for i, _ in hits}
    keyword = [
        (h.agreement_id, h.score)
        for h in keyword_search(session, query, allowed=allowed, limit=max(KEYWORD_DEPTH, limit))
    ]
    ids, cosines = semantic_scores(session, var_dir, q, allowed=allowed)
    ranked = fuse(keyword, list(zip(ids, cosines.tolist(), strict=True)))
    if understood:
        ranked = by_aspects(ranked, understood, CATEGORY_WEIGHT)
    ranked = ranked[:limit]
    by_keyword = {i for i, _ in keyword}
    close = {ids[p] for p in np.argsort(-cosines, kind="stable")[:SEMANTIC_SHOWN]}
    for agreement_id, _score in ranked:
        by_category = bool(understood and understood.met(agreement_id)[1])
        found[agreement_id] = (
            ["keyword"] * (agreement_id in by_keyword)
            + ["semantic"] * (agreement_id in close or (agreement_id not in by_keyword and not by_category))
            + ["category"] * by_category
        )
    return ranked, found


def search(
    session: Session,
    var_dir: Path,
    q: str,
    *,
    mode: str = "hybrid",
    filters: Filters | None = None,
    limit: int = 20,
) -> list[SearchResult]:
    """Agreements for a search-box query, best first, each with the passage that matched highlighted.

    An empty query with filters lists the filtered agreements, newest first.
    """
    if mode not in MODES:
        raise ValidationFailed(_("Unknown search mode {mode!r}; use keyword, semantic or hybrid.").format(mode=mode))
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(
            _("limit must be between 1 and {most} (got {limit}).").format(most=MAX_LIMIT, limit=limit)
        )
    filters = filters or Filters()
    allowed = allowed_ids(filters)
    if not q.strip():
        if allowed is None:
            return []
        newest = session.scalars(
            allowed.order_by(Agreement.signed_on.desc().nulls_last(), Agreement.id).limit(limit)
        ).all()
        ranked: list[tuple[int, float]] = [(int(i), 0.0) for i in newest]
        found: dict[int, list[str]] = {}
    else:
        understood = understand(session, q, allowed)
        ranked, found = ranked_ids(session, var_dir, q, mode, allowed, limit, understood)  # type: ignore[arg-type]
    ids = [i for i, _ in ranked]
    agreements = {a.id: a for a in session.scalars(select(Agreement).where(Agreement.id.in_(ids)))}
    passages = _snippets(session, var_dir, q, ranking_query(parse(q)), ids, found, agreements)
    reasons = _reasons(session, understood, ids, agreements) if q.strip() and understood else {}
    results = []
    for agreement_id, score in ranked:
        a = agreements[agreement_id]
        passage, number = passages.get(agreement_id, (_lead(a), None))
        matches = reasons.get(agreement_id, [])
        if len(matches) > 1:  # every aspect met by text shows its words in the snippet
            passage = _with_every_aspect(passage, matches)
        results.append(
            SearchResult(
                agreement_id=a.id,
                pax_id=a.pax_id,
                ucdp_paid=a.ucdp_paid,
                title=a.title,
                date=a.signed_on.isoformat() if a.signed_on else None,
                score=score,
                snippet=passage,
                provision_number=number,
                country=a.country,
                region=a.region,
                stage=a.stage,
                matched_by=found.get(agreement_id, []),
                aspects=matches,
            )
        )
    return results


def _reasons(
    session: Session, understood: Understood, ids: list[int], agreements: dict[int, Agreement]
) -> dict[int, list[AspectMatch]]:
    """Per result, per aspect: the words it holds, its categories PA-X codes, a passage with the words."""
    provisions: dict[int, list[str]] = {}
    for agreement_id, body in session.execute(
        select(Provision.agreement_id, Provision.text).where(Provision.agreement_id.in_(ids)).order_by(Provision.number)
    ):
        provisions.setdefault(agreement_id, []).append(body)
    out: dict[int, list[AspectMatch]] = {}
    for agreement_id in ids:
        a = agreements[agreement_id]
        fields = [a.title, a.description, a.ucdp_comment, *provisions.get(agreement_id, []), a.parties, a.third_parties]
        texts: list[str] = [t for t in fields if t]
        matches = []
        for aspect, text_ids, codes in zip(understood.aspects, understood.by_text, understood.by_category, strict=True):
            held = codes.get(agreement_id, {})
            categories = [(c, understood.labels.get(c, c)) for c in aspect.codes if c in held]
            by_word = _passages_by_word(texts, aspect.words)
            best = max(
                by_word.values(), key=lambda p: sum(highlight.covers(p, [w]) for w in aspect.words), default=None
            )
            if agreement_id in text_ids:
                words = list(aspect.words)
            else:
                words = [w for w in aspect.words if w in by_word]
            matches.append(AspectMatch(aspect, agreement_id in text_ids, words, _shown(categories), best, by_word))
        out[agreement_id] = matches
    return out


def _passages_by_word(texts: list[str], words: Sequence[str]) -> dict[str, str]:
    """For each of ``words``, the first sentence holding it (all of ``words`` marked), 24 words at most."""
    out: dict[str, str] = {}
    for text in texts:
        for sentence in highlight.SENTENCE.split(text):
            marked, hits = highlight.mark(sentence, words)
            if not hits:
                continue
            for word in words:
                if word not in out and highlight.covers(marked, [word]):
                    out[word] = highlight.window(marked, 24)
            if len(out) == len(words):
                return out
    return out


def _shown(categories: list[tuple[str, str]], most: int = 3) -> list[tuple[str, str]]:
    """The categories to show: a sub-code's parent stands for it ("Ceasefire", not also "Ceasefire: ...")."""
    labels = [label for _, label in categories]
    kept = [(c, label) for c, label in categories if not any(label.startswith(f"{p}: ") for p in labels)]
    return kept[:most]


def _with_every_aspect(passage: str, matches: list[AspectMatch]) -> str:
    """The snippet, followed by a passage for each word of an aspect that it does not show."""
    parts = [passage]
    for m in matches:
        for word in m.words:
            shown = " … ".join(parts)
            extra = m.by_word.get(word)
            if extra and not highlight.covers(shown, [word]) and extra not in shown:
                parts.append(extra)
    if len(parts) == 1:
        return passage
    return " … ".join(p.removeprefix("… ").removesuffix(" …") for p in parts)


def _lead(agreement: Agreement, words: int = 40) -> str:
    return highlight.window(agreement.description or agreement.ucdp_comment or agreement.title, words)


def _snippets(
    session: Session,
    var_dir: Path,
    q: str,
    parsed: KeywordQuery,
    ids: list[int],
    found: dict[int, list[str]],
    agreements: dict[int, Agreement],
) -> dict[int, tuple[str, int | None]]:
    """The passage to show per result: the matching provision where there is one.

    Keyword matches get the database's highlighted passage. Semantic-only matches get the provision
    closest in meaning, else the summary sentences that share words with the query, else the summary.
    """
    out: dict[int, tuple[str, int | None]] = {}
    if not ids or not q.strip():
        return out
    keyword_ids = [i for i in ids if "keyword" in found.get(i, [])]
    for agreement_id, snip in snippets(session, parsed, keyword_ids).items():
        out[agreement_id] = (snip.text, snip.provision_number)
    rest = [i for i in ids if i not in out]
    words = parsed.positive_words() or any_word(parsed).positive_words()
    semantic = [i for i in rest if "semantic" in found.get(i, [])]
    for agreement_id, provision in closest_provisions(session, var_dir, q, semantic).items():
        marked, _hits = highlight.mark(provision.text, words)
        out[agreement_id] = (highlight.window(marked), provision.number)
    for agreement_id in rest:
        if agreement_id in out:
            continue
        a = agreements[agreement_id]
        sentences = highlight.best_sentences(a.description or a.ucdp_comment or "", words)
        if sentences:
            out[agreement_id] = (highlight.window(sentences), None)
            continue
        # Matched across several provisions (no single one holds every word): the one holding most of them.
        best: tuple[int, int, str] | None = None
        for number, text in session.execute(
            select(Provision.number, Provision.text).where(Provision.agreement_id == agreement_id)
        ):
            marked, hits = highlight.mark(text, words)
            if hits and (best is None or hits > best[0]):
                best = (hits, number, marked)
        if best:
            out[agreement_id] = (highlight.window(best[2]), best[1])
    return out


def facets(session: Session) -> Facets:
    """What the filter controls offer (regions, stages, countries, the categories in use, the headline
    categories) and how much the agreements memory holds."""
    regions = [r for r in session.scalars(select(Agreement.region).distinct().order_by(Agreement.region)) if r]
    countries = session.execute(
        select(AgreementCountry.iso3, func.min(AgreementCountry.name), func.count())
        .group_by(AgreementCountry.iso3)
        .order_by(func.min(AgreementCountry.name))
    ).all()
    used = dict(
        session.execute(
            select(AgreementCode.code, func.count(func.distinct(AgreementCode.agreement_id))).group_by(
                AgreementCode.code
            )
        ).all()
    )
    categories = [
        FacetCategory(code=c.code, label=c.label, family=c.family, agreements=used[c.code])
        for c in session.scalars(select(AgreementCategory).order_by(AgreementCategory.family, AgreementCategory.id))
        if c.code in used
    ]
    return Facets(
        totals=memory_totals(session),
        regions=regions,
        stages=[StageName(code=code, label=label) for code, label in STAGES.items()],
        countries=[FacetCountry(iso3=iso3, name=name or iso3, agreements=n) for iso3, name, n in countries],
        categories=categories,
        headline=[CategoryName(code=code, label=label) for code, label in HEADLINE.items()],
    )
