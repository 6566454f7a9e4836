"""Language of an item: a script rule for Ethiopic, then py3langid (offline, 97 languages) for the rest.

Amharic and Tigrinya share the Ethiopic script; py3langid knows Amharic but not Tigrinya, and on short
tweets mixed with @mentions it is weaker than the plain script test, so text that is mostly Ethiopic is
called Amharic by rule (method "script"). Measured on the shared labelled sets (bench/comms_language.py).
A language given by the source is kept (method "given").
"""

from __future__ import annotations

import re
import threading
from typing import Any

from peaceops.comms.normalise import has_ethiopic

_lock = threading.Lock()
_identifier: Any = None
_NOISE = re.compile(r"@\w+|https?://\S+|#|\bRT\b")


def _langid() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
        return _identifier


def detect(text: str, given: str = "") -> tuple[str, str]:
    """(ISO 639-1 code or "und", method): given, script, model, or none."""
    if given.strip():
        return given.strip().lower()[:8], "given"
    if has_ethiopic(text):
        return "am", "script"
    clean = _NOISE.sub(" ", text).strip()
    if not any(c.isalpha() for c in clean):
        return "und", "none"
    lang, _prob = _langid().classify(clean)
    return str(lang), "model"
