"""A short starting list of offensive words and slurs, so that narrative titles can mask them.

Davidson et al.'s lexicon (imported by the demo) lists n-grams annotators coded as hate speech; it
leaves out the profanity and slurs most of the harmful English tweets are made of ("bitch", "nigga",
"hoe"...), and there is no Amharic lexicon in the shared data. Narrative titles (narratives.top_terms)
mask every word the language's lexicon matches, so these words are added to the lexicon as terms of
severity 1 (low): they are shown as lexicon hits and masked in titles, but never flag an item on their
own (flagging is the classifier's, or a medium or high term's). Terms already in the lexicon are left as
they are (this list's own terms are kept up to date). It is a starting point an analyst edits on
/comms/lexicon like any other term.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.comms.lexicon import TermInput, upsert_term
from peaceops.comms.models import CommsLexiconTerm
from peaceops.comms.normalise import normalise

SOURCE = "peaceops starting list of offensive words (edit on /comms/lexicon)"
ENGLISH = (
    ("bitch", ("bitches", "biatch")), ("hoe", ("hoes",)), ("pussy", ("pussies",)),
    ("nigga", ("niggas", "niggah", "nigguh")), ("fuck", ("fucking", "fuckin", "fucked", "fucker", "motherfucker")),
    ("shit", ("shitty",)), ("ass", ("asses",)), ("cunt", ("cunts",)), ("dick", ("dicks",)),
    ("whore", ("whores",)), ("slut", ("sluts",)), ("twat", ()), ("retard", ("retards", "retarded")),
    ("fag", ()), ("dyke", ("dykes",)), ("tranny", ()), ("coon", ("coons",)),
)  # fmt: skip
AMHARIC = (
    ("ደደብ", "stupid, idiot"),
    ("ደነዝ", "dull-witted, stupid"),
    ("ሆዳም", "glutton: one who sells out for his belly"),
    ("ተላላኪ", "lackey, errand-runner (a political insult)"),
    ("ባንዳ", "traitor, collaborator"),
    ("ሸርሙጣ", "whore"),
    ("ጋላ", "ethnic slur for Oromo people"),
    ("ተበዳ", "vulgar: 'fucked'"),
)


def terms() -> list[TermInput]:
    out = [
        TermInput(term, "en", variants=variants, why_harmful="Profanity or slur.", severity=1, source=SOURCE)
        for term, variants in ENGLISH
    ]
    out += [
        TermInput(term, "am", meaning=meaning, why_harmful="Insult or slur.", severity=1, source=SOURCE)
        for term, meaning in AMHARIC
    ]
    return out


def add_missing(session: Session, actor: str) -> int:
    """Add the terms the lexicon lacks (any country), and bring this list's own unedited terms up to date.

    A term someone entered or edited (another source) is left alone. Returns how many were added.
    """
    present = {
        (lang, norm): source
        for lang, norm, source in session.execute(
            select(CommsLexiconTerm.language, CommsLexiconTerm.term_norm, CommsLexiconTerm.source)
        )
    }
    added = 0
    for term in terms():
        source = present.get((term.language, normalise(term.term)))
        if source is None or source == SOURCE:
            _, outcome = upsert_term(session, actor, term)
            added += outcome == "added"
    return added
