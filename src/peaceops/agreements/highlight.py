"""Marking matched words in a passage, the same way for every surface.

Passages carry ``\\x02``/``\\x03`` around matched words (the database highlighters write those too);
``plain`` drops the marks for the JSON API and CSV, ``html`` escapes the text and turns them into
``<mark>`` for the pages. Matching here is by word stem (a prefix of at least five letters), close
to what the databases' English stemmers do, for passages that the keyword index did not produce.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

MARK_START, MARK_END = "\x02", "\x03"
WORD = re.compile(r"\w+", re.UNICODE)
SENTENCE = re.compile(r"(?<=[.;:!?])\s+")


def _stem(word: str) -> str:
    word = word.lower()
    return word if len(word) <= 5 else word[: max(5, len(word) - 3)]


def mark(text: str, words: Sequence[str]) -> tuple[str, int]:
    """``text`` with each word matching one of ``words`` marked, and how many were marked."""
    stems = {_stem(w) for w in words if len(w) > 2}
    if not stems:
        return text, 0
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        token = match.group(0).lower()
        if any(token.startswith(s) for s in stems):
            count += 1
            return f"{MARK_START}{match.group(0)}{MARK_END}"
        return match.group(0)

    return WORD.sub(replace, text), count


def covers(text: str, words: Sequence[str]) -> bool:
    """Whether a marked passage has a mark on one of ``words`` (by stem)."""
    stems = {_stem(w) for w in words}
    marked = re.findall(f"{MARK_START}([^{MARK_END}]*){MARK_END}", text)
    return any(m.lower().startswith(s) or s.startswith(_stem(m)) for m in marked for s in stems)


def window(text: str, words: int = 40) -> str:
    """At most ``words`` words of a marked passage, centred on its first mark."""
    tokens = text.split()
    if len(tokens) <= words:
        return text
    first = next((i for i, t in enumerate(tokens) if MARK_START in t), 0)
    start = max(0, min(first - words // 4, len(tokens) - words))
    piece = " ".join(tokens[start : start + words])
    return ("… " if start else "") + piece + (" …" if start + words < len(tokens) else "")


def best_sentences(text: str, words: Sequence[str], limit: int = 2) -> str | None:
    """The sentences of ``text`` that mention most of ``words``, marked, in their order; None if none."""
    scored = []
    for position, sentence in enumerate(SENTENCE.split(text)):
        marked, hits = mark(sentence, words)
        if hits:
            scored.append((hits, position, marked))
    if not scored:
        return None
    chosen = sorted(sorted(scored, key=lambda s: -s[0])[:limit], key=lambda s: s[1])
    return " … ".join(s[2] for s in chosen)


def tidy(text: str) -> str:
    """One line: the databases' snippets keep the source's line breaks."""
    return " ".join(text.split())


def plain(text: str) -> str:
    return tidy(text).replace(MARK_START, "").replace(MARK_END, "")


def html(text: str) -> Markup:
    """Escaped text with ``<mark>`` around matched words: safe to put in a page as it is."""
    escaped = str(escape(tidy(text)))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))
