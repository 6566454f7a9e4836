"""Macro-F1 of the peaceops harm/misinformation classifier against a plain baseline, and its speed.

Run: .venv/bin/python bench/comms.py [--data-dir DIR] [--sets davidson,amharic-ranlp2023,...]

For each labelled set in <data_dir>/comms/ both models are trained in this run on the same training
rows and scored on the same held-out rows: the published dev/valid split where the set has one
(Amharic ranlp2023 and trac2024, LIAR), a fixed seeded stratified 80/20 split of Davidson otherwise.
Baseline: scikit-learn's TfidfVectorizer with default settings (word unigrams) and LogisticRegression.
peaceops: comms.model.build_pipeline (word 1-2-grams + hashed char_wb 2-4-grams, 2-3 for Amharic, TF-IDF
on normalised text; label from a class-balanced LinearSVC, probabilities from sigmoid-calibrated copies),
scored through TrainedModel.predict exactly as items are. Throughput: the whole held-out set classified
as one batch (normalisation, features, label and calibrated probabilities), after a warm-up call, on
this machine's cores: items per wall-clock second, and per CPU second of this process (what it does
with one core of its own); the load average is printed because other work on the machine slows it.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from peaceops.comms import datasets
from peaceops.comms.estimator import TrainedModel, build_baseline, build_pipeline, chars_for, macro_f1
from peaceops.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--sets", default="", help="comma-separated set names (default: all)")
    args = parser.parse_args()
    data_dir = args.data_dir or Settings().data_dir
    wanted = {s for s in args.sets.split(",") if s}
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}")
    print(
        f"{'set':<20}{'classes':>8}{'train':>7}{'test':>6}{'baseline':>10}{'peaceops':>10}{'gain':>8}"
        f"{'items/s':>9}{'fit s':>7}"
    )
    for ds in datasets.all_sets(data_dir):
        if wanted and ds.name not in wanted:
            continue
        base = build_baseline().fit(ds.train_texts, ds.train_labels)
        f_base = macro_f1(ds.test_labels, base.predict(ds.test_texts))
        started = time.perf_counter()
        pipeline = build_pipeline(chars=chars_for(ds.language)).fit(ds.train_texts, ds.train_labels)
        fit_seconds = time.perf_counter() - started
        model = TrainedModel(ds.name, "bench", [str(c) for c in pipeline.classes_], pipeline)
        model.predict(ds.test_texts[:10])  # warm-up
        started, cpu_started = time.perf_counter(), time.process_time()
        predicted = [label for label, _p, _probs in model.predict(ds.test_texts)]
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        f_ours = macro_f1(ds.test_labels, predicted)
        print(
            f"{ds.name:<20}{len(ds.labels):>8}{len(ds.train_texts):>7}{len(ds.test_texts):>6}{f_base:>10.3f}"
            f"{f_ours:>10.3f}{f_ours - f_base:>+8.3f}{len(ds.test_texts) / seconds:>9,.0f}"
            f"{len(ds.test_texts) / cpu_seconds:>10,.0f}{fit_seconds:>7.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
