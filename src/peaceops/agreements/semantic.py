"""Semantic search: agreements ranked by the cosine between the query and each agreement's embedding.

An agreement is embedded as its title and summary (PA-X description, else UCDP's comment); each
provision text is embedded on its own. An agreement's score is the best of its own cosine and its
closest provision's (a long agreement is about many things; one provision may be exactly the question),
plus a small bonus that grows with the number of its provisions close to the query (one passing
mention weighs less than a chapter); the closest provision is the passage shown. Vectors come from
the on-disk cache; texts not in it yet (an import since the last ``peaceops agreements index``) are
embedded on the spot and cached, so search never fails for want of an index, only runs slower once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from peaceops.agreements.models import Agreement, Provision
from peaceops.store import embeddings
from peaceops.store.embeddings import EmbeddingCache

# Bonus per log(1 + provisions whose cosine to the query exceeds PROVISION_CLOSE); chosen on half of the
# benchmark queries (docs/decisions/006-agreement-search.md).
PROVISION_BONUS = 0.05
PROVISION_CLOSE = 0.3
_caches: dict[Path, EmbeddingCache] = {}
_lock = threading.Lock()


def _cache(var_dir: Path) -> EmbeddingCache:
    """One cache per var directory and process (callers hold ``_lock``), re-read if another process wrote it."""
    cache = _caches.get(var_dir)
    if cache is None:
        cache = _caches[var_dir] = EmbeddingCache(var_dir)
    else:
        cache.load()
    return cache


def agreement_text(title: str, description: str | None, comment: str | None) -> str:
    return f"{title}. {description or comment or ''}".strip()


def _agreement_texts(session: Session, allowed: Select[Any] | None) -> tuple[list[int], list[str]]:
    stmt = select(Agreement.id, Agreement.title, Agreement.description, Agreement.ucdp_comment).order_by(Agreement.id)
    if allowed is not None:
        stmt = stmt.where(Agreement.id.in_(allowed))
    rows = session.execute(stmt).all()
    return [r[0] for r in rows], [agreement_text(r[1], r[2], r[3]) for r in rows]


@dataclass(frozen=True)
class SemanticHit:
    agreement_id: int
    score: float


def semantic_scores(
    session: Session, var_dir: Path, query: str, *, allowed: Select[Any] | None = None
) -> tuple[list[int], np.ndarray]:
    """Every allowed agreement's id and its score for ``query``: its own cosine or, if higher, that of
    its closest provision, plus the bonus for several close provisions. The hybrid ranking needs all of
    them (to normalise), not only the top."""
    ids, texts = _agreement_texts(session, allowed)
    if not ids or not query.strip():
        return [], np.zeros(0, dtype=np.float32)
    stmt = select(Provision.agreement_id, Provision.text)
    if allowed is not None:
        stmt = stmt.where(Provision.agreement_id.in_(allowed))
    provisions = session.execute(stmt).all()
    with _lock:
        cache = _cache(var_dir)
        matrix, _ = embeddings.ensure(cache, texts)
        provision_matrix, _ = embeddings.ensure(cache, [p.text for p in provisions])
    vector = embeddings.encode([query])[0]
    scores = matrix @ vector
    if provisions:
        position = {agreement_id: i for i, agreement_id in enumerate(ids)}
        rows = np.array([position[p.agreement_id] for p in provisions])
        cosines = provision_matrix @ vector
        np.maximum.at(scores, rows, cosines)
        close = np.zeros(len(ids), dtype=np.float32)
        np.add.at(close, rows, (cosines > PROVISION_CLOSE).astype(np.float32))
        scores += PROVISION_BONUS * np.log1p(close)
    return ids, scores


def semantic_search(
    session: Session,
    var_dir: Path,
    query: str,
    *,
    allowed: Select[Any] | None = None,
    limit: int = 50,
) -> list[SemanticHit]:
    """The ``limit`` agreements closest in meaning to ``query``, best first."""
    ids, scores = semantic_scores(session, var_dir, query, allowed=allowed)
    top = np.argsort(-scores, kind="stable")[:limit]
    return [SemanticHit(ids[i], float(scores[i])) for i in top]


@dataclass(frozen=True)
class ClosestProvision:
    provision_id: int
    number: int
    text: str
    score: float


def closest_provisions(
    session: Session, var_dir: Path, query: str, agreement_ids: Sequence[int]
) -> dict[int, ClosestProvision]:
    """For each agreement that has provision texts, the provision closest in meaning to ``query``."""
    if not agreement_ids or not query.strip():
        return {}
    rows = session.execute(
        select(Provision.id, Provision.agreement_id, Provision.number, Provision.text).where(
            Provision.agreement_id.in_(list(agreement_ids))
        )
    ).all()
    if not rows:
        return {}
    with _lock:
        matrix, _ = embeddings.ensure(_cache(var_dir), [r.text for r in rows])
    scores = matrix @ embeddings.encode([query])[0]
    best: dict[int, ClosestProvision] = {}
    for row, score in zip(rows, scores, strict=True):
        current = best.get(row.agreement_id)
        if current is None or score > current.score:
            best[row.agreement_id] = ClosestProvision(row.id, row.number, row.text, float(score))
    return best


@dataclass
class IndexReport:
    agreements: int
    provisions: int
    computed: int
    seconds: float
    model: str


def build_index(
    session: Session, var_dir: Path, progress: Callable[[int], Callable[[int], None]] | None = None
) -> IndexReport:
    """Embed every agreement and provision not yet in the cache (the demo's and ``agreements index``'s job)."""
    started = time.perf_counter()
    _, agreement_texts = _agreement_texts(session, None)
    provision_texts = list(session.scalars(select(Provision.text).order_by(Provision.id)))
    texts = agreement_texts + provision_texts
    with _lock:
        cache = _cache(var_dir)
        todo = len({d for d in map(embeddings.digest, texts) if d not in cache.index})
        tick = progress(todo) if progress else None
        _, computed = embeddings.ensure(cache, texts, tick)
    return IndexReport(
        agreements=len(agreement_texts),
        provisions=len(provision_texts),
        computed=computed,
        seconds=time.perf_counter() - started,
        model=embeddings.model_key(),
    )
