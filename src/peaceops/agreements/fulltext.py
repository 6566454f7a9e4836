"""Keyword search over agreements: SQLite FTS5 by default, PostgreSQL full-text search on PostgreSQL.

Each agreement is one document in three weighted parts: its title, its summary (PA-X description,
UCDP comment, parties, country, conflict) and the text of its provisions. The index is rebuilt by the
importers after every file, so it always matches the tables. Ranking: FTS5's BM25 on SQLite (column
weights 10 / 4 / 2), ``ts_rank_cd`` on PostgreSQL (weights 1.0 title, 0.5 summary, 0.3 provisions, no
length normalisation: dividing by the length favoured short agreements that merely mention a word).
Both weightings were chosen on half of the benchmark queries (docs/decisions/006-agreement-search.md).

Snippets come from the best-matching provision of each result when one matches on its own, otherwise
from the part of the document that matched; matched words are wrapped in ``\\x02``/``\\x03`` markers
that the caller turns into plain text or escaped HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, bindparam, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from peaceops.agreements.highlight import MARK_END, MARK_START
from peaceops.agreements.query_syntax import KeywordQuery, to_fts5, to_websearch

SNIPPET_WORDS = 40
# FTS5: porter stemming over unicode61 tokens, accents folded: "ceasefires" finds "ceasefire".
FTS5_TOKENIZE = "porter unicode61 remove_diacritics 2"
# BM25 weights for title, summary, provisions.
FTS5_WEIGHTS = (10.0, 4.0, 2.0)
# ts_rank_cd weights for D (unused), C provisions, B summary, A title; normalisation 0 (none).
PG_WEIGHTS = "{0.1, 0.3, 0.5, 1.0}"
PG_NORMALISATION = 0
# Exponent of the coordination factor (share of a query's alternatives an agreement holds).
COORDINATION = 4

SUMMARY_SQLITE = (
    "coalesce(a.description, '') || ' ' || coalesce(a.ucdp_comment, '') || ' ' || coalesce(a.parties, '') || ' ' "
    "|| coalesce(a.third_parties, '') || ' ' || coalesce(a.country, '') || ' ' || coalesce(a.conflict, '')"
)
SUMMARY_PG = "concat_ws(' ', a.description, a.ucdp_comment, a.parties, a.third_parties, a.country, a.conflict)"


@dataclass(frozen=True)
class KeywordHit:
    agreement_id: int
    score: float


@dataclass(frozen=True)
class Snippet:
    text: str  # with MARK_START/MARK_END around matched words
    provision_id: int | None
    provision_number: int | None


def rebuild_index(session: Session) -> None:
    """Rewrite the keyword index from the agreement and provision tables (a few seconds for all of PA-X)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DELETE FROM agreement_document"))
        session.execute(
            text(
                "INSERT INTO agreement_document (agreement_id, document) "
                "SELECT a.id, "
                "setweight(to_tsvector('english', a.title), 'A') || "
                f"setweight(to_tsvector('english', {SUMMARY_PG}), 'B') || "
                "setweight(to_tsvector('english', coalesce(p.texts, '')), 'C') "
                "FROM agreement a LEFT JOIN (SELECT agreement_id, string_agg(text, ' ' ORDER BY number) AS texts "
                "FROM provision GROUP BY agreement_id) p ON p.agreement_id = a.id"
            )
        )
        return
    session.execute(text("DELETE FROM agreement_fts"))
    session.execute(
        text(
            "INSERT INTO agreement_fts (rowid, title, summary, provisions) "
            f"SELECT a.id, a.title, {SUMMARY_SQLITE}, "
            "(SELECT group_concat(text, ' ') FROM (SELECT text FROM provision p WHERE p.agreement_id = a.id "
            "ORDER BY p.number)) FROM agreement a"
        )
    )
    session.execute(text("DELETE FROM provision_fts"))
    session.execute(
        text("INSERT INTO provision_fts (rowid, text, agreement_id) SELECT id, text, agreement_id FROM provision")
    )


AGREEMENT_FTS = table("agreement_fts", column("rowid", Integer))
AGREEMENT_DOCUMENT = table("agreement_document", column("agreement_id", Integer), column("document"))


def keyword_search(
    session: Session, query: KeywordQuery, *, allowed: Select[Any] | None = None, limit: int = 50
) -> list[KeywordHit]:
    """Agreements matching ``query``, best first; ``allowed`` is a select of agreement ids (the filters).

    A query of several alternatives (``a OR b OR c``, which is how a plain query is asked) multiplies each
    agreement's score by (alternatives it holds / alternatives) ** COORDINATION, as Lucene's classic
    "coord" factor did: an agreement holding every word of the question should not lose to a long one that
    repeats a single word, which BM25 and above all ``ts_rank_cd`` allow.
    """
    if query.empty:
        return []
    postgres = session.get_bind().dialect.name == "postgresql"
    rows = _matches(session, query, allowed, postgres)
    groups = [KeywordQuery([group]) for group in query.groups]
    if len(groups) > 1 and rows:
        held = dict.fromkeys(rows, 0)
        for group in groups:
            for agreement_id in _matches(session, group, allowed, postgres, scores=False):
                held[agreement_id] = held.get(agreement_id, 0) + 1
        rows = {i: score * (held[i] / len(groups)) ** COORDINATION for i, score in rows.items()}
    ranked = sorted(rows.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [KeywordHit(agreement_id, score) for agreement_id, score in ranked]


def matching_ids(session: Session, query: KeywordQuery, allowed: Select[Any] | None = None) -> set[int]:
    """The agreements matching ``query`` as written (no ranking): an aspect's words, say."""
    if query.empty:
        return set()
    return set(_matches(session, query, allowed, session.get_bind().dialect.name == "postgresql", scores=False))


def _matches(
    session: Session, query: KeywordQuery, allowed: Select[Any] | None, postgres: bool, *, scores: bool = True
) -> dict[int, float]:
    """Every agreement matching ``query`` with its BM25 (SQLite) or ``ts_rank_cd`` (PostgreSQL) score."""
    if postgres:
        doc = AGREEMENT_DOCUMENT.c
        tsquery = func.websearch_to_tsquery(literal_column("'english'::regconfig"), bindparam("q"))
        weights: Any = literal_column(f"'{PG_WEIGHTS}'::float4[]")
        score: Any = func.ts_rank_cd(weights, doc.document, tsquery, PG_NORMALISATION)
        ids: Any = doc.agreement_id
        stmt = select(ids, score if scores else literal_column("0")).where(doc.document.op("@@")(tsquery))
        expression = to_websearch(query)
    else:
        fts: Any = literal_column("agreement_fts")
        score = -func.bm25(fts, *FTS5_WEIGHTS)
        ids = AGREEMENT_FTS.c.rowid
        stmt = select(ids, score if scores else literal_column("0")).where(fts.op("MATCH")(bindparam("q")))
        expression = to_fts5(query)
    if allowed is not None:
        stmt = stmt.where(ids.in_(allowed))
    return {int(i): float(v) for i, v in session.execute(stmt, {"q": expression})}


def snippets(session: Session, query: KeywordQuery, agreement_ids: Sequence[int]) -> dict[int, Snippet]:
    """For each agreement, the provision that best matches ``query`` (or the matching summary passage)."""
    if query.empty or not agreement_ids:
        return {}
    ids = list(agreement_ids)
    if session.get_bind().dialect.name == "postgresql":
        return _pg_snippets(session, query, ids)
    return _sqlite_snippets(session, query, ids)


def _sqlite_snippets(session: Session, query: KeywordQuery, ids: list[int]) -> dict[int, Snippet]:
    expression = to_fts5(query)
    found: dict[int, Snippet] = {}
    provisions = session.execute(
        text(
            f"SELECT p.agreement_id, p.rowid, pr.number, "
            f"snippet(provision_fts, 0, '{MARK_START}', '{MARK_END}', ' … ', {SNIPPET_WORDS}) "
            "FROM provision_fts p JOIN provision pr ON pr.id = p.rowid "
            "WHERE provision_fts MATCH :q AND p.agreement_id IN :ids ORDER BY bm25(provision_fts)"
        ).bindparams(bindparam("ids", expanding=True)),
        {"q": expression, "ids": ids},
    )
    for agreement_id, provision_id, number, passage in provisions:
        found.setdefault(int(agreement_id), Snippet(passage, int(provision_id), int(number)))
    rest = [i for i in ids if i not in found]
    if rest:
        documents = session.execute(
            text(
                f"SELECT rowid, snippet(agreement_fts, -1, '{MARK_START}', '{MARK_END}', ' … ', {SNIPPET_WORDS}) "
                "FROM agreement_fts WHERE agreement_fts MATCH :q AND rowid IN :ids"
            ).bindparams(bindparam("ids", expanding=True)),
            {"q": expression, "ids": rest},
        )
        for agreement_id, passage in documents:
            found[int(agreement_id)] = Snippet(passage, None, None)
    return found


HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, MinWords=15, "
    "ShortWord=2, MaxFragments=2, FragmentDelimiter=' … '"
)


def _pg_snippets(session: Session, query: KeywordQuery, ids: list[int]) -> dict[int, Snippet]:
    websearch = to_websearch(query)
    found: dict[int, Snippet] = {}
    provisions = session.execute(
        text(
            "SELECT DISTINCT ON (p.agreement_id) p.agreement_id, p.id, p.number, "
            "ts_headline('english', p.text, q, :options) "
            "FROM provision p, websearch_to_tsquery('english', :q) q "
            "WHERE p.agreement_id IN :ids AND to_tsvector('english', p.text) @@ q "
            "ORDER BY p.agreement_id, ts_rank_cd(to_tsvector('english', p.text), q) DESC, p.number"
        ).bindparams(bindparam("ids", expanding=True)),
        {"q": websearch, "ids": ids, "options": HEADLINE_OPTIONS},
    )
    for agreement_id, provision_id, number, passage in provisions:
        found[int(agreement_id)] = Snippet(passage, int(provision_id), int(number))
    rest = [i for i in ids if i not in found]
    if rest:
        documents = session.execute(
            text(
                f"SELECT a.id, ts_headline('english', a.title || ' ' || {SUMMARY_PG} || ' ' || "
                "coalesce((SELECT string_agg(text, ' ' ORDER BY number) FROM provision "
                "WHERE agreement_id = a.id), ''), "
                "q, :options) FROM agreement a, websearch_to_tsquery('english', :q) q WHERE a.id IN :ids"
            ).bindparams(bindparam("ids", expanding=True)),
            {"q": websearch, "ids": rest, "options": HEADLINE_OPTIONS},
        )
        for agreement_id, passage in documents:
            if MARK_START in passage:
                found[int(agreement_id)] = Snippet(passage, None, None)
    return found
