"""How search ranks: plain words as "any of them" by BM25, operators exact, hybrid as a sum of z-scores,
an agreement's semantic score from its best provision (all agreements, SQLite and PostgreSQL)."""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from sqlalchemy import select

from peaceops.agreements.fulltext import keyword_search
from peaceops.agreements.models import Agreement, Provision
from peaceops.agreements.query_syntax import parse, ranking_query, to_fts5, to_websearch
from peaceops.agreements.search import CATEGORY_WEIGHT, KEYWORD_DEPTH, by_aspects, fuse, search, understand, zscores
from peaceops.agreements.semantic import PROVISION_BONUS, PROVISION_CLOSE, semantic_scores
from peaceops.store import embeddings


def _text(session, agreement_id: int) -> str:
    """Everything the keyword index holds for one agreement, lower-cased."""
    a = session.get(Agreement, agreement_id)
    parts = [a.title, a.description, a.ucdp_comment, a.parties, a.third_parties, a.country, a.conflict]
    parts += list(session.scalars(select(Provision.text).where(Provision.agreement_id == agreement_id)))
    return " ".join(p for p in parts if p).lower()


@pytest.mark.parametrize(
    ("text", "fts5", "websearch"),
    [
        (
            "amnesty for political prisoners",
            '("amnesty") OR ("political") OR ("prisoners")',
            "amnesty or political or prisoners",
        ),
        ("power-sharing in government", '("power sharing") OR ("government")', '"power sharing" or government'),
        ("amnesty AND prisoners", '("amnesty" AND "prisoners")', "amnesty prisoners"),
        ("amnesty prisoners -Sudan", '("amnesty" AND "prisoners" NOT "sudan")', "amnesty prisoners -sudan"),
        ('"political prisoners" amnesty', '("political prisoners" AND "amnesty")', '"political prisoners" amnesty'),
        ("amnesty OR pardon", '("amnesty") OR ("pardon")', "amnesty or pardon"),
    ],
)
def test_plain_words_become_any_of_them_and_operators_stay_exact(text, fts5, websearch):
    query = ranking_query(parse(text))
    assert to_fts5(query) == fts5 and to_websearch(query) == websearch


def test_a_plain_query_finds_agreements_with_some_of_its_words_below_those_with_all(agreements_db, tmp_path):
    words = ("amnest", "prisoner", "release")
    with agreements_db.session() as s:
        every = {h.agreement_id for h in keyword_search(s, parse("amnesty AND prisoners AND release"), limit=10_000)}
        results = [r.agreement_id for r in search(s, tmp_path, "amnesty prisoners release", mode="keyword", limit=200)]
        holds_all = [all(w in _text(s, i) for w in words) for i in results]
        relaxed = {
            h.agreement_id for h in keyword_search(s, ranking_query(parse("amnesty prisoners release")), limit=10_000)
        }
    assert len(results) == 200 > len(every) > 10, "the plain query is not limited to agreements with every word"
    assert not all(holds_all), "agreements holding only some of the words are found"
    assert all(holds_all[:10]), "those holding every word come first"
    full = [n for n, ok in enumerate(holds_all) if ok]
    partial = [n for n, ok in enumerate(holds_all) if not ok]
    assert statistics.mean(full) < statistics.mean(partial)
    assert every <= relaxed


def test_an_explicit_and_still_requires_every_word(agreements_db, tmp_path):
    with agreements_db.session() as s:
        results = search(s, tmp_path, "amnesty AND prisoners", mode="keyword", limit=200)
        assert 10 < len(results) < 200
        for r in results:
            text = _text(s, r.agreement_id)
            assert "amnest" in text and "prisoner" in text, r.title
        plain = search(s, tmp_path, "amnesty prisoners", mode="keyword", limit=200)
    assert len(plain) == 200


def test_zscore_fusion_weighs_each_ranking_on_one_scale():
    assert zscores([1.0, 2.0, 3.0]).tolist() == pytest.approx([-1.2247449, 0.0, 1.2247449])
    assert zscores([5.0, 5.0]).tolist() == [0.0, 0.0]
    keyword = [(1, 9.0), (2, 3.0)]  # compared as logs, z: 1, -1
    semantic = [(1, 0.1), (2, 0.5), (3, 0.3)]  # z: -1.2247, 1.2247, 0
    fused = dict(fuse(keyword, semantic, keyword_weight=0.5, unmatched=1.0))
    assert fused[1] == pytest.approx(0.5 * 1 + 0.5 * -1.2247449)
    assert fused[2] == pytest.approx(0.5 * -1 + 0.5 * 1.2247449)
    assert fused[3] == pytest.approx(0.5 * (-1 - 1.0) + 0.5 * 0.0), "no keyword hit: one unit below the weakest"
    assert [i for i, _ in fuse(keyword, semantic, keyword_weight=1.0)] == [1, 2, 3]
    assert [i for i, _ in fuse(keyword, semantic, keyword_weight=0.0)] == [2, 3, 1]


def test_hybrid_is_the_fusion_of_keyword_and_semantic_scores_ordered_by_aspects(subset_db, embeddings_var):
    q = "release of political prisoners"
    with subset_db.session() as s:
        keyword = [(h.agreement_id, h.score) for h in keyword_search(s, ranking_query(parse(q)), limit=KEYWORD_DEPTH)]
        ids, scores = semantic_scores(s, embeddings_var, q)
        hybrid = search(s, embeddings_var, q, mode="hybrid", limit=10)
        understood = understand(s, q, None)
    fused = fuse(keyword, list(zip(ids, scores.tolist(), strict=True)))
    expected = by_aspects(fused, understood, CATEGORY_WEIGHT)[:10]
    assert [i for i, _ in expected] != [i for i, _ in fused[:10]], "the category bonus changes the order here"
    assert [r.agreement_id for r in hybrid] == [i for i, _ in expected]
    assert [r.score for r in hybrid] == pytest.approx([v for _, v in expected])
    assert any("keyword" in r.matched_by and "semantic" in r.matched_by for r in hybrid)


def test_an_agreement_scores_by_its_closest_provision_with_a_bonus_for_several(subset_db, embeddings_var):
    q = "powers of the president and the prime minister"
    with subset_db.session() as s:
        ids, scores = semantic_scores(s, embeddings_var, q)
        islamabad = s.scalar(select(Agreement).where(Agreement.pax_id == 409))
        texts = list(s.scalars(select(Provision.text).where(Provision.agreement_id == islamabad.id)))
        title = f"{islamabad.title}. {islamabad.description or ''}".strip()
    query = embeddings.encode([q])[0]
    provisions = embeddings.encode(texts) @ query
    own = float(embeddings.encode([title])[0] @ query)
    close = int((provisions > PROVISION_CLOSE).sum())
    assert provisions.max() > own, "a provision is closer to the question than the summary"
    expected = max(own, float(provisions.max())) + PROVISION_BONUS * np.log1p(close)
    assert scores[ids.index(islamabad.id)] == pytest.approx(expected, abs=2e-3)  # cached vectors are float16
