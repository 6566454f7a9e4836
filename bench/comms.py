"""Macro-F1 of the peaceops harm/misinformation classifier against a plain baseline on unseen items, and its speed.

Run: .venv/bin/python bench/comms.py [--data-dir DIR] [--sets davidson,harm-am,...] [--classify-rows N]

For each labelled set in <data_dir>/comms/ both models are trained in this run on the same training
rows and scored on the same held-out rows: the published dev/valid split where the set has one
(Amharic ranlp2023 and trac2024, LIAR), a fixed seeded stratified 80/20 split of Davidson otherwise.
``harm-am`` is the Amharic model as peaceops uses it: trained on both Amharic training sets, scored on
both dev sets. Held-out rows whose normalised text is also a training row are dropped (datasets.unseen:
a copy measures memory, not skill); the "test" column counts what is left. Settings (n-grams, C) were
chosen by cross-validation on the training rows only (estimator.settings_for), never on these rows.
Baseline: scikit-learn's TfidfVectorizer with default settings (word unigrams) and LogisticRegression.
peaceops: estimator.build_pipeline (word 1-2-grams + hashed char_wb n-grams, TF-IDF on normalised
text; label from a class-balanced LinearSVC, for Amharic voting with an NB-SVM over syllable-split
character n-grams; probabilities from sigmoid-calibrated copies), scored
through TrainedModel.predict exactly as items are; items/s: the held-out set as one batch.

Then ``peaceops comms classify``'s own code path (comms.batch.classify_csv: CSV read, chunks, CSV
written) on a CSV of the held-out texts repeated to --classify-rows rows, with the English model and
with harm-am: rows per wall-clock second, beside the load average (other work on the machine slows it).
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import time
from pathlib import Path

from peaceops.comms import datasets
from peaceops.comms.batch import classify_csv
from peaceops.comms.estimator import TrainedModel, build_baseline, build_pipeline, macro_f1, settings_for
from peaceops.settings import Settings


def harm_am(data_dir: Path) -> datasets.LabelledSet:
    ran, trac = datasets.amharic_ranlp(data_dir), datasets.amharic_trac(data_dir)
    return datasets.LabelledSet(
        "harm-am", "am", "harm", ran.train_texts + trac.train_texts, ran.train_labels + trac.train_labels,
        ran.test_texts + trac.test_texts, ran.test_labels + trac.test_labels,
    )  # fmt: skip


def classify_speed(model: TrainedModel, texts: list[str], rows: int, folder: Path) -> tuple[int, float]:
    source, out = folder / f"{model.name}-in.csv", folder / f"{model.name}-out.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text"])
        writer.writerows([n, texts[n % len(texts)]] for n in range(rows))
    started = time.perf_counter()
    done = classify_csv(model, source, out, "text").rows
    return done, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--sets", default="", help="comma-separated set names (default: all)")
    parser.add_argument("--classify-rows", type=int, default=20_000)
    args = parser.parse_args()
    data_dir = args.data_dir or Settings().data_dir
    wanted = {s for s in args.sets.split(",") if s}
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}")
    print(
        f"{'set':<20}{'classes':>8}{'train':>7}{'test':>6}{'baseline':>10}{'peaceops':>10}{'gain':>8}"
        f"{'items/s':>9}{'per CPU-s':>10}{'fit s':>7}"
    )
    sets = datasets.all_sets(data_dir)
    sets.insert(3, harm_am(data_dir))
    models: dict[str, tuple[TrainedModel, list[str]]] = {}
    for ds in sets:
        if wanted and ds.name not in wanted:
            continue
        test_texts, test_labels = datasets.unseen(ds.test_texts, ds.test_labels, ds.train_texts)
        base = build_baseline().fit(ds.train_texts, ds.train_labels)
        f_base = macro_f1(test_labels, base.predict(test_texts))
        started = time.perf_counter()
        pipeline = build_pipeline(**settings_for(ds.language)).fit(ds.train_texts, ds.train_labels)
        fit_seconds = time.perf_counter() - started
        model = TrainedModel(ds.name, "bench", [str(c) for c in pipeline.classes_], pipeline)
        model.predict(test_texts[:10])  # warm-up
        started, cpu_started = time.perf_counter(), time.process_time()
        predicted = [label for label, _p, _probs in model.predict(test_texts)]
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        f_ours = macro_f1(test_labels, predicted)
        print(
            f"{ds.name:<20}{len(ds.labels):>8}{len(ds.train_texts):>7}{len(test_texts):>6}{f_base:>10.3f}"
            f"{f_ours:>10.3f}{f_ours - f_base:>+8.3f}{len(test_texts) / seconds:>9,.0f}"
            f"{len(test_texts) / cpu_seconds:>10,.0f}{fit_seconds:>7.1f}",
            flush=True,
        )
        if ds.name in ("davidson", "harm-am"):
            models[ds.name] = (model, test_texts)
    if not models:
        return
    print(f"\npeaceops comms classify (comms.batch.classify_csv), {args.classify_rows:,} rows of held-out texts:")
    with tempfile.TemporaryDirectory() as folder:
        for name, (model, texts) in models.items():
            load_before = os.getloadavg()[0]
            rows, seconds = classify_speed(model, texts, args.classify_rows, Path(folder))
            print(
                f"  {name:<10} {rows:,} rows in {seconds:.1f} s: {rows / seconds:,.0f} rows/s "
                f"(load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)",
                flush=True,
            )


if __name__ == "__main__":
    main()
