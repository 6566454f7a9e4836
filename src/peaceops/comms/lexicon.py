"""Hate-speech lexicons per country and language, and the matcher that says which term fired.

Matching works on normalised text (``normalise``: case, punctuation, mentions, Ethiopic homophones), so
"ሠፊ" matches a term written "ሰፊ". A term matches:

* as a whole-word sequence of its normalised words, or of any listed variant's;
* after undoing common obfuscation (digits and symbols for letters: "n1gg3r", "f@ggot", "b!tch");
* for single Latin-script words of five letters or more and medium or high severity, within one edit
  (a letter dropped, added or changed: "fagot", "faggit"), found with a symmetric-delete index (not for
  low-severity words: "whore" is one edit from "where", "chink" from "think");
* for Ethiopic terms of three syllables or more, also inside a longer word, since Amharic attaches prefixes and suffixes
  ("ወያኔዎች" contains "ወያኔ").

Each hit names the term, its id, the words that matched and how (exact, variant, deobfuscated, edit,
affix), so an analyst sees why an item was flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.comms.models import CommsLexiconTerm
from peaceops.comms.normalise import has_ethiopic, normalise
from peaceops.errors import ImportFileError, NotFound, ValidationFailed
from peaceops.i18n import _
from peaceops.sources.tabular import csv_rows
from peaceops.store import audit
from peaceops.store.base import utcnow

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
_IN_WORD_LEET = re.compile(r"(?<=[a-z])[013457@$!]+(?=[a-z])")
EDIT_MIN_LENGTH = 5
SEVERITY_LABELS = {1: "low", 2: "medium", 3: "high"}


@dataclass(frozen=True)
class TermInput:
    term: str
    language: str
    country_iso3: str = ""
    variants: tuple[str, ...] = ()
    meaning: str = ""
    why_harmful: str = ""
    severity: int = 2
    source: str = ""


@dataclass
class LexiconImport:
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def check_term(data: TermInput) -> TermInput:
    term = data.term.strip()
    if not term or not normalise(term):
        raise ValidationFailed(_("The term is empty once punctuation is removed; give the word or phrase itself."))
    if len(term) > 200:
        raise ValidationFailed(_("The term is longer than 200 characters; lexicon terms are words or short phrases."))
    language = data.language.strip().lower()
    if not _LANGUAGE.match(language):
        raise ValidationFailed(
            _("Language {language!r} is not a language code such as 'en' or 'am'.").format(language=data.language)
        )
    country = data.country_iso3.strip().upper()
    if country and not (len(country) == 3 and country.isalpha()):
        raise ValidationFailed(
            _("Country {country!r} is not an ISO3 code such as 'ETH' (blank: any).").format(country=data.country_iso3)
        )
    if data.severity not in SEVERITY_LABELS:
        raise ValidationFailed(
            _("Severity {severity!r} must be 1 (low), 2 (medium) or 3 (high).").format(severity=data.severity)
        )
    variants = tuple(dict.fromkeys(v.strip() for v in data.variants if v.strip() and normalise(v)))
    return TermInput(
        term,
        language,
        country,
        variants,
        data.meaning.strip(),
        data.why_harmful.strip(),
        data.severity,
        data.source.strip(),
    )


def _as_dict(t: CommsLexiconTerm) -> dict[str, Any]:
    return {
        "id": t.id,
        "term": t.term,
        "language": t.language,
        "country_iso3": t.country_iso3,
        "variants": list(t.variants or []),
        "meaning": t.meaning,
        "why_harmful": t.why_harmful,
        "severity": t.severity,
        "severity_label": SEVERITY_LABELS.get(t.severity, "?"),
        "source": t.source,
        "active": t.active,
        "updated_by": t.updated_by,
        "updated_at": t.updated_at.isoformat() if t.updated_at else None,
    }


def upsert_term(session: Session, actor: str, data: TermInput) -> tuple[CommsLexiconTerm, str]:
    """Add or update by (country, language, normalised term); returns the row and added/updated/unchanged."""
    data = check_term(data)
    norm = normalise(data.term)
    row = session.scalar(
        select(CommsLexiconTerm).where(
            CommsLexiconTerm.country_iso3 == data.country_iso3,
            CommsLexiconTerm.language == data.language,
            CommsLexiconTerm.term_norm == norm,
        )
    )
    values = {
        "term": data.term,
        "variants": list(data.variants),
        "meaning": data.meaning,
        "why_harmful": data.why_harmful,
        "severity": data.severity,
        "source": data.source,
    }
    if row is None:
        row = CommsLexiconTerm(
            country_iso3=data.country_iso3,
            language=data.language,
            term_norm=norm,
            active=True,
            updated_by=actor,
            updated_at=utcnow(),
            **values,
        )
        session.add(row)
        session.flush()
        audit.record(session, actor, "create", "comms_lexicon_term", row.id, after=_as_dict(row))
        return row, "added"
    before = _as_dict(row)
    if all(getattr(row, k) == v for k, v in values.items()) and row.active:
        return row, "unchanged"
    for k, v in values.items():
        setattr(row, k, v)
    row.active = True
    row.updated_by, row.updated_at = actor, utcnow()
    session.flush()
    audit.record(session, actor, "update", "comms_lexicon_term", row.id, before=before, after=_as_dict(row))
    return row, "updated"


def deactivate_term(session: Session, actor: str, term_id: int) -> None:
    row = session.get(CommsLexiconTerm, term_id)
    if row is None:
        raise NotFound(_("There is no lexicon term {id}.").format(id=term_id))
    before = _as_dict(row)
    row.active = False
    row.updated_by, row.updated_at = actor, utcnow()
    audit.record(session, actor, "deactivate", "comms_lexicon_term", term_id, before=before, after=_as_dict(row))


def list_terms(session: Session, language: str | None = None) -> list[dict[str, Any]]:
    query = select(CommsLexiconTerm).order_by(CommsLexiconTerm.language, CommsLexiconTerm.term_norm)
    if language:
        query = query.where(CommsLexiconTerm.language == language)
    return [_as_dict(t) for t in session.scalars(query)]


def _severity_from_share(share: float) -> int:
    return 3 if share >= 0.75 else 2 if share >= 0.6 else 1


def import_csv(session: Session, actor: str, content: str, *, source: str = "") -> LexiconImport:
    """Import lexicon rows; each bad row is reported with its line and reason, good rows are kept.

    Two layouts: ours (``term, language, country_iso3, variants`` separated by ``|``, ``meaning,
    why_harmful, severity``) and Davidson et al.'s refined n-gram lexicon (``ngram, prophate``: the share
    of tweets containing the n-gram that annotators coded hate speech; English, any country, severity 3
    from 0.75, 2 from 0.6, else 1). Lines may end in CR (the Davidson file uses old Mac line ends). A line
    that cannot be read (bytes that are not UTF-8, a quote never closed: ``sources.tabular``) is rejected.
    """
    names, rows = csv_rows(content, "The lexicon file", short_rows=True)
    header = [h.lower() for h in names]
    davidson = {"ngram", "prophate"} <= set(header)
    if not davidson and "term" not in header:
        raise ImportFileError(
            "The lexicon file has neither a 'term' column (peaceops layout: term, language, country_iso3, "
            "variants, meaning, why_harmful, severity) nor Davidson's 'ngram,prophate' header; nothing imported."
        )
    report = LexiconImport()
    for line, raw in rows:
        row = {k.lower(): v for k, v in raw.items()}
        report.rows_read += 1
        try:
            if "__error__" in raw:
                raise ValidationFailed(f"the line {raw['__error__']}")
            if davidson:
                try:
                    share = float(row.get("prophate", ""))
                except ValueError:
                    raise ValidationFailed(
                        _("prophate {value!r} is not a number").format(value=row.get("prophate"))
                    ) from None
                if not 0 <= share <= 1:
                    raise ValidationFailed(_("prophate {value} is outside 0–1").format(value=share))
                data = TermInput(
                    term=row.get("ngram", ""),
                    language="en",
                    why_harmful=f"{share:.0%} of the tweets containing it were coded hate speech by annotators.",
                    severity=_severity_from_share(share),
                    source=source or "Davidson et al. 2017, refined n-gram lexicon",
                )
            else:
                try:
                    severity = int(row.get("severity") or 2)
                except ValueError:
                    raise ValidationFailed(
                        _("severity {value!r} is not 1, 2 or 3").format(value=row.get("severity"))
                    ) from None
                data = TermInput(
                    term=row.get("term", ""),
                    language=row.get("language", ""),
                    country_iso3=row.get("country_iso3", ""),
                    variants=tuple((row.get("variants") or "").split("|")),
                    meaning=row.get("meaning", ""),
                    why_harmful=row.get("why_harmful", ""),
                    severity=severity,
                    source=row.get("source", "") or source,
                )
            _term, outcome = upsert_term(session, actor, data)  # validates before writing anything
        except ValidationFailed as exc:
            report.rejected.append((line, str(exc).rstrip(".")))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


# ------------------------------------------------------------------ matching
def deobfuscate(text: str) -> str:
    """Digits and symbols standing for letters inside a word ("n1gg3r" → "nigger"); others are left."""
    return _IN_WORD_LEET.sub(lambda m: m.group(0).translate(_LEET), text.lower())


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True)
class _Pattern:
    term_id: int
    term: str
    words: tuple[str, ...]
    how: str  # exact or variant
    severity: int
    ethiopic: bool


class Matcher:
    """Compiled lexicon: ``match(text)`` lists the hits with the term that fired and how."""

    def __init__(self, terms: Iterable[CommsLexiconTerm | dict[str, Any]]) -> None:
        self.patterns: list[_Pattern] = []
        self._by_first: dict[str, list[_Pattern]] = {}
        self._edit_index: dict[str, list[_Pattern]] = {}
        self._ethiopic: list[_Pattern] = []
        for t in terms:
            d = t if isinstance(t, dict) else _as_dict(t)
            if not d.get("active", True):
                continue
            forms = [(d["term"], "exact")] + [(v, "variant") for v in d.get("variants") or []]
            for form, how in forms:
                words = tuple(normalise(form).split())
                if not words:
                    continue
                p = _Pattern(d["id"], d["term"], words, how, int(d["severity"]), has_ethiopic(form))
                self.patterns.append(p)
                self._by_first.setdefault(words[0], []).append(p)
                if p.ethiopic and len(words) == 1 and len(words[0]) >= 3:
                    self._ethiopic.append(p)
                elif len(words) == 1 and len(words[0]) >= EDIT_MIN_LENGTH and words[0].isalpha() and p.severity >= 2:
                    for key in _deletes(words[0]) | {words[0]}:
                        self._edit_index.setdefault(key, []).append(p)

    def _sequence_hits(self, words: Sequence[str], how_override: str | None) -> list[dict[str, Any]]:
        hits = []
        for i, w in enumerate(words):
            for p in self._by_first.get(w, ()):
                if tuple(words[i : i + len(p.words)]) == p.words:
                    hits.append(self._hit(p, " ".join(p.words), how_override or p.how))
        return hits

    @staticmethod
    def _hit(p: _Pattern, matched: str, how: str) -> dict[str, Any]:
        return {"term_id": p.term_id, "term": p.term, "matched": matched, "how": how, "severity": p.severity}

    def match(self, text: str) -> list[dict[str, Any]]:
        words = normalise(text).split()
        hits = self._sequence_hits(words, None)
        plain = {h["matched"] for h in hits}
        leet_words = normalise(deobfuscate(text)).split()
        if leet_words != words:
            hits += [h for h in self._sequence_hits(leet_words, "deobfuscated") if h["matched"] not in plain]
        fired = {h["term_id"] for h in hits}
        for w in set(leet_words):
            if len(w) >= EDIT_MIN_LENGTH - 1 and w.isalpha() and not has_ethiopic(w):
                for key in _deletes(w) | {w}:
                    for p in self._edit_index.get(key, ()):
                        if p.term_id not in fired and _within_one_edit(w, p.words[0]):
                            fired.add(p.term_id)
                            hits.append(self._hit(p, w, "edit"))
            elif has_ethiopic(w):
                for p in self._ethiopic:
                    if p.term_id not in fired and p.words[0] != w and p.words[0] in w:
                        fired.add(p.term_id)
                        hits.append(self._hit(p, w, "affix"))
        return _unique(hits)


def _within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _unique(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[int, str]] = set()
    out = []
    for h in hits:
        key = (h["term_id"], h["matched"])
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out


def matcher(session: Session, language: str | None = None, country_iso3: str | None = None) -> Matcher:
    """The active terms for a language (and a country's plus the any-country terms)."""
    query = select(CommsLexiconTerm).where(CommsLexiconTerm.active.is_(True))
    if language:
        query = query.where(CommsLexiconTerm.language == language)
    if country_iso3:
        query = query.where(CommsLexiconTerm.country_iso3.in_(["", country_iso3.upper()]))
    return Matcher(session.scalars(query))


def last_change(session: Session) -> datetime | None:
    return session.scalar(select(CommsLexiconTerm.updated_at).order_by(CommsLexiconTerm.updated_at.desc()).limit(1))
