"""The Amharic harm model: syllables split for its character n-grams, an SVM and an NB-SVM voting, and
models of an older ``MODEL_VERSION`` never used again."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from peaceops.comms import datasets
from peaceops.comms import estimator as model
from peaceops.comms._nbsvm import SvmNbVote
from peaceops.comms.normalise import normalise, split_syllables


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("ሰላም", "ሰäለāመə"),  # first, fourth and sixth orders
        ("ሉ ሊ ሌ ሎ", "ለū ለī ለē ለō"),
        ("ሏ ቋ", "ለʷ ቈā"),  # the labialised eighth order; the qʷ row is its own consonant
        ("hello 12", "hello 12"),  # Latin letters and digits untouched
    ],
)
def test_split_syllables_writes_each_syllable_as_consonant_and_vowel_mark(text: str, split: str):
    assert split_syllables(text) == split


def test_inflected_forms_share_their_consonants_once_split_and_homophones_fold_first():
    # ሰበረ "he broke", ይሰብራል "he breaks": the same s-b-r consonants under different vowels
    broke, breaks = (split_syllables(w) for w in ("ሰበረ", "ይሰብራል"))
    assert broke[::2] == "ሰበረ" and "ሰበረ" in breaks[::2]
    # ሠ and ሰ, ዓ and አ are the same sound: after normalise the split spellings are identical
    assert split_syllables(normalise("ሠላም ዓለም")) == split_syllables(normalise("ሰላም አለም"))


def test_amharic_settings_are_the_cross_validated_ones_and_english_keeps_its_own():
    assert model.settings_for("am") == {"chars": (1, 6), "C": 0.1, "split": True, "nb_vote": True, "min_df": 1}
    assert model.settings_for("en") == {"chars": (2, 4), "C": 0.1, "split": False, "nb_vote": False, "min_df": 2}
    am = model.build_pipeline(**model.settings_for("am"))
    assert [name for name, _ in am.named_steps["features"].transformer_list[1][1].steps] == ["split", "hash", "tfidf"]
    assert am.named_steps["clf"].nb_vote and am.named_steps["features"].transformer_list[0][1].min_df == 1
    en = model.build_pipeline(**model.settings_for("en"))
    assert [name for name, _ in en.named_steps["features"].transformer_list[1][1].steps] == ["hash", "tfidf"]


def test_settings_are_part_of_the_model_version():
    texts, labels = ["ሰላም", "ደደብ"], ["normal", "offensive"]
    versions = {model.fingerprint(texts, labels, model.settings_for(lang)) for lang in ("am", "en")}
    assert len(versions) == 2
    assert model.fingerprint(texts, labels, model.settings_for("am")) == model.fingerprint(
        texts, labels, model.settings_for("am")
    )


def test_svm_nb_vote_is_deterministic_and_its_label_is_the_argmax_of_its_scores(data_dir: Path):
    ds = datasets.amharic_ranlp(data_dir).head(900, 300)
    features = model.build_pipeline(**model.settings_for("am"))[:-1].fit(ds.train_texts)
    x_train, x_test = features.transform(ds.train_texts), features.transform(ds.test_texts)
    first = SvmNbVote(C=0.1, seed=model.SEED).fit(x_train, ds.train_labels)
    again = SvmNbVote(C=0.1, seed=model.SEED).fit(x_train, ds.train_labels)
    scores = first.decision_function(x_test)
    assert scores.shape == (300, 3) and list(first.classes_) == ["hate", "normal", "offensive"]
    np.testing.assert_array_equal(scores, again.decision_function(x_test))
    assert list(first.predict(x_test)) == list(first.classes_[scores.argmax(axis=1)])
    assert model.macro_f1(ds.test_labels, first.predict(x_test)) > 0.4  # three classes: chance is about 0.33

    # two classes: one score a row, positive for the second class, as scikit-learn's own
    keep = [i for i, y in enumerate(ds.train_labels) if y != "offensive"]
    two = SvmNbVote(C=0.1, seed=model.SEED).fit(x_train[keep], [ds.train_labels[i] for i in keep])
    binary = two.decision_function(x_test)
    assert binary.shape == (300,)
    assert list(two.predict(x_test)) == list(np.where(binary > 0, "normal", "hate"))


def test_the_amharic_model_labels_with_the_vote_and_gives_probabilities(comms_models):
    _, models = comms_models
    harm_am = models["harm-am"]
    assert isinstance(harm_am.pipeline[-1].svm_, SvmNbVote)
    label, p, probs = harm_am.predict(["@USER ደደብ ፋሽስት ነህ"])[0]
    assert label in probs and p == probs[label] and abs(sum(probs.values()) - 1) < 1e-3


def test_a_model_saved_by_an_older_model_version_is_not_used(tmp_path: Path, comms_models):
    var, models = comms_models
    current = models["harm-am"]
    assert model.latest_info(var, "harm-am")["model_version"] == model.MODEL_VERSION
    # the same files as an older release would have left them: its MODEL_VERSION in the metadata
    model.save(current, tmp_path)
    _, meta_path = model._paths(tmp_path, "harm-am", current.version)
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "model_version": "svm-wc-4"}))
    assert model.latest_info(tmp_path, "harm-am") is None
    assert model.latest(tmp_path, "harm-am") is None
    assert model.load(tmp_path, "harm-am", current.version) is None
