"""The keyword query language of the agreements search box, and its translation for each database.

The syntax is web-search style, the one PostgreSQL's ``websearch_to_tsquery`` reads: ``"quoted words"``
form a phrase, ``OR`` between two parts accepts either, ``-word`` (or ``NOT word``) excludes, words side
by side must all appear (``AND`` may be written to say so). On SQLite the same query becomes an FTS5
expression, so both databases find the same agreements.

A query written without any operator (no quotes, OR, AND, NOT or leading minus) is natural language,
not a boolean query: searches rank it as "any of these words" (``any_term``), so an agreement holding only
some of the words is found, below those holding more of them or rarer ones (BM25). Requiring every word
of a sentence finds almost nothing; an operator anywhere makes the whole query exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# PostgreSQL's English configuration ignores these (Snowball's list); the SQLite translation drops them
# too, outside phrases, so both databases rank the same words.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can did do does doing don down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own s same she should so some such t
    than that the their theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with you your yours yourself yourselves""".split()
)
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    """A word or a phrase (several words in order); ``negated`` excludes agreements that contain it."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class KeywordQuery:
    """OR of groups; each group is an AND of terms. ``(a b) OR c`` in websearch precedence.

    ``explicit`` is true when the text used an operator (quotes, OR, AND, NOT, a leading minus).
    """

    groups: list[list[Term]] = field(default_factory=list)
    explicit: bool = False

    @property
    def empty(self) -> bool:
        return not any(not t.negated for group in self.groups for t in group)

    def positive_words(self) -> list[str]:
        """Every word the query looks for (to highlight), in order, without repeats."""
        seen: list[str] = []
        for group in self.groups:
            for term in group:
                if not term.negated:
                    seen.extend(w for w in term.words if w not in seen and w not in STOPWORDS)
        return seen


def parse(text: str) -> KeywordQuery:
    """Read a search-box query; punctuation inside words is dropped, never a syntax error."""
    groups: list[list[Term]] = [[]]
    negate_next = False
    explicit = False
    for match in TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if phrase is not None:
            words = tuple(w.lower() for w in WORD.findall(phrase))
            negated = bool(minus) or negate_next
            explicit = True
        else:
            if bare in ("OR", "or", "|"):
                if groups[-1]:
                    groups.append([])
                negate_next = False
                explicit = True
                continue
            if bare in ("AND", "&", "+"):
                explicit = True
                continue
            if bare == "NOT":
                negate_next = explicit = True
                continue
            negated = negate_next or (bare.startswith("-") and len(bare) > 1)
            words = tuple(w.lower() for w in WORD.findall(bare))
            explicit = explicit or negated
        negate_next = False
        if not words:
            continue
        groups[-1].append(Term(words, negated))  # "power-sharing" reads as the phrase it is
    return KeywordQuery([g for g in groups if any(not t.negated for t in g)], explicit)


def _fts5_term(term: Term) -> str:
    return '"' + " ".join(term.words).replace('"', '""') + '"'


def _kept(term: Term) -> bool:
    return term.is_phrase or term.words[0] not in STOPWORDS


def to_fts5(query: KeywordQuery) -> str:
    """An FTS5 MATCH expression: ``("a" AND "b c") NOT "d" OR ("e")``; every word quoted, so safe.

    Stop words outside phrases are dropped, as PostgreSQL does, unless a group holds nothing else.
    """
    parts = []
    for group in query.groups:
        kept = [t for t in group if not t.negated and _kept(t)] or [t for t in group if not t.negated]
        positive = " AND ".join(_fts5_term(t) for t in kept)
        negative = "".join(f" NOT {_fts5_term(t)}" for t in group if t.negated)
        parts.append(f"({positive}{negative})")
    return " OR ".join(parts)


def to_websearch(query: KeywordQuery) -> str:
    """The same query written back for ``websearch_to_tsquery`` (cleaned of anything it would misread)."""
    parts = []
    for group in query.groups:
        words = []
        for term in group:
            text = " ".join(term.words)
            text = f'"{text}"' if term.is_phrase else text
            words.append(f"-{text}" if term.negated else text)
        parts.append(" ".join(words))
    return " or ".join(parts)


def is_plain(query: KeywordQuery) -> bool:
    """Written without operators: natural language rather than a boolean query."""
    return not query.explicit and len(query.groups) == 1


def any_word(query: KeywordQuery) -> KeywordQuery:
    """A query that accepts any of the words looked for: used to pick a snippet for semantic results."""
    return KeywordQuery([[Term((w,))] for w in query.positive_words()])


def any_term(query: KeywordQuery) -> KeywordQuery:
    """Each term of a plain query on its own (OR): hyphenated words stay phrases, stop words go unless
    nothing else is left."""
    terms = [t for group in query.groups for t in group if not t.negated]
    kept = [t for t in terms if _kept(t)] or terms
    unique = list(dict.fromkeys(kept))
    return KeywordQuery([[t] for t in unique])


def ranking_query(query: KeywordQuery) -> KeywordQuery:
    """What the index is asked: a plain query as any of its terms (ranked by BM25), any other as written."""
    return any_term(query) if is_plain(query) and not query.empty else query
