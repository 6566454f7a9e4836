"""Search that reads a question as aspects: split at "with", "and", commas ...; plain words mapped to PA-X
categories; agreements meeting every aspect first; every result says how it met each aspect."""

from __future__ import annotations

import pytest

from peaceops.agreements import highlight
from peaceops.agreements.aspects import understand as read_aspects
from peaceops.agreements.search import Understood, by_aspects, search, understand

QUESTION = "ceasefire monitoring with women's participation"


def test_a_question_splits_into_its_aspects_and_operators_keep_it_exact(agreements_db):
    with agreements_db.session() as s:
        two = read_aspects(s, QUESTION)
        three = read_aspects(s, "amnesty, prisoner release and the return of refugees")
        exact = read_aspects(s, "ceasefire AND women")
    assert [a.text for a in two] == ["ceasefire monitoring", "women's participation"]
    assert [a.words for a in two] == [("ceasefire", "monitoring"), ("women", "participation")]
    assert [a.text for a in three] == ["amnesty", "prisoner release", "the return of refugees"]
    assert exact == [], "a query with operators is exact as written, not split"


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("women", "GeWom"),  # codebook definition word
        ("truce", "Ce"),
        ("peacekeepers", "ImPK"),
        ("demobilisation", "SsrDdr"),
        ("refugee", "GRef"),  # label "Refugees/ displaced persons", singular in the query
        ("prisoner release", "TjPrire"),  # label words
        ("taxation", "Tax"),
        ("electoral commission", "ElecComm"),
        ("power-sharing", "Polps"),
    ],
)
def test_plain_words_name_pax_categories(agreements_db, words, code):
    with agreements_db.session() as s:
        (aspect,) = read_aspects(s, words)
    assert code in aspect.codes


def test_a_word_shared_by_many_category_labels_names_none(agreements_db):
    with agreements_db.session() as s:
        (aspect,) = read_aspects(s, "political")  # in eight labels: Pol, PolGen, PolPar, Polps ...
        (release,) = read_aspects(s, "release")  # not the "PA-X release/version number" column
    assert aspect.codes == () and release.codes == ("TjPrire",)


def _meets(result, aspect: int) -> bool:
    return result.aspects[aspect].met


def test_agreements_meeting_every_aspect_come_first(agreements_db, tmp_path):
    with agreements_db.session() as s:
        results = search(s, tmp_path, QUESTION, mode="keyword", limit=200)
    both = [_meets(r, 0) and _meets(r, 1) for r in results]
    assert all(both[:20]), "the first page meets the ceasefire aspect and the women aspect"
    assert not all(both), "agreements meeting one aspect still follow"
    first_partial = both.index(False)
    assert all(both[:first_partial]) and not any(both[first_partial:])
    for r in results[:20]:
        women = r.aspects[1]
        assert {"women", "participation"} <= set(women.words) or "GeWom" in {c for c, _ in women.categories}


def test_each_snippet_marks_every_aspect_met_by_its_words(agreements_db, tmp_path):
    with agreements_db.session() as s:
        results = search(s, tmp_path, QUESTION, mode="keyword", limit=20)
    for r in results:
        for aspect in r.aspects:
            assert aspect.met and (aspect.words or aspect.categories), "met by its words, its category or both"
            for word in aspect.by_word:  # every word of the aspect the agreement holds is marked in the snippet
                assert highlight.covers(r.snippet, [word]), (word, r.snippet)
            if aspect.by_word:
                assert aspect.passage and highlight.covers(aspect.passage, list(aspect.by_word))
    women = [w for r in results for w in r.aspects[1].by_word]
    assert "women" in women, "some results hold the word women, and show it"


def test_the_api_gives_per_aspect_reasons(api):
    results = api.get("/api/agreements/search", params={"q": QUESTION, "mode": "keyword", "limit": 5}).json()
    for hit in results["results"]:
        assert [a["aspect"] for a in hit["aspects"]] == ["ceasefire monitoring", "women's participation"]
        for aspect in hit["aspects"]:
            assert aspect["met"] and (aspect["words"] or aspect["categories"])
            if aspect["words"]:
                assert "<mark>" in aspect["passage_html"]
    page = api.get("/agreements", params={"q": QUESTION, "mode": "keyword"})
    assert page.status_code == 200 and 'class="why"' in page.text and "women&#39;s participation" in page.text


def test_hybrid_puts_every_aspect_met_first_then_adds_a_category_bonus():
    understood = Understood(
        aspects=[object(), object()],
        by_text=[{1, 2, 3}, {1}],
        by_category=[{}, {4: {"GeWom": 3}, 2: {"GeWom": 1}}],
        labels={},
    )  # type: ignore[list-item]
    ranked = [(3, 5.0), (2, 1.0), (1, 0.5), (4, 0.4), (5, 9.0)]
    ordered = [i for i, _ in by_aspects(ranked, understood, category_weight=2.0)]
    # 1 and 2 meet both aspects (2 by category, with a bonus); 3 and 4 one; 5 none.
    assert ordered == [2, 1, 3, 4, 5]


def test_an_exact_query_is_not_read_as_aspects(agreements_db):
    with agreements_db.session() as s:
        assert understand(s, '"ceasefire monitoring" women', None) is None
        assert understand(s, QUESTION, None) is not None
