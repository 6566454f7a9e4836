"""Readers for the labelled text sets in ``<data_dir>/comms/`` (see DATA.md, "Labelled text").

Each reader returns a :class:`LabelledSet` with the set's own train and held-out split: the published
dev/valid files where they exist (Amharic ranlp2023 and trac2024, LIAR), a fixed seeded stratified
80/20 split of the English Davidson tweets otherwise. None of these sets has a timestamp column, but the
Amharic tweets keep their tweet ids (TRAC 2024 ``tweet_id``; RANLP 2023 in ``with_annotators_*.csv``),
and a tweet id encodes its posting time (``snowflake.py``): ``amharic_trac_ids`` / ``amharic_ranlp_ids``
give the ids in the same order as the set's rows.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from peaceops.comms.normalise import normalise
from peaceops.errors import PeaceopsError

SPLIT_SEED = 20170501
DAVIDSON_CLASSES = {0: "hate", 1: "offensive", 2: "normal"}
LIAR_GRADES = ["pants-fire", "false", "barely-true", "half-true", "mostly-true", "true"]
LIAR_PRONE = {"pants-fire", "false", "barely-true"}


@dataclass(frozen=True)
class LabelledSet:
    """One labelled set: name, language, task and its train / held-out texts and labels."""

    name: str
    language: str
    task: str  # "harm" (hate/offensive/normal) or "truth" (LIAR grades)
    train_texts: list[str]
    train_labels: list[str]
    test_texts: list[str]
    test_labels: list[str]

    @property
    def labels(self) -> list[str]:
        return sorted(set(self.train_labels))

    def fingerprint(self) -> str:
        """SHA-256 over the training texts and labels: the model's data version."""
        h = hashlib.sha256()
        for text, label in zip(self.train_texts, self.train_labels, strict=True):
            h.update(label.encode())
            h.update(b"\t")
            h.update(text.encode())
            h.update(b"\n")
        return h.hexdigest()

    def head(self, n_train: int, n_test: int) -> LabelledSet:
        """A smaller copy (first rows) for tests."""
        return LabelledSet(
            self.name,
            self.language,
            self.task,
            self.train_texts[:n_train],
            self.train_labels[:n_train],
            self.test_texts[:n_test],
            self.test_labels[:n_test],
        )


def unseen(texts: Sequence[str], labels: Sequence[str], training: Iterable[str]) -> tuple[list[str], list[str]]:
    """The held-out rows whose text (normalised) is not also a training row: what a model never saw.

    The published splits hold a few copies of training tweets (Davidson 105 of 3,965; TRAC 2024 dev 3 of
    1,239 against the two Amharic training sets); a copy measures memory, not skill.
    """
    seen = {normalise(t) for t in training}
    kept = [(t, y) for t, y in zip(texts, labels, strict=True) if normalise(t) not in seen]
    return [t for t, _ in kept], [y for _, y in kept]


def _need(path: Path) -> Path:
    if not path.exists():
        raise PeaceopsError(f"{path} is missing: point PEACEOPS_DATA_DIR at the shared data folder (comms/ inside).")
    return path


def seeded_split(
    texts: Sequence[str], labels: Sequence[str], share: float = 0.2, seed: int = SPLIT_SEED
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Stratified split: the same ``share`` of every label held out, fixed by ``seed``."""
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    rng = random.Random(seed)
    test: set[int] = set()
    for label in sorted(by_label):
        idx = by_label[label]
        rng.shuffle(idx)
        test.update(idx[: round(len(idx) * share)])
    tr = [i for i in range(len(texts)) if i not in test]
    te = sorted(test)
    return [texts[i] for i in tr], [labels[i] for i in tr], [texts[i] for i in te], [labels[i] for i in te]


def davidson(data_dir: Path) -> LabelledSet:
    """English tweets (Davidson et al. 2017): hate / offensive / normal by annotator majority."""
    path = _need(data_dir / "comms" / "davidson" / "labeled_data.csv")
    texts: list[str] = []
    labels: list[str] = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            texts.append(row["tweet"])
            labels.append(DAVIDSON_CLASSES[int(row["class"])])
    tr_x, tr_y, te_x, te_y = seeded_split(texts, labels)
    return LabelledSet("davidson", "en", "harm", tr_x, tr_y, te_x, te_y)


def _fasttext_file(path: Path) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    with _need(path).open(encoding="utf-8") as fh:
        for line in fh:
            label, _, text = line.rstrip("\n").partition("\t")
            if not label.startswith("__label__"):
                continue
            labels.append(label.removeprefix("__label__"))
            texts.append(text)
    return texts, labels


def amharic_ranlp(data_dir: Path) -> LabelledSet:
    """Amharic tweets (Ayele et al., RANLP 2023) with the published train/dev split."""
    base = data_dir / "comms" / "amharic" / "ranlp2023"
    tr_x, tr_y = _fasttext_file(base / "train.csv")
    te_x, te_y = _fasttext_file(base / "dev.csv")
    return LabelledSet("amharic-ranlp2023", "am", "harm", tr_x, tr_y, te_x, te_y)


def amharic_ranlp_ids(data_dir: Path, split: str) -> list[str]:
    """Tweet ids of ``amharic_ranlp``'s train or dev rows, in the same order ("" where the texts differ).

    ``with_annotators_<split>.csv`` holds the same rows as ``<split>.csv`` (tab-separated: id, the two
    annotators' labels, the gold label, the text); each row's text is checked against the set's.
    """
    base = data_dir / "comms" / "amharic" / "ranlp2023"
    texts, _ = _fasttext_file(base / f"{split}.csv")
    pairs: list[tuple[str, str]] = []
    with _need(base / f"with_annotators_{split}.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 5 and row[3].startswith("__label__"):
                pairs.append((row[0].strip(), row[4]))
    ids = [""] * len(texts)
    for n, (tweet_id, text) in enumerate(pairs[: len(texts)]):
        if tweet_id.isdigit() and text == texts[n]:
            ids[n] = tweet_id
    return ids


def _csv_rows(path: Path, label_col: str) -> list[dict[str, str]]:
    with _need(path).open(newline="", encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if (row.get(label_col) or "").strip() and row.get("tweet")]


def _csv_pairs(path: Path, label_col: str) -> tuple[list[str], list[str]]:
    rows = _csv_rows(path, label_col)
    return [r["tweet"] for r in rows], [r[label_col].strip().lower() for r in rows]


def amharic_trac_ids(data_dir: Path, split: str) -> list[str]:
    """Tweet ids (column ``tweet_id``) of ``amharic_trac``'s train or dev rows, in the same order."""
    path = data_dir / "comms" / "amharic" / "trac2024" / f"{split}_category.csv"
    return [(r.get("tweet_id") or "").strip() for r in _csv_rows(path, "label")]


def amharic_trac(data_dir: Path) -> LabelledSet:
    """Amharic tweets (Ayele et al., TRAC 2024), category labels, published train/dev split."""
    base = data_dir / "comms" / "amharic" / "trac2024"
    tr_x, tr_y = _csv_pairs(base / "train_category.csv", "label")
    te_x, te_y = _csv_pairs(base / "dev_category.csv", "label")
    return LabelledSet("amharic-trac2024", "am", "harm", tr_x, tr_y, te_x, te_y)


def _liar_file(path: Path, binary: bool) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    with _need(path).open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 3 or row[1] not in LIAR_GRADES:
                continue
            texts.append(row[2])
            labels.append(("prone" if row[1] in LIAR_PRONE else "credible") if binary else row[1])
    return texts, labels


def liar(data_dir: Path, binary: bool = False) -> LabelledSet:
    """LIAR political statements (Wang 2017), six truthfulness grades or prone/credible, train/valid."""
    base = data_dir / "comms" / "liar"
    tr_x, tr_y = _liar_file(base / "train.tsv", binary)
    te_x, te_y = _liar_file(base / "valid.tsv", binary)
    return LabelledSet("liar-binary" if binary else "liar", "en", "truth", tr_x, tr_y, te_x, te_y)


def all_sets(data_dir: Path) -> list[LabelledSet]:
    return [davidson(data_dir), amharic_ranlp(data_dir), amharic_trac(data_dir), liar(data_dir), liar(data_dir, True)]
