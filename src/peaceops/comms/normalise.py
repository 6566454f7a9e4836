"""Text normalisation shared by the classifier, the lexicon matcher and duplicate grouping.

Amharic is written in Ethiopic (Ge'ez) script, where several letters are homophones that writers use
interchangeably (ሀ/ሐ/ኀ, ሰ/ሠ, አ/ዐ, ጸ/ፀ, and the first and fourth orders ሀ/ሃ, አ/ኣ): "ሠፊ" and "ሰፊ"
are the same word. Folding them to one
letter, per syllable order, lets a lexicon term or a model feature match both spellings.

Each Ethiopic letter is a syllable: a consonant row (ለ ሉ ሊ ላ ሌ ል ሎ ሏ: l with seven vowels and the
labialised form), eight code points a row. ``split_syllables`` writes every syllable as its row's
first letter and a vowel mark, so character n-grams can follow a word's consonants when its vowels change
(Amharic stems keep their consonants through inflection: ሰበረ, ይሰብራል, ስብራት).
"""

from __future__ import annotations

import re
import unicodedata

# Homophone series (each a row of 7 or 8 syllable orders starting at these code points) folded onto the
# first series of the group: ሐ (U+1210) and ኀ (U+1280) → ሀ (U+1200); ሠ (U+1220) → ሰ (U+1230);
# ዐ (U+12D0) → አ (U+12A0); ፀ (U+1340) → ጸ (U+1338).
_SERIES = [(0x1210, 0x1200), (0x1280, 0x1200), (0x1220, 0x1230), (0x12D0, 0x12A0), (0x1340, 0x1338)]
_FOLD: dict[int, int] = {}
for _src, _dst in _SERIES:
    for _order in range(8):  # seven vowel orders and the labialised form
        _FOLD[_src + _order] = _dst + _order
# In Amharic the first and fourth orders of the h- and glottal series sound alike too (ሀ/ሃ, አ/ኣ):
# ሃ, ሓ, ኃ → ሀ and ኣ, ዓ → አ.
for _dst in (0x1200, 0x12A0):
    for _cp, _to in list(_FOLD.items()):
        if _to == _dst + 3:
            _FOLD[_cp] = _dst
    _FOLD[_dst + 3] = _dst

# One translate table: Ethiopic folding plus every Unicode punctuation and symbol character → space.
_TABLE: dict[int, int | None] = dict(_FOLD)
for _cp in range(0x20, 0x3000):
    if unicodedata.category(chr(_cp))[0] in "PS":
        _TABLE[_cp] = 0x20
for _cp in range(0xFE00, 0x10000):
    if unicodedata.category(chr(_cp))[0] in "PS":
        _TABLE[_cp] = 0x20

# The seven vowel orders and the labialised eighth, as marks no Latin word uses.
_VOWEL_MARKS = "äūīāēəōʷ"
_SPLIT: dict[int, str] = {
    cp: chr(cp - (cp - 0x1200) % 8) + _VOWEL_MARKS[(cp - 0x1200) % 8] for cp in range(0x1200, 0x1358)
}

_ETHIOPIC = re.compile(r"[\u1200-\u137F\u1380-\u139F\u2D80-\u2DDF]")
_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_ENTITY = re.compile(r"&(amp|lt|gt|quot|#\d+);")
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_REPEAT = re.compile(r"(.)\1{2,}")


def fold_ethiopic(text: str) -> str:
    """Collapse Ethiopic homophone letters onto one spelling (ሐ/ኀ→ሀ, ሠ→ሰ, ዐ→አ, ፀ→ጸ; ሃ→ሀ, ኣ→አ)."""
    return text.translate(_FOLD)


def split_syllables(text: str) -> str:
    """Each Ethiopic syllable as its consonant (the row's first letter) and a vowel mark: ሰላም → ሰäለāመə."""
    return text.translate(_SPLIT)


def has_ethiopic(text: str, share: float = 0.3) -> bool:
    """True when at least ``share`` of the letters are Ethiopic script."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    return sum(1 for c in letters if _ETHIOPIC.match(c)) / len(letters) >= share


def normalise(text: str) -> str:
    """Lower-cased, accents kept, mentions/links/punctuation removed, Ethiopic homophones folded.

    Ethiopic punctuation (።, ፣, ፥ ...) is in the Unicode punctuation class, so it is stripped too, as are
    symbols and emoji.
    Letters repeated three times or more are cut to two ("soooo" → "soo").
    """
    text = unicodedata.normalize("NFC", text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _ENTITY.sub(" ", text)
    text = text.lower().translate(_TABLE)
    text = _NON_WORD.sub(" ", text)
    text = _REPEAT.sub(r"\1\1", text)
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Words of the normalised text."""
    return normalise(text).split()
