"""Semantic search on a subset of the real agreements and the embedding cache (hybrid fusion is tested in
test_agreement_ranking.py)."""

from __future__ import annotations

from sqlalchemy import select

from peaceops.agreements.models import Agreement
from peaceops.agreements.search import search
from peaceops.agreements.semantic import build_index
from peaceops.store import embeddings


def _pax(db, agreement_ids) -> list[int | None]:
    with db.session() as s:
        return [s.get(Agreement, i).pax_id for i in agreement_ids]


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


def test_a_repeated_request_reuses_the_matrix_and_a_different_one_gets_its_own_rows(tmp_path):
    cache = embeddings.EmbeddingCache(tmp_path)
    texts = ["Ceasefire monitoring by a joint commission.", "Return of refugees and displaced persons."]
    first, computed = embeddings.ensure(cache, texts)
    again, recomputed = embeddings.ensure(cache, list(texts))
    assert computed == 2 and recomputed == 0 and again is first
    swapped, _ = embeddings.ensure(cache, texts[::-1])
    assert (swapped == first[::-1]).all() and swapped is not first
    assert not first.flags.writeable  # shared with later callers, so nobody may change it in place
    fresh, _ = embeddings.ensure(embeddings.EmbeddingCache(tmp_path), texts)  # another process: read from disk
    assert abs(fresh - first).max() < 1e-6
