"""Keyword search over all agreements on SQLite (FTS5) and PostgreSQL (tsvector): phrases, OR, NOT, filters."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from peaceops.agreements.fulltext import keyword_search
from peaceops.agreements.highlight import MARK_START
from peaceops.agreements.models import Agreement, AgreementCode, AgreementCountry, Provision
from peaceops.agreements.query_syntax import parse, to_fts5, to_websearch
from peaceops.agreements.search import Filters, allowed_ids, search


def _ids(db, tmp_path, q, filters: Filters | None = None) -> list[int]:
    """Every matching agreement, best first (no page limit, so sets can be compared)."""
    with db.session() as s:
        allowed = allowed_ids(filters) if filters else None
        return [h.agreement_id for h in keyword_search(s, parse(q), allowed=allowed, limit=10_000)]


def _text(session, agreement_id: int) -> str:
    """Everything the keyword index holds for one agreement, lower-cased."""
    a = session.get(Agreement, agreement_id)
    parts = [a.title, a.description, a.ucdp_comment, a.parties, a.third_parties, a.country, a.conflict]
    parts += list(session.scalars(select(Provision.text).where(Provision.agreement_id == agreement_id)))
    return " ".join(p for p in parts if p).lower()


def test_query_syntax_reads_phrases_or_and_exclusions():
    query = parse('"cessation of hostilities" amnesty OR truce -Sudan NOT "power sharing"')
    assert to_fts5(query) == '("cessation of hostilities" AND "amnesty") OR ("truce" NOT "sudan" NOT "power sharing")'
    assert to_websearch(query) == '"cessation of hostilities" amnesty or truce -sudan -"power sharing"'
    assert parse("the of").empty is False and parse("-only").empty is True
    assert to_fts5(parse('fts5 "injection" NEAR(x) *')) == '("fts5" AND "injection" AND "near x")'


def test_a_phrase_finds_fewer_agreements_than_its_words_and_each_has_it(agreements_db, tmp_path):
    phrase = _ids(agreements_db, tmp_path, '"cessation of hostilities"')
    words = _ids(agreements_db, tmp_path, "cessation hostilities")
    assert 20 < len(phrase) < len(words)
    assert set(phrase) <= set(words)
    with agreements_db.session() as s:
        for agreement_id in phrase[:25]:
            assert "cessation of hostilities" in " ".join(_text(s, agreement_id).split())


def test_or_widens_and_minus_excludes(agreements_db, tmp_path):
    ceasefire = set(_ids(agreements_db, tmp_path, "ceasefire"))
    truce = set(_ids(agreements_db, tmp_path, "truce"))
    either = set(_ids(agreements_db, tmp_path, "ceasefire OR truce", filters=None))
    assert truce - ceasefire, "some truces never say ceasefire"
    assert either == ceasefire | truce
    without = _ids(agreements_db, tmp_path, "ceasefire -Sudan")
    assert 0 < len(without) < len(ceasefire)
    with agreements_db.session() as s:
        assert not any("sudan" in _text(s, i) for i in without)


def test_filters_narrow_to_category_region_stage_country_and_dates(agreements_db, tmp_path):
    filters = Filters(
        categories=["Ce"], region="Africa (excl MENA)", date_from=date(1995, 1, 1), date_to=date(2005, 12, 31)
    )
    found = _ids(agreements_db, tmp_path, "hostilities", filters=filters)
    assert found
    with agreements_db.session() as s:
        for agreement_id in found:
            a = s.get(Agreement, agreement_id)
            assert a.region == "Africa (excl MENA)" and date(1995, 1, 1) <= a.signed_on <= date(2005, 12, 31)
            codes = set(s.scalars(select(AgreementCode.code).where(AgreementCode.agreement_id == agreement_id)))
            assert "Ce" in codes
    colombia = _ids(agreements_db, tmp_path, "victims", filters=Filters(country="COL", stage="SubPar"))
    assert colombia
    with agreements_db.session() as s:
        for agreement_id in colombia:
            isos = set(s.scalars(select(AgreementCountry.iso3).where(AgreementCountry.agreement_id == agreement_id)))
            assert "COL" in isos and s.get(Agreement, agreement_id).stage == "SubPar"


def test_filters_alone_list_the_newest_agreements(agreements_db, tmp_path):
    with agreements_db.session() as s:
        results = search(s, tmp_path, "", filters=Filters(country="Nepal"), limit=5)
    dates = [r.date for r in results]
    assert len(results) == 5 and dates == sorted(dates, reverse=True)


def test_snippets_highlight_the_matching_provision(agreements_db, tmp_path):
    with agreements_db.session() as s:
        results = search(s, tmp_path, "amnesty law crimes", mode="keyword", limit=10)
        from_provisions = [r for r in results if r.provision_number is not None]
        assert from_provisions, "agreements with provision texts show the matching provision"
        for r in results:
            assert MARK_START in r.snippet, "every snippet marks a matched word"
        texts = [
            s.scalar(
                select(Provision.text).where(
                    Provision.agreement_id == r.agreement_id, Provision.number == r.provision_number
                )
            ).lower()
            for r in from_provisions
        ]
        assert all(any(w in t for w in ("amnest", "law", "crime")) for t in texts)
        assert any(all(w in t for w in ("amnest", "law", "crime")) for t in texts), "one provision holds them all"
