"""Lexicon matching (variants, spelling, obfuscation, Ethiopic script) and the lexicon importer."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from peaceops.comms import lexicon
from peaceops.comms.models import CommsLexiconTerm
from peaceops.comms.normalise import fold_ethiopic, normalise
from peaceops.errors import ImportFileError
from peaceops.sources.tabular import decode
from peaceops.store.audit import AuditEntry

TERMS = [
    {"id": 1, "term": "faggot", "variants": ["fag"], "severity": 3},
    {"id": 2, "term": "white trash", "variants": [], "severity": 2},
    {"id": 3, "term": "ወያኔ", "variants": ["ወያነ"], "severity": 3},  # a political slur in Ethiopian discourse
    {"id": 4, "term": "ሰፊ", "variants": [], "severity": 1},
    {"id": 5, "term": "ባንዳ", "variants": [], "severity": 2},  # "traitor", used against opponents
]


@pytest.fixture(scope="module")
def matcher() -> lexicon.Matcher:
    return lexicon.Matcher(TERMS)


def _fired(m: lexicon.Matcher, text: str) -> dict[str, str]:
    return {h["term"]: h["how"] for h in m.match(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("you are a FAGGOT!!", {"faggot": "exact"}),
        ("lol fag.", {"faggot": "variant"}),
        ("what a fagot", {"faggot": "edit"}),  # one letter dropped
        ("you f@gg0t", {"faggot": "deobfuscated"}),
        ("Full of white-trash", {"white trash": "exact"}),
        ("white people and trash cans", {}),  # words apart are not the phrase
        ("faggots", {"faggot": "edit"}),  # one letter added
        ("a fig", {}),  # short words get no spelling tolerance
    ],
)
def test_latin_matching_handles_variants_spelling_and_disguise(matcher, text, expected):
    assert _fired(matcher, text) == expected


def test_ethiopic_matching_folds_homophones_and_finds_terms_inside_affixed_words(matcher):
    # ሠ and ሰ are the same sound: a text spelled with ሠ matches the term written with ሰ
    assert _fired(matcher, "ምነው ሠፊ ነው") == {"ሰፊ": "exact"}
    # plural / possessive suffixes: ወያኔዎች (wayyanes) contains the three-syllable term
    assert _fired(matcher, "እነዚህ ወያኔዎች ናቸው።") == {"ወያኔ": "affix"}
    # the listed variant spelling, with Ethiopic punctuation attached
    assert _fired(matcher, "ወያነ፣ ባንዳ።") == {"ወያኔ": "variant", "ባንዳ": "exact"}
    # short (two-syllable) terms are not searched inside other words: ሰፊው is not ሰፊ
    assert "ሰፊ" not in _fired(matcher, "ሰፊው")
    assert _fired(matcher, "ሰላም ለሁላችሁ") == {}


def test_normalise_folds_each_homophone_series_and_strips_ethiopic_punctuation():
    assert fold_ethiopic("ሐኀሠዐፀ") == "ሀሀሰአጸ"
    assert fold_ethiopic("ሑ") == "ሁ"  # the whole syllable series, not just the first order
    assert fold_ethiopic("ሓ ሃ ዓ ኣ") == "ሀ ሀ አ አ"  # first and fourth orders of h and glottal sound alike
    assert normalise("@USER ሠላም፣ ዓለም። http://t.co/x RT!!") == "ሰላም አለም rt"


def test_every_hit_names_the_term_and_what_matched(matcher):
    hits = matcher.match("full of White Trash, you f@ggot")
    assert {(h["term"], h["matched"], h["how"], h["severity"]) for h in hits} == {
        ("white trash", "white trash", "exact", 2),
        ("faggot", "faggot", "deobfuscated", 3),
    }
    assert all(h["term_id"] in {1, 2} for h in hits)


def test_davidson_lexicon_imports_once_and_rejects_bad_rows(db, data_dir: Path):
    content = (data_dir / "comms" / "davidson" / "lexicons_refined_ngram_dict.csv").read_text(encoding="utf-8")
    with db.session() as s:
        first = lexicon.import_csv(s, "tester", content)
    assert first.rows_read == 178 and first.added == 178 and not first.rejected
    with db.session() as s:
        again = lexicon.import_csv(s, "tester", content)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 178)
        assert s.scalar(select(func.count()).select_from(CommsLexiconTerm)) == 178
        row = s.scalar(select(CommsLexiconTerm).where(CommsLexiconTerm.term == "allah akbar"))
        assert row.severity == 3 and "87%" in row.why_harmful  # prophate 0.87
        m = lexicon.matcher(s, "en")
    assert {h["term"] for h in m.match("ALL NIGGERS are...")} >= {"all niggers", "niggers"}

    bad = (
        "term,language,country_iso3,variants,severity\n"
        "ባንዳ,am,ETH,ባንዳዎች|banda,3\n,am,,,2\nx,english,,,2\ny,en,ET,,2\nz,en,,,7\n"
    )
    with db.session() as s:
        report = lexicon.import_csv(s, "tester", bad)
        assert report.added == 1
        assert [line for line, _ in report.rejected] == [3, 4, 5, 6]
        reasons = " | ".join(r for _, r in report.rejected)
        assert "empty" in reasons and "'english'" in reasons and "'ET'" in reasons and "Severity 7" in reasons
        term = s.scalar(select(CommsLexiconTerm).where(CommsLexiconTerm.term == "ባንዳ"))
        assert term.country_iso3 == "ETH" and term.variants == ["ባንዳዎች", "banda"]
        assert (
            s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "comms_lexicon_term"))
            == 179
        )

    with db.session() as s, pytest.raises(ImportFileError, match="'term' column"):
        lexicon.import_csv(s, "tester", "word,meaning\nx,y\n")


def test_a_lexicon_line_that_cannot_be_read_is_rejected_alone(db):
    content = (
        b"term,language,severity\r"  # old Mac line ends, as in Davidson's file
        + "bandé,fr,2\r".encode("latin-1")  # not UTF-8
        + f"{'x' * 200_000},en,2\r".encode()
        + "ባንዳ,am,3\r".encode()
    )
    with db.session() as s:
        report = lexicon.import_csv(s, "tester", decode(content))
        terms = set(s.scalars(select(CommsLexiconTerm.term)))
    assert (report.rows_read, report.added) == (3, 1)
    reasons = dict(report.rejected)
    assert reasons[2].startswith("the line is not UTF-8 text (byte 0xe9)")
    assert reasons[3].startswith("the line has a value longer than 131,072 characters")
    assert "ባንዳ" in terms
