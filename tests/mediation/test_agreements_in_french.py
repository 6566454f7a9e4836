"""The agreement search, an agreement and a comparison in French: everything but the data (titles, texts,
codes) reads in French, aspect explanations and PA-X labels included."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

FRENCH = {"peaceops_lang": "fr"}
# Words of the English interface that must not be left on a French page (the data may hold any of them).
ENGLISH_UI = (
    "Peace agreements",
    "Search agreements",
    "Signed from",
    "Most compared",
    "agreements for",
    "Why it matched",
    "Compare side by side",
    "PA-X category",
    "not met",
    "date not recorded",
    "Provision ",
    "Categories",
    "Provisions",
    "side by side",
    "Another category",
    "Women, girls and gender",  # a PA-X label (titles may hold "Ceasefire", so that one is not looked for)
    "Political power sharing",
)


class _Text(HTMLParser):
    """The text a person reads (not the data: agreement titles, snippets, provision texts are left out)."""

    DATA = {"hit-title", "snippet", "provisions", "passage", "hit-meta", "lead", "pre-line"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "input", "meta", "link", "img", "hr", "source"):
            return
        classes = set((dict(attrs).get("class") or "").split())
        skip = tag in ("script", "style", "h1", "title", "blockquote") or bool(classes & self.DATA)
        self._stack.append(skip)
        self._skip += skip

    def handle_endtag(self, tag: str) -> None:
        if self._stack and tag not in ("br", "input", "meta", "link", "img", "hr", "source"):
            self._skip -= self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _interface(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _left_in_english(html: str) -> list[str]:
    text = _interface(html)
    return [words for words in ENGLISH_UI if words in text]


@pytest.fixture
def french(subset_api):
    subset_api.cookies.update(FRENCH)
    yield subset_api
    subset_api.cookies.clear()


def test_the_search_page_reads_in_french_before_and_after_a_search(french):
    empty = french.get("/agreements")
    assert empty.status_code == 200
    assert "Accords de paix" in empty.text and "Tapez des mots à trouver" in empty.text
    assert _left_in_english(empty.text) == []

    question = "ceasefire monitoring with women's participation"
    found = french.get("/agreements", params={"q": question, "mode": "keyword"})
    assert found.status_code == 200
    assert re.search(r"\d+ accords? pour <strong>", found.text)
    assert "Pourquoi il correspond" in found.text and "catégorie PA-X" in found.text
    assert "Femmes, filles et genre" in found.text  # a codebook label, translated where it is shown
    assert _left_in_english(found.text) == []


def test_a_french_search_by_stage_and_category_names_them_in_french(french):
    page = french.get("/agreements", params={"stage": "Cea", "category": "Ce"})
    assert page.status_code == 200
    assert "Cessez-le-feu/apparenté" in page.text
    assert _left_in_english(page.text) == []


def test_an_agreement_and_a_comparison_read_in_french(french):
    ids = re.findall(r'name="ids" value="(\d+)"', french.get("/agreements", params={"q": "ceasefire"}).text)[:3]
    assert ids
    agreement = french.get(f"/agreements/{ids[0]}")
    assert agreement.status_code == 200
    assert "Dispositions" in agreement.text and "Catégories" in agreement.text
    assert _left_in_english(agreement.text) == []

    compared = french.get("/agreements/compare", params={"ids": ids, "category": "GeWom"})
    assert compared.status_code == 200
    assert "côte à côte" in compared.text
    assert _left_in_english(compared.text) == []


def test_a_mistake_in_the_search_is_explained_in_french(french):
    page = french.get("/agreements", params={"q": "x", "stage": "nowhere"})
    assert page.status_code == 422
    assert "Étape" in page.text and "inconnue" in page.text


def test_a_process_page_and_its_coordination_warnings_read_in_french(subset_db, french):
    from datetime import date

    from peaceops.access.policy import SYSTEM
    from peaceops.processes.inputs import MediatorDoc, ProcessDoc
    from peaceops.processes.registry import create_process, save_mediator

    with subset_db.session() as s:
        doc = ProcessDoc(name="Processus test", conflict="Afghanistan", phase="negotiation", agreements=[319])
        process_id = create_process(s, SYSTEM, doc).id
        for name in ("A. Envoy", "B. Envoy"):
            mediator = MediatorDoc(
                name=name, organisation="United Nations", kind="un", mandate_area="Afghanistan",
                started_on=date(2024, 1, 1),
            )  # fmt: skip
            save_mediator(s, SYSTEM, process_id, mediator)
    page = french.get(f"/processes/{process_id}")
    assert page.status_code == 200
    assert "Contrôles de coordination" in page.text
    assert "2 médiateurs sont en fonction" in page.text and "chef de file convenu" in page.text
    assert "Blue Paper §9 et §31" in page.text  # the paper's reference stays, its argument reads in French
    assert "Négociation" in page.text and "Cessez-le-feu/apparenté" in page.text
    english = ("Coordination checks", "mediators are active", "Mediators and envoys", "Group of friends", "Timeline")
    assert [words for words in english if words in _interface(page.text)] == []
