"""The mission's classifiers and how items are scored and flagged.

Three models, each trained from the shared labelled sets plus the analysts' decisions (the retraining
set: a confirmed item keeps its label, a dismissed one is "normal"):

* ``harm-en``: hate / offensive / normal, English (Davidson tweets);
* ``harm-am``: hate / offensive / normal, Amharic (ranlp2023 and trac2024 training splits together);
* ``claims-en``: misinformation-prone / credible, English political statements (LIAR, pants-fire, false
  and barely-true are "prone").

An item is flagged when its harm model labels it hate or offensive (the class-balanced SVM's decision),
or gives hate and offensive a combined calibrated probability of at least ``FLAG_AT`` (0.5), or a
lexicon term of medium or high severity fires; languages without a model are flagged by the lexicon
alone. The item's score is that combined probability.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.comms import datasets, lexicon
from peaceops.comms.estimator import TrainedModel, settings_for, train
from peaceops.comms.models import SHOWN, CommsItem, CommsReview

FLAG_AT = 0.5
HARM_MODELS = {"en": "harm-en", "am": "harm-am"}
CLAIMS_MODEL = "claims-en"


@dataclass
class TrainingSet:
    name: str
    texts: list[str]
    labels: list[str]
    test_texts: list[str]
    test_labels: list[str]
    reviewed: int = 0


def base_sets(data_dir: Path) -> dict[str, TrainingSet]:
    """The shared labelled data, arranged per model: training rows, and the held-out rows it never saw (metrics)."""
    dav = datasets.davidson(data_dir)
    ran = datasets.amharic_ranlp(data_dir)
    trac = datasets.amharic_trac(data_dir)
    liar = datasets.liar(data_dir, binary=True)
    am_texts, am_labels = ran.train_texts + trac.train_texts, ran.train_labels + trac.train_labels
    return {
        "harm-en": TrainingSet(
            "harm-en",
            dav.train_texts,
            dav.train_labels,
            *datasets.unseen(dav.test_texts, dav.test_labels, dav.train_texts),
        ),  # fmt: skip
        "harm-am": TrainingSet(
            "harm-am",
            am_texts,
            am_labels,
            *datasets.unseen(ran.test_texts + trac.test_texts, ran.test_labels + trac.test_labels, am_texts),
        ),
        CLAIMS_MODEL: TrainingSet(
            CLAIMS_MODEL,
            liar.train_texts,
            liar.train_labels,
            *datasets.unseen(liar.test_texts, liar.test_labels, liar.train_texts),
        ),  # fmt: skip
    }


def retraining_rows(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Analysts' latest decision per item as (text, label) per harm model, in item order."""
    latest: dict[int, CommsReview] = {}
    for review in session.scalars(
        select(CommsReview).where(CommsReview.action.in_(["confirm", "dismiss"])).order_by(CommsReview.id)
    ):
        latest[review.item_id] = review
    rows: dict[str, list[tuple[str, str]]] = {}
    if not latest:
        return rows
    items = {i.id: i for i in session.scalars(select(CommsItem).where(CommsItem.id.in_(list(latest))))}
    for item_id in sorted(latest):
        item, review = items.get(item_id), latest[item_id]
        name = HARM_MODELS.get(item.language) if item else None
        if item is None or name is None:
            continue
        label = "normal" if review.action == "dismiss" else (review.label or item.label or "offensive")
        rows.setdefault(name, []).append((item.text, label))
    return rows


def train_all(
    session: Session | None,
    sets: dict[str, TrainingSet],
    var_dir: Path,
    progress: Callable[[str], None] | None = None,
) -> dict[str, TrainedModel]:
    """Train (or load from the cache) every model; the retraining set is appended when a session is given."""
    extra = retraining_rows(session) if session is not None else {}
    models = {}
    for name, ts in sets.items():
        added = extra.get(name, [])
        texts = ts.texts + [t for t, _ in added]
        labels = ts.labels + [lab for _, lab in added]
        if progress:
            progress(name)
        settings = settings_for("am" if name == HARM_MODELS["am"] else "en")
        models[name] = train(
            name,
            texts,
            labels,
            var_dir=var_dir,
            test=(ts.test_texts, ts.test_labels) if ts.test_texts else None,
            settings=settings,
        )
    return models


def score_items(
    session: Session,
    models: dict[str, TrainedModel],
    *,
    only_unscored: bool = True,
) -> int:
    """Label, probability, lexicon hits and flag for items (new ones by default); returns items scored."""
    query = select(CommsItem).where(SHOWN).order_by(CommsItem.id)  # training rows are learnt from, not scored
    if only_unscored:
        query = query.where(CommsItem.model_version == "")
    items = list(session.scalars(query))
    matchers: dict[str, lexicon.Matcher] = {}
    by_language: dict[str, list[CommsItem]] = {}
    for item in items:
        by_language.setdefault(item.language, []).append(item)
    for language, group in by_language.items():
        matchers[language] = lexicon.matcher(session, language)
        model = models.get(HARM_MODELS.get(language, ""))
        predictions: list[tuple[str, float, dict[str, float]] | None] = (
            list(model.predict([i.text for i in group])) if model else [None] * len(group)
        )
        claims = models.get(CLAIMS_MODEL) if language == "en" else None
        prone = claims.probabilities([i.text for i in group]) if claims else None
        prone_col = claims.labels.index("prone") if claims else 0
        for n, item in enumerate(group):
            probs: dict[str, float] = {}
            harm = 0.0
            prediction = predictions[n]
            if prediction is not None:
                label, _p, probs = prediction
                harm = sum(v for k, v in probs.items() if k in ("hate", "offensive"))
                item.label = label
                item.model_version = f"{model.name}@{model.version[:12]}" if model else ""
            else:
                item.model_version = "lexicon-only"
            if prone is not None:
                probs = {**probs, "claim_prone": round(float(prone[n][prone_col]), 4)}
            item.probabilities = probs
            item.score = round(harm, 4) if prediction is not None else None
            item.lexicon_hits = matchers[language].match(item.text)
            severe = any(h["severity"] >= 2 for h in item.lexicon_hits)
            if item.status == "new" and (item.label in ("hate", "offensive") or harm >= FLAG_AT or severe):
                item.status = "flagged"
    session.flush()
    return len(items)


def current_models(var_dir: Path) -> dict[str, TrainedModel]:
    """The newest cached model of each name (none trained yet: an empty dict, lexicon-only scoring)."""
    from peaceops.comms.estimator import latest

    found = {}
    for name in (*HARM_MODELS.values(), CLAIMS_MODEL):
        model = latest(var_dir, name)
        if model is not None:
            found[name] = model
    return found


def model_infos(var_dir: Path) -> list[dict[str, object]]:
    """Metadata of the newest cached model of each name, read without loading the models (for pages)."""
    from peaceops.comms.estimator import latest_info

    infos = [latest_info(var_dir, name) for name in (*HARM_MODELS.values(), CLAIMS_MODEL)]
    return [i for i in infos if i is not None]
