"""Semantic and hybrid search on a subset of the real agreements, the embedding cache, and fusion."""

from __future__ import annotations

from sqlalchemy import select

from peaceops.mediation import embeddings
from peaceops.mediation.agreements import Agreement
from peaceops.mediation.search import fuse, search
from peaceops.mediation.semantic import build_index


def _pax(db, agreement_ids) -> list[int | None]:
    with db.session() as s:
        return [s.get(Agreement, i).pax_id for i in agreement_ids]


def test_reciprocal_rank_fusion_adds_one_over_k_plus_rank():
    fused = dict(fuse([[1, 2, 3], [3, 1]], k=60))
    assert fused[1] == 1 / 61 + 1 / 62 and fused[3] == 1 / 63 + 1 / 61 and fused[2] == 1 / 62
    assert [i for i, _ in fuse([[1, 2, 3], [3, 1]], k=60)] == [1, 3, 2]


def test_semantic_search_finds_agreements_by_meaning_without_their_words(subset_db, embeddings_var):
    with subset_db.session() as s:
        results = search(
            s, embeddings_var, "people who fled may go back to their houses safely", mode="semantic", limit=5
        )
    top = [r.pax_id for r in results]
    # The refugee protocols (Tajikistan 516, Georgia/Abkhazia 524): neither says "fled" or "houses".
    assert {516, 524} & set(top[:3]), top
    assert all(r.matched_by == ["semantic"] for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_semantic_snippets_show_the_closest_provision(subset_db, embeddings_var):
    with subset_db.session() as s:
        islamabad = s.scalar(select(Agreement.id).where(Agreement.pax_id == 409))
        results = search(s, embeddings_var, "powers of the president and the prime minister", mode="semantic", limit=20)
    hit = next(r for r in results if r.agreement_id == islamabad)
    assert hit.provision_number is not None, "the Islamabad Accord has provision texts: one is shown"


def test_hybrid_fuses_keyword_and_semantic_rankings(subset_db, embeddings_var):
    with subset_db.session() as s:
        keyword = [r.agreement_id for r in search(s, embeddings_var, "ceasefire", mode="keyword", limit=50)]
        semantic = [r.agreement_id for r in search(s, embeddings_var, "ceasefire", mode="semantic", limit=50)]
        hybrid = search(s, embeddings_var, "ceasefire", mode="hybrid", limit=10)
    expected = [i for i, _ in fuse([keyword, semantic])][:10]
    assert [r.agreement_id for r in hybrid] == expected
    assert any(r.matched_by == ["keyword", "semantic"] for r in hybrid)
    assert hybrid[0].score == dict(fuse([keyword, semantic]))[expected[0]]


def test_the_index_is_cached_by_text_so_a_second_build_computes_nothing(subset_db, tmp_path):
    var = tmp_path / "var"
    with subset_db.session() as s:
        first = build_index(s, var)
        second = build_index(s, var)
    assert first.computed == first.agreements + first.provisions > 0
    assert second.computed == 0
    cache = embeddings.EmbeddingCache(var)
    assert cache.path.name == f"{embeddings.model_key()}.npz" and len(cache.index) == first.computed
    # An edited text is a new text: embedded again, the old vector kept for the old text.
    with subset_db.session() as s:
        s.scalar(select(Agreement).where(Agreement.pax_id == 516)).description = "Edited description."
    with subset_db.session() as s:
        assert build_index(s, var).computed == 1
