"""Retraining with the analysts' decisions: ``peaceops comms retrain``.

A model's version is the hash of its training rows (model.fingerprint), and the training rows are the
shared labelled set plus the analysts' latest confirm / dismiss decision per item
(classifier.retraining_rows). So retraining is a comparison first: when the rows hash to the version
already in use, nothing is trained and nothing is written ("unchanged"); otherwise the new version is
trained (or taken from the cache when exactly these rows were trained before), evaluated on the same
held-out rows as the old one, and becomes the newest model, which scores items from then on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from peaceops.comms import classifier
from peaceops.comms.estimator import _paths, fingerprint, latest_info, settings_for, train
from peaceops.errors import ValidationFailed


@dataclass(frozen=True)
class Retrained:
    """One model's outcome: old and new version and held-out macro-F1, and how many decisions it holds."""

    name: str
    old_version: str | None
    new_version: str
    old_macro_f1: float | None
    new_macro_f1: float | None
    decisions: int
    changed: bool


def retrain(
    session: Session,
    data_dir: Path,
    var_dir: Path,
    names: list[str] | None = None,
    *,
    sets: dict[str, classifier.TrainingSet] | None = None,
) -> list[Retrained]:
    """Retrain ``names`` (default: every model) with the review decisions appended; see the module doc.

    ``sets`` replaces the shared labelled sets (tests train on small real subsets).
    """
    known = list(sets) if sets is not None else [*classifier.HARM_MODELS.values(), classifier.CLAIMS_MODEL]
    unknown = sorted(set(names or []) - set(known))
    if unknown:
        raise ValidationFailed(f"No model named {', '.join(unknown)}; the models are {', '.join(known)}.")
    sets = sets if sets is not None else classifier.base_sets(data_dir)
    extra = classifier.retraining_rows(session)
    out = []
    for name in names or known:
        ts, added = sets[name], extra.get(name, [])
        texts = ts.texts + [t for t, _ in added]
        labels = ts.labels + [lab for _, lab in added]
        settings = settings_for("am" if name == classifier.HARM_MODELS["am"] else "en")
        version = fingerprint(texts, labels, settings)
        old = latest_info(var_dir, name)
        old_f1 = old["metrics"].get("macro_f1") if old else None
        if old is not None and old["version"] == version:
            out.append(Retrained(name, version, version, old_f1, old_f1, len(added), False))
            continue
        model = train(name, texts, labels, var_dir=var_dir, test=(ts.test_texts, ts.test_labels), settings=settings)
        _, meta = _paths(var_dir, name, version)
        os.utime(meta)  # taken from the cache or not, this version is now the newest (the one in use)
        out.append(
            Retrained(
                name,
                old["version"] if old else None,
                model.version,
                old_f1,
                model.metrics.get("macro_f1"),
                len(added),
                True,
            )
        )
    return out
